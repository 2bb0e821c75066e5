//! Grades the notebooks' exercises (run by `cargo test`).
//!
//! For every notebook in `notebooks/` and every exercise in it:
//! - `…::drift`: the notebook and `course/solutions/` agree (blank cells equal their templates,
//!   every exercise has a solution and a check cell);
//! - `…::reference`: the whole notebook runs with the reference solutions and every check passes;
//! - `…::exercise_<id>::blank_fails`: the shipped blank version does not pass;
//! - `…::exercise_<id>::student`: the student's answer passes its check; while the cell is still
//!   blank this test is ignored, and `cargo test -- --include-ignored` turns it into a failure.
use course::{Course, ExerciseState, Lecture, Variant};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use std::sync::Arc;

fn main() {
    let args = Arguments::from_args();
    let grading = args.include_ignored || args.ignored;
    let course = Arc::new(Course::here());
    let mut trials = Vec::new();
    let notebooks = course.notebooks().expect("notebooks/ is readable");
    assert!(!notebooks.is_empty(), "no notebooks in notebooks/");
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
        trials.push(Trial::test(format!("{stem}::drift"), move || {
            let problems = l.drift();
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("\n").into())
            }
        }));
        let (c, l) = (course.clone(), lecture.clone());
        trials.push(Trial::test(format!("{stem}::reference"), move || {
            reference(&c, &l)
        }));
        for id in lecture.exercise_ids() {
            let (c, l, i) = (course.clone(), lecture.clone(), id.clone());
            trials.push(Trial::test(
                format!("{stem}::exercise_{id}::blank_fails"),
                move || blank_fails(&c, &l, &i),
            ));
            let (c, l, i) = (course.clone(), lecture.clone(), id.clone());
            trials.push(Trial::ignorable_test(
                format!("{stem}::exercise_{id}::student"),
                move || student(&c, &l, &i, grading),
            ));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

fn reference(course: &Course, lecture: &Lecture) -> Result<(), Failed> {
    let run = course
        .run(lecture, &Variant::Reference)
        .map_err(|e| format!("{e:#}"))?;
    if !run.success {
        return Err(format!(
            "{} with the reference solutions did not run to the end:\n{}",
            lecture.name(),
            run.tail(40)
        )
        .into());
    }
    let missing: Vec<String> = lecture
        .exercise_ids()
        .into_iter()
        .filter(|id| !run.passed(id))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{}: no PASS line for exercise(s) {}",
            lecture.name(),
            missing.join(", ")
        )
        .into());
    }
    Ok(())
}

fn blank_fails(course: &Course, lecture: &Lecture, id: &str) -> Result<(), Failed> {
    let run = course
        .run(lecture, &Variant::BlankExercise(id.to_string()))
        .map_err(|e| format!("{e:#}"))?;
    if run.success || run.passed(id) {
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
    grading: bool,
) -> Result<Completion, Failed> {
    let cell = lecture
        .exercise_cell_number(id)
        .map_err(|e| e.to_string())?;
    let where_ = format!("{}, exercise {id} (cell {cell})", lecture.name());
    match lecture.state(id).map_err(|e| e.to_string())? {
        ExerciseState::Blank(blanks) => {
            let first = blanks[0];
            let reason = format!(
                "{where_}: {} blank(s) left, first at line {} column {}",
                blanks.len(),
                first.line,
                first.column
            );
            if grading {
                Err(format!("{reason}: fill in every `?` of the exercise cell").into())
            } else {
                Ok(Completion::ignored_with(reason))
            }
        }
        ExerciseState::Filled => {
            let run = course
                .run(lecture, &Variant::StudentExercise(id.to_string()))
                .map_err(|e| format!("{e:#}"))?;
            if run.success && run.passed(id) {
                return Ok(Completion::Completed);
            }
            let why = if !run.compiled {
                format!("your code does not compile:\n{}", run.output)
            } else if let Some(fail) = run.failure() {
                fail.trim().to_string()
            } else {
                format!(
                    "the notebook stopped before the check passed:\n{}",
                    run.tail(25)
                )
            };
            Err(format!("{where_}: {why}").into())
        }
    }
}
