//! The `?` blanks of an exercise: a `?` where Rust's `?` operator cannot stand.

use super::{flat_tokens, Tok};
use proc_macro2::Delimiter;

/// Keywords after which a `?` starts something new, so it cannot be the `?` operator.
const NOT_EXPRESSION_END: &[&str] = &[
    "as", "break", "const", "continue", "dyn", "else", "enum", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "type", "unsafe", "use", "where", "while", "yield",
];

/// A `?` blank in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blank {
    /// Line in the cell, from 1.
    pub line: usize,
    /// Column in the line, from 1 (in characters).
    pub column: usize,
    /// Byte offset in the cell.
    pub offset: usize,
}

/// The `?` blanks of `src`: every `?` token (strings, chars and comments are not tokens) that
/// does not follow the end of an expression (an identifier, literal, closing bracket or another
/// `?`), so `x?`, `f(x)?` and `v[0]?` are the operator, while `= ?;`, `(?)`, `[?, ?]` are
/// blanks. `?Sized` is a trait bound, not a blank. A cell proc-macro2 cannot read (an unclosed
/// bracket) has none: the compiler says what is wrong with it.
pub fn find_blanks(src: &str) -> Vec<Blank> {
    let Some(tokens) = flat_tokens(src) else {
        return Vec::new();
    };
    let mut blanks = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        if !t.is_punct('?') {
            continue;
        }
        if tokens.get(k + 1).and_then(|t| t.ident()) == Some("Sized") {
            continue;
        }
        let operator = match k.checked_sub(1).map(|p| &tokens[p].tok) {
            Some(Tok::Ident(w)) => !NOT_EXPRESSION_END.contains(&w.as_str()),
            Some(Tok::Literal(_)) => true,
            Some(Tok::Close(Delimiter::Parenthesis | Delimiter::Bracket | Delimiter::Brace)) => {
                true
            }
            Some(Tok::Punct { c: '?', .. }) => true,
            _ => false,
        };
        if !operator {
            let before = &src[..t.start];
            blanks.push(Blank {
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().unwrap_or("").chars().count() + 1,
                offset: t.start,
            });
        }
    }
    blanks
}

#[cfg(test)]
mod tests {
    use super::find_blanks;

    fn blanks(src: &str) -> Vec<(usize, usize)> {
        find_blanks(src)
            .iter()
            .map(|b| (b.line, b.column))
            .collect()
    }

    #[test]
    fn the_question_mark_operator_is_not_a_blank() {
        assert!(blanks("let v = x?;").is_empty());
        assert!(blanks("let v = f(x)?;").is_empty());
        assert!(blanks("let v = a[0]?.b()??;").is_empty());
        assert!(blanks("let v = fut.await?;").is_empty());
        assert!(blanks("let v = Some(1).ok_or(\"e\")?;").is_empty());
        assert!(blanks("fn f<T: ?Sized>(t: &T) {}").is_empty());
        assert!(blanks("let v = if c { a } else { b }?;").is_empty());
        assert!(blanks("let n = 5?;").is_empty());
        assert!(blanks("let v = r#check?;").is_empty());
    }

    #[test]
    fn blanks_in_strings_chars_and_comments_are_ignored() {
        assert!(blanks(r#"println!("what? {}", "?");"#).is_empty());
        assert!(blanks("let c = '?';").is_empty());
        assert!(blanks(r#"let c = '\''; let d = "\"?";"#).is_empty());
        assert!(blanks(r##"let r = r#"a ? b"#;"##).is_empty());
        assert!(blanks("// is it ?\n/* a ? /* nested ? */ b */ let x = 1;").is_empty());
        assert!(blanks("/// what?\nfn f() {}").is_empty());
        assert!(blanks("fn f<'a>(x: &'a str) -> &'a str { x }").is_empty());
    }

    #[test]
    fn real_blanks_are_found_with_positions() {
        assert_eq!(blanks("let n_output = ?;"), vec![(1, 16)]);
        assert_eq!(blanks("let y = f(?);"), vec![(1, 11)]);
        assert_eq!(blanks("let w = [?, ?];"), vec![(1, 10), (1, 13)]);
        assert_eq!(blanks("let a = 1;\nlet b = x.matmul(&?);"), vec![(2, 19)]);
        assert_eq!(blanks("let (x, y) = (?, ?);"), vec![(1, 15), (1, 18)]);
        assert_eq!(blanks("return ?;"), vec![(1, 8)]);
        assert_eq!(blanks("let t = x as ?;"), vec![(1, 14)]);
        assert_eq!(blanks("let s = \"?\"; let v = ?;"), vec![(1, 22)]);
        assert_eq!(blanks("let v = x? + ?;"), vec![(1, 14)]);
        assert_eq!(blanks("let é = \"ü\"; let v = ?;"), vec![(1, 22)]);
        assert_eq!(blanks("?"), vec![(1, 1)]);
    }
}
