//! A notebook with its reference solutions: its exercises, and whether a student filled them in.

use crate::lexer::{find_blanks, Blank};
use crate::notebook::{Cell, Notebook};
use crate::solutions::Solution;
use anyhow::{anyhow, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;

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
    /// Its exercises solved, from `course/solutions/<stem>.rs`.
    pub solutions: BTreeMap<String, Solution>,
    /// Where the solutions were read from.
    pub solutions_path: PathBuf,
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

    pub(crate) fn exercise_cell(&self, id: &str) -> Result<&Cell> {
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
}
