//! Every exercise's check against plausible answers: each wrong answer listed must fail, each
//! right answer written differently from the reference must pass. Each answer fills the
//! reference solution's `⟦…⟧` places in order and is graded in a student folder of its own
//! (`target/grader-tests/answers/`), the way `cargo test` grades a student.
//!
//! The notebooks here are the ones whose runs take seconds (1, 4, 5); the exercises of the
//! training notebooks are held to their hidden checks by the reference and blank tests.
use course::{Course, Grade, Verdict};
use std::time::Duration;

/// How an answer must be graded.
enum Want {
    /// It passes.
    Pass,
    /// It fails, and the message says this.
    Fail(&'static str),
}
use Want::{Fail, Pass};

/// Grades `answers` (one string per `⟦…⟧` of the reference solution) to exercise `id` of
/// `notebook`; returns the verdict and the message a student reads.
fn grade(notebook: &str, id: &str, case: usize, answers: &[&str]) -> (Verdict, String) {
    let mut course = Course::here();
    let path = course
        .course_notebooks_dir()
        .join(format!("{notebook}.ipynb"));
    let lecture = course.load(&path).unwrap();
    let marked = &lecture.solutions[id].marked;
    let mut cell = String::new();
    let mut rest = marked.as_str();
    for answer in answers {
        let (before, after) = rest.split_once('⟦').expect("as many answers as ⟦…⟧");
        let (_, after) = after.split_once('⟧').unwrap();
        cell.push_str(before);
        cell.push_str(answer);
        rest = after;
    }
    assert!(!rest.contains('⟦'), "{id}: fewer answers than ⟦…⟧");
    cell.push_str(rest);

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
            c["source"] = serde_json::Value::String(cell.clone());
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

fn check_all(notebook: &str, id: &str, cases: &[(&[&str], Want)]) {
    let mut wrong = Vec::new();
    for (k, (answers, want)) in cases.iter().enumerate() {
        let (verdict, message) = grade(notebook, id, k, answers);
        match want {
            Pass if verdict != Verdict::Passed => {
                wrong.push(format!("{answers:?} is right but failed: {message}"))
            }
            Fail(_) if verdict == Verdict::Passed => {
                wrong.push(format!("{answers:?} is wrong but passed"))
            }
            Fail(says) if !message.contains(says) => wrong.push(format!(
                "{answers:?} failed, but the message does not say {says:?}: {message}"
            )),
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "exercise {id}:\n{}", wrong.join("\n"));
}

#[test]
fn exercise_1_1_or_weights() {
    check_all(
        "01_perceptron_xor",
        "1.1",
        &[
            (&["-1.0", "2.0", "2.0"], Pass),
            (&["-0.1", "0.5", "0.5"], Pass),
            (
                &["0.5", "1.0", "1.0"],
                Fail("OR(0, 0) gives 1 instead of 0"),
            ),
            (
                &["-1.5", "1.0", "1.0"],
                Fail("OR(0, 1) gives 0 instead of 1"),
            ),
            (
                &["-0.5", "1.0", "0.0"],
                Fail("OR(0, 1) gives 0 instead of 1"),
            ),
            (&["-0.5", "-1.0", "-1.0"], Fail("instead of 1")),
        ],
    );
}

#[test]
fn exercise_1_2_product_column() {
    check_all(
        "01_perceptron_xor",
        "1.2",
        &[
            (&["(&x2 * &x1)"], Pass),
            (&["x1.multiply(&x2)"], Pass),
            (&["xor_y"], Fail("not the lecture's φ")),
            (&["(&x1 + &x2)"], Fail("Exercise 1.2")),
            (&["x1.shallow_clone()"], Fail("Exercise 1.2")),
            (&["xor_x"], Fail("shapes cannot be multiplied")),
        ],
    );
}

#[test]
fn exercise_4_2_memoised_fibonacci() {
    check_all(
        "04_recursion_dp",
        "4.2",
        &[
            (&["mfib(n - 2, memo) + mfib(n - 1, memo)"], Pass),
            (
                &["{ let a = mfib(n - 1, memo); a + mfib(n - 2, memo) }"],
                Pass,
            ),
            // Not memoised: without the planted-table probe these ran for ages.
            (&["fib(n as u64)"], Fail("expected 2: take known values")),
            (
                &["mfib(n - 1, memo) + fib((n - 2) as u64)"],
                Fail("expected 2: take known values"),
            ),
            (
                &["mfib(n - 1, memo) + mfib(n - 1, memo)"],
                Fail("expected fib(30) = 832040"),
            ),
            (
                &["mfib(n - 1, memo) + 1"],
                Fail("expected fib(30) = 832040"),
            ),
        ],
    );
}

#[test]
fn exercise_5_1_deltas() {
    check_all(
        "05_backprop",
        "5.1",
        &[
            (
                &[
                    "(&y_hat * (1.0 - &y_hat))",
                    "w2.transpose(0, 1)",
                    "((-&h + 1.0) * &h)",
                ],
                Pass,
            ),
            (
                &["(&y_hat - &y_hat * &y_hat)", "w2.tr()", "(&h - &h * &h)"],
                Pass,
            ),
            // The derivative at the output forgotten.
            (
                &["1.0", "w2.tr()", "(&h * (-&h + 1.0))"],
                Fail("Exercise 5.1"),
            ),
            // The sigmoid itself instead of its derivative.
            (
                &["y_hat.shallow_clone()", "w2.tr()", "(&h * (-&h + 1.0))"],
                Fail("Exercise 5.1"),
            ),
            // The hidden layer's derivative forgotten.
            (
                &["(&y_hat * (-&y_hat + 1.0))", "w2.tr()", "1.0"],
                Fail("Exercise 5.1"),
            ),
            // W2 not transposed: the shapes do not fit.
            (
                &[
                    "(&y_hat * (-&y_hat + 1.0))",
                    "w2.shallow_clone()",
                    "(&h * (-&h + 1.0))",
                ],
                Fail("cell"),
            ),
        ],
    );
}

#[test]
fn exercise_5_2_descent_step() {
    let right = [
        "&grad_w1 * lr",
        "&grad_b1 * lr",
        "&grad_w2 * lr",
        "&grad_b2 * lr",
    ];
    let with = |k: usize, answer: &'static str| {
        let mut a = right;
        a[k] = answer;
        a
    };
    check_all(
        "05_backprop",
        "5.2",
        &[
            (
                &[
                    "lr * &grad_w1",
                    "lr * &grad_b1",
                    "lr * &grad_w2",
                    "lr * &grad_b2",
                ],
                Pass,
            ),
            (
                &[
                    "grad_w1.g_mul_scalar(lr)",
                    "&grad_b1 * 0.5",
                    "&grad_w2 / 2.0",
                    "grad_b2.g_mul_scalar(lr)",
                ],
                Pass,
            ),
            // The learning rate forgotten on one bias: the visible check looks at W1 only.
            (
                &with(1, "grad_b1.shallow_clone()"),
                Fail("difference of the new b1"),
            ),
            (
                &with(3, "&grad_b2 * lr * lr"),
                Fail("difference of the new b2"),
            ),
            // Uphill.
            (&with(2, "-&grad_w2 * lr"), Fail("difference of the new W2")),
            (&with(0, "&grad_w1 * 0.1"), Fail("difference from w1")),
        ],
    );
}
