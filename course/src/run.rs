//! Running a variant's program and capturing what it printed.

use crate::cmd;
use crate::course::Course;
use crate::lecture::Lecture;
use crate::variant::Variant;
use anyhow::Result;
use std::path::PathBuf;

impl Course {
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
        let out = cmd::finish(
            cmd::program(&binary)
                .current_dir(&self.root)
                .env(lectureutil::script::FIGURE_DIR_ENV, &figures),
            "a notebook program",
        )?;
        Ok(ScriptRun {
            compiled: true,
            success: out.success,
            output: format!("{}{}", out.stdout, out.stderr),
        })
    }

    /// Where the figures of a script run are saved.
    pub fn figure_dir(&self, lecture: &Lecture, variant: &Variant) -> PathBuf {
        self.target_dir()
            .join("figures")
            .join(lecture.notebook.stem())
            .join(variant.label())
    }
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
            .any(|l| l.starts_with(&lectureutil::exercise::pass_line_start(id)))
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
