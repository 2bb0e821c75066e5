//! # The course machinery
//!
//! Everything around [`lectureutil`] that a student's notebook never compiles: reading the
//! notebooks, turning them into programs, grading the exercises, running the notebooks under the
//! real kernel, and the doctor. The `notebook`, `doctor` and `bench` binaries and the
//! `exercises` and `kernel` test harnesses are built on it.
//!
//! One notebook through grading, one file per step:
//!
//! | step | file |
//! |---|---|
//! | the course's notebooks and solutions on disk | `course.rs` |
//! | one `.ipynb` read and validated, its cells | `notebook.rs` |
//! | the blanks of an exercise, a cell's trailing expression | `lexer.rs` |
//! | the reference solutions (`course/solutions/<notebook>.rs`) | `solutions.rs` |
//! | a notebook with its solutions: exercises and their state | `lecture.rs` |
//! | the drift lint between notebook and solutions | `drift.rs` |
//! | grading one exercise, top-down: the steps below in order | `grade.rs` |
//! | what an exercise cell may not do | `guard.rs` |
//! | the cells chosen for a variant (locked cells from the course) | `variant.rs` |
//! | those cells as one Rust program | `program.rs` |
//! | building it | `compile.rs` |
//! | running it under a token and a time limit | `run.rs` |
//! | the sandbox it runs in: namespaces, seccomp, cgroup limits | `sandbox.rs`, `sandbox/` |
//! | one program per core at a time | `slots.rs` |
//! | the verdict, from what the grader saw | `verdict.rs` |
//! | every process started (cargo, programs, Jupyter) | `cmd.rs` |
//! | the whole notebook under the evcxr kernel | `kernel.rs` |
//! | the solved notebook in JupyterLab in Chromium | `browser.rs` |
//! | results of unchanged work, not redone | `cache.rs` |
//! | watch mode: grading on save, the progress bar | `watch.rs` |
//! | grading a class into a gradebook | `class/` |
//! | the student's release: no answers, each exercise with the student's own earlier cells | `release.rs`, `release/` |
//! | set-up checks, MNIST sums | `doctor.rs`, `checksums.rs` |

mod browser;
mod cache;
mod checksums;
mod cmd;
mod compile;
mod course;
mod drift;
mod files;
mod grade;
mod guard;
mod kernel;
mod lecture;
pub mod mutants;
mod notebook;
mod program;
pub mod release;
mod rerun;
mod restore;
mod run;
pub mod sandbox;
mod slots;
mod solutions;
mod syntax;
mod variant;
mod verdict;
mod watch;

pub mod class;
pub mod doctor;

pub use browser::{BrowserRun, BROWSER_ENV};
pub use cache::unchanged_note;
pub use compile::{Built, BUILD_MEMORY, BUILD_TIME_FLOOR, EDITION};
pub use course::{Course, BUILD_LIMIT_ENV, NOTEBOOKS_ENV};
pub use grade::Grade;
pub use kernel::{cell_outputs, CellOutputs, KernelRun};
pub use lecture::{ExerciseState, Lecture};
pub use notebook::{source_text_of, Cell, CellKind, Notebook};
pub use program::{ProgramCell, Script};
pub use restore::Restored;
pub use run::{ReferenceTimings, ScriptRun, Stop};
pub use solutions::{OtherAnswers, Solution};
pub use syntax::{find_blanks, split_trailing_expression, Blank};
pub use variant::Variant;
pub use verdict::Verdict;
pub use watch::{wrap, Progress, StoredGrades, WatchKey};
