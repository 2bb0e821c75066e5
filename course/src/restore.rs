//! `notebook restore NN`: puts the course's cells back into the student's copy and keeps the
//! student's answers, the one write into `notebooks/`, made only when the student asks.

use crate::course::Course;
use crate::files::write_if_changed;
use crate::lecture::Lecture;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The student's copy, rewritten.
    pub path: PathBuf,
    /// The copy as it was before, kept under `target/notebooks/backup/`, if there was one.
    pub backup: Option<PathBuf>,
    /// The exercises whose answers were carried over.
    pub kept: Vec<String>,
}

impl Course {
    /// Rewrites the student's copy of `lecture` as the course's notebook with the student's
    /// exercise cells (found by their headers) in place of the blank ones. The old copy is saved
    /// first; outputs are dropped.
    pub fn restore(&self, lecture: &Lecture) -> Result<Restored> {
        let path = self.student_copy(&lecture.notebook.path);
        let mut backup = None;
        if path.is_file() {
            let stamp = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let saved = self
                .target_dir()
                .join("notebooks/backup")
                .join(format!("{}-{stamp}.ipynb", lecture.notebook.stem()));
            std::fs::create_dir_all(saved.parent().expect("a folder"))?;
            std::fs::copy(&path, &saved)
                .with_context(|| format!("cannot back up {}", path.display()))?;
            backup = Some(saved);
        }
        let mut answers = BTreeMap::new();
        let mut kept = Vec::new();
        for cell in &lecture.notebook.cells {
            if let Some(id) = cell.exercise_id() {
                if let Ok(theirs) = lecture.student_cell(id) {
                    answers.insert(cell.number, theirs.source.clone());
                    kept.push(id.to_string());
                }
            }
        }
        let json = lecture.notebook.with_sources(&answers);
        write_if_changed(&path, &(serde_json::to_string_pretty(&json)? + "\n"))?;
        Ok(Restored { path, backup, kept })
    }
}
