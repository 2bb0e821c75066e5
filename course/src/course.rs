//! The course repository: where its notebooks, solutions and build folders are, and finding a
//! notebook by a short name.
//!
//! The course's notebooks live in `lecture/`; set-up copies each one to `notebooks/`
//! once, and that copy is the student's. Nothing here writes into `notebooks/` (only
//! `notebook restore`, when the student asks): generated programs live in
//! `target/notebook-scripts/`, solved and executed notebooks in `target/notebooks/`, figures in
//! `target/figures/`, the grader's logs and records in `target/grader/`.

use crate::lecture::Lecture;
use crate::notebook::Notebook;
use crate::release::{Release, RELEASE_FILE};
use crate::solutions::load_solutions;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Environment variable that points the grader at another folder of student notebooks than
/// `notebooks/` (an instructor grading a submission, the benchmark scripts).
pub const NOTEBOOKS_ENV: &str = "LECTUREUTIL_NOTEBOOKS";
/// Seconds every build of a student's code may take, instead of the limit derived from the
/// reference build (`grade --build-limit=S` sets it for the processes it starts).
pub const BUILD_LIMIT_ENV: &str = "LECTUREUTIL_BUILD_LIMIT";

/// The course repository: its notebooks, solutions and build folders.
#[derive(Debug, Clone)]
pub struct Course {
    /// The repository root.
    pub root: PathBuf,
    /// Where the student's copies of the notebooks are (`notebooks/`).
    pub student_dir: PathBuf,
    /// A time limit for every run, instead of the one derived per exercise.
    pub time_limit: Option<std::time::Duration>,
    /// A time limit for every build of a student's code, instead of the one derived from the
    /// reference build.
    pub build_time_limit: Option<std::time::Duration>,
    /// Whether stored results of unchanged work stand in for runs (off under `CI` or
    /// `LECTUREUTIL_FULL`).
    pub use_cache: bool,
    /// Grading a class: the class's own folder of stored runs. Runs there are keyed by the
    /// program and its time limit alone, so students with the same answer share one run (a
    /// timed-out one included), and programs run in a scratch folder inside it, never in the
    /// course.
    pub class_dir: Option<PathBuf>,
}

impl Course {
    /// The course this crate was built from: the repository around `course/`.
    pub fn here() -> Self {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest.parent().unwrap_or(manifest).to_path_buf();
        Course {
            student_dir: std::env::var_os(NOTEBOOKS_ENV)
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("notebooks")),
            root,
            time_limit: None,
            build_time_limit: std::env::var(BUILD_LIMIT_ENV)
                .ok()
                .and_then(|s| s.trim().parse().ok())
                .map(std::time::Duration::from_secs),
            use_cache: crate::cache::enabled(),
            class_dir: None,
        }
    }

    /// Where the course's own notebooks are: `lecture/` (the source; set-up copies them to `notebooks/`).
    pub fn course_notebooks_dir(&self) -> PathBuf {
        self.root.join("lecture")
    }

    /// The student's copy of a course notebook.
    pub fn student_copy(&self, course_notebook: &Path) -> PathBuf {
        self.student_dir
            .join(course_notebook.file_name().unwrap_or_default())
    }

    /// The course's notebooks (`lecture/`), sorted by name.
    pub fn notebooks(&self) -> Result<Vec<PathBuf>> {
        let dir = self.course_notebooks_dir();
        let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
            .collect();
        out.sort();
        Ok(out)
    }

    /// The stems of the course's notebooks (`01_perceptron_xor`, …), sorted.
    pub fn notebook_stems(&self) -> Result<Vec<String>> {
        Ok(self.notebooks()?.iter().map(|p| stem(p)).collect())
    }

    /// Finds a course notebook by file name, stem, number prefix (`02`) or the path of either
    /// copy (`notebooks/02_linear_classifier.ipynb`).
    pub fn find(&self, name: &str) -> Result<PathBuf> {
        let name = Path::new(name)
            .file_name()
            .map_or(name.to_string(), |n| n.to_string_lossy().into_owned());
        let name = name.as_str();
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

    /// Loads a course notebook, its solutions and the student's copy (which may be missing or
    /// broken: that is reported per exercise, never an error here).
    pub fn load(&self, notebook: &Path) -> Result<Lecture> {
        let notebook = Notebook::load(notebook)?;
        let solutions_path = self.solutions_dir().join(format!("{}.rs", notebook.stem()));
        let (solutions, time_limits, released) = match Release::read(&self.root)? {
            None => {
                let (solutions, limits) = load_solutions(&solutions_path)?;
                (solutions, limits, None)
            }
            Some(release) => {
                let Some(nb) = release.notebooks.get(&notebook.stem()) else {
                    bail!(
                        "{} is not in this release's {RELEASE_FILE}: `git checkout .` puts the release back",
                        notebook.path.display()
                    );
                };
                let cells = notebook
                    .exercises()
                    .into_iter()
                    .map(|(id, cell)| (id, cell.source.clone()))
                    .collect();
                (
                    nb.solutions(&cells),
                    nb.time_limits.clone(),
                    Some(nb.clone()),
                )
            }
        };
        let copy = self.student_copy(&notebook.path);
        let student = if copy.is_file() {
            Notebook::load(&copy).map_err(|e| format!("{e:#}"))
        } else {
            Err(format!(
                "{} does not exist: `./course.sh setup` copies the course's notebooks there",
                copy.display()
            ))
        };
        Ok(Lecture {
            notebook,
            student,
            solutions,
            solutions_path,
            time_limits,
            released,
        })
    }

    /// Answers besides the reference, by exercise (`course/solutions/answers.json`): right ones
    /// written differently and plausible wrong ones.
    pub fn other_answers(
        &self,
    ) -> Result<std::collections::BTreeMap<String, crate::solutions::OtherAnswers>> {
        crate::solutions::load_other_answers(&self.solutions_dir().join("answers.json"))
    }

    /// Whether this checkout is a student's release (`course/release.json`, no reference
    /// answers): then the instructor's commands are not here.
    pub fn is_release(&self) -> bool {
        self.root.join(RELEASE_FILE).is_file()
    }

    /// Fails with a clear message in a student's release, where `what` is not available.
    pub fn instructors_only(&self, what: &str) -> Result<()> {
        if self.is_release() {
            bail!("{what} is your instructor's: this is a student's release, without the reference answers");
        }
        Ok(())
    }

    /// Where the reference solutions are: `course/solutions/`.
    pub fn solutions_dir(&self) -> PathBuf {
        self.root.join("course/solutions")
    }

    /// Where programs run (their current folder): a scratch folder, never the course, so that a
    /// cell that writes or deletes files by relative path finds neither the notebooks nor the
    /// course (one per student folder when grading a class).
    pub fn work_dir(&self) -> PathBuf {
        match &self.class_dir {
            Some(class) => class
                .join("work")
                .join(self.student_dir.file_name().unwrap_or_default()),
            None => self.target_dir().join("grader/work"),
        }
    }

    /// The shared target folder of the workspace.
    pub fn target_dir(&self) -> PathBuf {
        self.root.join("target")
    }
}

fn names(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| stem(p)).collect::<Vec<_>>().join(", ")
}

/// A path's file stem as a string.
fn stem(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernels' build folders and the generated programs are cargo projects under
    /// `target/`; the workspace must leave them alone (a kernel died at start before this).
    #[test]
    fn cargo_projects_under_target_are_not_claimed_by_the_workspace() {
        let course = Course::here();
        let probe = course
            .target_dir()
            .join(format!("workspace-probe-{}", std::process::id()));
        std::fs::create_dir_all(probe.join("src")).unwrap();
        std::fs::write(
            probe.join("Cargo.toml"),
            "[package]\nname = \"probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
        )
        .unwrap();
        std::fs::write(probe.join("src/lib.rs"), "").unwrap();
        let out = std::process::Command::new(std::env::var("CARGO").unwrap_or("cargo".into()))
            .args([
                "metadata",
                "--no-deps",
                "--format-version",
                "1",
                "--manifest-path",
            ])
            .arg(probe.join("Cargo.toml"))
            .output()
            .unwrap();
        let _ = std::fs::remove_dir_all(&probe);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
