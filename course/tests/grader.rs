//! The grader on untrusted answers: each case writes a student's copy of notebook 04 (exercise
//! 4.1, naive Fibonacci: quick to build and run) into a folder of its own and checks the verdict.
//! Right answers written differently must pass; wrong, forged, crashing, endless and edited ones
//! must fail with a message that names the cell.
use course::{Course, Grade, Verdict};
use serde_json::Value;
use std::time::Duration;

mod support;
use support::*;

#[test]
fn right_answers_written_differently_pass() {
    for (case, answer) in [
        ("match", "fn fib(n: u64) -> u64 {\n    match n {\n        0..=2 => 1,\n        _ => fib(n - 1) + fib(n - 2),\n    }\n}"),
        ("early_return", "fn fib(n: u64) -> u64 {\n    if n < 3 {\n        return 1;\n    }\n    fib(n - 2) + fib(n - 1)\n}"),
    ] {
        let (verdict, log) = grade(&answered(case, answer));
        assert_eq!(verdict, Verdict::Passed, "{case}: {log:?}");
    }
}

#[test]
fn a_wrong_answer_fails_its_check() {
    let (verdict, _) = grade(&answered("wrong", WRONG));
    assert!(
        matches!(&verdict, Verdict::CheckFailed(m) if m.starts_with("FAIL  Exercise 4.1: fib(10) = 256, expected 55")),
        "{verdict:?}"
    );
}

/// Finding 2: a forged PASS line and an early exit counted as a pass.
#[test]
fn a_forged_pass_line_and_an_early_exit_fail() {
    let forged =
        format!("{WRONG}\nprintln!(\"PASS  Exercise 4.1: done\");\nstd::process::exit(0);");
    let (verdict, _) = grade(&answered("forged_exit", &forged));
    assert!(
        matches!(&verdict, Verdict::ExitedBeforeCheck(status) if status.contains("0")),
        "{verdict:?}"
    );
    let message = verdict.message("exercise 4.1", 9);
    assert!(message.contains("exited before its check ran"), "{message}");
    // Returning early from the cells, and aborting, are no better.
    let (verdict, _) = grade(&answered(
        "early_return_ok",
        &format!("{WRONG}\nreturn Ok(());"),
    ));
    assert!(
        matches!(verdict, Verdict::ExitedBeforeCheck(_)),
        "{verdict:?}"
    );
    let (verdict, _) = grade(&answered(
        "abort",
        &format!("{RIGHT}\nstd::process::abort();"),
    ));
    assert!(
        matches!(&verdict, Verdict::ExitedBeforeCheck(s) if s.contains("signal")),
        "{verdict:?}"
    );
}

/// Finding 3: an edited check cell was run as the student left it.
#[test]
fn an_edited_check_cell_is_graded_as_the_course_shipped_it() {
    let course = student("edited_check", |cells| {
        let k = cell(cells, "// Exercise 4.1");
        cells[k]["source"] = Value::String(format!("{HEADER}{WRONG}"));
        let c = cell(cells, "// Check 4.1");
        cells[c]["source"] =
            Value::String("// Check 4.1\ncheck(\"Exercise 4.1\", true, \"looks fine\")?;".into());
        // and a locked lecture cell deleted
        let fac = cell(cells, "fn fac");
        cells.remove(fac);
    });
    let (verdict, _) = grade(&course);
    assert!(matches!(verdict, Verdict::CheckFailed(_)), "{verdict:?}");
    let lecture = course
        .load(&course.course_notebooks_dir().join(NOTEBOOK))
        .unwrap();
    let changed = lecture.changed_locked_cells().join("\n");
    assert!(
        changed.contains("cell 6 of the course's notebook was deleted or changed"),
        "{changed}"
    );
}

/// Finding 4: an endless exercise hung `cargo test` and left its program running.
#[test]
fn an_endless_loop_is_stopped_at_the_time_limit_with_everything_it_started() {
    let endless = "fn fib(n: u64) -> u64 {\n    let _child = std::process::Command::new(\"sleep\").arg(\"1000\").spawn();\n    loop {}\n}";
    let mut course = answered("endless", endless);
    course.time_limit = Some(Duration::from_secs(2));
    let started = std::time::Instant::now();
    let (verdict, _) = grade(&course);
    assert_eq!(verdict, Verdict::TimedOut(2));
    assert!(started.elapsed() < Duration::from_secs(120));
    let message = verdict.message("exercise 4.1", 9);
    assert!(message.contains("did not finish in 2 s"), "{message}");
    std::thread::sleep(Duration::from_millis(200));
    let program = course.program_name(
        &course
            .load(&course.course_notebooks_dir().join(NOTEBOOK))
            .unwrap(),
        &course::Variant::StudentExercise(EXERCISE.into()),
    );
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let cmdline = String::from_utf8_lossy(&cmdline);
        assert!(
            !cmdline.contains(&program) && !cmdline.starts_with("sleep\u{0}1000"),
            "still running: {cmdline}"
        );
    }
}

/// Finding 5: a libtorch error buried its reason in two backtraces and named no cell.
#[test]
fn a_runtime_error_names_the_cell_line_and_first_line_of_the_message() {
    let panics = "fn fib(n: u64) -> u64 {\n    let a = Tensor::ones([3, 1], (Kind::Float, Device::Cpu));\n    let b = Tensor::ones([2, 3], (Kind::Float, Device::Cpu));\n    let _ = a.matmul(&b);\n    1\n}";
    let (verdict, log) = grade(&answered("panics", panics));
    match &verdict {
        Verdict::Stopped {
            cell: 9,
            line: Some(line),
            message,
        } => {
            assert_eq!(
                *line, 6,
                "the matmul line of the cell (after the 2 header lines)"
            );
            assert_eq!(
                message,
                "mat1 and mat2 shapes cannot be multiplied (3x1 and 2x3)"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(log.unwrap().is_file(), "the full output is kept");
    let errs = "fn fib(n: u64) -> u64 { 1 }\nlet bad = Tensor::ones([2], (Kind::Float, Device::Cpu)).f_view([3])?;";
    let (verdict, _) = grade(&answered("errs", errs));
    assert!(
        matches!(&verdict, Verdict::Stopped { cell: 9, line: Some(4), message } if message.starts_with("shape '[3]' is invalid")),
        "{verdict:?}"
    );
}

#[test]
fn cells_that_shadow_checks_or_reach_into_the_grader_are_refused() {
    let shadow = format!(
        "{WRONG}\nfn check(_: &str, _: bool, _: impl AsRef<str>) -> Result<()> {{ Ok(()) }}"
    );
    let (verdict, _) = grade(&answered("shadow", &shadow));
    assert!(matches!(verdict, Verdict::Refused(_)), "{verdict:?}");
    let reach = format!("{WRONG}\nlectureutil::script::__check_returned(\"4.1\");");
    let (verdict, _) = grade(&answered("reach", &reach));
    assert!(matches!(verdict, Verdict::Refused(_)), "{verdict:?}");
}

#[test]
fn moved_cells_outputs_and_metadata_do_not_matter_but_a_deleted_exercise_does() {
    let course = student("jupyterlab_saved", |cells| {
        let k = cell(cells, "// Exercise 4.1");
        let mut ex = cells.remove(k);
        ex["source"] = Value::String(format!("{HEADER}{RIGHT}"));
        ex["execution_count"] = Value::from(7);
        ex["outputs"] = serde_json::json!([{"output_type": "stream", "name": "stdout", "text": ["PASS  Exercise 4.1: x\n"]}]);
        ex["metadata"] = serde_json::json!({"collapsed": false, "scrolled": true});
        cells.push(ex);
    });
    assert_eq!(grade(&course).0, Verdict::Passed);
    let course = student("deleted", |cells| {
        let k = cell(cells, "// Exercise 4.1");
        cells.remove(k);
    });
    let (verdict, _) = grade(&course);
    assert!(
        matches!(&verdict, Verdict::Refused(why) if why.contains("restore")),
        "{verdict:?}"
    );
}

/// Finding 6: `cargo test` redid every run each time. A run whose inputs did not change is
/// served from the cache; a changed answer is run again.
#[test]
fn unchanged_work_is_not_redone_and_changed_work_is() {
    let mut course = answered("cached", &format!("// cached\n{RIGHT}"));
    course.use_cache = true;
    let lecture = course
        .load(&course.course_notebooks_dir().join(NOTEBOOK))
        .unwrap();
    let variant = course::Variant::StudentExercise(EXERCISE.into());
    // Forget an earlier test run's result, so that the first run here is a real one.
    let source = lecture.script(&variant).unwrap().source;
    let key = course.cache_key(&["run", &course.program_name(&lecture, &variant), &source]);
    course.forget("run", &key);
    let first = course.run(&lecture, &variant).unwrap();
    let again = course.run(&lecture, &variant).unwrap();
    assert_eq!(first.cached, None, "a new answer is run");
    assert!(again.cached.is_some(), "the same answer is not run again");
    assert_eq!(Verdict::of(&again, EXERCISE), Verdict::Passed);
    let mut changed = answered("cached", &format!("// cached, edited\n{WRONG}"));
    changed.use_cache = true;
    let lecture = changed
        .load(&changed.course_notebooks_dir().join(NOTEBOOK))
        .unwrap();
    let source = lecture.script(&variant).unwrap().source;
    let key = course.cache_key(&["run", &course.program_name(&lecture, &variant), &source]);
    changed.forget("run", &key);
    let edited = changed.run(&lecture, &variant).unwrap();
    assert_eq!(edited.cached, None);
    assert!(matches!(
        Verdict::of(&edited, EXERCISE),
        Verdict::CheckFailed(_)
    ));
}

/// A notebook's answers run together first; one wrong answer must not decide another's verdict.
#[test]
fn answers_run_together_then_alone_when_one_fails() {
    const MEMO: &str = "fn mfib(n: usize, memo: &mut [u64]) -> u64 {\n    if memo[n - 1] != 0 {\n        memo[n - 1]\n    } else if n <= 2 {\n        memo[n - 1] = 1;\n        memo[n - 1]\n    } else {\n        memo[n - 1] = mfib(n - 1, memo) + mfib(n - 2, memo);\n        memo[n - 1]\n    }\n}";
    const MEMO_HEADER: &str = "// Exercise 4.2: the memoised Fibonacci. When F(n) is not in the table yet, compute it from the\n// two smaller subproblems, store it, and return it.\n";
    for (case, fib, first_passes) in [
        ("together_right", RIGHT, true),
        ("together_wrong", WRONG, false),
    ] {
        let course = student(case, |cells| {
            let k = cell(cells, "// Exercise 4.1");
            cells[k]["source"] = Value::String(format!("{HEADER}{fib}"));
            let k = cell(cells, "// Exercise 4.2");
            cells[k]["source"] = Value::String(format!("{MEMO_HEADER}{MEMO}"));
        });
        let lecture = course
            .load(&course.course_notebooks_dir().join(NOTEBOOK))
            .unwrap();
        let combined = course.combined_run(&lecture).unwrap().expect("two answers");
        for (id, passes) in [("4.1", first_passes), ("4.2", true)] {
            match course.grade_with(&lecture, id, Some(&combined)).unwrap() {
                Grade::Graded(verdict, _) => {
                    assert_eq!(verdict.passed(), passes, "{case} {id}: {verdict:?}")
                }
                Grade::Blank(why) => panic!("{why}"),
            }
        }
    }
}

/// Exercise 1.2's visible check accepts any third column that makes XOR separable, the label
/// itself among them; the hidden check in the solutions file does not, graded alone or in the
/// run of all answers together (as `cargo test` grades first).
#[test]
fn a_hidden_check_catches_what_the_visible_one_lets_through() {
    let mut course = Course::here();
    let dir = course.target_dir().join("grader-tests/case_hidden");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let name = "01_perceptron_xor.ipynb";
    let path = course.course_notebooks_dir().join(name);
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cells = json["cells"].as_array_mut().unwrap();
    let k = cell(cells, "// Exercise 1.2");
    let blank = source(&cells[k]);
    cells[k]["source"] = Value::String(blank.replace("&?], 1)", "&xor_y], 1)"));
    let k = cell(cells, "// Exercise 1.1");
    let blank = source(&cells[k]);
    cells[k]["source"] = Value::String(blank.replace("[?, ?, ?]", "[-0.5, 1.0, 1.0]"));
    std::fs::write(dir.join(name), serde_json::to_string(&json).unwrap()).unwrap();
    course.student_dir = dir;
    let lecture = course.load(&path).unwrap();
    let combined = course.combined_run(&lecture).unwrap().expect("two answers");
    let alone = course.grade(&lecture, "1.2").unwrap();
    let together = course.grade_with(&lecture, "1.2", Some(&combined)).unwrap();
    for grade in [alone, together] {
        match grade {
            Grade::Graded(Verdict::CheckFailed(fail), _) => {
                assert!(fail.contains("not the lecture's φ"), "{fail}")
            }
            other => panic!("{other:?}"),
        }
    }
    match course.grade_with(&lecture, "1.1", Some(&combined)).unwrap() {
        Grade::Graded(verdict, _) => assert!(verdict.passed(), "1.1: {verdict:?}"),
        other => panic!("{other:?}"),
    }
}

/// An exercise cell may not bind what its check uses from the course's cells: the check would
/// call or measure the student's version (a `fn neuron` in 1.1 that computes OR whatever the
/// weights; `train_y` rebound to the model's own predictions in 3.3). The reference answers and
/// every right answer of `answers.json` are let through.
#[test]
fn cells_that_shadow_what_their_check_uses_are_refused() {
    let course = Course::here();
    let load = |stem: &str| {
        course
            .load(&course.course_notebooks_dir().join(format!("{stem}.ipynb")))
            .unwrap()
    };
    let nb01 = load("01_perceptron_xor");
    let fake_neuron = "fn neuron(w: [f64; 3], x1: f64, x2: f64) -> f64 { if x1 + x2 > 0.0 { 1.0 } else { 0.0 } }\nlet w_or = [0.0, 0.0, 0.0];";
    let why = nb01.refusal("1.1", fake_neuron).expect("fn neuron refused");
    assert!(why.contains("`neuron`, which the check cell uses"), "{why}");
    // Passed check 1.1 with weights that compute nothing, before patterns were looked into.
    let fake_check = "let w_or = [0.0, 0.0, 0.0];\nlet [check] = [|e: &str, _: bool, _: String| -> anyhow::Result<()> { println!(\"PASS  {e}\"); Ok(()) }];";
    let why = nb01
        .refusal("1.1", fake_check)
        .expect("let [check] refused");
    assert!(why.contains("line 2: the cell defines `check`"), "{why}");
    // Passed check 1.1 too: a `Vec` of its own whose `is_empty` says yes.
    let fake_vec = "let w_or = [0.0, 0.0, 0.0];\nstruct Vec<T>(std::vec::Vec<T>);\nimpl<T> Vec<T> { fn is_empty(&self) -> bool { true } fn join(&self, _: &str) -> String { String::new() } }\nimpl<T> FromIterator<T> for Vec<T> { fn from_iter<I: IntoIterator<Item = T>>(i: I) -> Self { Vec(i.into_iter().collect()) } }";
    let why = nb01.refusal("1.1", fake_vec).expect("struct Vec refused");
    assert!(why.contains("line 2: the cell defines `Vec`"), "{why}");
    let nb03 = load("03_mlp_nonlinear");
    let cheat = nb03.solution("3.3").unwrap().solved()
        + "\nlet train_y = build_model(&train_x, &weights, &biases).softmax(-1, Kind::Float);";
    assert!(
        nb03.refusal("3.3", &cheat).is_some(),
        "train_y rebound in 3.3"
    );
    // What one answer binds for the cells after it keeps it out of the combined run.
    let w_or = "let w_or = [-0.5, 1.0, 1.0];";
    assert!(nb01.keeps_to_itself("1.1", w_or));
    assert!(nb01.keeps_to_itself("1.1", &format!("let ors_own_temporary = 1;\n{w_or}")));
    for meddling in [
        "mod data { pub fn xor_table() -> (Tensor, Tensor) { todo!() } }",
        "let sigmoid_cross_entropy_with_logits = |a: &Tensor, _: &Tensor| a.shallow_clone();",
        "let seed_everything = |_: i64| ();",
        "mod mine { pub fn seed_everything(_: i64) {} }\nuse mine::*;",
    ] {
        let cell = format!("{w_or}\n{meddling}");
        assert!(nb01.refusal("1.1", &cell).is_none(), "{cell}");
        assert!(!nb01.keeps_to_itself("1.1", &cell), "{cell}");
    }
    let answers = course.other_answers().unwrap();
    for stem in course.notebook_stems().unwrap() {
        let lecture = load(&stem);
        for (id, solution) in &lecture.solutions {
            let mut cells = vec![solution.solved()];
            for right in answers.get(id).map(|a| a.right.clone()).unwrap_or_default() {
                cells.push(solution.with_answers(&right).unwrap());
            }
            assert!(lecture.keeps_to_itself(id, &solution.solved()), "{id}");
            for cell in cells {
                assert_eq!(lecture.refusal(id, &cell), None, "{id}: {cell}");
            }
        }
    }
}
