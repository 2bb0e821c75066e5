//! What an exercise cell may not do: reach into the grader's runtime, or shadow the helpers that
//! the check cell calls (a `fn check` that always passes). Such a cell is refused before it runs.

use crate::lexer::{tokenize, Tok};

/// Helpers of the check cells: an exercise cell that defines or rebinds one of these would make
/// the check cell below it call the student's version.
const CHECK_HELPERS: &[&str] = &[
    "check",
    "check_close",
    "check_at_least",
    "check_at_most",
    "accuracy",
];

/// Keywords after which a name is being defined or bound.
const BINDS: &[&str] = &[
    "fn", "let", "mut", "as", "static", "const", "struct", "enum", "type",
];

/// Why the exercise cell `src` may not be graded, if it may not.
pub fn refusal(src: &str) -> Option<String> {
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
        if CHECK_HELPERS.contains(&word.as_str()) {
            let before = k.checked_sub(1).map(|p| &tokens[p].tok);
            let binds = matches!(before, Some(Tok::Ident(w)) if BINDS.contains(&w.as_str()))
                || matches!(before, Some(Tok::Punct('!'))) // macro_rules! check
                || (matches!(before, Some(Tok::Punct('(' | ','))) && in_let_pattern(&tokens, k));
            if binds {
                return Some(format!(
                    "line {line}: the cell defines `{word}`, which the check cell calls; give it another name"
                ));
            }
        }
    }
    None
}

/// Whether token `k` sits in the pattern of a `let` (between `let` and its `=`).
fn in_let_pattern(tokens: &[crate::lexer::Token], k: usize) -> bool {
    for t in tokens[..k].iter().rev() {
        match &t.tok {
            Tok::Punct('=' | ';' | '{' | '}') => return false,
            Tok::Ident(w) if w == "let" => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::refusal;

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
        ] {
            assert_eq!(refusal(good), None, "refused: {good}");
        }
    }
}
