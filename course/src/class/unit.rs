//! One unit of a class's grading: one student's file for one notebook, graded into a result
//! file. A unit reads only its submission file and the course, and writes only into the class's
//! scratch folder and its result file, so units can run anywhere, in any order, at once
//! (`notebook grade-unit`, by `notebook grade` or GNU parallel).

use crate::checksums::sha256_hex;
use crate::course::Course;
use crate::grade::Grade;
use crate::lecture::{ExerciseState, Lecture};
use crate::solutions::normalized;
use crate::variant::{clean_label, Variant};
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One exercise of a unit's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseResult {
    /// The exercise id (`2.3`).
    pub id: String,
    /// Its cell in the student's file (the course's when theirs has none).
    pub cell: usize,
    /// Points earned: all of `max` when it passed, else none.
    pub points: u32,
    /// What it is worth (`// points <id>: N` in the solutions, else 1).
    pub max: u32,
    /// The verdict in words: `passed`, `blank`, `missing`, or a [`crate::Verdict::kind`].
    pub verdict: String,
    /// What the student reads: the grader's message.
    pub message: String,
    /// A hash of the filled-in cell (comments and spacing left out), to find identical work.
    pub answer: Option<String>,
}

/// What grading one student's file for one notebook found.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitResult {
    /// The student.
    pub student: String,
    /// The course notebook's stem.
    pub notebook: String,
    /// The file graded, as given; `None` when they handed in none.
    pub submission: Option<String>,
    /// Why the file could not be graded at all (missing, not a notebook), if so.
    pub problem: Option<String>,
    /// Locked cells they changed (graded as the course shipped them all the same).
    pub changed_locked_cells: Vec<String>,
    /// Every exercise of the notebook, in order.
    pub exercises: Vec<ExerciseResult>,
    /// How long the unit took.
    pub seconds: f64,
    /// Whether its programs ran unconfined (no sandbox on the grading machine).
    pub unconfined: bool,
}

/// Where the scratch copy of a student's files lives: a folder named after the student that two
/// different names never share.
pub fn student_label(student: &str) -> String {
    let hash = sha256_hex(student.as_bytes());
    format!("{}-{}", clean_label(student), &hash[..8])
}

/// Grades `submission` (or its absence) as `student`'s file for course notebook `stem`, with
/// `class_dir` as the scratch folder. Errors only when the course itself cannot be graded.
pub fn grade_unit(
    course: &Course,
    class_dir: &Path,
    student: &str,
    stem: &str,
    submission: Option<&Path>,
) -> Result<UnitResult> {
    let started = Instant::now();
    let course_notebook = course.find(stem)?;
    ensure_reference_timings(course, &course_notebook)?;
    let mut class = course.clone();
    class.class_dir = Some(class_dir.to_path_buf());
    class.student_dir = class_dir.join("students").join(student_label(student));
    class.use_cache = true;
    let copy = class.student_copy(&course_notebook);
    // The student's file is read once, into the scratch folder; it is never opened again.
    let _ = std::fs::remove_file(&copy);
    std::fs::create_dir_all(&class.student_dir)
        .with_context(|| format!("cannot create {}", class.student_dir.display()))?;
    let mut problem = None;
    match submission {
        None => problem = Some(format!("no file for {stem}.ipynb was handed in")),
        Some(file) => match super::archive::read_notebook(file) {
            Ok(bytes) => std::fs::write(&copy, bytes)
                .with_context(|| format!("cannot write {}", copy.display()))?,
            Err(e) => problem = Some(format!("{e:#}")),
        },
    }
    let lecture = class.load(&course_notebook)?;
    if problem.is_none() {
        if let Err(why) = &lecture.student {
            // Name their file, not the scratch copy.
            let shown = submission
                .map(|f| f.display().to_string())
                .unwrap_or_default();
            let why = why.split("; repair it").next().unwrap_or(why);
            problem = Some(why.replace(&copy.display().to_string(), &shown));
        }
    }
    let mut exercises = Vec::new();
    for id in lecture.exercise_ids() {
        let max = lecture.solution(&id)?.points;
        let cell = lecture.exercise_cell_number(&id)?;
        let result = |verdict: &str, message: String, answer: Option<String>| ExerciseResult {
            id: id.clone(),
            cell,
            points: if verdict == "passed" { max } else { 0 },
            max,
            verdict: verdict.to_string(),
            message,
            answer,
        };
        if let Some(why) = &problem {
            exercises.push(result("missing", why.clone(), None));
            continue;
        }
        if let ExerciseState::Missing(_) = lecture.state(&id) {
            let why = format!(
                "exercise {id}: the file has no cell that starts with `// Exercise {id}:` (deleted, or its first line changed)"
            );
            exercises.push(result("missing", why, None));
            continue;
        }
        let answer = lecture
            .student_cell(&id)
            .ok()
            .filter(|_| lecture.state(&id) == ExerciseState::Filled)
            .map(|c| sha256_hex(normalized(&c.source).as_bytes()));
        let where_ = format!("exercise {id}");
        exercises.push(match class.grade(&lecture, &id)? {
            Grade::Blank(why) => result("blank", format!("{where_} (cell {cell}): {why}"), None),
            Grade::Graded(verdict, _) => result(
                verdict.kind(),
                short(&verdict.message(&where_, cell)),
                answer,
            ),
        });
    }
    Ok(UnitResult {
        student: student.to_string(),
        notebook: stem.to_string(),
        submission: submission.map(|f| f.display().to_string()),
        changed_locked_cells: if problem.is_none() {
            lecture.changed_locked_cells()
        } else {
            Vec::new()
        },
        problem,
        exercises,
        seconds: started.elapsed().as_secs_f64(),
        unconfined: !crate::sandbox::confinement().confined(),
    })
}

/// A message cut to its first 40 lines (a compiler's output can run long).
fn short(message: &str) -> String {
    let lines: Vec<&str> = message.lines().collect();
    if lines.len() <= 40 {
        return message.to_string();
    }
    format!(
        "{}\n… ({} more lines)",
        lines[..40].join("\n"),
        lines.len() - 40
    )
}

/// The course's reference run of a notebook measured on this machine (the base of every time
/// limit), done once per machine: a unit that finds none runs it, under a lock, so that units
/// started together do not all run it.
pub fn ensure_reference_timings(course: &Course, course_notebook: &Path) -> Result<()> {
    let lecture: Lecture = course.load(course_notebook)?;
    if course.reference_timings(&lecture).is_some() {
        return Ok(());
    }
    let lock_dir = course
        .target_dir()
        .join("grader/durations-lock")
        .join(lecture.notebook.stem());
    let _lock = crate::slots::take_slot(&lock_dir, 1)?;
    if course.reference_timings(&lecture).is_some() {
        return Ok(());
    }
    let mut own = course.clone();
    own.class_dir = None;
    let run = own.run(&lecture, &Variant::Reference)?;
    if !run.success {
        bail!(
            "the course's own notebook {} does not run with its reference solutions ({}); see {}",
            lecture.notebook.stem(),
            run.status,
            run.log.display()
        );
    }
    own.record_reference_timings(&lecture, &run)
}

impl UnitResult {
    /// The result as JSON (what `notebook grade-unit` writes).
    pub fn to_json(&self) -> Value {
        json!({
            "student": self.student,
            "notebook": self.notebook,
            "submission": self.submission,
            "problem": self.problem,
            "changed_locked_cells": self.changed_locked_cells,
            "unconfined": self.unconfined,
            "exercises": self.exercises.iter().map(|e| json!({
                "id": e.id, "cell": e.cell, "points": e.points, "max": e.max,
                "verdict": e.verdict, "message": e.message, "answer": e.answer,
            })).collect::<Vec<_>>(),
            "seconds": self.seconds,
        })
    }

    /// Reads a result written by [`UnitResult::to_json`].
    pub fn from_json(v: &Value) -> Option<UnitResult> {
        let text = |v: &Value, k: &str| v.get(k)?.as_str().map(str::to_string);
        let number = |v: &Value, k: &str| v.get(k)?.as_u64();
        Some(UnitResult {
            student: text(v, "student")?,
            notebook: text(v, "notebook")?,
            submission: text(v, "submission"),
            problem: text(v, "problem"),
            changed_locked_cells: v
                .get("changed_locked_cells")?
                .as_array()?
                .iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect(),
            exercises: v
                .get("exercises")?
                .as_array()?
                .iter()
                .map(|e| {
                    Some(ExerciseResult {
                        id: text(e, "id")?,
                        cell: number(e, "cell")? as usize,
                        points: number(e, "points")? as u32,
                        max: number(e, "max")? as u32,
                        verdict: text(e, "verdict")?,
                        message: text(e, "message")?,
                        answer: text(e, "answer"),
                    })
                })
                .collect::<Option<Vec<_>>>()?,
            seconds: v.get("seconds")?.as_f64()?,
            unconfined: v
                .get("unconfined")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// Writes the result to `path` (atomically: a reader never sees half of it).
    pub fn write(&self, path: &Path) -> Result<()> {
        crate::files::write_if_changed(path, &serde_json::to_string_pretty(&self.to_json())?)
    }

    /// Reads a result file.
    pub fn read(path: &Path) -> Result<UnitResult> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        UnitResult::from_json(&value)
            .with_context(|| format!("{} is not a unit result", path.display()))
    }

    /// Where a unit's result goes in a class's output folder.
    pub fn path_in(out_dir: &Path, student: &str, stem: &str) -> PathBuf {
        out_dir
            .join("results")
            .join(student_label(student))
            .join(format!("{stem}.json"))
    }
}
