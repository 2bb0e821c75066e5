//! Grading one exercise of a student's notebook, top-down: the student's exercise cell → the
//! guard → the course's cells around it ([`Variant::StudentExercise`]) → the program → build →
//! run → the verdict.
//!
//! To save builds and runs, a notebook's filled-in answers are first run together, once
//! ([`Variant::StudentAll`]): an exercise whose check returned `Ok` there has passed. Any other
//! exercise is then graded on its own, so that one wrong answer never decides another's
//! verdict, and every failure is attributed to its own cell.

use crate::course::Course;
use crate::lecture::{ExerciseState, Lecture};
use crate::run::ScriptRun;
use crate::variant::Variant;
use crate::verdict::Verdict;
use anyhow::Result;

/// The grade of one exercise.
#[derive(Debug, Clone)]
pub enum Grade {
    /// Blanks are left in the cell: where (or, in a release, the earlier exercise it waits for).
    Blank(String),
    /// Graded: the verdict, and the run when there was one.
    Graded(Verdict, Option<Box<ScriptRun>>),
}

impl Course {
    /// Runs every filled-in answer of `lecture` that the guard lets through at once, when
    /// there are two or more of them.
    pub fn combined_run(&self, lecture: &Lecture) -> Result<Option<ScriptRun>> {
        let ids = combinable(lecture);
        if ids.len() < 2 {
            return Ok(None);
        }
        Ok(Some(self.run(lecture, &Variant::StudentAll(ids))?))
    }

    /// The grade of exercise `id` from stored results only (nothing is built or run): `None`
    /// when the answer as it is now has not been graded yet.
    pub fn stored_grade(&self, lecture: &Lecture, id: &str) -> Result<Option<Grade>> {
        if lecture.state(id) != ExerciseState::Filled {
            return self.grade(lecture, id).map(Some);
        }
        let cell = lecture.student_cell(id).expect("filled, so present");
        if let Some(why) = lecture.refusal(id, &cell.source) {
            return Ok(Some(Grade::Graded(Verdict::Refused(why), None)));
        }
        if let Some(why) = lecture.waiting_for(id) {
            return Ok(Some(Grade::Blank(why)));
        }
        let ids = combinable(lecture);
        if ids.len() >= 2 {
            if let Some(run) = self.stored_run(lecture, &Variant::StudentAll(ids))? {
                if Verdict::of(&run, id).passed() {
                    return Ok(Some(Grade::Graded(Verdict::Passed, Some(Box::new(run)))));
                }
            }
        }
        let run = self.stored_run(lecture, &Variant::StudentExercise(id.to_string()))?;
        Ok(run.map(|run| graded(lecture, id, &cell.source, run)))
    }

    /// Grades exercise `id`: passed if its check returned `Ok` in `combined` (a
    /// [`Course::combined_run`]), else on its own.
    pub fn grade_with(
        &self,
        lecture: &Lecture,
        id: &str,
        combined: Option<&ScriptRun>,
    ) -> Result<Grade> {
        if let Some(run) = combined {
            let filled = lecture.state(id) == ExerciseState::Filled;
            if filled && Verdict::of(run, id).passed() {
                return Ok(Grade::Graded(Verdict::Passed, Some(Box::new(run.clone()))));
            }
        }
        self.grade(lecture, id)
    }

    /// Grades exercise `id` of the student's copy of `lecture`, on its own.
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
                if let Some(why) = lecture.refusal(id, &cell.source) {
                    return Ok(Grade::Graded(Verdict::Refused(why), None));
                }
                if let Some(why) = lecture.waiting_for(id) {
                    return Ok(Grade::Blank(why));
                }
                let run = self.run(lecture, &Variant::StudentExercise(id.to_string()))?;
                Ok(graded(lecture, id, &cell.source, run))
            }
        }
    }
}

/// The grade of exercise `id` from its own run. A cell the guard could not read but the
/// compiler built is refused: the guard could not check it.
fn graded(lecture: &Lecture, id: &str, src: &str, run: ScriptRun) -> Grade {
    let verdict = match lecture.unreadable(src) {
        Some(why) if run.compiled => Verdict::Refused(why),
        _ => Verdict::of(&run, id),
    };
    Grade::Graded(verdict, Some(Box::new(run)))
}

/// The filled-in answers that the guard lets through and that keep to themselves: what a
/// combined run runs together.
fn combinable(lecture: &Lecture) -> Vec<String> {
    if lecture.released.is_some() {
        return lecture.gradable_in_release();
    }
    lecture
        .exercise_ids()
        .into_iter()
        .filter(|id| lecture.state(id) == ExerciseState::Filled)
        .filter(|id| {
            lecture.student_cell(id).is_ok_and(|c| {
                lecture.refusal(id, &c.source).is_none()
                    && lecture.unreadable(&c.source).is_none()
                    && lecture.keeps_to_itself(id, &c.source)
            })
        })
        .collect()
}
