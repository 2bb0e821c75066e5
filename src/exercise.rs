//! Check helpers for the notebooks' check cells.
//!
//! A check prints a line that starts with `PASS` and returns `Ok`, or returns an error that
//! starts with `FAIL`, names the exercise and says what was expected. In a notebook the `?` after
//! a check stops the cell with that message; in a generated script it ends the program with it,
//! which is how `cargo test` grades.

use anyhow::{bail, Result};
use tch::{Kind, Tensor};

/// How the PASS line of the check of exercise `id` begins (`PASS  Exercise 2.1:`): what the
/// graders look for in a notebook's output.
pub fn pass_line_start(id: &str) -> String {
    format!("PASS  Exercise {id}:")
}

/// Passes when `ok`; `what` says what was checked (shown either way).
pub fn check(exercise: &str, ok: bool, what: impl AsRef<str>) -> Result<()> {
    let what = what.as_ref();
    if ok {
        println!("PASS  {exercise}: {what}");
        Ok(())
    } else {
        bail!("FAIL  {exercise}: {what}")
    }
}

/// Passes when `value ≥ floor`.
pub fn check_at_least(exercise: &str, what: &str, value: f64, floor: f64) -> Result<()> {
    check(
        exercise,
        value >= floor,
        format!("{what} = {value:.4}, expected at least {floor}"),
    )
}

/// Passes when `value ≤ ceiling`.
pub fn check_at_most(exercise: &str, what: &str, value: f64, ceiling: f64) -> Result<()> {
    check(
        exercise,
        value <= ceiling,
        format!("{what} = {value:.4}, expected at most {ceiling}"),
    )
}

/// Passes when `|value − expected| ≤ tolerance` (a NaN never passes).
pub fn check_close(
    exercise: &str,
    what: &str,
    value: f64,
    expected: f64,
    tolerance: f64,
) -> Result<()> {
    check(
        exercise,
        (value - expected).abs() <= tolerance,
        format!("{what} = {value}, expected {expected} (± {tolerance})"),
    )
}

/// Passes when every shape from a rerun of an exercise cell with other sizes than the lecture's
/// has, in each dimension, the size its role names: where the lecture's sizes coincide (3.1's are
/// all 2), this tells them apart. `sizes` are `(name, value in the rerun, value in the lecture)`;
/// each shape is `(what, its shape in the rerun, the size's name of each dimension)`. A dimension
/// may also be the lecture's value of its size, a number written out (right, if less general).
pub fn check_roles(
    exercise: &str,
    sizes: &[(&str, i64, i64)],
    shapes: &[(&str, Vec<i64>, &[&str])],
) -> Result<()> {
    let size = |name: &str| sizes.iter().find(|s| s.0 == name).copied();
    let rerun = sizes
        .iter()
        .map(|(name, value, _)| format!("{name} = {value}"))
        .collect::<Vec<_>>()
        .join(", ");
    for (what, got, roles) in shapes {
        let expected: Vec<i64> = roles.iter().map(|r| size(r).map_or(-1, |s| s.1)).collect();
        let wrong = (0..roles.len()).find(|&i| match (got.get(i), size(roles[i])) {
            (Some(g), Some((_, rerun, lecture))) => *g != rerun && *g != lecture,
            _ => true,
        });
        if got.len() != roles.len() || wrong.is_some() {
            let why = match wrong.filter(|_| got.len() == roles.len()) {
                Some(i) => {
                    let other = sizes
                        .iter()
                        .find(|s| s.1 == got[i])
                        .map(|s| format!(", not {}", s.0))
                        .unwrap_or_default();
                    format!(": its size {} is {}{other}", i + 1, roles[i])
                }
                None => String::new(),
            };
            bail!(
                "FAIL  {exercise}: run again with {rerun} (other sizes than the lecture's, so that \
                 each size's role shows), {what} is {got:?}, expected {expected:?}{why}"
            );
        }
    }
    println!("PASS  {exercise}: each size in its place (run again with {rerun})");
    Ok(())
}

/// The shapes of a cell's tensors, in a fixed order.
pub type Shapes = Vec<Vec<i64>>;

/// Passes when every shape from reruns of an exercise cell with one size changed at a time (or
/// the sizes of the cells before changed) is what that run's sizes give. [`check_roles`] changes
/// all sizes at once, so a size set from another that the lecture has equal (`n_output =
/// n_hidden`, both 2) passes it; here it shows. Each run is `(what changed, its shapes, the
/// shapes its sizes give)`, each shape named by `names`; a dimension may also be the `lecture`'s
/// value, a number written out (right, if less general).
pub fn check_each_alone(
    exercise: &str,
    names: &[&str],
    lecture: &[Vec<i64>],
    runs: &[(&str, Shapes, Shapes)],
) -> Result<()> {
    let mut wrong = Vec::new();
    for (changed, got, expected) in runs {
        // A run with shapes missing (or extra) is wrong as a whole, not cut to the shortest.
        if got.len() != names.len() || expected.len() != names.len() {
            wrong.push(format!(
                "run again with {changed}, {} shapes, expected {}",
                got.len(),
                names.len()
            ));
            continue;
        }
        let shapes = names.iter().zip(got).zip(expected).zip(lecture);
        for (((name, got), expected), lecture) in shapes {
            let fits = got.len() == expected.len()
                && got
                    .iter()
                    .zip(expected)
                    .zip(lecture)
                    .all(|((g, e), l)| g == e || g == l);
            if !fits {
                wrong.push(format!(
                    "run again with {changed}, {name} is {got:?}, expected {expected:?}"
                ));
            }
        }
    }
    if !wrong.is_empty() {
        bail!(
            "FAIL  {exercise}: {}: set each size by itself, not from another that the lecture \
             has equal",
            wrong.join("; ")
        );
    }
    let changed: Vec<_> = runs.iter().map(|r| r.0).collect();
    println!(
        "PASS  {exercise}: each size set by itself (run again with {})",
        changed.join(", then ")
    );
    Ok(())
}

/// Fraction of rows where `predicted` and `target` pick the same class. Both are `n × k`
/// scores (argmax per row) or, for `k = 1`, probabilities/logits thresholded like the lecture:
/// logits at 0 (`sigmoid > 0.5`), targets at 0.5.
pub fn accuracy(logits: &Tensor, target: &Tensor) -> f64 {
    let (pred, truth) = if logits.size().last() == Some(&1) {
        (logits.gt(0.0), target.gt(0.5))
    } else {
        (logits.argmax(-1, false), target.argmax(-1, false))
    };
    // Count, then divide in f64: a float32 mean differs in its last bits between CPU and CUDA.
    let correct = pred.eq_tensor(&truth).sum(Kind::Int64).int64_value(&[]);
    correct as f64 / pred.numel() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_tell_apart_sizes_the_lecture_has_equal() {
        let sizes = [("n_input", 3, 2), ("n_hidden", 5, 2), ("n_output", 6, 2)];
        let roles: &[&str] = &["n_input", "n_hidden"];
        assert!(check_roles("Exercise 3.1", &sizes, &[("w", vec![3, 5], roles)]).is_ok());
        // The lecture's 2 written out is right.
        assert!(check_roles("Exercise 3.1", &sizes, &[("w", vec![3, 2], roles)]).is_ok());
        let err = check_roles("Exercise 3.1", &sizes, &[("w", vec![3, 6], roles)])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("w is [3, 6], expected [3, 5]: its size 2 is n_hidden, not n_output"),
            "{err}"
        );
        assert!(check_roles("Exercise 3.1", &sizes, &[("w", vec![3], roles)]).is_err());
    }

    #[test]
    fn each_size_alone_shows_a_size_set_from_an_equal_one() {
        let names = ["w_hidden", "w_output"];
        let lecture = [vec![2, 2], vec![2, 2]];
        // Only n_hidden = 5: [n_input, n_hidden] and [n_hidden, n_output].
        let graded = |got: &[Vec<i64>]| {
            let run = (
                "only n_hidden = 5",
                got.to_vec(),
                vec![vec![2, 5], vec![5, 2]],
            );
            check_each_alone("Exercise 3.1", &names, &lecture, &[run])
        };
        assert!(graded(&[vec![2, 5], vec![5, 2]]).is_ok());
        // The lecture's 2 written out stays 2: right.
        assert!(graded(&[vec![2, 2], vec![2, 2]]).is_ok());
        // `n_output = n_hidden`: the output layer follows n_hidden.
        let err = graded(&[vec![2, 5], vec![5, 5]]).unwrap_err().to_string();
        assert!(
            err.starts_with("FAIL  Exercise 3.1: run again with only n_hidden = 5, w_output is [5, 5], expected [5, 2]: set each size by itself"),
            "{err}"
        );
        assert!(graded(&[vec![2, 5], vec![5]]).is_err());
        // A shape missing from the run fails rather than going unchecked.
        assert!(graded(&[vec![2, 5]]).is_err());
    }

    #[test]
    fn checks_pass_and_fail_with_the_exercise_named() {
        assert!(check_at_least("Exercise 2a", "accuracy", 0.99, 0.98).is_ok());
        let err = check_at_least("Exercise 2a", "accuracy", 0.5, 0.98)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("FAIL  Exercise 2a: accuracy = 0.5000, expected at least 0.98"),
            "{err}"
        );
        assert!(check_at_most("e", "loss", f64::NAN, 1.0).is_err());
        assert!(check_close("e", "fac(5)", 120.0, 120.0, 0.0).is_ok());
        assert!(check_close("e", "x", f64::NAN, 1.0, 1.0).is_err());
    }

    #[test]
    fn accuracy_handles_logits_and_one_hot() {
        let logits = Tensor::from_slice(&[2.0f32, -1.0, 0.5, -3.0]).view([4, 1]);
        let target = Tensor::from_slice(&[1.0f32, 0.0, 0.0, 0.0]).view([4, 1]);
        assert_eq!(accuracy(&logits, &target), 0.75);
        let scores = Tensor::from_slice(&[0.1f32, 0.9, 0.8, 0.2]).view([2, 2]);
        let one_hot = Tensor::from_slice(&[0.0f32, 1.0, 0.0, 1.0]).view([2, 2]);
        assert_eq!(accuracy(&scores, &one_hot), 0.5);
        // 5 of 50: exactly 0.1, as on CUDA (a float32 mean gave 0.099999994 there).
        let logits =
            Tensor::from_slice(&[[1.0f32; 5].as_slice(), &[-1.0; 45]].concat()).view([50, 1]);
        assert_eq!(
            accuracy(
                &logits,
                &Tensor::ones([50, 1], (Kind::Float, tch::Device::Cpu))
            ),
            0.1
        );
    }
}
