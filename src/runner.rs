//! Runs the course notebooks: as generated Rust programs (the notebook-equivalent scripts that
//! `cargo test` grades) and headless under the real evcxr kernel through Jupyter.
//!
//! Nothing here writes into `notebooks/`: generated programs live in `target/notebook-scripts/`,
//! solved and executed notebooks in `target/notebooks/`, figures in `target/figures/`.

use crate::notebook::{
    find_blanks, load_solutions, normalized, Blank, CellKind, Notebook, Script, Solution,
};
use anyhow::{anyhow, bail, ensure, Context, Result};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The course repository: its notebooks, solutions and build folders.
#[derive(Debug, Clone)]
pub struct Course {
    /// The repository root.
    pub root: PathBuf,
}

/// Which version of a notebook's cells to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Variant {
    /// Every exercise with its reference solution: the whole notebook.
    Reference,
    /// The notebook as the student left it: the whole notebook.
    Student,
    /// The student's cell for this exercise, reference solutions for the others, up to the
    /// exercise's check cell.
    StudentExercise(String),
    /// The shipped blank cell for this exercise, reference solutions for the others, up to the
    /// exercise's check cell.
    BlankExercise(String),
}

impl Variant {
    fn label(&self) -> String {
        let clean = |id: &str| id.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        match self {
            Variant::Reference => "reference".into(),
            Variant::Student => "student".into(),
            Variant::StudentExercise(id) => format!("student_ex{}", clean(id)),
            Variant::BlankExercise(id) => format!("blank_ex{}", clean(id)),
        }
    }
}

/// Whether a student has filled in an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExerciseState {
    /// Blanks are left, at these places in the cell.
    Blank(Vec<Blank>),
    /// No blank is left.
    Filled,
}

/// A notebook with its reference solutions.
#[derive(Debug, Clone)]
pub struct Lecture {
    /// The notebook as it is in `notebooks/`.
    pub notebook: Notebook,
    /// Its exercises solved, from `tests/solutions/<stem>.rs`.
    pub solutions: BTreeMap<String, Solution>,
    /// Where the solutions were read from.
    pub solutions_path: PathBuf,
}

impl Course {
    /// The course this crate was built from.
    pub fn here() -> Self {
        Course {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        }
    }

    /// The notebooks in `notebooks/`, sorted by name.
    pub fn notebooks(&self) -> Result<Vec<PathBuf>> {
        let dir = self.root.join("notebooks");
        let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
            .collect();
        out.sort();
        Ok(out)
    }

    /// Finds a notebook by path, file name, stem or number prefix (`02`).
    pub fn find(&self, name: &str) -> Result<PathBuf> {
        let direct = self.root.join(name);
        if direct.is_file() {
            return Ok(direct);
        }
        let all = self.notebooks()?;
        let matches: Vec<&PathBuf> = all
            .iter()
            .filter(|p| {
                let stem = p.file_stem().unwrap_or_default().to_string_lossy();
                stem == name.trim_end_matches(".ipynb") || stem.starts_with(&format!("{name}_"))
            })
            .collect();
        match matches.as_slice() {
            [one] => Ok((*one).clone()),
            [] => bail!(
                "no notebook named {name:?} in notebooks/ (try one of: {})",
                names(&all)
            ),
            _ => bail!("{name:?} names several notebooks: {}", names(&all)),
        }
    }

    /// Loads a notebook and its solutions.
    pub fn load(&self, notebook: &Path) -> Result<Lecture> {
        let notebook = Notebook::load(notebook)?;
        let solutions_path = self
            .root
            .join("tests/solutions")
            .join(format!("{}.rs", notebook.stem()));
        let solutions = load_solutions(&solutions_path)?;
        Ok(Lecture {
            notebook,
            solutions,
            solutions_path,
        })
    }

    fn scripts_dir(&self) -> PathBuf {
        self.root.join("target/notebook-scripts")
    }

    /// Writes the scripts package's manifest and seeds its `Cargo.lock` from the repository's,
    /// once per process and under a lock: parallel tests used to rewrite both at once (and cargo
    /// then rewrote the lock again, so every test saw it changed), which failed builds by chance.
    /// The lock is copied again only when the repository's `Cargo.lock` changed; in between it
    /// belongs to cargo.
    fn prepare_scripts_package(&self, dir: &Path, manifest: &str) -> Result<()> {
        static PREPARED: Mutex<bool> = Mutex::new(false);
        let mut prepared = PREPARED.lock().unwrap_or_else(|p| p.into_inner());
        if *prepared {
            return Ok(());
        }
        write_if_changed(&dir.join("Cargo.toml"), manifest)?;
        if let Ok(lock) = std::fs::read_to_string(self.root.join("Cargo.lock")) {
            let source = crate::mnist::sha256_hex(lock.as_bytes());
            let stamp = dir.join("Cargo.lock.source");
            let seeded = std::fs::read_to_string(&stamp).is_ok_and(|s| s == source);
            if !seeded || !dir.join("Cargo.lock").is_file() {
                write_if_changed(&dir.join("Cargo.lock"), &lock)?;
                write_if_changed(&stamp, &source)?;
            }
            // Let cargo settle the seeded lock now, while no build runs: afterwards every
            // build finds it up to date and none writes it.
            let status = Command::new(cargo())
                .args(["metadata", "--format-version", "1", "--manifest-path"])
                .arg(dir.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", self.root.join("target"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .status()
                .context("cannot run cargo metadata for the notebook scripts")?;
            ensure!(
                status.success(),
                "cargo metadata failed on {}",
                dir.display()
            );
        }
        *prepared = true;
        Ok(())
    }

    /// Builds the program for `variant` of `lecture`; `Ok(Err(compiler output))` when it does not
    /// compile, with each error pointing back to its notebook cell.
    pub fn build(
        &self,
        lecture: &Lecture,
        variant: &Variant,
    ) -> Result<std::result::Result<PathBuf, String>> {
        let script = lecture.script(variant)?;
        let dir = self.scripts_dir();
        let bin = format!(
            "nb{}_{}",
            lecture.notebook.stem().replace('-', "_"),
            variant.label()
        );
        let manifest = format!(
            "# Generated by lectureutil for the notebook-equivalent scripts; do not edit.\n\
             [package]\nname = \"notebook-scripts\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\
             build = {build:?}\n\n[dependencies]\nlectureutil = {{ path = {root:?} }}\n\n[workspace]\n\n\
             [profile.dev.package.\"*\"]\nopt-level = 2\ndebug = false\n",
            build = self.root.join("build.rs").display().to_string(),
            root = self.root.display().to_string(),
        );
        // The program first: cargo needs at least one target in the package to read it.
        let file = format!("src/bin/{bin}.rs");
        write_if_changed(&dir.join(&file), &script.source)?;
        self.prepare_scripts_package(&dir, &manifest)?;
        let out = Command::new(cargo())
            .current_dir(&self.root)
            .args([
                "build",
                "--quiet",
                "--color",
                "never",
                "--bin",
                &bin,
                "--manifest-path",
            ])
            .arg(dir.join("Cargo.toml"))
            // The main target folder: the scripts reuse the compiled tch and plotters (cargo
            // releases its lock while tests run, so this works from inside `cargo test`).
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .stdin(Stdio::null())
            .output()
            .context("cannot run cargo to build a notebook script")?;
        if out.status.success() {
            Ok(Ok(self.root.join("target/debug").join(bin)))
        } else {
            let text = String::from_utf8_lossy(&out.stderr);
            Ok(Err(script.annotate_compiler_output(&text, &file)))
        }
    }

    /// Builds and runs `variant` of `lecture`, capturing its output. Figures go to
    /// `target/figures/<notebook>/<variant>/`.
    pub fn run(&self, lecture: &Lecture, variant: &Variant) -> Result<ScriptRun> {
        let binary = match self.build(lecture, variant)? {
            Ok(binary) => binary,
            Err(compiler) => {
                return Ok(ScriptRun {
                    compiled: false,
                    success: false,
                    output: compiler,
                })
            }
        };
        let figures = self.figure_dir(lecture, variant);
        let _ = std::fs::remove_dir_all(&figures);
        let out = Command::new(&binary)
            .current_dir(&self.root)
            .env(crate::script::FIGURE_DIR_ENV, &figures)
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("cannot run {}", binary.display()))?;
        Ok(ScriptRun {
            compiled: true,
            success: out.status.success(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        })
    }

    /// Where the figures of a script run are saved.
    pub fn figure_dir(&self, lecture: &Lecture, variant: &Variant) -> PathBuf {
        self.root
            .join("target/figures")
            .join(lecture.notebook.stem())
            .join(variant.label())
    }

    /// Writes the solved notebook (reference solutions in the exercise cells, no outputs, the
    /// `:dep lectureutil` path made absolute) to `target/notebooks/solved/<stem>.ipynb`.
    pub fn write_solved(&self, lecture: &Lecture) -> Result<PathBuf> {
        let mut replace = BTreeMap::new();
        for cell in &lecture.notebook.cells {
            if let Some(id) = cell.exercise_id() {
                replace.insert(cell.number, lecture.solution(id)?.solved());
            }
        }
        self.write_copy(lecture, replace, "solved")
    }

    fn write_copy(
        &self,
        lecture: &Lecture,
        mut replace: BTreeMap<usize, String>,
        kind: &str,
    ) -> Result<PathBuf> {
        for cell in &lecture.notebook.cells {
            if cell.kind == CellKind::Code && cell.source.contains(":dep lectureutil") {
                let src = replace
                    .get(&cell.number)
                    .cloned()
                    .unwrap_or_else(|| cell.source.clone());
                replace.insert(cell.number, absolute_dep(&src, &self.root));
            }
        }
        let json = lecture.notebook.with_sources(&replace);
        let path = self
            .root
            .join("target/notebooks")
            .join(kind)
            .join(format!("{}.ipynb", lecture.notebook.stem()));
        write_if_changed(&path, &serde_json::to_string_pretty(&json)?)?;
        Ok(path)
    }

    /// Runs a notebook headless under the real evcxr kernel (`jupyter execute`), the solved
    /// version or the student's, and reads back what every cell produced. The executed copy is
    /// kept in `target/notebooks/executed/`.
    pub fn execute_in_kernel(&self, lecture: &Lecture, solved: bool) -> Result<KernelRun> {
        let input = if solved {
            self.write_solved(lecture)?
        } else {
            self.write_copy(lecture, BTreeMap::new(), "student")?
        };
        let executed_dir = self.root.join("target/notebooks/executed");
        std::fs::create_dir_all(&executed_dir)?;
        let stem = format!(
            "{}{}",
            lecture.notebook.stem(),
            if solved { "" } else { ".student" }
        );
        let executed = executed_dir.join(format!("{stem}.ipynb"));
        let _ = std::fs::remove_file(&executed);
        let jupyter = self.root.join(".venv/bin/jupyter");
        ensure!(
            jupyter.is_file(),
            "{} not found: run `./course.sh setup`",
            jupyter.display()
        );
        let started = std::time::Instant::now();
        let out = Command::new(&jupyter)
            .current_dir(&self.root)
            .env("JUPYTER_PATH", self.root.join(".venv/share/jupyter"))
            .args([
                "execute",
                "--kernel_name=rust",
                "--timeout=1800",
                "--startup_timeout=300",
                "--allow-errors",
            ])
            .arg(format!("--output={}", executed.display()))
            .arg(&input)
            .stdin(Stdio::null())
            .output()
            .context("cannot run jupyter execute")?;
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ensure!(
            out.status.success() && executed.is_file(),
            "jupyter execute failed on {}:\n{log}",
            input.display()
        );
        let text = std::fs::read_to_string(&executed)?;
        let json: Value = serde_json::from_str(&text)?;
        let mut cells = Vec::new();
        for (i, cell) in json["cells"].as_array().into_iter().flatten().enumerate() {
            if cell["cell_type"] != "code" {
                continue;
            }
            let mut result = CellOutputs {
                number: i + 1,
                ..Default::default()
            };
            for output in cell["outputs"].as_array().into_iter().flatten() {
                match output["output_type"].as_str() {
                    Some("error") => result.errors.push(format!(
                        "{}: {}",
                        output["ename"].as_str().unwrap_or(""),
                        output["evalue"].as_str().unwrap_or("")
                    )),
                    Some("stream") if output["name"] == "stderr" => result
                        .stderr
                        .push_str(&crate::notebook::source_text_of(&output["text"])),
                    Some("stream") => result
                        .stdout
                        .push_str(&crate::notebook::source_text_of(&output["text"])),
                    Some("display_data" | "execute_result") => {
                        if let Some(png) = output.pointer("/data/image~1png") {
                            let b64 = crate::notebook::source_text_of(png).replace('\n', "");
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
        Ok(KernelRun {
            executed,
            cells,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// The cargo that runs us (inside `cargo test`), or the one on `PATH`.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| {
            p.file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect::<Vec<_>>()
        .join(", ")
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

/// Writes `text` to `path` (atomically) unless it already holds exactly that, so that cargo
/// does not rebuild what has not changed.
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // Unique per process, thread and call: two writers of one path never share a temporary.
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let tmp = path.with_extension(format!(
        "tmp{}-{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// What a script run printed and whether it succeeded.
#[derive(Debug, Clone)]
pub struct ScriptRun {
    /// Whether the program compiled.
    pub compiled: bool,
    /// Whether it compiled and exited with status 0.
    pub success: bool,
    /// Compiler output, or the program's stdout then stderr.
    pub output: String,
}

impl ScriptRun {
    /// Whether the check of exercise `id` printed its PASS line.
    pub fn passed(&self, id: &str) -> bool {
        self.output
            .lines()
            .any(|l| l.starts_with(&crate::exercise::pass_line_start(id)))
    }

    /// The FAIL line of a check, if one failed.
    pub fn failure(&self) -> Option<&str> {
        let line = self.output.lines().find(|l| l.contains("FAIL  Exercise"))?;
        line.find("FAIL").map(|at| &line[at..])
    }

    /// The last `n` lines of output.
    pub fn tail(&self, n: usize) -> String {
        let lines: Vec<&str> = self.output.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

/// What one code cell produced under the kernel.
#[derive(Debug, Clone, Default)]
pub struct CellOutputs {
    /// Cell number, from 1.
    pub number: usize,
    /// Error outputs (`ename: evalue`).
    pub errors: Vec<String>,
    /// Text printed to stdout.
    pub stdout: String,
    /// Text printed to stderr.
    pub stderr: String,
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
    /// Wall time of `jupyter execute`.
    pub seconds: f64,
}

impl Lecture {
    /// Short name for messages: `notebooks/02_linear_classifier.ipynb`.
    pub fn name(&self) -> String {
        format!("notebooks/{}.ipynb", self.notebook.stem())
    }

    /// The reference solution of exercise `id`.
    pub fn solution(&self, id: &str) -> Result<&Solution> {
        self.solutions.get(id).ok_or_else(|| {
            anyhow!(
                "{}: exercise {id} has no reference solution in {}",
                self.name(),
                self.solutions_path.display()
            )
        })
    }

    /// Exercise ids in notebook order.
    pub fn exercise_ids(&self) -> Vec<String> {
        self.notebook
            .cells
            .iter()
            .filter_map(|c| c.exercise_id().map(str::to_string))
            .collect()
    }

    /// Whether the student's copy of exercise `id` still has blanks.
    pub fn state(&self, id: &str) -> Result<ExerciseState> {
        let cell = self.exercise_cell(id)?;
        let blanks = find_blanks(&cell.source);
        Ok(if blanks.is_empty() {
            ExerciseState::Filled
        } else {
            ExerciseState::Blank(blanks)
        })
    }

    fn exercise_cell(&self, id: &str) -> Result<&crate::notebook::Cell> {
        self.notebook
            .cells
            .iter()
            .find(|c| c.exercise_id() == Some(id))
            .ok_or_else(|| anyhow!("{}: no exercise cell `// Exercise {id}:`", self.name()))
    }

    /// The cell number of exercise `id`, for messages.
    pub fn exercise_cell_number(&self, id: &str) -> Result<usize> {
        Ok(self.exercise_cell(id)?.number)
    }

    /// Everything that makes the notebook and its solutions disagree: an exercise without a
    /// solution or a check cell, a solution without an exercise, a shipped blank cell that is not
    /// the solution's template, a template without a blank, or a blank outside exercise cells.
    pub fn drift(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let name = self.name();
        let sols = self.solutions_path.display();
        let ids = self.exercise_ids();
        let mut seen = BTreeSet::new();
        for id in &ids {
            if !seen.insert(id) {
                problems.push(format!("{name}: exercise {id} appears twice"));
            }
            let cell = self.exercise_cell(id).expect("listed");
            match self.notebook.check_cell(id) {
                None => problems.push(format!("{name}: exercise {id} (cell {}) has no `// Check {id}` cell", cell.number)),
                Some(check) if check.number < cell.number => problems.push(format!(
                    "{name}: the check cell of exercise {id} (cell {}) comes before the exercise (cell {})",
                    check.number, cell.number
                )),
                _ => {}
            }
            let Some(sol) = self.solutions.get(id) else {
                problems.push(format!(
                    "{name}: exercise {id} (cell {}) has no reference solution in {sols}",
                    cell.number
                ));
                continue;
            };
            let template = sol.template();
            if find_blanks(&template).is_empty() {
                problems.push(format!("{sols}: exercise {id} (line {}) has no ⟦answer⟧, so its blank version has no `?`", sol.line));
            }
            if normalized(&sol.solved()) == normalized(&template) {
                problems.push(format!(
                    "{sols}: exercise {id}: the solved cell equals the blank one"
                ));
            }
            let shipped_blank = !find_blanks(&cell.source).is_empty();
            if shipped_blank && normalized(&cell.source) != normalized(&template) {
                problems.push(format!(
                    "{name}, cell {}: exercise {id} differs from its template in {sols} (line {}); \
                     change both together (the template is the solution with each ⟦answer⟧ as `?`)",
                    cell.number, sol.line
                ));
            }
        }
        for id in self.solutions.keys() {
            if !ids.contains(id) {
                problems.push(format!("{sols}: exercise {id} is not in {name}"));
            }
        }
        for cell in &self.notebook.cells {
            if cell.kind == CellKind::Code
                && crate::notebook::ends_with_block_expression(&cell.source)
            {
                problems.push(format!(
                    "{name}, cell {}: ends with a block expression (for/while/if/match) that evcxr shows as `()`; end it with a statement",
                    cell.number
                ));
            }
            if cell.kind == CellKind::Code && cell.exercise_id().is_none() {
                if let Some(b) = find_blanks(&cell.source).first() {
                    problems.push(format!(
                        "{name}, cell {} line {}: a `?` blank outside an exercise cell",
                        cell.number, b.line
                    ));
                }
            }
        }
        problems
    }

    /// The code cells of `variant`, as `(cell number, code)`.
    pub fn cells(&self, variant: &Variant) -> Result<Vec<(usize, String)>> {
        let last = match variant {
            Variant::StudentExercise(id) | Variant::BlankExercise(id) => Some(
                self.notebook
                    .check_cell(id)
                    .ok_or_else(|| anyhow!("{}: exercise {id} has no check cell", self.name()))?
                    .number,
            ),
            _ => None,
        };
        let mut out = Vec::new();
        for cell in &self.notebook.cells {
            if cell.kind != CellKind::Code || last.is_some_and(|l| cell.number > l) {
                continue;
            }
            let code = match (cell.exercise_id(), variant) {
                (None, _) | (Some(_), Variant::Student) => cell.source.clone(),
                (Some(id), Variant::StudentExercise(target)) if id == target => cell.source.clone(),
                (Some(id), Variant::BlankExercise(target)) if id == target => {
                    self.solution(id)?.template()
                }
                (Some(id), _) => self.solution(id)?.solved(),
            };
            out.push((cell.number, code));
        }
        Ok(out)
    }

    /// The notebook-equivalent program of `variant`.
    pub fn script(&self, variant: &Variant) -> Result<Script> {
        Ok(Script::assemble(&self.name(), &self.cells(variant)?))
    }
}

#[cfg(test)]
mod tests {
    use super::write_if_changed;

    #[test]
    fn parallel_writers_of_one_file_all_succeed() {
        let dir = std::env::temp_dir().join(format!("lectureutil-race-{}", std::process::id()));
        let path = dir.join("Cargo.lock");
        let _ = std::fs::remove_dir_all(&dir);
        let writers: Vec<_> = (0..16)
            .map(|k| {
                let path = path.clone();
                std::thread::spawn(move || {
                    (0..50)
                        .map(|i| write_if_changed(&path, &format!("version {}", (k + i) % 3)))
                        .collect::<anyhow::Result<Vec<()>>>()
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap().expect("every write succeeds");
        }
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind: {left:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
