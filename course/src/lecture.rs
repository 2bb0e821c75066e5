//! A notebook as the course ships it, with its reference solutions and the student's copy: its
//! exercises, whether the student filled them in, and which locked cells the student changed.

use crate::notebook::{Cell, CellKind, Notebook};
use crate::solutions::{normalized, Solution};
use crate::syntax::{find_blanks, Blank};
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
    /// The student's copy has no such exercise cell (or no copy reads): why, and what to do.
    Missing(String),
}

/// A notebook with its reference solutions and the student's copy.
#[derive(Debug, Clone)]
pub struct Lecture {
    /// The notebook as the course ships it (`lecture/`): every cell but the exercise
    /// cells is graded as it is here.
    pub notebook: Notebook,
    /// The student's copy (`notebooks/`), or why there is none that reads.
    pub student: std::result::Result<Notebook, String>,
    /// Its exercises solved, from `course/solutions/<stem>.rs`.
    pub solutions: BTreeMap<String, Solution>,
    /// Where the solutions were read from.
    pub solutions_path: PathBuf,
    /// Time limits in seconds that the solutions file sets for some exercises.
    pub time_limits: BTreeMap<String, u64>,
    /// In a student's release (no reference answers): which exercise needs which, and the
    /// reference timings measured when it was made. Each exercise then runs with the student's
    /// own earlier answers.
    pub released: Option<crate::release::ReleasedNotebook>,
}

impl Lecture {
    /// Short name for messages: `notebooks/02_linear_classifier.ipynb`, the student's file.
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

    /// The course's exercise cell `id`.
    pub(crate) fn exercise_cell(&self, id: &str) -> Result<&Cell> {
        self.notebook
            .cells
            .iter()
            .find(|c| c.exercise_id() == Some(id))
            .ok_or_else(|| anyhow!("{}: no exercise cell `// Exercise {id}:`", self.name()))
    }

    /// The student's exercise cell `id`, found by its `// Exercise <id>:` header wherever it
    /// moved; `Err` says why there is none and what to do.
    pub fn student_cell(&self, id: &str) -> std::result::Result<&Cell, String> {
        let student = self.student.as_ref().map_err(Clone::clone)?;
        student
            .cells
            .iter()
            .find(|c| c.exercise_id() == Some(id))
            .ok_or_else(|| {
                format!(
                    "{} has no cell that starts with `// Exercise {id}:`; `./course.sh restore {}` puts the course's cells back and keeps your answers",
                    self.name(),
                    self.notebook.stem()
                )
            })
    }

    /// Whether the student's copy of exercise `id` is blank, filled in, or missing.
    pub fn state(&self, id: &str) -> ExerciseState {
        match self.student_cell(id) {
            Err(why) => ExerciseState::Missing(why),
            Ok(cell) => {
                let blanks = find_blanks(&cell.source);
                if blanks.is_empty() {
                    ExerciseState::Filled
                } else {
                    ExerciseState::Blank(blanks)
                }
            }
        }
    }

    /// The cell number of exercise `id` for messages: in the student's copy when it has the
    /// cell, else in the course's.
    pub fn exercise_cell_number(&self, id: &str) -> Result<usize> {
        match self.student_cell(id) {
            Ok(cell) => Ok(cell.number),
            Err(_) => Ok(self.exercise_cell(id)?.number),
        }
    }

    /// The locked cells (every cell but an exercise cell) that differ between the course's
    /// notebook and the student's copy, one line each: changed or deleted (by the course's
    /// number), added (by the student's number), or moved. They are graded as the course
    /// shipped them whatever the copy says.
    pub fn changed_locked_cells(&self) -> Vec<String> {
        let Ok(student) = &self.student else {
            return Vec::new();
        };
        let locked = |nb: &Notebook| -> Vec<(usize, String)> {
            nb.cells
                .iter()
                .filter(|c| c.exercise_id().is_none())
                .filter(|c| c.kind == CellKind::Code || !c.source.trim().is_empty())
                .map(|c| (c.number, normalized(&c.source)))
                .collect()
        };
        let (course, theirs) = (locked(&self.notebook), locked(student));
        let mut used = vec![false; theirs.len()];
        let mut matched_at = Vec::new();
        let mut lost = Vec::new();
        for (number, text) in &course {
            match (0..theirs.len()).find(|&k| !used[k] && &theirs[k].1 == text) {
                Some(k) => {
                    used[k] = true;
                    matched_at.push(k);
                }
                None => lost.push(*number),
            }
        }
        let extra: Vec<usize> = (0..theirs.len())
            .filter(|&k| !used[k])
            .map(|k| theirs[k].0)
            .collect();
        let mut out = Vec::new();
        for number in &lost {
            if extra.contains(number) {
                out.push(format!("cell {number} was changed"));
            } else {
                out.push(format!(
                    "cell {number} of the course's notebook was deleted or changed"
                ));
            }
        }
        for number in extra.iter().filter(|n| !lost.contains(n)) {
            out.push(format!(
                "your cell {number} is not one of the course's cells"
            ));
        }
        if matched_at.windows(2).any(|w| w[0] > w[1]) {
            out.push("some of the course's cells were moved".to_string());
        }
        out
    }
}
