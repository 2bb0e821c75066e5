use super::*;

fn mutated(answer: &str, names: &[&str]) -> Vec<String> {
    let names = names.iter().map(|s| s.to_string()).collect();
    let mut numbers = BTreeMap::new();
    numbers.insert("lr".to_string(), Number::Float);
    edits(answer, &Scope { names, numbers })
        .into_iter()
        .map(|e| {
            format!(
                "{}{}{}",
                &answer[..e.range.start],
                e.to,
                &answer[e.range.end..]
            )
        })
        .collect()
}

#[test]
fn each_operator_edits_its_span_and_keeps_the_rest() {
    let m = mutated("g(n - 1) + g(n - 2)", &["n", "m"]);
    for expected in [
        "g(n - 1) - g(n - 2)",
        "g(n - 1)",
        "g(n - 2)",
        "g(n + 1) + g(n - 2)",
        "g(n - 0) + g(n - 2)",
        "g(m - 1) + g(n - 2)",
        "g(1 - n) + g(n - 2)",
        "Default::default()",
    ] {
        assert!(m.contains(&expected.to_string()), "{expected} not in {m:?}");
    }
    assert!(
        !m.contains(&"g(n - 2) + g(n - 1)".to_string()),
        "+ commutes"
    );
    let m = mutated(
        "vs.root().var(\"w\", &[n_input, n_hidden], init)",
        &["n_input", "n_hidden", "n_output"],
    );
    assert!(m.contains(&"vs.root().var(\"w\", &[n_hidden, n_input], init)".to_string()));
    assert!(m.contains(&"vs.root().var(\"w\", &[n_input, n_output], init)".to_string()));
    let m = mutated("x.narrow(1, 0, 2).sigmoid()", &[]);
    for expected in [
        "x.narrow(1, (0) + 1, 2).sigmoid()",
        "x.narrow(1, 0, 2).tanh()",
        "x.narrow(1, 0, 2)",
        "x.narrow(1, 0, 4).sigmoid()",
    ] {
        assert!(m.contains(&expected.to_string()), "{expected} not in {m:?}");
    }
    let m = mutated("-0.5", &[]);
    for expected in ["0.5", "-0.0", "-1.0", "-0.25", "-1.5"] {
        assert!(m.contains(&expected.to_string()), "{expected} not in {m:?}");
    }
    assert!(!m.iter().any(|m| m.starts_with("--")), "{m:?}");
    assert!(mutated("3.0f64", &[]).contains(&"1.5f64".to_string()));
    assert!(mutated("lr", &[]).contains(&"lr / 10.0".to_string()));
}

#[test]
fn names_of_a_kind() {
    assert!(same_kind("n_input", "n_hidden"));
    assert!(same_kind("train_x", "test_x"));
    assert!(same_kind("z0", "z1"));
    assert!(same_kind("x", "y"));
    assert!(!same_kind("x", "x"));
    assert!(!same_kind("pred", "loss"));
    assert!(!same_kind("n_input", "lr"));
}
