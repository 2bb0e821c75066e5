//! Which cells a run takes: the reference answers, the student's, or one exercise's answer with
//! the reference answers around it, up to its check cell.

use crate::lecture::Lecture;
use crate::notebook::CellKind;
use crate::program::Script;
use anyhow::{anyhow, Result};

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
    pub(crate) fn label(&self) -> String {
        let clean = |id: &str| id.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        match self {
            Variant::Reference => "reference".into(),
            Variant::Student => "student".into(),
            Variant::StudentExercise(id) => format!("student_ex{}", clean(id)),
            Variant::BlankExercise(id) => format!("blank_ex{}", clean(id)),
        }
    }
}

impl Lecture {
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
