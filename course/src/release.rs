//! The student's release (nbgrader's `generate_assignment`): a repository of its own with the
//! notebooks, the crates and the student's tools, and no reference answer, hidden check or
//! answer list. There each exercise is graded in the student's own notebook: the course's
//! locked cells around the student's own exercise cells, in order, with the visible checks.
//! Grading stays the instructor's, in this repository.

mod deps;
mod grading;
mod info;
mod make;

pub use deps::Dependencies;
pub use info::{Release, ReleasedExercise, ReleasedNotebook, RELEASE_FILE};
pub use make::{leaks, secrets, ReleaseMade};
