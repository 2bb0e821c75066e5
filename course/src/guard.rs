//! What an exercise cell may not do: reach into the grader's runtime, or shadow what the check
//! cell below it uses: its helpers (a `fn check` that always passes) and the course's own names
//! (a `fn neuron` in exercise 1.1 that check 1.1 would call, a `train_y` rebound in 3.3 that
//! check 3.3 would measure against). Such a cell is refused before it runs.

use crate::lecture::Lecture;
use crate::lexer::{tokenize, Tok, Token};
use crate::notebook::CellKind;
use std::collections::BTreeSet;

/// Helpers of the check cells: an exercise cell that defines or rebinds one of these would make
/// the check cell below it call the student's version.
const CHECK_HELPERS: &[&str] = &[
    "check",
    "check_close",
    "check_at_least",
    "check_at_most",
    "check_roles",
    "accuracy",
    "to_vec",
    "to_rows",
];

impl Lecture {
    /// Why the student's cell `src` for exercise `id` may not be graded, if it may not.
    pub fn refusal(&self, id: &str, src: &str) -> Option<String> {
        refusal_protecting(src, &self.protected_names(id))
    }

    /// Whether exercise `id`'s cell `src` may run in one program with the student's other
    /// answers: it binds, where later cells see it, nothing but what its reference answer binds
    /// and names that no other cell uses (no course cell, check, hidden check, reference or
    /// other answer). Otherwise one answer could change what another exercise's check measures
    /// (a `mod data` of its own in 1.1 replaced the XOR table that every later cell and check
    /// read); such a cell is graded on its own.
    pub fn keeps_to_itself(&self, id: &str, src: &str) -> bool {
        let reference = self.solutions.get(id).map(|s| bound_names(&s.solved()));
        // A module's items reach later cells through `use m::*`, so items count at any depth.
        let extra: Vec<String> = top_level_names(src)
            .into_iter()
            .chain(item_names(src))
            .filter(|n| !reference.as_ref().is_some_and(|r| r.contains(n)))
            .collect();
        if extra.is_empty() {
            return true;
        }
        let mut others: Vec<String> = self
            .notebook
            .cells
            .iter()
            .filter(|c| c.kind == CellKind::Code && c.exercise_id().is_none())
            .map(|c| c.source.clone())
            .collect();
        for (other, solution) in &self.solutions {
            others.extend(solution.hidden_check.clone());
            if other != id {
                others.push(solution.solved());
                others.extend(self.student_cell(other).ok().map(|c| c.source.clone()));
            }
        }
        let used: BTreeSet<String> = others
            .iter()
            .flat_map(|src| used_names(src).into_iter().chain(macro_names(src)))
            .collect();
        !extra.iter().any(|n| used.contains(n))
    }

    /// What exercise `id`'s cell may not bind or define. Names: the check helpers, and every
    /// name its check cell and hidden check use (and the course's cells between the exercise
    /// and its check) that another cell of the course binds. Items:
    /// every name the check uses at all, types and macros included (a `struct Vec` whose
    /// `is_empty` says `true` passed check 1.1). Neither holds a name the exercise's reference
    /// answer binds (it is the student's to define) or the check binds itself.
    fn protected_names(&self, id: &str) -> Protected {
        let mut names: BTreeSet<String> = CHECK_HELPERS.iter().map(|s| s.to_string()).collect();
        let hidden = self.solutions.get(id).and_then(|s| s.hidden_check.clone());
        let mut check = self.cells_up_to_check(id);
        check.extend(hidden);
        let check = check.join("\n");
        let reference = self
            .solutions
            .get(id)
            .map(|s| s.solved())
            .unwrap_or_default();
        let mut elsewhere = BTreeSet::new();
        for cell in &self.notebook.cells {
            if cell.kind != CellKind::Code || cell.check_id() == Some(id) {
                continue;
            }
            match cell.exercise_id() {
                Some(other) if other == id => {}
                Some(other) => {
                    if let Some(solution) = self.solutions.get(other) {
                        elsewhere.extend(bound_names(&solution.solved()));
                    }
                }
                None => elsewhere.extend(bound_names(&cell.source)),
            }
        }
        let (by_check, by_reference) = (bound_names(&check), bound_names(&reference));
        let items: BTreeSet<String> = used_names(&check)
            .into_iter()
            .chain(macro_names(&check))
            .filter(|n| !by_check.contains(n) && !by_reference.contains(n))
            .collect();
        names.extend(items.iter().filter(|n| elsewhere.contains(*n)).cloned());
        let traits = declares_traits(&tokenize(&reference)).is_some();
        Protected {
            names,
            items,
            traits,
        }
    }

    /// The course's code cells after exercise `id`'s cell up to its check cell, that one
    /// included: what runs between the student's answer and the verdict.
    fn cells_up_to_check(&self, id: &str) -> Vec<String> {
        let cells = &self.notebook.cells;
        let Some(start) = cells.iter().position(|c| c.exercise_id() == Some(id)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for cell in &cells[start + 1..] {
            if cell.kind == CellKind::Code && cell.exercise_id().is_none() {
                out.push(cell.source.clone());
            }
            if cell.check_id() == Some(id) {
                break;
            }
        }
        out
    }
}

/// What an exercise cell may not bind (`names`, by any binding) or define as an item or import
/// (`items`).
struct Protected {
    names: BTreeSet<String>,
    items: BTreeSet<String>,
    /// Whether the reference answer declares or implements a trait itself.
    traits: bool,
}

/// How a name is bound where it stands.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Binding {
    /// A value: `let`, a `let` pattern, `mut`, `ref`.
    Value,
    /// An item or an import: `fn`, `struct`, `macro_rules!`, `use … as`, ….
    Item,
}

/// Keywords after which a name is an item being defined.
const ITEMS: &[&str] = &[
    "fn", "static", "const", "struct", "enum", "union", "type", "trait", "mod",
];

/// Why the exercise cell `src` may not be graded, if it may not: it reaches into the grader or
/// binds one of the `protected` names.
fn refusal_protecting(src: &str, protected: &Protected) -> Option<String> {
    let tokens = tokenize(src);
    let line_of = |offset: usize| src[..offset].matches('\n').count() + 1;
    for (k, t) in tokens.iter().enumerate() {
        let Tok::Ident(word) = &t.tok else { continue };
        let line = line_of(t.start);
        if word.starts_with("__") || word == "GRADER_ENV" {
            return Some(format!(
                "line {line}: `{word}` belongs to the grader; an exercise cell may not use it"
            ));
        }
        if word == "script"
            && k >= 2
            && tokens[k - 1].tok == Tok::Punct(':')
            && tokens[k - 2].tok == Tok::Punct(':')
        {
            return Some(format!(
                "line {line}: `lectureutil::script` is the generated program's runtime; an exercise cell may not use it"
            ));
        }
        if let Some(why) = compile_time_reach(&tokens, k, word) {
            return Some(format!("line {line}: {why}"));
        }
        let refused = match binding_at(&tokens, k) {
            Some(Binding::Value) => protected.names.contains(word.as_str()),
            Some(Binding::Item) => {
                protected.names.contains(word.as_str()) || protected.items.contains(word.as_str())
            }
            None => false,
        };
        if refused {
            return Some(format!(
                "line {line}: the cell defines `{word}`, which the check cell uses; give it another name"
            ));
        }
    }
    if let Some(start) = declares_traits(&tokens).filter(|_| !protected.traits) {
        return Some(format!(
            "line {}: the cell declares or implements a trait; the exercise needs neither, and a trait method of the cell's own could stand in for a method its check calls",
            line_of(start)
        ));
    }
    None
}

/// Why the word at `k` is refused whatever the exercise: what the grader cannot see through (a
/// macro of the cell's own), what the compiler would read outside the sandbox (a file, an
/// environment variable), and `unsafe`.
fn compile_time_reach(tokens: &[Token], k: usize, word: &str) -> Option<&'static str> {
    let punct = |at: Option<usize>, c: char| {
        at.and_then(|at| tokens.get(at))
            .is_some_and(|t| t.tok == Tok::Punct(c))
    };
    let called = punct(Some(k + 1), '!');
    // `use std::env as e;` imports the macro `env!` too, under another name.
    let renamed = tokens
        .get(k + 1)
        .is_some_and(|t| t.tok == Tok::Ident("as".into()))
        && tokens[..k]
            .iter()
            .rev()
            .take_while(|t| !matches!(t.tok, Tok::Punct(';' | '}')))
            .any(|t| t.tok == Tok::Ident("use".into()));
    match word {
        "macro_rules" | "macro" => Some(
            "the cell defines a macro; no exercise needs one, and the grader cannot see what a macro expands to",
        ),
        "include_str" | "include_bytes" | "option_env" => Some(
            "the cell reads a file or an environment variable while it compiles (`include_str!`, `include_bytes!`, `option_env!`); exercise cells may not",
        ),
        "include" | "env" if called || renamed => Some(
            "the cell reads a file or an environment variable while it compiles (`include!`, `env!`); exercise cells may not",
        ),
        "path" if punct(k.checked_sub(1), '[')
            && (punct(k.checked_sub(2), '#')
                || punct(k.checked_sub(2), '!') && punct(k.checked_sub(3), '#')) =>
        {
            Some("the cell names a module file with `#[path]`, which the compiler would read; exercise cells may not")
        }
        "unsafe" => Some("the cell uses `unsafe`; exercise cells are safe Rust"),
        _ => None,
    }
}

/// Where `tokens` declare a trait (`trait T`) or begin an `impl` block, if they do (`impl Trait`
/// in a parameter's type is neither).
fn declares_traits(tokens: &[Token]) -> Option<usize> {
    tokens.iter().enumerate().find_map(|(k, t)| {
        let Tok::Ident(w) = &t.tok else { return None };
        let before = k.checked_sub(1).map(|p| &tokens[p].tok);
        let item_start = matches!(before, None | Some(Tok::Punct(';' | '{' | '}' | ']')))
            || matches!(before, Some(Tok::Ident(p)) if p == "pub" || p == "unsafe");
        let next_is_name = matches!(tokens.get(k + 1).map(|t| &t.tok), Some(Tok::Ident(_)));
        let declares = (w == "trait" && next_is_name) || (w == "impl" && item_start);
        declares.then_some(t.start)
    })
}

/// Whether, and how, the name at token `k` is being defined or bound there.
fn binding_at(tokens: &[Token], k: usize) -> Option<Binding> {
    let tok = |back: usize| k.checked_sub(back).map(|p| &tokens[p].tok);
    let word_before = |back: usize| match tok(back) {
        Some(Tok::Ident(w)) => Some(w.as_str()),
        _ => None,
    };
    // `&mut x`, `*const T` and `*mut T` bind nothing.
    let borrowed = matches!(tok(2), Some(Tok::Punct('&' | '*')));
    match word_before(1) {
        Some(w) if ITEMS.contains(&w) && !(w == "const" && borrowed) => Some(Binding::Item),
        Some("let" | "ref") => Some(Binding::Value),
        Some("mut") if !borrowed => Some(Binding::Value),
        _ if tok(1) == Some(&Tok::Punct('!')) && word_before(2) == Some("macro_rules") => {
            Some(Binding::Item)
        }
        _ if imported_at(tokens, k) => Some(Binding::Item),
        _ if in_let_pattern(tokens, k) => Some(Binding::Value),
        _ => None,
    }
}

/// Whether token `k` is a name that a `use` statement brings in: the last segment of a path, or
/// what follows `as`.
fn imported_at(tokens: &[Token], k: usize) -> bool {
    let next = tokens.get(k + 1).map(|t| &t.tok);
    let after_as =
        matches!(k.checked_sub(1).map(|p| &tokens[p].tok), Some(Tok::Ident(w)) if w == "as");
    if !after_as && !matches!(next, None | Some(Tok::Punct(';' | ',' | '}'))) {
        return false;
    }
    // Back to the statement's start, through `use a::{b, c::{d}}` groups.
    let mut depth = 0;
    for p in (0..k).rev() {
        match &tokens[p].tok {
            Tok::Ident(w) if w == "use" => return true,
            Tok::Punct(';') => return false,
            Tok::Punct('}') => depth += 1,
            Tok::Punct('{') if depth > 0 => depth -= 1,
            Tok::Punct('{') if p >= 1 && tokens[p - 1].tok == Tok::Punct(':') => {}
            Tok::Punct('{') => return false,
            _ => {}
        }
    }
    false
}

/// The names `src` binds: after `let`, `fn`, `const`, … and in `let` patterns, `for` patterns
/// and closure parameters. Not the types in their annotations (`let wrong: Vec<String>` binds
/// `wrong`, not `Vec`) nor the paths of a pattern (`Some`, `S` in `S { a }`): counting those
/// would let a cell define them.
fn bound_names(src: &str) -> BTreeSet<String> {
    bindings(src).into_iter().map(|(name, _)| name).collect()
}

/// The names `src` binds where the code after it sees them: at the top of the cell, not in a
/// block, a closure's parameters or a `for` pattern.
pub(crate) fn top_level_names(src: &str) -> BTreeSet<String> {
    bindings(src)
        .into_iter()
        .filter_map(|(name, top)| top.then_some(name))
        .collect()
}

/// Each name `src` binds (see [`bound_names`]), and whether it is bound at the top level.
fn bindings(src: &str) -> Vec<(String, bool)> {
    let tokens = tokenize(src);
    let tok = |k: Option<usize>| k.and_then(|k| tokens.get(k)).map(|t| &t.tok);
    let mut names = Vec::new();
    let mut in_pattern = false; // between `let`/`for` and `=`/`in`
    let mut in_for = false; // that pattern is a `for` loop's
    let mut in_closure = false; // between a closure's two `|`
    let mut depth = 0usize; // brackets open inside the pattern or parameter list
    let mut braces = 0usize; // blocks open
    let mut in_type = false; // after a pattern's or parameter's `:`
    for (k, t) in tokens.iter().enumerate() {
        let colon = |p: Option<usize>| tok(p) == Some(&Tok::Punct(':'));
        let top = braces == 0 && !in_closure && !in_for;
        match &t.tok {
            // A loop's `for` starts a statement; `impl Trait for Type` names a type.
            Tok::Ident(w)
                if w == "let"
                    || w == "for"
                        && matches!(
                            tok(k.checked_sub(1)),
                            None | Some(Tok::Punct(';' | '{' | '}' | ':'))
                        ) =>
            {
                (in_pattern, depth, in_type) = (true, 0, false);
                in_for = w == "for";
            }
            Tok::Ident(w) if w == "in" => (in_pattern, in_for) = (false, false),
            Tok::Punct('=' | ';') => in_pattern = false,
            Tok::Punct('|') => {
                let opens = matches!(
                    k.checked_sub(1).map(|p| &tokens[p].tok),
                    None | Some(Tok::Punct('(' | ',' | '=' | '{' | ';')) | Some(Tok::Ident(_))
                ) && !in_closure;
                in_closure = opens;
                (depth, in_type) = (0, false);
            }
            Tok::Punct(c @ ('(' | '[' | '{' | '<')) => {
                depth += 1;
                braces += usize::from(*c == '{');
                in_for &= *c != '{';
            }
            Tok::Punct(c @ (')' | ']' | '}' | '>')) => {
                depth = depth.saturating_sub(1);
                braces = braces.saturating_sub(usize::from(*c == '}'));
            }
            Tok::Punct(',') if in_closure && depth == 0 => in_type = false,
            Tok::Punct(':')
                if (in_pattern || in_closure)
                    && depth == 0
                    && !colon(k.checked_sub(1))
                    && !colon(Some(k + 1)) =>
            {
                in_type = true
            }
            Tok::Ident(w) if in_pattern || in_closure => {
                let next = tok(Some(k + 1));
                let path_or_field = matches!(next, Some(Tok::Punct('(' | '{')))
                    || colon(Some(k + 1)) && (colon(Some(k + 2)) || depth > 0)
                    || colon(k.checked_sub(1)) && colon(k.checked_sub(2));
                if !in_type && !path_or_field {
                    names.push((w.clone(), top));
                }
            }
            Tok::Ident(w) if binding_at(&tokens, k).is_some() => {
                names.push((w.clone(), top));
            }
            _ => {}
        }
    }
    names
}

/// The items `src` defines or imports, at any depth.
pub(crate) fn item_names(src: &str) -> BTreeSet<String> {
    let tokens = tokenize(src);
    tokens
        .iter()
        .enumerate()
        .filter_map(|(k, t)| match &t.tok {
            Tok::Ident(w) if binding_at(&tokens, k) == Some(Binding::Item) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The macros `src` calls (`name!`).
pub(crate) fn macro_names(src: &str) -> BTreeSet<String> {
    let tokens = tokenize(src);
    tokens
        .windows(2)
        .filter_map(|pair| match (&pair[0].tok, &pair[1].tok) {
            (Tok::Ident(w), Tok::Punct('!')) => Some(w.clone()),
            _ => None,
        })
        .collect()
}

/// The names `src` uses on their own: not a method or field (after `.`), not a path's tail
/// (after `::`), not a macro (before `!`).
pub(crate) fn used_names(src: &str) -> BTreeSet<String> {
    let tokens = tokenize(src);
    let tok = |k: Option<usize>| k.and_then(|k| tokens.get(k)).map(|t| &t.tok);
    tokens
        .iter()
        .enumerate()
        .filter_map(|(k, t)| match &t.tok {
            Tok::Ident(w) => {
                let after_dot = tok(k.checked_sub(1)) == Some(&Tok::Punct('.'));
                let after_path = tok(k.checked_sub(1)) == Some(&Tok::Punct(':'))
                    && tok(k.checked_sub(2)) == Some(&Tok::Punct(':'));
                let macro_name = tok(Some(k + 1)) == Some(&Tok::Punct('!'));
                (!after_dot && !after_path && !macro_name).then(|| w.clone())
            }
            _ => None,
        })
        .collect()
}

/// Whether token `k` sits in the pattern of a `let` (between `let` and its `=`): tuple, slice,
/// struct and tuple-struct patterns alike. A pattern holds no `=` or `;`, so meeting one first
/// means `k` is past the pattern. Over-counting (a struct's or a type's name in the pattern)
/// only refuses a cell that names a protected name there.
fn in_let_pattern(tokens: &[Token], k: usize) -> bool {
    for t in tokens[..k].iter().rev() {
        match &t.tok {
            Tok::Punct('=' | ';') => return false,
            Tok::Ident(w) if w == "let" => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
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
        ] {
            assert_eq!(refusal(good), None, "refused: {good}");
        }
    }
}
