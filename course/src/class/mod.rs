//! Grading a class: a folder of submissions into a gradebook, in parallel.
//!
//! | step | file |
//! |---|---|
//! | who handed in what | `submissions.rs` |
//! | a hand-in archive: written by `submit`, unpacked with care | `archive.rs` |
//! | one student's file for one notebook, graded into a result file | `unit.rs` |
//! | the results into a CSV gradebook, feedback files and a summary | `gradebook.rs` |
//! | the optional roster: submission → student ID, name, e-mail | `roster.rs` |
//! | a class made up from the reference answers, with the verdict each should get | `synthetic.rs` |
//!
//! `notebook grade` runs the units itself, bounded by the cores; `notebook units` writes them as a
//! table that GNU parallel can spread over many machines, and `notebook gradebook` collects the
//! results.

mod archive;
mod gradebook;
mod roster;
mod submissions;
mod synthetic;
mod unit;

pub use archive::{file_name_for, submit, Submitted, ARCHIVE_SUFFIX};
pub use gradebook::Gradebook;
pub use roster::{Roster, RosterEntry, ROSTER_FILE};
pub use submissions::{find_submissions, Submission};
pub use synthetic::{disagreements, synthetic_class, Expected, Mutation, MUTATIONS};
pub use unit::{ensure_reference_timings, grade_unit, student_label, ExerciseResult, UnitResult};

use crate::course::Course;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One unit of work: one student's file (if any) for one course notebook, and where its result
/// goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The student.
    pub student: String,
    /// The course notebook's stem.
    pub notebook: String,
    /// Their file, if they handed one in.
    pub submission: Option<PathBuf>,
    /// Where the result is written.
    pub result: PathBuf,
}

impl Unit {
    /// The unit as a line of `units.tsv`: student, notebook, file (empty when none), result.
    pub fn tsv_line(&self) -> String {
        let field = |s: &str| s.replace(['\t', '\n'], " ");
        format!(
            "{}\t{}\t{}\t{}",
            field(&self.student),
            self.notebook,
            field(
                &self
                    .submission
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            ),
            self.result.display()
        )
    }
}

impl Course {
    /// The units of grading `submissions` for the notebooks `assigned` (stems; empty: all the
    /// course's) into `out_dir`, and notes on how files were matched. Refuses an output folder
    /// inside the submissions or the course's notebooks.
    pub fn class_units(
        &self,
        submissions: &Path,
        assigned: &[String],
        out_dir: &Path,
    ) -> Result<(Vec<Unit>, Vec<String>)> {
        let submissions = absolute(submissions)?;
        let out_dir = absolute(out_dir)?;
        for (what, dir) in [
            ("the submissions", submissions.clone()),
            ("the course's notebooks", self.course_notebooks_dir()),
            ("the student notebooks", self.student_dir.clone()),
        ] {
            if out_dir.starts_with(&dir) {
                bail!(
                    "the output folder {} is inside {what} ({}); grading never writes there: choose another with --out",
                    out_dir.display(),
                    dir.display()
                );
            }
        }
        let stems: Vec<String> = self
            .notebook_stems()?
            .into_iter()
            .filter(|stem| assigned.is_empty() || assigned.contains(stem))
            .collect();
        let mut units = Vec::new();
        let mut notes = Vec::new();
        let (found, skipped) = find_submissions(&submissions, &stems, &out_dir.join("unpacked"))?;
        notes.extend(skipped);
        for submission in found {
            for note in &submission.notes {
                notes.push(format!("{}: {note}", submission.student));
            }
            for stem in &stems {
                units.push(Unit {
                    student: submission.student.clone(),
                    notebook: stem.clone(),
                    submission: submission.files.get(stem).cloned(),
                    result: UnitResult::path_in(&out_dir, &submission.student, stem),
                });
            }
        }
        if units.is_empty() {
            bail!("no submissions in {}", submissions.display());
        }
        Ok((units, notes))
    }

    /// Grades every unit with `unit_program` (`notebook grade-unit`), `jobs` at a time, printing
    /// progress to `progress`; then writes the gradebook into `out_dir`. Units the grader
    /// itself failed on are named in the error (after the gradebook of the others is written).
    pub fn grade_class(
        &self,
        submissions: &Path,
        assigned: &[String],
        out_dir: &Path,
        jobs: usize,
        unit_program: &Path,
        progress: &mut dyn Write,
    ) -> Result<Gradebook> {
        let started = Instant::now();
        let confinement = crate::sandbox::confinement();
        if !confinement.confined() && std::env::var_os(ALLOW_UNCONFINED_ENV).is_none() {
            bail!(
                "{}.\nA class is graded only in the sandbox: a submission's code would run with your rights. \
                 Install bubblewrap, or grade anyway with `grade --unconfined` (the summary and every feedback file will say so)",
                confinement.describe()
            );
        }
        writeln!(progress, "{}", confinement.describe())?;
        let (units, notes) = self.class_units(submissions, assigned, out_dir)?;
        let out_dir = absolute(out_dir)?;
        std::fs::create_dir_all(&out_dir)
            .with_context(|| format!("cannot create {}", out_dir.display()))?;
        let _ = std::fs::remove_dir_all(out_dir.join("results"));
        let class_dir = out_dir.join("scratch");
        for note in &notes {
            writeln!(progress, "note: {note}")?;
        }
        // Every time limit is based on the reference runs: measure missing ones first, once.
        let notebooks: Vec<PathBuf> = units
            .iter()
            .map(|u| self.find(&u.notebook))
            .collect::<Result<std::collections::BTreeSet<_>>>()?
            .into_iter()
            .collect();
        for notebook in &notebooks {
            if self.reference_timings(&self.load(notebook)?).is_none() {
                writeln!(
                    progress,
                    "measuring the reference run of {} on this machine (once; the base of its time limits)",
                    notebook.file_stem().unwrap_or_default().to_string_lossy()
                )?;
            }
        }
        // All at once: the run slots keep them to one per core.
        std::thread::scope(|scope| {
            let measuring: Vec<_> = notebooks
                .iter()
                .map(|notebook| scope.spawn(move || ensure_reference_timings(self, notebook)))
                .collect();
            measuring
                .into_iter()
                .map(|m| m.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect::<Result<Vec<()>>>()
        })?;
        writeln!(
            progress,
            "grading {} units ({} × {}), {jobs} at a time",
            units.len(),
            count(
                units
                    .iter()
                    .map(|u| &u.student)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                "student"
            ),
            count(notebooks.len(), "notebook")
        )?;
        let logs = out_dir.join("logs");
        std::fs::create_dir_all(&logs)?;
        let mut waiting = units.iter();
        let mut running = Vec::new();
        let mut failed = Vec::new();
        let mut done = 0;
        loop {
            while running.len() < jobs.max(1) {
                let Some(unit) = waiting.next() else { break };
                let log = logs.join(format!(
                    "{}-{}.log",
                    student_label(&unit.student),
                    unit.notebook
                ));
                let child = crate::cmd::spawn_logged(
                    crate::cmd::program(unit_program).args(unit_args(unit, &class_dir)),
                    &log,
                )?;
                running.push((unit, child, log, Instant::now()));
            }
            if running.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            let mut k = 0;
            while k < running.len() {
                let Some(status) = running[k].1.try_wait()? else {
                    k += 1;
                    continue;
                };
                let (unit, _, log, began) = running.swap_remove(k);
                done += 1;
                let line = match UnitResult::read(&unit.result) {
                    Ok(result) if status.success() => {
                        let earned: u32 = result.exercises.iter().map(|e| e.points).sum();
                        let max: u32 = result.exercises.iter().map(|e| e.max).sum();
                        format!("{earned}/{max} points")
                    }
                    _ => {
                        failed.push(format!(
                            "{} / {}: see {}",
                            unit.student,
                            unit.notebook,
                            log.display()
                        ));
                        format!("the grader failed ({status}); see {}", log.display())
                    }
                };
                writeln!(
                    progress,
                    "{} {done}/{}  {} {}: {line} ({:.0} s)",
                    bar(done, units.len()),
                    units.len(),
                    unit.student,
                    unit.notebook,
                    began.elapsed().as_secs_f64()
                )?;
            }
        }
        let gradebook = Gradebook::collect(&out_dir)?;
        let csv = gradebook.write(&out_dir)?;
        if !notes.is_empty() {
            // Files skipped or matched by a rule, in the summary as well as on the screen.
            let summary = out_dir.join("summary.txt");
            let mut text = std::fs::read_to_string(&summary).unwrap_or_default();
            text.push_str("\nnotes on the submissions:\n");
            for note in &notes {
                text.push_str(&format!("- {note}\n"));
            }
            crate::files::write_if_changed(&summary, &text)?;
        }
        writeln!(progress, "\n{}", gradebook.summary())?;
        writeln!(
            progress,
            "gradebook: {}\nfeedback:  {}\nsummary:   {}\ntook {:.0} s",
            csv.display(),
            out_dir.join("feedback").display(),
            out_dir.join("summary.txt").display(),
            started.elapsed().as_secs_f64()
        )?;
        if !failed.is_empty() {
            bail!(
                "the grader failed on {} unit(s); their students have no result for that notebook:\n{}",
                failed.len(),
                failed.join("\n")
            );
        }
        Ok(gradebook)
    }
}

/// Set (by `grade --unconfined`) to grade a class where the sandbox cannot run.
pub const ALLOW_UNCONFINED_ENV: &str = "LECTUREUTIL_ALLOW_UNCONFINED";

/// The arguments of `notebook grade-unit` for `unit`.
pub fn unit_args(unit: &Unit, class_dir: &Path) -> Vec<String> {
    vec![
        "grade-unit".into(),
        unit.notebook.clone(),
        unit.student.clone(),
        unit.result.display().to_string(),
        unit.submission
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        format!("--class={}", class_dir.display()),
    ]
}

/// "1 notebook", "7 notebooks".
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// `[#####.....]` for `done` of `all`.
fn bar(done: usize, all: usize) -> String {
    let width = 20;
    let filled = (done * width).checked_div(all).unwrap_or(width);
    format!("[{}{}]", "#".repeat(filled), ".".repeat(width - filled))
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))
}
