//! Which cells a run takes: the reference answers, the student's, or one exercise's answer with
//! the reference answers around it, up to its check cell.

use crate::course::Course;
use crate::lecture::Lecture;
use crate::notebook::CellKind;
use crate::program::{ProgramCell, Script};
use crate::rerun::expand_reruns;
use anyhow::{anyhow, bail, Result};

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
    /// The student's cells for these exercises at once, reference solutions for the others, up
    /// to the last of their check cells: one run that can pass several exercises.
    StudentAll(Vec<String>),
}

impl Variant {
    /// Whether the variant runs a student's cells.
    pub(crate) fn is_students(&self) -> bool {
        matches!(
            self,
            Variant::Student | Variant::StudentExercise(_) | Variant::StudentAll(_)
        )
    }

    pub(crate) fn label(&self) -> String {
        let clean = |id: &str| id.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        match self {
            Variant::Reference => "reference".into(),
            Variant::Student => "student".into(),
            Variant::StudentExercise(id) => format!("student_ex{}", clean(id)),
            Variant::BlankExercise(id) => format!("blank_ex{}", clean(id)),
            Variant::StudentAll(_) => "student_all".into(),
        }
    }
}

impl Course {
    /// The name of `variant`'s program, log and figure folder. A student's variant of another
    /// folder than `notebooks/` adds that folder's name, so that two folders never share a
    /// program; the course's own variants (reference, blank) are the same for every folder. In a
    /// class, a student's program is named by a hash of its source.
    pub fn program_name(&self, lecture: &Lecture, variant: &Variant) -> String {
        if self.class_dir.is_some() && variant.is_students() {
            // In a class a program is named by its content: students with the same answer share
            // it, and no student's name shows in another one's compiler messages.
            let source = lecture
                .script(variant)
                .map(|s| s.source)
                .unwrap_or_default();
            let hash = crate::checksums::sha256_hex(source.as_bytes());
            return format!(
                "nb{}_{}_{}",
                lecture.notebook.stem().replace('-', "_"),
                variant.label(),
                &hash[..12]
            );
        }
        // A release's programs run other cells than the instructor's of the same name.
        let own = if lecture.released.is_some() {
            "own_"
        } else {
            ""
        };
        format!(
            "nb{}_{own}{}",
            lecture.notebook.stem().replace('-', "_"),
            self.variant_label(variant)
        )
    }

    pub(crate) fn variant_label(&self, variant: &Variant) -> String {
        let label = variant.label();
        if !variant.is_students() || self.student_dir == self.root.join("notebooks") {
            return label;
        }
        let folder = self
            .student_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{label}_{}", clean_label(&folder))
    }
}

/// `text` with every character but ASCII letters and digits replaced by `_`.
pub(crate) fn clean_label(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

impl Lecture {
    /// The code cells of `variant`, in the course's order. Every cell but an exercise cell is
    /// the course's own; an exercise cell is the reference answer, the shipped blank, or the
    /// student's cell (found by its header wherever it sits in their copy).
    pub fn cells(&self, variant: &Variant) -> Result<Vec<ProgramCell>> {
        if let Some(released) = &self.released {
            match variant {
                Variant::StudentExercise(id) => {
                    return self.own_cells(released, std::slice::from_ref(id))
                }
                Variant::StudentAll(ids) => return self.own_cells(released, ids),
                Variant::Reference | Variant::BlankExercise(_) => {
                    bail!("a student's release has no reference answers to run")
                }
                Variant::Student => {}
            }
        }
        let last = match variant {
            Variant::StudentExercise(id) | Variant::BlankExercise(id) => Some(
                self.notebook
                    .check_cell(id)
                    .ok_or_else(|| anyhow!("{}: exercise {id} has no check cell", self.name()))?
                    .number,
            ),
            Variant::StudentAll(ids) => ids
                .iter()
                .filter_map(|id| self.notebook.check_cell(id).map(|c| c.number))
                .max(),
            _ => None,
        };
        let mut out = Vec::new();
        // Each exercise's cell as this variant runs it, for the hidden checks that rerun it.
        let mut exercise_code = std::collections::HashMap::new();
        for cell in &self.notebook.cells {
            if cell.kind != CellKind::Code || last.is_some_and(|l| cell.number > l) {
                continue;
            }
            let theirs = |id: &str| -> Result<(usize, String)> {
                let c = self.student_cell(id).map_err(|why| anyhow!(why))?;
                Ok((c.number, c.source.clone()))
            };
            let (number, code) = match (cell.exercise_id(), variant) {
                (None, _) => (cell.number, cell.source.clone()),
                (Some(id), Variant::Student) => theirs(id)?,
                (Some(id), Variant::StudentExercise(target)) if id == target => theirs(id)?,
                (Some(id), Variant::StudentAll(ids)) if ids.iter().any(|i| i == id) => theirs(id)?,
                (Some(id), Variant::BlankExercise(target)) if id == target => {
                    (cell.number, self.solution(id)?.template())
                }
                (Some(id), _) => (cell.number, self.solution(id)?.solved()),
            };
            if let Some(id) = cell.exercise_id() {
                exercise_code.insert(id.to_string(), code.clone());
            }
            let check_of = cell.check_id().map(str::to_string);
            // The course's hidden checks run right after the visible check, in every variant
            // but the student's whole notebook run (which is never graded). In the run of all
            // answers together too: a check there that returns passes its exercise.
            let hidden = match (&check_of, variant) {
                (
                    Some(id),
                    Variant::Reference
                    | Variant::BlankExercise(_)
                    | Variant::StudentExercise(_)
                    | Variant::StudentAll(_),
                ) => self
                    .solutions
                    .get(id)
                    .and_then(|s| s.hidden_check.as_deref())
                    .map(|h| {
                        let cell = exercise_code.get(id).map_or("", String::as_str);
                        expand_reruns(h, id, cell)
                    }),
                _ => None,
            };
            let hidden_from = hidden.as_ref().map(|_| code.lines().count() + 1);
            let code = match hidden {
                Some(extra) => format!("{code}\n{extra}"),
                None => code,
            };
            out.push(ProgramCell {
                number,
                code,
                check_of,
                hidden_from,
            });
        }
        Ok(out)
    }

    /// The notebook-equivalent program of `variant`.
    pub fn script(&self, variant: &Variant) -> Result<Script> {
        Ok(Script::assemble(&self.name(), &self.cells(variant)?))
    }
}
