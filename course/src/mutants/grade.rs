//! Grading one mutant the ordinary way: the student's notebook with the mutant in its exercise
//! cell, in a folder of its own, graded as `cargo test` grades a student.

use super::Mutant;
use crate::course::Course;
use crate::grade::Grade;
use crate::verdict::Verdict;
use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::path::Path;

/// How a mutant's grading ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Its check failed.
    Caught,
    /// It passed: the check lets this wrong answer through (or, listed as equivalent, it is
    /// right).
    Missed,
    /// Refused by the guard, or it does not compile: no student could hand it in as it is.
    Unviable,
    /// Stopped at the time limit.
    Timeout,
    /// An error, a panic or a limit stopped it before its check ended.
    Crashed,
}

impl Outcome {
    /// Every outcome, in the report's order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Caught,
        Outcome::Crashed,
        Outcome::Timeout,
        Outcome::Unviable,
        Outcome::Missed,
    ];

    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Caught => "caught",
            Outcome::Missed => "missed",
            Outcome::Unviable => "unviable",
            Outcome::Timeout => "timeout",
            Outcome::Crashed => "crashed",
        }
    }

    /// The outcome of that name.
    pub fn named(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == name)
    }

    fn of(verdict: &Verdict) -> Outcome {
        match verdict {
            Verdict::Passed => Outcome::Missed,
            Verdict::Refused(_) | Verdict::DidNotCompile(_) => Outcome::Unviable,
            Verdict::CheckFailed(_) => Outcome::Caught,
            Verdict::TimedOut(_) => Outcome::Timeout,
            Verdict::Stopped { .. } | Verdict::ExitedBeforeCheck(_) | Verdict::OverLimit(_) => {
                Outcome::Crashed
            }
        }
    }
}

/// A mutant and how its grading ended.
#[derive(Debug, Clone)]
pub struct Graded {
    pub mutant: Mutant,
    pub outcome: Outcome,
    /// The first line of what the grader said.
    pub message: String,
}

impl Graded {
    /// Whether this is a failure of the course's checks: a wrong answer that passed, or an
    /// answer listed as equivalent (right) that did not.
    pub fn is_problem(&self) -> bool {
        match &self.mutant.equivalent {
            None => self.outcome == Outcome::Missed,
            Some(_) => self.outcome != Outcome::Missed,
        }
    }
}

/// Grades `mutant` of `notebook` (a course notebook). Its outcome is stored under a key of
/// everything the grading reads, so an unchanged mutant is not graded again.
pub fn grade(course: &Course, notebook: &Path, mutant: &Mutant) -> Result<Graded> {
    let lecture = course.load(notebook)?;
    let id = &mutant.exercise;
    let cell = lecture.solution(id)?.with_answers(&mutant.answers)?;
    let notebook_text = std::fs::read_to_string(notebook)
        .with_context(|| format!("cannot read {}", notebook.display()))?;
    let solutions = std::fs::read_to_string(&lecture.solutions_path).unwrap_or_default();
    let limit = format!("{:?}", course.time_limit);
    // The notebook's own solutions, not every notebook's: a hidden check added to one
    // notebook leaves the other notebooks' mutants graded.
    let key = course.code_key(&["mutant", &notebook_text, &solutions, &limit, &cell]);
    if let Some(hit) = course.cached("mutant", &key) {
        let outcome = hit.value["outcome"].as_str().and_then(Outcome::named);
        if let Some(outcome) = outcome {
            let message = hit.value["message"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let mutant = mutant.clone();
            return Ok(Graded {
                mutant,
                outcome,
                message,
            });
        }
    }
    let dir = course
        .target_dir()
        .join("mutants/notebooks")
        .join(&key[..16]);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut json: Value = serde_json::from_str(&notebook_text)
        .with_context(|| format!("{} is not JSON", notebook.display()))?;
    let header = format!("// Exercise {id}:");
    for c in json["cells"].as_array_mut().into_iter().flatten() {
        if crate::notebook::source_text_of(&c["source"]).starts_with(&header) {
            c["source"] = Value::String(cell.clone());
        }
    }
    let file = notebook.file_name().context("a notebook has a file name")?;
    std::fs::write(dir.join(file), json.to_string())?;
    let mut own = course.clone();
    own.student_dir = dir.clone();
    let graded = own
        .load(notebook)
        .and_then(|lecture| own.grade(&lecture, id));
    let _ = std::fs::remove_dir_all(&dir);
    let (outcome, message) = match graded? {
        Grade::Graded(verdict, _) => {
            let message = verdict.message(&format!("Exercise {id}"), 0);
            (Outcome::of(&verdict), first_line(&message))
        }
        Grade::Blank(why) => (Outcome::Unviable, why),
    };
    course.remember(
        "mutant",
        &key,
        json!({"outcome": outcome.name(), "message": message}),
    )?;
    Ok(Graded {
        mutant: mutant.clone(),
        outcome,
        message,
    })
}

/// The first line that says something, shortened.
fn first_line(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.ends_with("your code does not compile:"))
        .unwrap_or_default();
    let line = line.strip_prefix("Exercise ").map_or(line, |rest| {
        rest.split_once(": ").map_or(rest, |(_, said)| said)
    });
    line.chars().take(160).collect()
}

/// Grades every mutant, `jobs` at a time (the grader's own slots still keep builds to one at a
/// time and programs to one per core), calling `progress` as each ends; the results in the
/// mutants' order.
pub fn grade_all(
    course: &Course,
    mutants: &[(std::path::PathBuf, Mutant)],
    jobs: usize,
    progress: impl Fn(usize, &Graded) + Sync,
) -> Result<Vec<Graded>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Graded>>>> =
        Mutex::new((0..mutants.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some((notebook, mutant)) = mutants.get(k) else {
                    break;
                };
                let graded = grade(course, notebook, mutant);
                if let Ok(graded) = &graded {
                    progress(done.fetch_add(1, Ordering::SeqCst) + 1, graded);
                }
                results.lock().unwrap_or_else(|p| p.into_inner())[k] = Some(graded);
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results
        .into_iter()
        .map(|r| r.expect("every mutant was taken by a worker"))
        .collect()
}
