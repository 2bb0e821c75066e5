//! Watch mode: the student's notebooks are polled, and each save grades the exercises whose
//! cells changed, with a progress bar after each verdict.
//!
//! Only the student's copies of the course's notebooks are read, so an editor's temporary and
//! backup files are never looked at; a copy that is not valid JSON (half-written while saved) is
//! read again when it changes next. Nothing is ever written into the student's folder.

use crate::course::Course;
use crate::grade::Grade;
use crate::lecture::{ExerciseState, Lecture};
use crate::verdict::Verdict;
use anyhow::Result;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, SystemTime};

/// How often the notebooks are looked at.
const POLL: Duration = Duration::from_millis(200);

/// A notebook's exercise ids with their grades from stored results (`None`: not graded yet).
pub type StoredGrades = Vec<(String, Option<Grade>)>;

/// A key the student pressed while watching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchKey {
    /// Show the hint of the exercise graded last.
    Hint,
    /// Stop watching.
    Quit,
}

/// A progress count over all exercises, from stored results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Passed.
    pub done: usize,
    /// Graded and not passed.
    pub failing: usize,
    /// Filled in, not graded yet.
    pub ungraded: usize,
    /// Blanks left.
    pub blank: usize,
}

impl Progress {
    /// All exercises.
    pub fn total(&self) -> usize {
        self.done + self.failing + self.ungraded + self.blank
    }

    /// `[#####.....] 5 of 22 exercises done (1 failing, 0 not graded yet, 16 blank)`.
    pub fn bar(&self) -> String {
        const WIDTH: usize = 30;
        let filled = (self.done * WIDTH).checked_div(self.total()).unwrap_or(0);
        format!(
            "[{}{}] {} of {} exercises done ({} failing, {} not graded yet, {} blank)",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            self.done,
            self.total(),
            self.failing,
            self.ungraded,
            self.blank
        )
    }

    /// Counts `grade` (a [`Course::stored_grade`]) in.
    pub fn count(&mut self, grade: &Option<Grade>) {
        match grade {
            Some(Grade::Graded(Verdict::Passed, _)) => self.done += 1,
            Some(Grade::Graded(..)) => self.failing += 1,
            Some(Grade::Blank(_)) => self.blank += 1,
            None => self.ungraded += 1,
        }
    }
}

impl Course {
    /// Every exercise's grade from stored results (nothing is run), notebook by notebook:
    /// `None` where the answer as it is now has not been graded yet.
    pub fn stored_grades(&self) -> Result<Vec<(Lecture, StoredGrades)>> {
        let mut out = Vec::new();
        for path in self.notebooks()? {
            let lecture = self.load(&path)?;
            let grades = lecture
                .exercise_ids()
                .into_iter()
                .map(|id| Ok((id.clone(), self.stored_grade(&lecture, &id)?)))
                .collect::<Result<Vec<_>>>()?;
            out.push((lecture, grades));
        }
        Ok(out)
    }

    /// The progress over every notebook, from stored results (nothing is run).
    pub fn progress(&self) -> Result<Progress> {
        let mut progress = Progress::default();
        for (_, grades) in self.stored_grades()? {
            for (_, grade) in &grades {
                progress.count(grade);
            }
        }
        Ok(progress)
    }

    /// Watches the student's notebooks until [`WatchKey::Quit`] arrives (or `keys` closes):
    /// grades every exercise whose cell changed with each save and writes what a student reads
    /// to `out`.
    pub fn watch(&self, out: &mut dyn Write, keys: &Receiver<WatchKey>) -> Result<()> {
        let mut seen: BTreeMap<PathBuf, Option<(SystemTime, u64)>> = BTreeMap::new();
        // Each exercise's cell as last graded (or as found at the start).
        let mut graded: BTreeMap<String, String> = BTreeMap::new();
        for path in self.notebooks()? {
            let copy = self.student_copy(&path);
            seen.insert(copy.clone(), stamp(&copy));
            if let Ok(lecture) = self.load(&path) {
                remember_cells(&lecture, &mut graded);
            }
        }
        // Said only now: a save from here on is graded (the copies were read above).
        writeln!(
            out,
            "watching {} (save a notebook and the exercises you changed are graded; h: hint, q: quit)",
            self.student_dir.display()
        )?;
        writeln!(out, "{}", self.progress()?.bar())?;
        let mut last: Option<String> = None;
        loop {
            match keys.recv_timeout(POLL) {
                Ok(WatchKey::Quit) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
                Ok(WatchKey::Hint) => {
                    self.write_hint(out, last.as_deref())?;
                    continue;
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            for path in self.notebooks()? {
                let copy = self.student_copy(&path);
                let now = stamp(&copy);
                if seen.get(&copy) == Some(&now) {
                    continue;
                }
                seen.insert(copy.clone(), now);
                let name = copy.file_name().unwrap_or_default().to_string_lossy();
                let text = std::fs::read_to_string(&copy).unwrap_or_default();
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    writeln!(out, "{name}: not a whole notebook yet (still being saved?); waiting for the next save")?;
                    continue;
                }
                let lecture = self.load(&path)?;
                let changed: Vec<String> = lecture
                    .exercise_ids()
                    .into_iter()
                    .filter(|id| {
                        let now = lecture.student_cell(id).map(|c| c.source.clone()).ok();
                        now.as_ref() != graded.get(id)
                    })
                    .collect();
                remember_cells(&lecture, &mut graded);
                for id in changed {
                    last = Some(id.clone());
                    self.write_verdict(out, &lecture, &id)?;
                }
                for change in lecture.changed_locked_cells() {
                    writeln!(
                        out,
                        "  note: {name}: {change} (graded as the course shipped it)"
                    )?;
                }
                writeln!(out, "{}", self.progress()?.bar())?;
            }
        }
    }

    fn write_verdict(&self, out: &mut dyn Write, lecture: &Lecture, id: &str) -> Result<()> {
        let cell = lecture.exercise_cell_number(id)?;
        let where_ = format!("exercise {id} (cell {cell})");
        match lecture.state(id) {
            ExerciseState::Blank(b) => {
                return Ok(writeln!(out, "      {where_}: {} blank(s) left", b.len())?)
            }
            ExerciseState::Missing(why) => return Ok(writeln!(out, "FAIL  {where_}: {why}")?),
            ExerciseState::Filled => {}
        }
        writeln!(out, "      {where_}: grading …")?;
        out.flush()?;
        let started = std::time::Instant::now();
        let grade = self.grade(lecture, id)?;
        let seconds = started.elapsed().as_secs_f64();
        match grade {
            Grade::Graded(Verdict::Passed, _) => {
                writeln!(out, "PASS  {where_} ({seconds:.1} s)")?;
            }
            Grade::Graded(verdict, run) => {
                let message = verdict.message(&format!("{}, exercise {id}", lecture.name()), cell);
                writeln!(out, "FAIL  {where_} ({seconds:.1} s)")?;
                for line in message.lines().take(20) {
                    writeln!(out, "      {line}")?;
                }
                for line in self.earlier_failures(lecture, id) {
                    writeln!(out, "      {line}")?;
                }
                if let Some(run) = run {
                    writeln!(out, "      full output: {}", run.log.display())?;
                }
                writeln!(out, "      press h for a hint")?;
            }
            Grade::Blank(why) => writeln!(out, "      {where_}: {why}")?,
        }
        Ok(())
    }

    fn write_hint(&self, out: &mut dyn Write, id: Option<&str>) -> Result<()> {
        let Some(id) = id else {
            return Ok(writeln!(
                out,
                "no exercise graded yet: save one first (or `notebook hint ID`)"
            )?);
        };
        for path in self.notebooks()? {
            let lecture = self.load(&path)?;
            if let Some(hint) = lecture.solutions.get(id).and_then(|s| s.hint.as_deref()) {
                writeln!(out, "hint for exercise {id}:")?;
                for line in wrap(hint, 94).lines() {
                    writeln!(out, "  {line}")?;
                }
                return Ok(());
            }
        }
        Ok(writeln!(out, "exercise {id} has no hint")?)
    }
}

/// What tells a file's change: its modification time and size (`None` while it is missing).
fn stamp(path: &std::path::Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

fn remember_cells(lecture: &Lecture, graded: &mut BTreeMap<String, String>) {
    for id in lecture.exercise_ids() {
        match lecture.student_cell(&id) {
            Ok(cell) => graded.insert(id, cell.source.clone()),
            Err(_) => graded.remove(&id),
        };
    }
}

/// Paragraphs of `text` broken into lines of at most `width` characters (words kept whole).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
        out.push(String::new());
    }
    out.pop();
    out.join("\n")
}
