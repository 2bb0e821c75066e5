//! Every exercise's check against plausible answers: each wrong answer listed in
//! `course/solutions/answers.json` must fail with its message, each right answer written
//! differently from the reference must pass. Each answer fills the reference solution's `⟦…⟧`
//! places in order and is graded in a student folder of its own
//! (`target/grader-tests/answers/`), the way `cargo test` grades a student.
//!
//! Where the lecture's sizes coincide (3.1, 3.4, 7.1) a swapped size gives the right shapes; the
//! hidden checks run the cell again with other sizes, and the lists hold such swaps.
use course::{Course, Grade, Verdict};
use std::time::Duration;

/// Grades `cell` as exercise `id` of `notebook`; returns the verdict and the message a student
/// reads.
fn grade(notebook: &str, id: &str, case: &str, cell: &str) -> (Verdict, String) {
    let mut course = Course::here();
    let path = course
        .course_notebooks_dir()
        .join(format!("{notebook}.ipynb"));
    let dir = course
        .target_dir()
        .join("grader-tests/answers")
        .join(format!("ex{}_{case}", id.replace('.', "_")));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for c in json["cells"].as_array_mut().unwrap() {
        if course::source_text_of(&c["source"]).starts_with(&format!("// Exercise {id}:")) {
            c["source"] = serde_json::Value::String(cell.to_string());
        }
    }
    std::fs::write(dir.join(format!("{notebook}.ipynb")), json.to_string()).unwrap();
    course.student_dir = dir;
    course.time_limit = Some(Duration::from_secs(120));
    let lecture = course.load(&path).unwrap();
    match course.grade(&lecture, id).unwrap() {
        Grade::Graded(verdict, _) => {
            let message = verdict.message(id, 0);
            (verdict, message)
        }
        Grade::Blank(why) => panic!("{id} case {case}: graded as blank: {why}"),
    }
}

/// Grades every answer listed for exercise `id`: at least two right ones and three wrong ones.
fn check_all(notebook: &str, id: &str) {
    let course = Course::here();
    let lecture = course
        .load(
            &course
                .course_notebooks_dir()
                .join(format!("{notebook}.ipynb")),
        )
        .unwrap();
    let solution = &lecture.solutions[id];
    let answers = course
        .other_answers()
        .unwrap()
        .remove(id)
        .unwrap_or_default();
    assert!(
        answers.right.len() >= 2 && answers.wrong.len() >= 3,
        "exercise {id}: answers.json must list at least 2 right and 3 wrong answers"
    );
    let graded = |case: String, fill: &[String]| {
        grade(notebook, id, &case, &solution.with_answers(fill).unwrap())
    };
    // Every answer at once, each in a folder of its own: the grader's run slots keep the
    // programs to one per core, and the last exercises' training runs no longer queue behind
    // one another on one core while the other has nothing left to do.
    let (right, wrong_ones) = std::thread::scope(|scope| {
        // Mutants listed as equivalent are right answers too.
        let right: Vec<_> = answers
            .right
            .iter()
            .chain(answers.equivalent.iter().map(|(a, _)| a))
            .enumerate()
            .map(|(k, fill)| scope.spawn(move || graded(format!("right{k}"), fill)))
            .collect();
        let wrong: Vec<_> = answers
            .wrong
            .iter()
            .enumerate()
            .map(|(k, (fill, _))| scope.spawn(move || graded(format!("wrong{k}"), fill)))
            .collect();
        let join = |handles: Vec<std::thread::ScopedJoinHandle<'_, (Verdict, String)>>| {
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect::<Vec<_>>()
        };
        (join(right), join(wrong))
    });
    let mut wrong = Vec::new();
    let right_answers = answers
        .right
        .iter()
        .chain(answers.equivalent.iter().map(|(a, _)| a));
    for (answer, (verdict, message)) in right_answers.zip(right) {
        if verdict != Verdict::Passed {
            wrong.push(format!("{answer:?} is right but failed: {message}"));
        }
    }
    for ((answer, says), (verdict, message)) in answers.wrong.iter().zip(wrong_ones) {
        if verdict == Verdict::Passed {
            wrong.push(format!("{answer:?} is wrong but passed"));
        } else if !message.contains(says.as_str()) {
            wrong.push(format!(
                "{answer:?} failed, but the message does not say {says:?}: {message}"
            ));
        }
    }
    assert!(wrong.is_empty(), "exercise {id}:\n{}", wrong.join("\n"));
}

#[test]
fn exercise_0_1_blanks_and_the_error_operator() {
    check_all("00_rust_and_tch", "0.1");
}

#[test]
fn exercise_0_2_borrowing() {
    check_all("00_rust_and_tch", "0.2");
}

#[test]
fn exercise_0_3_view_narrow_matmul() {
    check_all("00_rust_and_tch", "0.3");
}

#[test]
fn exercise_0_4_an_optimizer_step() {
    check_all("00_rust_and_tch", "0.4");
}

#[test]
fn exercise_0_5_a_function_and_a_struct() {
    check_all("00_rust_and_tch", "0.5");
}

#[test]
fn exercise_0_6_a_closure_and_an_iterator() {
    check_all("00_rust_and_tch", "0.6");
}

#[test]
fn exercise_1_1_or_weights() {
    check_all("01_perceptron_xor", "1.1");
}

#[test]
fn exercise_1_2_product_column() {
    check_all("01_perceptron_xor", "1.2");
}

#[test]
fn exercise_2_1_logits() {
    check_all("02_linear_classifier", "2.1");
}

#[test]
fn exercise_2_2_feed_the_training_data() {
    check_all("02_linear_classifier", "2.2");
}

#[test]
fn exercise_2_3_widths() {
    check_all("02_linear_classifier", "2.3");
}

#[test]
fn exercise_2_4_loss() {
    check_all("02_linear_classifier", "2.4");
}

#[test]
fn exercise_2_5_one_output_per_class() {
    check_all("02_linear_classifier", "2.5");
}

#[test]
fn exercise_4_1_naive_fibonacci() {
    check_all("04_recursion_dp", "4.1");
}

#[test]
fn exercise_4_2_memoised_fibonacci() {
    check_all("04_recursion_dp", "4.2");
}

#[test]
fn exercise_5_1_deltas() {
    check_all("05_backprop", "5.1");
}

#[test]
fn exercise_5_2_descent_step() {
    check_all("05_backprop", "5.2");
}

#[test]
fn exercise_3_1() {
    check_all("03_mlp_nonlinear", "3.1");
}

#[test]
fn exercise_3_2() {
    check_all("03_mlp_nonlinear", "3.2");
}

#[test]
fn exercise_3_3() {
    check_all("03_mlp_nonlinear", "3.3");
}

#[test]
fn exercise_3_4() {
    check_all("03_mlp_nonlinear", "3.4");
}

#[test]
fn exercise_3_5() {
    check_all("03_mlp_nonlinear", "3.5");
}

#[test]
fn exercise_3_6() {
    check_all("03_mlp_nonlinear", "3.6");
}

#[test]
fn exercise_6_1() {
    check_all("06_mnist_mlp", "6.1");
}

#[test]
fn exercise_6_2() {
    check_all("06_mnist_mlp", "6.2");
}

#[test]
fn exercise_6_3() {
    check_all("06_mnist_mlp", "6.3");
}

#[test]
fn exercise_7_1() {
    check_all("07_autoencoder", "7.1");
}

#[test]
fn exercise_7_2() {
    check_all("07_autoencoder", "7.2");
}
