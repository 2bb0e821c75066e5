//! Generated wrong answers for the course's exercises, graded: how strong each check is.
//!
//! ```text
//! cargo run --bin mutants -- [ID ...] [--jobs=N] [--list]
//! ```
//! Without IDs every exercise's mutants are graded and `course/solutions/mutants.json` is
//! written; with IDs (`3.6`) only theirs, and the report is left as it is. `--list` prints the
//! mutants without grading them. Exit status 2 when a mutant is missed (it passed its check),
//! as cargo-mutants does; 1 when an answer listed as equivalent fails, or on an error. Outcomes
//! are stored, so a rerun grades only what changed. Not in a student's release.
use anyhow::{bail, Result};
use course::mutants::{course_mutants, grade_all, summary, Outcome, Report, REPORT_FILE};
use course::Course;
use std::time::Instant;

fn main() {
    match run() {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("mutants: {e:#}");
            std::process::exit(1);
        }
    }
}

fn run() -> Result<i32> {
    let mut ids = Vec::new();
    let mut jobs = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let mut list = false;
    for arg in std::env::args().skip(1) {
        if let Some(n) = arg.strip_prefix("--jobs=") {
            jobs = n.parse()?;
        } else if arg == "--list" {
            list = true;
        } else if arg.starts_with('-') {
            bail!("unknown option {arg}: usage: ./course.sh mutants [ID ...] [--jobs=N] [--list]");
        } else {
            ids.push(arg);
        }
    }
    let course = Course::here();
    course.instructors_only("./course.sh mutants")?;
    let mutants = course_mutants(&course, &ids)?;
    if list {
        for (_, mutant) in &mutants {
            println!("{}", mutant.describe());
        }
        return Ok(0);
    }
    let key = Report::current_key(&course)?;
    let total = mutants.len();
    eprintln!("mutants: {total}, {jobs} graded at a time");
    let started = Instant::now();
    let graded = grade_all(&course, &mutants, jobs, |done, g| {
        let mark = if g.is_problem() { "  <-- " } else { "" };
        eprintln!(
            "[{done:>3}/{total}] {:<8} {}{mark}",
            g.outcome.name(),
            g.mutant.describe()
        );
    })?;
    println!("{}", summary(&graded));
    let viable = graded
        .iter()
        .filter(|g| g.outcome != Outcome::Unviable)
        .count();
    println!(
        "{total} mutants, {viable} viable, graded in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    if ids.is_empty() {
        if Report::current_key(&course)? != key {
            bail!("the notebooks, solutions or answer lists changed while the mutants ran: run it again");
        }
        Report::write(&course, &key, &graded)?;
        println!("wrote {REPORT_FILE}");
    }
    let missed = graded
        .iter()
        .any(|g| g.is_problem() && g.mutant.equivalent.is_none());
    let failed_equivalent = graded.iter().any(|g| g.is_problem());
    Ok(if missed {
        2
    } else if failed_equivalent {
        1
    } else {
        0
    })
}
