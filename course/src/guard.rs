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

    /// The names exercise `id`'s cell may not bind: the check helpers, and every name its check
    /// cell and hidden check use that another cell of the course binds, unless the exercise's
    /// reference answer binds it too (it is the student's to define) or the check binds it.
    fn protected_names(&self, id: &str) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = CHECK_HELPERS.iter().map(|s| s.to_string()).collect();
        let check = self.notebook.check_cell(id).map(|c| c.source.clone());
        let hidden = self.solutions.get(id).and_then(|s| s.hidden_check.clone());
        let check = format!(
            "{}\n{}",
            check.unwrap_or_default(),
            hidden.unwrap_or_default()
        );
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
        names.extend(used_names(&check).into_iter().filter(|n| {
            elsewhere.contains(n) && !by_check.contains(n) && !by_reference.contains(n)
        }));
        names
    }
}

/// Keywords after which a name is being defined or bound.
const BINDS: &[&str] = &[
    "fn", "let", "mut", "ref", "as", "static", "const", "struct", "enum", "type",
];

/// Why the exercise cell `src` may not be graded, if it may not: it reaches into the grader or
/// binds one of the `protected` names.
fn refusal_protecting(src: &str, protected: &BTreeSet<String>) -> Option<String> {
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
        if protected.contains(word.as_str()) && binds_at(&tokens, k) {
            return Some(format!(
                "line {line}: the cell defines `{word}`, which the check cell uses; give it another name"
            ));
        }
    }
    None
}

/// Whether the name at token `k` is being defined or bound there.
fn binds_at(tokens: &[Token], k: usize) -> bool {
    let before = k.checked_sub(1).map(|p| &tokens[p].tok);
    matches!(before, Some(Tok::Ident(w)) if BINDS.contains(&w.as_str()))
        || matches!(before, Some(Tok::Punct('!'))) // macro_rules! check
        || in_let_pattern(tokens, k)
}

/// The names `src` binds: after `let`, `fn`, `const`, … and in `let` patterns, `for` patterns
/// and closure parameters (over-counting only makes the guard refuse less).
fn bound_names(src: &str) -> BTreeSet<String> {
    let tokens = tokenize(src);
    let mut names = BTreeSet::new();
    let mut in_pattern = false; // between `let`/`for` and `=`/`in`
    let mut in_closure = false; // between a closure's two `|`
    for (k, t) in tokens.iter().enumerate() {
        match &t.tok {
            Tok::Ident(w) if w == "let" || w == "for" => in_pattern = true,
            Tok::Ident(w) if w == "in" => in_pattern = false,
            Tok::Punct('=' | ';' | '{') => in_pattern = false,
            Tok::Punct('|') => {
                let opens = matches!(
                    k.checked_sub(1).map(|p| &tokens[p].tok),
                    None | Some(Tok::Punct('(' | ',' | '=' | '{' | ';')) | Some(Tok::Ident(_))
                ) && !in_closure;
                in_closure = opens;
            }
            Tok::Ident(w) if in_pattern || in_closure || binds_at(&tokens, k) => {
                names.insert(w.clone());
            }
            _ => {}
        }
    }
    names
}

/// The names `src` uses on their own: not a method or field (after `.`), not a path's tail
/// (after `::`), not a macro (before `!`).
fn used_names(src: &str) -> BTreeSet<String> {
    let tokens = tokenize(src);
    let tok = |k: Option<usize>| k.and_then(|k| tokens.get(k)).map(|t| &t.tok);
    tokens
        .iter()
        .enumerate()
        .filter_map(|(k, t)| match &t.tok {
            Tok::Ident(w) => {
                let after_dot = tok(k.checked_sub(1)) == Some(&Tok::Punct('.'));
                let after_path = tok(k.checked_sub(1)) == Some(&Tok::Punct(':'));
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
    use super::{refusal_protecting, CHECK_HELPERS};

    /// The refusal of a cell whatever its exercise: only the check helpers protected.
    fn refusal(src: &str) -> Option<String> {
        let helpers = CHECK_HELPERS.iter().map(|s| s.to_string()).collect();
        refusal_protecting(src, &helpers)
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
        ] {
            assert!(refusal(bad).is_some(), "not refused: {bad}");
        }
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
        ] {
            assert_eq!(refusal(good), None, "refused: {good}");
        }
    }
}
