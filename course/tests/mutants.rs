//! The committed mutants report (`./course.sh mutants`) against the course as it is: its key
//! is current, it lists the mutants the operators make now, none of them is missed, and a
//! sample of 40, seeded by the commit, graded again ends as recorded (passed, stopped or
//! unviable).
use course::mutants::{course_mutants, grade_all, Outcome, Report, REPORT_FILE};
use course::Course;

/// How many mutants CI grades again.
const SAMPLE: usize = 40;

/// What a grading says of a mutant, as far as it must reproduce: a slower machine may stop at
/// the time limit a mutant that failed its check on a faster one, and both mean it was not
/// passed.
fn verdict(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Missed => "passed its check",
        Outcome::Unviable => "unviable",
        Outcome::Caught | Outcome::Timeout | Outcome::Crashed => "stopped",
    }
}

/// The commit's hash, for the sample's seed (the report's key outside a git checkout).
fn seed(report_key: &str) -> u64 {
    let sha = std::env::var("GITHUB_SHA").ok().or_else(|| {
        let out = std::process::Command::new("git")
            .args(["rev-parse", "HEAD"])
            .current_dir(Course::here().root)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    });
    let hex = sha.unwrap_or_else(|| report_key.to_string());
    u64::from_str_radix(&hex[..16.min(hex.len())], 16).unwrap_or(1) | 1
}

#[test]
fn the_mutants_report_is_current_and_a_sample_reproduces_it() {
    let course = Course::here();
    let report = Report::read(&course).unwrap();
    let key = Report::current_key(&course).unwrap();
    assert_eq!(
        report.key, key,
        "{REPORT_FILE} is stale: the notebooks, solutions, answer lists or operators changed since it was written; run `./course.sh mutants`"
    );
    let mutants = course_mutants(&course, &[]).unwrap();
    let same_list = mutants.len() == report.entries.len()
        && mutants
            .iter()
            .zip(&report.entries)
            .all(|((_, m), e)| e.is(m));
    assert!(
        same_list,
        "{REPORT_FILE} does not list the mutants the operators make now; run `./course.sh mutants`"
    );
    let problems: Vec<String> = mutants
        .iter()
        .zip(&report.entries)
        .filter(|((_, m), e)| (e.outcome == Outcome::Missed) != m.equivalent.is_some())
        .map(|((_, m), e)| format!("{}: {}", e.outcome.name(), m.describe()))
        .collect();
    assert!(
        problems.is_empty(),
        "mutants missed (or listed as equivalent and failed); docs/instructor.md says what to do:\n{}",
        problems.join("\n")
    );
    // A seeded sample (xorshift), graded afresh.
    let mut state = seed(&report.key);
    let mut picked = Vec::new();
    while picked.len() < SAMPLE.min(mutants.len()) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let k = (state % mutants.len() as u64) as usize;
        if !picked.contains(&k) {
            picked.push(k);
        }
    }
    picked.sort();
    let sample: Vec<_> = picked.iter().map(|&k| mutants[k].clone()).collect();
    let mut fresh = course.clone();
    fresh.use_cache = false;
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let graded = grade_all(&fresh, &sample, jobs, |_, _| {}).unwrap();
    let differ: Vec<String> = picked
        .iter()
        .zip(&graded)
        .filter(|(k, g)| verdict(report.entries[**k].outcome) != verdict(g.outcome))
        .map(|(k, g)| {
            format!(
                "{}: recorded {}, now {} ({})",
                g.mutant.describe(),
                report.entries[*k].outcome.name(),
                g.outcome.name(),
                g.message
            )
        })
        .collect();
    assert!(
        differ.is_empty(),
        "mutants graded again end otherwise than {REPORT_FILE} says:\n{}",
        differ.join("\n")
    );
}
