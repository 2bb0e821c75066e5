//! The mutants report: every mutant's outcome, keyed by a hash of what makes the mutants and
//! their checks (the notebooks, the solutions with their hidden checks, the answer lists, the
//! operators). It is committed, so that CI need not grade every mutant again: CI fails when the
//! key is stale, when the report holds a missed mutant, or when a sample graded again ends
//! otherwise.

use super::{Graded, Mutant, Outcome};
use crate::checksums::sha256_hex;
use crate::course::Course;
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Where the report is, from the repository root (with the solutions: a release holds none).
pub const REPORT_FILE: &str = "course/solutions/mutants.json";

/// The operators' source: a change to them makes other mutants.
const OPERATORS: &str = include_str!("operators.rs");

/// A report read back: its key, and each mutant's exercise, place, answer there and outcome.
#[derive(Debug, Clone)]
pub struct Report {
    pub key: String,
    pub entries: Vec<Entry>,
}

/// One mutant of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub exercise: String,
    pub place: usize,
    /// The edited answer (both, ` | `-joined, when two places were swapped).
    pub answer: String,
    pub outcome: Outcome,
}

impl Entry {
    /// The entry of a graded mutant.
    pub fn of(graded: &Graded) -> Entry {
        let m = &graded.mutant;
        Entry {
            exercise: m.exercise.clone(),
            place: m.place,
            answer: m.edited(),
            outcome: graded.outcome,
        }
    }

    /// Whether this entry is `mutant`.
    pub fn is(&self, mutant: &Mutant) -> bool {
        self.exercise == mutant.exercise
            && self.place == mutant.place
            && self.answer == mutant.edited()
    }
}

impl Report {
    /// The key of the course as it is now: a hash of its notebooks, its solutions files (hidden
    /// checks included), `answers.json` and the operators.
    pub fn current_key(course: &Course) -> Result<String> {
        let mut text = String::from(OPERATORS);
        let mut files = course.notebooks()?;
        let solutions = course.solutions_dir();
        for entry in std::fs::read_dir(&solutions)
            .with_context(|| format!("cannot list {}", solutions.display()))?
        {
            let path = entry?.path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if name.ends_with(".rs") || name == "answers.json" {
                files.push(path);
            }
        }
        files.sort();
        for file in files {
            let relative = file.strip_prefix(&course.root).unwrap_or(&file);
            text.push('\u{0}');
            text.push_str(&relative.to_string_lossy());
            text.push('\u{0}');
            text.push_str(&std::fs::read_to_string(&file)?);
        }
        Ok(sha256_hex(text.as_bytes()))
    }

    /// Writes the report of `graded` under `key`.
    pub fn write(course: &Course, key: &str, graded: &[Graded]) -> Result<()> {
        let mutants: Vec<Value> = graded
            .iter()
            .map(|g| {
                let m = &g.mutant;
                json!({
                    "exercise": m.exercise,
                    "place": m.place + 1,
                    "operator": m.operator,
                    "reference": m.replaced(),
                    "answer": m.edited(),
                    "outcome": g.outcome.name(),
                    "message": g.message,
                })
            })
            .collect();
        let report = json!({
            "_about": "Written by `./course.sh mutants`: every generated wrong answer and how its grading ended. CI checks the key, that none is missed, and a sample graded again.",
            "key": key,
            "mutants": mutants,
        });
        let text = serde_json::to_string_pretty(&report)? + "\n";
        std::fs::write(course.root.join(REPORT_FILE), text)?;
        Ok(())
    }

    /// Reads the committed report.
    pub fn read(course: &Course) -> Result<Report> {
        let path = course.root.join(REPORT_FILE);
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "cannot read {}: `./course.sh mutants` writes it",
                path.display()
            )
        })?;
        let json: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let mut entries = Vec::new();
        for m in json["mutants"].as_array().into_iter().flatten() {
            let (Some(exercise), Some(place), Some(answer), Some(outcome)) = (
                m["exercise"].as_str(),
                m["place"].as_u64(),
                m["answer"].as_str(),
                m["outcome"].as_str().and_then(Outcome::named),
            ) else {
                bail!(
                    "{}: a mutant without exercise, place, answer or outcome: {m}",
                    path.display()
                );
            };
            entries.push(Entry {
                exercise: exercise.to_string(),
                place: place.saturating_sub(1) as usize,
                answer: answer.to_string(),
                outcome,
            });
        }
        let key = json["key"].as_str().unwrap_or_default().to_string();
        Ok(Report { key, entries })
    }
}

/// The table of an instructor's run: per exercise, its mutants and their outcomes; then each
/// problem (a missed mutant, or an equivalent one that failed) with its edit.
pub fn summary(graded: &[Graded]) -> String {
    let mut by_exercise: BTreeMap<&str, Vec<&Graded>> = BTreeMap::new();
    for g in graded {
        by_exercise.entry(&g.mutant.exercise).or_default().push(g);
    }
    let mut out = String::from(
        "| exercise | mutants | caught | crashed | timeout | unviable | missed | equivalent |\n|---|---|---|---|---|---|---|---|\n",
    );
    let count = |gs: &[&Graded], o: Outcome| {
        gs.iter()
            .filter(|g| g.outcome == o && g.mutant.equivalent.is_none())
            .count()
    };
    let mut ids: Vec<&str> = by_exercise.keys().copied().collect();
    ids.sort_by_key(|id| {
        id.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0))
            .collect::<Vec<_>>()
    });
    for id in ids {
        let gs = &by_exercise[id];
        let equivalent = gs.iter().filter(|g| g.mutant.equivalent.is_some()).count();
        let _ = writeln!(
            out,
            "| {id} | {} | {} | {} | {} | {} | {} | {equivalent} |",
            gs.len(),
            count(gs, Outcome::Caught),
            count(gs, Outcome::Crashed),
            count(gs, Outcome::Timeout),
            count(gs, Outcome::Unviable),
            count(gs, Outcome::Missed),
        );
    }
    for g in graded.iter().filter(|g| g.is_problem()) {
        let what = match &g.mutant.equivalent {
            None => "MISSED (a wrong answer passed)".to_string(),
            Some(why) => format!("listed as equivalent ({why}) but {}", g.outcome.name()),
        };
        let _ = writeln!(out, "{what}: {}", g.mutant.describe());
    }
    out
}
