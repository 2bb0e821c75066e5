//! Grading in a student's release: the course's locked cells around the student's own exercise
//! cells, in order, with the visible checks. An exercise waits while an earlier one it needs is
//! blank; an earlier exercise it does not need is left out while blank, with every cell that
//! uses what it binds; the other exercises' checks are left out, so that one failing check
//! never stops another exercise's run.

use super::ReleasedNotebook;
use crate::course::Course;
use crate::grade::Grade;
use crate::lecture::{ExerciseState, Lecture};
use crate::notebook::CellKind;
use crate::program::ProgramCell;
use anyhow::{anyhow, Result};
use std::collections::BTreeSet;

impl Lecture {
    /// Whether the student's exercise `id` can run: filled in, and not refused by the guard.
    fn usable(&self, id: &str) -> bool {
        self.state(id) == ExerciseState::Filled
            && self.student_cell(id).is_ok_and(|c| {
                self.refusal(id, &c.source).is_none() && self.unreadable(&c.source).is_none()
            })
    }

    /// In a release: why exercise `id` cannot be graded yet (an earlier exercise it needs is
    /// blank, missing or refused), if it cannot.
    pub fn waiting_for(&self, id: &str) -> Option<String> {
        let released = self.released.as_ref()?;
        for (earlier, names) in released.needs(id) {
            if self.usable(earlier) {
                continue;
            }
            let what = match names.as_slice() {
                [] => "what it defines".to_string(),
                names => format!("its `{}`", names.join("`, `")),
            };
            let first = match self.state(earlier) {
                ExerciseState::Filled => "fix",
                _ => "fill in",
            };
            return Some(format!(
                "{first} exercise {earlier} first: this exercise uses {what}"
            ));
        }
        None
    }

    /// The cells of a release's run of `graded` (one exercise, or several at once): code cells
    /// up to the last of their checks, the student's exercise cells where they can run.
    pub(crate) fn own_cells(
        &self,
        released: &ReleasedNotebook,
        graded: &[String],
    ) -> Result<Vec<ProgramCell>> {
        let last = graded
            .iter()
            .filter_map(|id| self.notebook.check_cell(id).map(|c| c.number))
            .max()
            .ok_or_else(|| anyhow!("{}: nothing to grade", self.name()))?;
        let mut left_out: BTreeSet<usize> = BTreeSet::new();
        for id in self.exercise_ids() {
            if !self.usable(&id) {
                left_out.extend(released.deps.reaches.get(&id).into_iter().flatten());
            }
        }
        let mut out = Vec::new();
        for cell in &self.notebook.cells {
            if cell.kind != CellKind::Code || cell.number > last || left_out.contains(&cell.number)
            {
                continue;
            }
            let check_of = cell.check_id().map(str::to_string);
            if let Some(id) = &check_of {
                if !graded.contains(id) {
                    continue;
                }
            }
            let (number, code) = match cell.exercise_id() {
                Some(id) if !self.usable(id) => continue,
                Some(id) => {
                    let theirs = self.student_cell(id).map_err(|why| anyhow!(why))?;
                    (theirs.number, theirs.source.clone())
                }
                None => (cell.number, cell.source.clone()),
            };
            out.push(ProgramCell {
                number,
                code,
                check_of,
                hidden_from: None,
            });
        }
        Ok(out)
    }

    /// In a release: the exercises that can be graded together in one run (filled in, not
    /// refused, waiting for nothing).
    pub(crate) fn gradable_in_release(&self) -> Vec<String> {
        self.exercise_ids()
            .into_iter()
            .filter(|id| self.usable(id) && self.waiting_for(id).is_none())
            .collect()
    }
}

impl Course {
    /// In a release, for a failing exercise `id`: the earlier answers of the student's it uses
    /// whose own checks fail, one line each ("this exercise uses your `loss_of` from exercise
    /// 3.2, whose check fails"). Empty in the instructor's repository, where the other
    /// exercises run with the reference answers.
    pub fn earlier_failures(&self, lecture: &Lecture, id: &str) -> Vec<String> {
        let Some(released) = &lecture.released else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (earlier, names) in released.needs(id) {
            let failing = matches!(
                self.grade(lecture, earlier),
                Ok(Grade::Graded(verdict, _)) if !verdict.passed()
            );
            if failing {
                let names = match names.as_slice() {
                    [] => "what you wrote".to_string(),
                    names => format!("your `{}`", names.join("`, `")),
                };
                out.push(format!(
                    "this exercise uses {names} from exercise {earlier}, whose check fails: mend that one first"
                ));
            }
        }
        out
    }
}
