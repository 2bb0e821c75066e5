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
//! | the cells chosen for a variant | `variant.rs` |
//! | those cells as one Rust program | `program.rs` |
//! | building it | `compile.rs` |
//! | running it | `run.rs` |
//! | every process started (cargo, programs, Jupyter) | `cmd.rs` |
//! | the whole notebook under the evcxr kernel | `kernel.rs` |
//! | set-up checks, MNIST sums | `doctor.rs`, `checksums.rs` |

mod checksums;
mod cmd;
mod compile;
mod course;
mod drift;
mod files;
mod kernel;
mod lecture;
mod lexer;
mod notebook;
mod program;
mod run;
mod solutions;
mod variant;

pub mod doctor;

pub use compile::EDITION;
pub use course::Course;
pub use kernel::{CellOutputs, KernelRun};
pub use lecture::{ExerciseState, Lecture};
pub use lexer::{find_blanks, split_trailing_expression, Blank};
pub use notebook::{Cell, CellKind, Notebook};
pub use program::Script;
pub use run::ScriptRun;
pub use solutions::Solution;
pub use variant::Variant;
