use super::{refusal_protecting, Protected, CHECK_HELPERS};

/// The refusal of a cell whatever its exercise: the check helpers protected, and the items
/// of a check such as 1.1's.
fn refusal(src: &str) -> Option<String> {
    let names = CHECK_HELPERS.iter().map(|s| s.to_string()).collect();
    let items = ["Vec", "String", "f64", "format", "neuron"];
    let items = items.iter().map(|s| s.to_string()).collect();
    let traits = false;
    refusal_protecting(
        src,
        &Protected {
            names,
            items,
            traits,
        },
    )
}

#[test]
fn cells_that_reach_into_the_grader_or_shadow_checks_are_refused() {
    for bad in [
        "lectureutil::script::__check_returned(\"2.1\");",
        "use lectureutil::script as s;",
        "fn check(_: &str, _: bool, _: &str) -> Result<()> { Ok(()) }",
        "let check = |_: &str, _: bool, _: &str| -> Result<()> { Ok(()) };",
        "let (a, check) = (1, 2);",
        "use lectureutil::prelude::check_close as check;",
        "macro_rules! check { ($($t:tt)*) => { Ok::<(), anyhow::Error>(()) } }",
        "fn accuracy(_: &Tensor, _: &Tensor) -> f64 { 1.0 }",
        "fn check_each_alone(_: &str, _: &[&str], _: &[Vec<i64>], _: &[()]) -> Result<()> { Ok(()) }",
        "let v = std::env::var(GRADER_ENV);",
        "let [check] = [fake];",
        "let ref check = fake;",
        "let (ref mut check, _) = (fake, 1);",
        "struct S<F> { check: F }\nlet S { check } = S { check: fake };",
        "let S { check: _, accuracy } = s;",
        "let Wrap(check) = Wrap(fake);",
        "let Some(check) = Some(fake) else { return Ok(()) };",
        "struct Vec<T>(std::vec::Vec<T>);",
        "enum String { A }",
        "type f64 = f32;",
        "mod m { pub fn f() {} }\nuse m::f as neuron;",
        "use std::collections::HashSet as Vec;",
        "use cheat::{Vec};",
        "use cheat::{a::{b, Vec}, c};",
        "macro_rules! format { ($($t:tt)*) => { String::new() } }",
        "trait Vec {}",
        "macro_rules! m { ($n:ident) => { fn $n(_: &str, _: bool, _: &str) {} }; }\nm!(check);",
        "let secret = include_str!(\"../../course/solutions/01_perceptron_xor.rs\");",
        "let b = core::include_bytes!(\"/etc/hostname\");",
        "use std::include_str as read;\nlet s = read!(\"x\");",
        "use std::{io, env as e};\nlet h = e!(\"HOME\");",
        "let h = env!(\"HOME\");",
        "let h = option_env!(\"HOME\");",
        "include!(\"/tmp/x.rs\");",
        "#[path = \"/tmp/x.rs\"]\nmod x;",
        "let r = r#include_str!(\"x\");",
        "let v = unsafe { std::mem::zeroed::<u8>() };",
        "trait Cheat { fn forward(self) -> i64; }",
        "impl Cheat for nn::Linear { fn forward(self) -> i64 { 1 } }",
        "#[allow(unused)]\nimpl<T> Cheat for T {}",
        // Forms the hand-made lexer never modelled.
        "fn r#check(_: &str, _: bool, _: &str) {}",
        "let r#accuracy = 1.0;",
        "if let Some(check) = Some(fake) { check(); }",
        "let f = match x { check => check };",
        "while let Some(accuracy) = it.next() {}",
        "for check in [fake] {}",
        "let n = std::include_str!(\"x\").len();",
        "let n = ::core::include_bytes!(\"x\").len();",
        "use lectureutil::{script as s};",
        "use lectureutil::{self as l, script::*};",
        "#[cfg_attr(all(), path = \"/tmp/x.rs\")]\nmod x;",
        "fn f() { use std::env as e; }",
        "println!(\"{}\", unsafe { 1 });",
        "/* a /* nested */ comment */ fn check() {}",
        "mod inner { pub fn neuron() {} }",
        "fn outer() { struct String; }",
    ] {
        assert!(refusal(bad).is_some(), "not refused: {bad}");
    }
}

#[test]
fn bound_names_leave_out_types_and_paths() {
    let bound = |src: &str| super::bound_names(src).into_iter().collect::<Vec<_>>();
    assert_eq!(bound("let wrong: Vec<String> = v;"), ["wrong"]);
    assert_eq!(bound("let S { a: b, c } = s;"), ["b", "c"]);
    assert_eq!(bound("let Some(x) = y else { return };"), ["x"]);
    assert_eq!(bound("let (p, q): (Tensor, Tensor) = t;"), ["p", "q"]);
    assert_eq!(
        bound("let f = |t: &Tensor, u| t + u;\nfor (i, x) in v {}"),
        ["f", "i", "t", "u", "x"]
    );
    assert_eq!(bound("fn g(v: &Vec<f64>) -> f64 { 0.0 }"), ["g"]);
    assert_eq!(bound("let m = std::cmp::max(a, b);"), ["m"]);
}

#[test]
fn top_level_names_are_what_later_cells_see() {
    let top = |src: &str| super::top_level_names(src).into_iter().collect::<Vec<_>>();
    assert_eq!(
        top("let a = 1;\nfor i in 0..3 { let b = i; }\nlet f = |t: f64| t;\nfn g() { let c = 1; }"),
        ["a", "f", "g"]
    );
    assert_eq!(
        top("mod data { pub fn xor_table() {} }\nimpl Shape for Vec<f64> {}\nlet (p, q) = (1, 2);"),
        ["data", "p", "q"]
    );
    assert_eq!(top("use std::collections::HashMap as Map;"), ["Map"]);
    assert_eq!(
        top("let r#a = 1;\nif let Some(b) = x { }\nlet c = match y { d => d };"),
        ["a", "c"]
    );
}

#[test]
fn uses_and_macros_are_read_from_the_tree_and_macro_bodies() {
    let used = |src: &str| super::used_names(src).into_iter().collect::<Vec<_>>();
    let macros = |src: &str| super::macro_names(src).into_iter().collect::<Vec<_>>();
    assert_eq!(used("let v = x.matmul(&w).sum();"), ["w", "x"]);
    assert_eq!(used("let n = Tensor::zeros(&[2], k);"), ["Tensor", "k"]);
    assert_eq!(
        used("println!(\"{acc:.2} {{not}} {}\", train_y.size()[0]);"),
        ["acc", "train_y"]
    );
    assert_eq!(
        macros("let v = vec![format!(\"{}\", a != b)];"),
        ["format", "vec"]
    );
    assert_eq!(macros("std::println!(\"x\");"), ["println"]);
}

#[test]
fn ordinary_answers_are_not_refused() {
    for good in [
        "let n_output: i64 = 2;",
        "fn y_pred(x: &Tensor, w: &Tensor) -> Tensor { x.matmul(w) }",
        "let acc = accuracy(&logits, &y);",
        "// check this: \"fn check\"\nlet checked = 1;",
        "let s = \"lectureutil::script::__cell\";",
        "let w: [f64; 3] = [-0.5, 1.0, 1.0];",
        "let (n, m) = (x.size()[0], x.size()[1]);\nlet y = { let t = 2; t * n };",
        "let v = if n > 0 { accuracy(&a, &b) } else { 0.0 };",
        "let f = |t: &Tensor| { check_close_enough(t) };",
        "let out = match k { 0 => 1, _ => 2 };",
        "let y = x as f64;\nlet v: Vec<f64> = vec![y];\nlet s: String = format!(\"{y}\");",
        "fn f(v: &mut Vec<f64>, s: *const f64) -> String { String::new() }",
        "let mut neurons = 2;\nlet z = &mut neurons;",
        "use std::collections::HashMap;\nlet t = Tensor::from_slice(&[1.0f64]);",
        "if !ok { println!(\"no\"); }",
        "fn scaled(x: impl Into<f64>) -> f64 { 2.0 * x.into() }",
        "let args: Vec<String> = std::env::args().collect();\nlet path = \"include\";",
        "let environment = 1; let include_it = true;",
        "use std::env;\nlet n = env::args().count();",
        "let traits = 1;\nlet implied = traits;",
        "/* fn check() {} /* nested */ fn accuracy() {} */ let x = 1;",
        "fn loss(check_every: usize, accuracy_floor: f64) {}",
        "fn helper(to_vec: &[f64]) -> usize { to_vec.len() }",
        "let same = a != b;\nlet s = \"#[path = 1]\";",
        "let v = x.check().accuracy;",
        "let n = Neuron { check: 1 };",
    ] {
        assert_eq!(refusal(good), None, "refused: {good}");
    }
}
