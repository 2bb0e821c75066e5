//! Grades the notebooks' exercises (run by `cargo test`).
//!
//! For every course notebook (`lecture/`) and every exercise in it:
//! - `…::drift`: the notebook and `course/solutions/` agree (blank cells equal their templates,
//!   every exercise has a solution and a check cell);
//! - `…::reference`: the whole notebook runs with the reference solutions and every check
//!   (hidden checks included) returns `Ok`;
//! - `…::exercise_<id>::blank_fails`: the shipped blank version does not pass;
//! - `…::exercise_<id>::student`: the student's answer (in `notebooks/`) passes its check, with
//!   the course's own cells around it; while the cell is still blank this test is ignored, and
//!   `cargo test -- --include-ignored` turns it into a failure;
//! - `…::your_locked_cells`: ignored, with the cell numbers, when the student's copy changed a
//!   cell other than an exercise cell (those are graded as the course shipped them).
//!
//! In a student's release (no reference answers) only the last two are made, and each
//! exercise runs with the student's own earlier answers (`course/src/release/`).
use course::{Course, ExerciseState, Grade, Lecture, ScriptRun, Variant, Verdict};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use std::sync::{Arc, OnceLock};

/// The combined run of a notebook's filled-in answers, made by the first exercise that needs it.
type Combined = Arc<OnceLock<Option<ScriptRun>>>;

/// The reference run's outcome, made once per notebook: by its own test, or first by a student
/// test, whose time limit is five times the reference's duration (not the 10 minutes allowed
/// while no reference run has been measured).
type ReferenceOutcome = Arc<OnceLock<Result<(), String>>>;

fn main() {
    let args = Arguments::from_args();
    let grading = args.include_ignored || args.ignored;
    let course = Arc::new(Course::here());
    let release = course.is_release();
    let confinement = course::sandbox::confinement();
    if !confinement.confined() {
        // Once, before the tests: the verdicts still hold, but nothing confines the programs.
        eprintln!("note: {}", confinement.describe());
    }
    let mut trials = Vec::new();
    let notebooks = course.notebooks().expect("lecture/ is readable");
    assert!(!notebooks.is_empty(), "no notebooks in lecture/");
    for path in notebooks {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let lecture = match course.load(&path) {
            Ok(lecture) => Arc::new(lecture),
            Err(e) => {
                let message = format!("{e:#}");
                trials.push(Trial::test(format!("{stem}::loads"), move || {
                    Err(message.into())
                }));
                continue;
            }
        };
        let l = lecture.clone();
        if !release {
            trials.push(Trial::test(format!("{stem}::drift"), move || {
                let problems = l.drift();
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems.join("\n").into())
                }
            }));
        }
        let l = lecture.clone();
        trials.push(Trial::ignorable_test(
            format!("{stem}::your_locked_cells"),
            move || {
                let changed = l.changed_locked_cells();
                if changed.is_empty() {
                    return Ok(Completion::Completed);
                }
                Ok(Completion::ignored_with(format!(
                    "{}: {}; graded as the course shipped them (`./course.sh restore {}` puts them back and keeps your answers)",
                    l.name(),
                    changed.join(", "),
                    l.notebook.stem()
                )))
            },
        ));
        let outcome: ReferenceOutcome = Arc::default();
        if release {
            // The time limits were measured when the release was made.
            let _ = outcome.set(Ok(()));
        } else {
            let (c, l, o) = (course.clone(), lecture.clone(), outcome.clone());
            trials.push(Trial::test(format!("{stem}::reference"), move || {
                o.get_or_init(|| reference(&c, &l))
                    .clone()
                    .map_err(Failed::from)
            }));
        }
        let combined: Combined = Arc::default();
        for id in lecture.exercise_ids() {
            if !release {
                let (c, l, i) = (course.clone(), lecture.clone(), id.clone());
                trials.push(Trial::test(
                    format!("{stem}::exercise_{id}::blank_fails"),
                    move || blank_fails(&c, &l, &i),
                ));
            }
            let (c, l, i, all, o) = (
                course.clone(),
                lecture.clone(),
                id.clone(),
                combined.clone(),
                outcome.clone(),
            );
            trials.push(Trial::ignorable_test(
                format!("{stem}::exercise_{id}::student"),
                move || {
                    if l.state(&i) == ExerciseState::Filled {
                        // Its own test reports a failure; here it only sets the time limit.
                        let _ = o.get_or_init(|| reference(&c, &l));
                    }
                    student(&c, &l, &i, &all, grading)
                },
            ));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn reference(course: &Course, lecture: &Lecture) -> Result<(), String> {
    let run = course
        .run(lecture, &Variant::Reference)
        .map_err(|e| format!("{e:#}"))?;
    unchanged(&run, &format!("{}::reference", lecture.notebook.stem()));
    let missing: Vec<String> = lecture
        .exercise_ids()
        .into_iter()
        .filter(|id| !Verdict::of(&run, id).passed())
        .collect();
    if let Some(first) = missing.first() {
        let why = Verdict::of(&run, first).message(
            &format!("{}, exercise {first}", lecture.name()),
            lecture.exercise_cell_number(first).unwrap_or(0),
        );
        return Err(format!(
            "{} with the reference solutions: the check of exercise(s) {} did not return Ok.\n{why}\nfull output: {}",
            lecture.name(),
            missing.join(", "),
            run.log.display()
        ));
    }
    if !run.success {
        return Err(format!(
            "{} with the reference solutions did not run to the end ({}):\n{}",
            lecture.name(),
            run.status,
            run.tail(40)
        ));
    }
    if run.cached.is_none() {
        course
            .record_reference_timings(lecture, &run)
            .map_err(|e| format!("{e:#}"))?;
    }
    Ok(())
}

fn blank_fails(course: &Course, lecture: &Lecture, id: &str) -> Result<(), Failed> {
    let run = course
        .run(lecture, &Variant::BlankExercise(id.to_string()))
        .map_err(|e| format!("{e:#}"))?;
    unchanged(
        &run,
        &format!("{}::exercise_{id}::blank_fails", lecture.notebook.stem()),
    );
    if Verdict::of(&run, id).passed() {
        return Err(format!(
            "{}: the blank version of exercise {id} passes its check; the check proves nothing",
            lecture.name()
        )
        .into());
    }
    Ok(())
}

fn student(
    course: &Course,
    lecture: &Lecture,
    id: &str,
    combined: &Combined,
    grading: bool,
) -> Result<Completion, Failed> {
    let cell = lecture
        .exercise_cell_number(id)
        .map_err(|e| e.to_string())?;
    let where_ = format!("{}, exercise {id}", lecture.name());
    let combined = combined.get_or_init(|| course.combined_run(lecture).ok().flatten());
    match course
        .grade_with(lecture, id, combined.as_ref())
        .map_err(|e| format!("{e:#}"))?
    {
        Grade::Blank(reason) => {
            let waits = reason.contains(" first: ");
            let reason = format!("{where_} (cell {cell}): {reason}");
            if grading && waits {
                Err(reason.into())
            } else if grading {
                Err(format!("{reason}: fill in every `?` of the exercise cell").into())
            } else {
                Ok(Completion::ignored_with(reason))
            }
        }
        Grade::Graded(Verdict::Passed, run) => {
            if let Some(run) = run {
                unchanged(
                    &run,
                    &format!("{}::exercise_{id}::student", lecture.notebook.stem()),
                );
            }
            Ok(Completion::Completed)
        }
        Grade::Graded(verdict, run) => {
            let mut message = verdict.message(&where_, cell);
            for line in course.earlier_failures(lecture, id) {
                message.push_str(&format!("\n{line}"));
            }
            if let Some(run) = run {
                message.push_str(&format!("\nfull output: {}", run.log.display()));
            }
            message.push_str(&format!("\nstuck? a hint: ./course.sh hint {id}"));
            Err(message.into())
        }
    }
}

/// Says so when a result comes from an earlier run with the same inputs.
fn unchanged(run: &ScriptRun, name: &str) {
    if let Some(recorded) = run.cached {
        println!("{}", course::unchanged_note(name, recorded));
    }
}
