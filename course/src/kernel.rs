//! Running a notebook headless under the real evcxr kernel (`tools/execute_notebook.py`) and reading back
//! what every cell produced.

use crate::cmd;
use crate::course::Course;
use crate::files::write_if_changed;
use crate::lecture::Lecture;
use crate::notebook::{source_text_of, CellKind, Notebook};
use crate::syntax::split_trailing_expression;
use anyhow::{anyhow, ensure, Result};
use lectureutil::exercise::pass_line_start;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

impl Course {
    /// Writes the solved notebook (reference solutions in the exercise cells, no outputs, the
    /// `:dep lectureutil` path made absolute) to `target/notebooks/solved/<stem>.ipynb`.
    pub fn write_solved(&self, lecture: &Lecture) -> Result<PathBuf> {
        let mut replace = BTreeMap::new();
        for cell in &lecture.notebook.cells {
            if let Some(id) = cell.exercise_id() {
                replace.insert(cell.number, lecture.solution(id)?.solved());
            }
        }
        self.write_copy(&lecture.notebook, replace, "solved")
    }

    fn write_copy(
        &self,
        notebook: &Notebook,
        mut replace: BTreeMap<usize, String>,
        kind: &str,
    ) -> Result<PathBuf> {
        for cell in &notebook.cells {
            if cell.kind == CellKind::Code && cell.source.contains(":dep lectureutil") {
                let src = replace
                    .get(&cell.number)
                    .cloned()
                    .unwrap_or_else(|| cell.source.clone());
                replace.insert(cell.number, absolute_dep(&src, &self.root));
            }
        }
        let json = notebook.with_sources(&replace);
        let path = self
            .target_dir()
            .join("notebooks")
            .join(kind)
            .join(format!("{}.ipynb", notebook.stem()));
        write_if_changed(&path, &serde_json::to_string_pretty(&json)?)?;
        Ok(path)
    }

    /// Runs a notebook headless under the real evcxr kernel (`tools/execute_notebook.py`), the solved
    /// version or the student's, and reads back what every cell produced. The executed copy is
    /// kept in `target/notebooks/executed/`.
    pub fn execute_in_kernel(&self, lecture: &Lecture, solved: bool) -> Result<KernelRun> {
        let input = if solved {
            self.write_solved(lecture)?
        } else {
            let student = lecture.student.as_ref().map_err(|why| anyhow!("{why}"))?;
            self.write_copy(student, BTreeMap::new(), "student")?
        };
        let stem = format!(
            "{}{}",
            lecture.notebook.stem(),
            if solved { "" } else { ".student" }
        );
        self.execute_file(&input, &stem)
    }

    /// Runs the solved notebook with every code cell executed twice in a row, as a student who
    /// presses Shift+Enter twice, and returns the run and what each cell showed the first and
    /// the second time, numbered as in the course's notebook.
    pub fn execute_twice_in_kernel(
        &self,
        lecture: &Lecture,
    ) -> Result<(KernelRun, [Vec<CellOutputs>; 2])> {
        let solved = self.write_solved(lecture)?;
        let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&solved)?)?;
        let mut cells = Vec::new();
        // For each cell of the doubled notebook: its number in the course's, and which run.
        let mut origin = Vec::new();
        for (i, cell) in json["cells"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let code = cell["cell_type"] == "code";
            cells.push(cell.clone());
            origin.push((i + 1, 0));
            if code {
                cells.push(cell);
                origin.push((i + 1, 1));
            }
        }
        json["cells"] = Value::Array(cells);
        let path = self
            .target_dir()
            .join("notebooks/twice")
            .join(format!("{}.ipynb", lecture.notebook.stem()));
        write_if_changed(&path, &serde_json::to_string_pretty(&json)?)?;
        let run = self.execute_file(&path, &format!("{}.twice", lecture.notebook.stem()))?;
        let mut split = [Vec::new(), Vec::new()];
        for cell in &run.cells {
            let (number, copy) = origin[cell.number - 1];
            split[copy].push(CellOutputs {
                number,
                ..cell.clone()
            });
        }
        Ok((run, split))
    }

    /// Runs the notebook file `input` under the kernel into `target/notebooks/executed/<stem>.ipynb`.
    fn execute_file(&self, input: &Path, stem: &str) -> Result<KernelRun> {
        let executed_dir = self.target_dir().join("notebooks/executed");
        std::fs::create_dir_all(&executed_dir)?;
        let executed = executed_dir.join(format!("{stem}.ipynb"));
        let _ = std::fs::remove_file(&executed);
        let python = self.root.join(".venv/bin/python");
        ensure!(
            python.is_file(),
            "{} not found: run `./course.sh setup`",
            python.display()
        );
        let started = std::time::Instant::now();
        // `jupyter execute --allow-errors`, but one that loses no late output of evcxr's (see
        // the script).
        let out = cmd::finish(
            cmd::program(&python)
                .current_dir(&self.root)
                .env("JUPYTER_PATH", self.root.join(".venv/share/jupyter"))
                .arg(self.root.join("tools/execute_notebook.py"))
                .arg(input)
                .arg(&executed)
                .args(["--kernel=rust", "--timeout=1800", "--startup-timeout=300"]),
            "the notebook runner (tools/execute_notebook.py)",
        )?;
        let log = format!("{}{}", out.stdout, out.stderr);
        ensure!(
            out.success && executed.is_file(),
            "the notebook runner failed on {}:\n{log}",
            input.display()
        );
        let text = std::fs::read_to_string(&executed)?;
        let json: Value = serde_json::from_str(&text)?;
        let cells = cell_outputs(&json)?;
        Ok(KernelRun {
            executed,
            cells,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// Reads what every code cell of an executed notebook (nbformat JSON: a file written by
/// `tools/execute_notebook.py`, or the model of a notebook open in JupyterLab) shows.
pub fn cell_outputs(json: &Value) -> Result<Vec<CellOutputs>> {
    let mut cells = Vec::new();
    for (i, cell) in json["cells"].as_array().into_iter().flatten().enumerate() {
        if cell["cell_type"] != "code" {
            continue;
        }
        let mut result = CellOutputs {
            number: i + 1,
            executed: !cell["execution_count"].is_null(),
            ..Default::default()
        };
        for output in cell["outputs"].as_array().into_iter().flatten() {
            match output["output_type"].as_str() {
                Some("error") => result.errors.push(format!(
                    "{}: {}",
                    output["ename"].as_str().unwrap_or(""),
                    output["evalue"].as_str().unwrap_or("")
                )),
                Some("stream") if output["name"] == "stderr" => {
                    result.stderr.push_str(&source_text_of(&output["text"]))
                }
                Some("stream") => result.stdout.push_str(&source_text_of(&output["text"])),
                Some("display_data" | "execute_result") => {
                    if let Some(svg) = output.pointer("/data/image~1svg+xml") {
                        result.svgs.push(source_text_of(svg));
                    }
                    if let Some(png) = output.pointer("/data/image~1png") {
                        let b64 = source_text_of(png).replace('\n', "");
                        use base64::Engine;
                        let bytes = base64::engine::general_purpose::STANDARD
                            .decode(b64.trim())
                            .map_err(|e| {
                                anyhow!("cell {}: image/png output is not base64: {e}", i + 1)
                            })?;
                        result.pngs.push(bytes);
                    }
                }
                _ => {}
            }
        }
        cells.push(result);
    }
    Ok(cells)
}

impl Lecture {
    /// The plotting cells: code cells whose value is a `Chart`, `Diagram`, `Figure` or `Image`.
    pub fn plotting_cells(&self) -> Vec<usize> {
        self.notebook
            .cells
            .iter()
            .filter(|c| c.kind == CellKind::Code)
            .filter(|c| {
                split_trailing_expression(&c.source).1.is_some_and(|e| {
                    ["Chart::", "Diagram::", "Figure::", "Image::"]
                        .iter()
                        .any(|t| e.contains(t))
                })
            })
            .map(|c| c.number)
            .collect()
    }

    /// What is wrong with the outputs of this notebook solved and run to its end, in a kernel or
    /// a browser: a cell that did not run, an error output, a check that printed FAIL or no
    /// PASS, an image that is not a PNG, a plotting cell that shows no image.
    pub fn problems_in_solved_outputs(&self, cells: &[CellOutputs]) -> Vec<String> {
        let mut problems = Vec::new();
        for cell in cells {
            if !cell.executed {
                problems.push(format!("cell {}: did not run", cell.number));
            }
            for e in &cell.errors {
                problems.push(format!(
                    "cell {}: error output: {}",
                    cell.number,
                    e.lines().take(30).collect::<Vec<_>>().join("\n")
                ));
            }
            if cell.stdout.contains("FAIL") || cell.stderr.contains("FAIL") {
                problems.push(format!(
                    "cell {}: a check failed: {}{}",
                    cell.number, cell.stdout, cell.stderr
                ));
            }
            for (k, svg) in cell.svgs.iter().enumerate() {
                if let Err(e) = lectureutil::plot::svg_to_png(svg) {
                    problems.push(format!(
                        "cell {}: image/svg+xml output {} cannot be drawn: {e:#}",
                        cell.number,
                        k + 1
                    ));
                }
            }
            for (k, png) in cell.pngs.iter().enumerate() {
                if png.get(1..4) != Some(b"PNG") {
                    problems.push(format!(
                        "cell {}: image/png output {} is not a PNG",
                        cell.number,
                        k + 1
                    ));
                }
            }
        }
        for number in self.plotting_cells() {
            let shown = cells
                .iter()
                .find(|c| c.number == number)
                .is_some_and(|c| !c.svgs.is_empty());
            if !shown {
                problems.push(format!(
                    "cell {number}: a plotting cell with no image/svg+xml output"
                ));
            }
        }
        let all_output: String = cells.iter().map(|c| c.stdout.as_str()).collect();
        for id in self.exercise_ids() {
            if !all_output.contains(&pass_line_start(&id)) {
                problems.push(format!("exercise {id}: its check printed no PASS line"));
            }
        }
        problems
    }
}

/// Rewrites `:dep lectureutil = { path = ".." }` to the absolute repository path, for copies of
/// a notebook that run from another folder.
fn absolute_dep(src: &str, root: &Path) -> String {
    src.lines()
        .map(|line| {
            if line.trim_start().starts_with(":dep lectureutil") {
                format!(
                    ":dep lectureutil = {{ path = {:?} }}",
                    root.display().to_string()
                )
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What one code cell produced under the kernel.
#[derive(Debug, Clone, Default)]
pub struct CellOutputs {
    /// Cell number, from 1.
    pub number: usize,
    /// Whether it ran (it has an execution count).
    pub executed: bool,
    /// Error outputs (`ename: evalue`).
    pub errors: Vec<String>,
    /// Text printed to stdout.
    pub stdout: String,
    /// Text printed to stderr.
    pub stderr: String,
    /// `image/svg+xml` outputs: the figures.
    pub svgs: Vec<String>,
    /// Decoded `image/png` outputs.
    pub pngs: Vec<Vec<u8>>,
}

/// A notebook executed under the kernel.
#[derive(Debug, Clone)]
pub struct KernelRun {
    /// The executed copy.
    pub executed: PathBuf,
    /// Outputs of every code cell.
    pub cells: Vec<CellOutputs>,
    /// Wall time of the notebook runner.
    pub seconds: f64,
}
