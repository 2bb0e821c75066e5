//! A class's unit results made into what an instructor hands out: a CSV gradebook (one row per
//! student, one column per exercise, a total per notebook and in all), the points each column
//! is worth in a file of its own, the files Canvas and Moodle import (with a roster), a
//! feedback file per student, and a summary that flags identical submissions.

use super::roster::{csv_field, Roster, ROSTER_FILE};
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
    /// Exercise id → the notebook (stem) it is in.
    pub notebook_of: BTreeMap<String, String>,
    /// The class roster, when grading was given one.
    pub roster: Option<Roster>,
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
        let mut book = Gradebook::from_units(units);
        let roster = out_dir.join(ROSTER_FILE);
        if roster.is_file() {
            book.roster = Some(Roster::read(&roster)?);
        }
        Ok(book)
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
            notebook_of: exercises
                .iter()
                .map(|(nb, id, _)| (id.clone(), nb.clone()))
                .collect(),
            exercises: exercises
                .into_iter()
                .map(|(_, id, max)| (id, max))
                .collect(),
            students,
            roster: None,
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

    /// The notebooks (stems) in course order.
    pub fn notebooks(&self) -> Vec<String> {
        let mut out: Vec<String> = self.notebook_of.values().cloned().collect();
        out.sort();
        out.dedup();
        out
    }

    /// What `student` earned in notebook `stem`.
    pub fn notebook_total(&self, student: &str, stem: &str) -> u32 {
        self.exercises
            .iter()
            .filter(|(id, _)| self.notebook_of.get(id).is_some_and(|n| n == stem))
            .map(|(id, _)| self.points(student, id))
            .sum()
    }

    /// What notebook `stem` is worth.
    pub fn notebook_max(&self, stem: &str) -> u32 {
        self.exercises
            .iter()
            .filter(|(id, _)| self.notebook_of.get(id).is_some_and(|n| n == stem))
            .map(|(_, max)| max)
            .sum()
    }

    /// Every row of the gradebook: the students who handed in, and those on the roster who did
    /// not (all zeros), by submission name.
    pub fn rows(&self) -> Vec<String> {
        let mut rows: Vec<String> = self.students.keys().cloned().collect();
        if let Some(roster) = &self.roster {
            rows.extend(roster.students.keys().cloned());
        }
        rows.sort();
        rows.dedup();
        rows
    }

    /// The rows a platform can match: those on the roster (the summary names the others).
    fn roster_rows(&self) -> Vec<String> {
        let roster = self.roster.as_ref();
        self.rows()
            .into_iter()
            .filter(|s| roster.is_some_and(|r| r.students.contains_key(s)))
            .collect()
    }

    fn roster_entry(&self, student: &str) -> super::roster::RosterEntry {
        self.roster
            .as_ref()
            .and_then(|r| r.students.get(student).cloned())
            .unwrap_or_default()
    }

    /// The gradebook's column headers after `student` (and `id,name,email` with a roster).
    fn point_columns(&self) -> Vec<String> {
        let mut out: Vec<String> = self.exercises.iter().map(|(id, _)| id.clone()).collect();
        out.extend(self.notebooks().iter().map(|nb| format!("{nb} total")));
        out.push("total".into());
        out
    }

    /// The CSV gradebook: `student` (the submission's name), with a roster `id`, `name` and
    /// `email`; a column per exercise (points earned), a total per notebook (`01_perceptron_xor
    /// total`), and `total`. What each column is worth is in [`Gradebook::points_possible_csv`],
    /// never in a row of its own.
    pub fn csv(&self) -> String {
        let mut header = vec!["student".to_string()];
        if self.roster.is_some() {
            header.extend(["id", "name", "email"].map(String::from));
        }
        header.extend(self.point_columns());
        let mut out = join_row(&header);
        for student in self.rows() {
            let mut row = vec![student.clone()];
            if self.roster.is_some() {
                let entry = self.roster_entry(&student);
                row.extend([entry.id, entry.name, entry.email]);
            }
            row.extend(
                self.exercises
                    .iter()
                    .map(|(id, _)| self.points(&student, id).to_string()),
            );
            row.extend(
                self.notebooks()
                    .iter()
                    .map(|nb| self.notebook_total(&student, nb).to_string()),
            );
            row.push(self.total(&student).to_string());
            out.push_str(&join_row(&row));
        }
        out
    }

    /// What each point column of the gradebook is worth: `column,points possible`.
    pub fn points_possible_csv(&self) -> String {
        let mut out = String::from("column,points possible\n");
        for (id, max) in &self.exercises {
            let _ = writeln!(out, "{id},{max}");
        }
        for nb in self.notebooks() {
            let _ = writeln!(out, "{nb} total,{}", self.notebook_max(&nb));
        }
        let _ = writeln!(out, "total,{}", self.max_total());
        out
    }

    /// Canvas's gradebook import: `Student,ID,SIS User ID,SIS Login ID,Section`, then one
    /// assignment column per notebook (Canvas makes an assignment of a column it does not know,
    /// and computes its own total). Canvas matches a row by `SIS User ID` (the roster's `id`) or
    /// `SIS Login ID` (its `email`); `ID` is Canvas's own number, which the roster does not have.
    pub fn canvas_csv(&self) -> String {
        self.platform_csv(
            &["Student", "ID", "SIS User ID", "SIS Login ID", "Section"],
            |e| vec![e.name, String::new(), e.id, e.email, String::new()],
        )
    }

    /// Moodle's grade import ("Import > CSV file"): a column that identifies the user (`ID
    /// number` or `Email address`, mapped in the import form), then one grade column per
    /// notebook, each mapped to a grade item.
    pub fn moodle_csv(&self) -> String {
        self.platform_csv(&["ID number", "Email address", "Full name"], |e| {
            vec![e.id, e.email, e.name]
        })
    }

    /// A platform's import file: its identity columns (`identity` fills them from the roster),
    /// then each notebook's total, a row per student on the roster.
    fn platform_csv(
        &self,
        columns: &[&str],
        identity: impl Fn(super::roster::RosterEntry) -> Vec<String>,
    ) -> String {
        let mut header: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        header.extend(self.notebooks());
        let mut out = join_row(&header);
        for student in self.roster_rows() {
            let mut row = identity(self.roster_entry(&student));
            row.extend(
                self.notebooks()
                    .iter()
                    .map(|nb| self.notebook_total(&student, nb).to_string()),
            );
            out.push_str(&join_row(&row));
        }
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
        let heading = format!("not graded ({}):", problems.len());
        listed(&mut out, &heading, &problems);
        if let Some(roster) = &self.roster {
            let absent: Vec<&String> = roster
                .students
                .keys()
                .filter(|s| !self.students.contains_key(*s))
                .collect();
            listed(
                &mut out,
                "on the roster, nothing handed in (0 points in the gradebook):",
                &absent,
            );
            let unknown: Vec<&String> = self
                .students
                .keys()
                .filter(|s| !roster.students.contains_key(*s))
                .collect();
            listed(
                &mut out,
                "not on the roster (in gradebook.csv without an ID, left out of canvas.csv and moodle.csv; add them to the roster and rerun `gradebook`):",
                &unknown,
            );
        }
        let pairs: Vec<String> = self
            .identical_pairs()
            .into_iter()
            .map(|(a, b)| format!("{a} and {b}"))
            .collect();
        listed(
            &mut out,
            "identical submissions (both graded; worth a look):",
            &pairs,
        );
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

    /// Writes `gradebook.csv`, `points_possible.csv`, with a roster `canvas.csv` and
    /// `moodle.csv`, `feedback/<student>.md` and `summary.txt` into `out_dir`;
    /// returns the gradebook's path.
    pub fn write(&self, out_dir: &Path) -> Result<PathBuf> {
        let csv = out_dir.join("gradebook.csv");
        crate::files::write_if_changed(&csv, &self.csv())?;
        crate::files::write_if_changed(
            &out_dir.join("points_possible.csv"),
            &self.points_possible_csv(),
        )?;
        // The platforms match rows by the roster's IDs: without one these would match nobody.
        if self.roster.is_some() {
            crate::files::write_if_changed(&out_dir.join("canvas.csv"), &self.canvas_csv())?;
            crate::files::write_if_changed(&out_dir.join("moodle.csv"), &self.moodle_csv())?;
        }
        for student in self.students.keys() {
            let file = out_dir.join(self.feedback_file(student));
            crate::files::write_if_changed(&file, &self.feedback(student))?;
        }
        crate::files::write_if_changed(&out_dir.join("summary.txt"), &self.summary())?;
        Ok(csv)
    }
}

/// A section of the summary: a blank line, `heading`, then each item indented; nothing when
/// there are no items.
fn listed(out: &mut String, heading: &str, items: &[impl std::fmt::Display]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{heading}");
    for item in items {
        let _ = writeln!(out, "  {item}");
    }
}

/// One CSV line of `fields`.
fn join_row(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",")
        + "\n"
}
