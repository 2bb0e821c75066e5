//! Grading one exercise of a student's notebook, top-down: the student's exercise cell → the
//! guard → the course's cells around it ([`Variant::StudentExercise`]) → the program → build →
//! run → the verdict.

use crate::course::Course;
use crate::guard::refusal;
use crate::lecture::{ExerciseState, Lecture};
use crate::run::ScriptRun;
use crate::variant::Variant;
use crate::verdict::Verdict;
use anyhow::Result;

/// The grade of one exercise.
#[derive(Debug, Clone)]
pub enum Grade {
    /// Blanks are left in the cell: where.
    Blank(String),
    /// Graded: the verdict, and the run when there was one.
    Graded(Verdict, Option<Box<ScriptRun>>),
}

impl Course {
    /// Grades exercise `id` of the student's copy of `lecture`.
    pub fn grade(&self, lecture: &Lecture, id: &str) -> Result<Grade> {
        match lecture.state(id) {
            ExerciseState::Blank(blanks) => {
                let first = blanks[0];
                Ok(Grade::Blank(format!(
                    "{} blank(s) left, first at line {} column {}",
                    blanks.len(),
                    first.line,
                    first.column
                )))
            }
            ExerciseState::Missing(why) => Ok(Grade::Graded(Verdict::Refused(why), None)),
            ExerciseState::Filled => {
                let cell = lecture.student_cell(id).expect("filled, so present");
                if let Some(why) = refusal(&cell.source) {
                    return Ok(Grade::Graded(Verdict::Refused(why), None));
                }
                let run = self.run(lecture, &Variant::StudentExercise(id.to_string()))?;
                Ok(Grade::Graded(Verdict::of(&run, id), Some(Box::new(run))))
            }
        }
    }
}
