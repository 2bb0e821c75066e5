//! A class's unit results made into what an instructor hands out: a CSV gradebook (one row per
//! student, one column per exercise, a total), a feedback file per student, and a summary that
//! flags identical submissions.

use super::unit::{student_label, UnitResult};
use crate::variant::clean_label;
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every unit result of a class, by student.
#[derive(Debug, Clone)]
pub struct Gradebook {
    /// Exercise ids in course order, with what each is worth.
    pub exercises: Vec<(String, u32)>,
    /// Student → their results, one per course notebook, in course order.
    pub students: BTreeMap<String, Vec<UnitResult>>,
}

/// What the summary and every feedback file say when the class was graded without the sandbox.
const UNCONFINED_NOTE: &str = "\nNOTE: graded UNCONFINED (`grade --unconfined`: no sandbox on the grading machine). A submission's programs could read other files, use the network and change results.\n\n";

impl Gradebook {
    /// Whether any unit was graded without the sandbox.
    pub fn unconfined(&self) -> bool {
        self.students.values().flatten().any(|u| u.unconfined)
    }

    /// Reads every result under `out_dir/results/`.
    pub fn collect(out_dir: &Path) -> Result<Gradebook> {
        let mut files = Vec::new();
        let results = out_dir.join("results");
        for student in std::fs::read_dir(&results)
            .with_context(|| format!("no results in {}", results.display()))?
            .flatten()
        {
            for file in std::fs::read_dir(student.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if file.path().extension().is_some_and(|e| e == "json") {
                    files.push(file.path());
                }
            }
        }
        files.sort();
        let units = files
            .iter()
            .map(|f| UnitResult::read(f))
            .collect::<Result<Vec<_>>>()?;
        Ok(Gradebook::from_units(units))
    }

    /// A gradebook of `units`.
    pub fn from_units(mut units: Vec<UnitResult>) -> Gradebook {
        units.sort_by(|a, b| (&a.student, &a.notebook).cmp(&(&b.student, &b.notebook)));
        let mut exercises: Vec<(String, String, u32)> = Vec::new();
        let mut students: BTreeMap<String, Vec<UnitResult>> = BTreeMap::new();
        for unit in units {
            for e in &unit.exercises {
                if !exercises.iter().any(|(_, id, _)| id == &e.id) {
                    exercises.push((unit.notebook.clone(), e.id.clone(), e.max));
                }
            }
            students.entry(unit.student.clone()).or_default().push(unit);
        }
        // Course order: by notebook, then as the notebook lists them (kept by a stable sort).
        exercises.sort_by(|a, b| a.0.cmp(&b.0));
        Gradebook {
            exercises: exercises
                .into_iter()
                .map(|(_, id, max)| (id, max))
                .collect(),
            students,
        }
    }

    /// What `student` earned for exercise `id` (0 when it is not in their results).
    pub fn points(&self, student: &str, id: &str) -> u32 {
        self.exercise(student, id).map_or(0, |e| e.points)
    }

    fn exercise(&self, student: &str, id: &str) -> Option<&super::unit::ExerciseResult> {
        self.students
            .get(student)?
            .iter()
            .flat_map(|u| &u.exercises)
            .find(|e| e.id == id)
    }

    /// Everything the class could earn.
    pub fn max_total(&self) -> u32 {
        self.exercises.iter().map(|(_, max)| max).sum()
    }

    /// What `student` earned in all.
    pub fn total(&self, student: &str) -> u32 {
        self.exercises
            .iter()
            .map(|(id, _)| self.points(student, id))
            .sum()
    }

    /// The CSV gradebook: `student`, one column per exercise (points earned), `total`; a last
    /// row `max` with what each is worth.
    pub fn csv(&self) -> String {
        let mut out = String::from("student");
        for (id, _) in &self.exercises {
            out.push(',');
            out.push_str(id);
        }
        out.push_str(",total\n");
        for student in self.students.keys() {
            out.push_str(&csv_field(student));
            for (id, _) in &self.exercises {
                let _ = write!(out, ",{}", self.points(student, id));
            }
            let _ = writeln!(out, ",{}", self.total(student));
        }
        out.push_str("max");
        for (_, max) in &self.exercises {
            let _ = write!(out, ",{max}");
        }
        let _ = writeln!(out, ",{}", self.max_total());
        out
    }

    /// The feedback file of `student`, in Markdown.
    pub fn feedback(&self, student: &str) -> String {
        let mut out = format!(
            "# Feedback for {student}\n\nTotal: {} of {} points.\n",
            self.total(student),
            self.max_total()
        );
        if self.unconfined() {
            out.push_str(UNCONFINED_NOTE);
        }
        for unit in self.students.get(student).into_iter().flatten() {
            let earned: u32 = unit.exercises.iter().map(|e| e.points).sum();
            let max: u32 = unit.exercises.iter().map(|e| e.max).sum();
            let _ = writeln!(out, "\n## {} ({earned} of {max})\n", unit.notebook);
            if let Some(problem) = &unit.problem {
                let _ = writeln!(out, "Not graded: {problem}\n");
            }
            if !unit.changed_locked_cells.is_empty() {
                let _ = writeln!(
                    out,
                    "You changed cells that are not yours to change; they were graded as the course ships them:\n"
                );
                for change in &unit.changed_locked_cells {
                    let _ = writeln!(out, "- {change}");
                }
                out.push('\n');
            }
            if unit.problem.is_some() {
                continue;
            }
            for e in &unit.exercises {
                let _ = writeln!(
                    out,
                    "- **{}** ({} of {}): {}",
                    e.id, e.points, e.max, e.verdict
                );
                if e.verdict != "passed" {
                    out.push_str("\n  ```text\n");
                    for line in e.message.lines() {
                        let _ = writeln!(out, "  {line}");
                    }
                    out.push_str("  ```\n");
                }
            }
        }
        out
    }

    /// Pairs of students whose submissions are the same: every exercise cell alike (comments
    /// and spacing aside), and at least one filled in.
    pub fn identical_pairs(&self) -> Vec<(String, String)> {
        let fingerprint = |units: &Vec<UnitResult>| -> Option<String> {
            let answers: Vec<String> = units
                .iter()
                .flat_map(|u| &u.exercises)
                .map(|e| {
                    format!(
                        "{}={}:{}",
                        e.id,
                        e.verdict,
                        e.answer.as_deref().unwrap_or("")
                    )
                })
                .collect();
            let filled = units
                .iter()
                .flat_map(|u| &u.exercises)
                .any(|e| e.answer.is_some());
            filled.then(|| answers.join(";"))
        };
        let prints: Vec<(&String, Option<String>)> = self
            .students
            .iter()
            .map(|(s, units)| (s, fingerprint(units)))
            .collect();
        let mut pairs = Vec::new();
        for (i, (a, pa)) in prints.iter().enumerate() {
            for (b, pb) in &prints[i + 1..] {
                if pa.is_some() && pa == pb {
                    pairs.push(((*a).clone(), (*b).clone()));
                }
            }
        }
        pairs
    }

    /// The summary: per exercise how many passed, the problems, the identical pairs.
    pub fn summary(&self) -> String {
        let n = self.students.len();
        let mut out = format!(
            "{n} students, {} exercises, {} points in all\n\nexercise  passed  blank  failed\n",
            self.exercises.len(),
            self.max_total()
        );
        if self.unconfined() {
            out.push_str(UNCONFINED_NOTE);
        }
        for (id, _) in &self.exercises {
            let count = |f: &dyn Fn(&str) -> bool| {
                self.students
                    .keys()
                    .filter(|s| self.exercise(s, id).is_some_and(|e| f(&e.verdict)))
                    .count()
            };
            let _ = writeln!(
                out,
                "{id:<9} {:>6}  {:>5}  {:>6}",
                count(&|v| v == "passed"),
                count(&|v| v == "blank"),
                count(&|v| v != "passed" && v != "blank"),
            );
        }
        let problems: Vec<String> = self
            .students
            .values()
            .flatten()
            .filter_map(|u| {
                u.problem
                    .as_ref()
                    .map(|p| format!("{} / {}: {p}", u.student, u.notebook))
            })
            .collect();
        if !problems.is_empty() {
            let _ = writeln!(out, "\nnot graded ({}):", problems.len());
            for p in problems {
                let _ = writeln!(out, "  {p}");
            }
        }
        let pairs = self.identical_pairs();
        if !pairs.is_empty() {
            let _ = writeln!(out, "\nidentical submissions (both graded; worth a look):");
            for (a, b) in pairs {
                let _ = writeln!(out, "  {a} and {b}");
            }
        }
        out
    }

    /// Where `student`'s feedback goes, relative to the output folder: `feedback/<name>.md`,
    /// the name made safe for a file (with a hash when two names would give one file).
    pub fn feedback_file(&self, student: &str) -> PathBuf {
        let plain = clean_label(student);
        let shared = self
            .students
            .keys()
            .filter(|s| clean_label(s) == plain)
            .count()
            > 1;
        let name = if shared {
            student_label(student)
        } else {
            plain
        };
        Path::new("feedback").join(format!("{name}.md"))
    }

    /// Writes `gradebook.csv`, `feedback/<student>.md` and `summary.txt` into `out_dir`;
    /// returns the gradebook's path.
    pub fn write(&self, out_dir: &Path) -> Result<PathBuf> {
        let csv = out_dir.join("gradebook.csv");
        crate::files::write_if_changed(&csv, &self.csv())?;
        for student in self.students.keys() {
            let file = out_dir.join(self.feedback_file(student));
            crate::files::write_if_changed(&file, &self.feedback(student))?;
        }
        crate::files::write_if_changed(&out_dir.join("summary.txt"), &self.summary())?;
        Ok(csv)
    }
}

/// A CSV field, quoted when it has to be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
