//! A cell's statements and its trailing expression: the value evcxr shows.

use super::{offset, parse_cell};
use quote::ToTokens;
use syn::{Expr, MacroDelimiter, Stmt};

/// Whether an expression is a block-like statement when a cell ends with it (`for`, `if`, …):
/// evcxr shows its value only as `()`.
fn block_like(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::If(_)
            | Expr::ForLoop(_)
            | Expr::While(_)
            | Expr::Loop(_)
            | Expr::Match(_)
            | Expr::Block(_)
            | Expr::Unsafe(_)
            | Expr::Const(_)
            | Expr::TryBlock(_)
    )
}

/// Where the cell's trailing expression starts, if it has one.
fn trailing_start(src: &str) -> Option<usize> {
    let stmts = parse_cell(src).ok()?;
    let first_token = match stmts.last()? {
        Stmt::Expr(expr, None) if !block_like(expr) => expr.to_token_stream().into_iter().next(),
        Stmt::Macro(mac) if mac.semi_token.is_none() => {
            let braced = matches!(mac.mac.delimiter, MacroDelimiter::Brace(_));
            (!braced && mac.attrs.is_empty())
                .then(|| mac.to_token_stream().into_iter().next())
                .flatten()
        }
        _ => None,
    };
    first_token.map(|t| offset(t.span()))
}

/// Splits a cell into its statements and its trailing expression (the value evcxr would show),
/// if any: `(statements, Some(expression))`. A cell that syn cannot read is all statements: the
/// compiler then says what is wrong with it.
pub fn split_trailing_expression(src: &str) -> (&str, Option<&str>) {
    match trailing_start(src) {
        Some(start) => (src[..start].trim_end(), Some(src[start..].trim_end())),
        None => (src, None),
    }
}

/// Whether a cell's last statement is a `for`, `while`, `loop`, `if` or `match` block: evcxr
/// shows its `()` value as an output, so notebook cells end with a statement instead.
pub fn ends_with_block_expression(src: &str) -> bool {
    let Ok(stmts) = parse_cell(src) else {
        return false;
    };
    matches!(
        stmts.last(),
        Some(Stmt::Expr(
            Expr::If(_) | Expr::ForLoop(_) | Expr::While(_) | Expr::Loop(_) | Expr::Match(_),
            None
        ))
    )
}

/// Lines of a cell that are evcxr commands (`:dep …`, `:timing`), which a script leaves out.
pub fn is_kernel_command(line: &str) -> bool {
    line.trim_start().starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_expressions_are_split_off() {
        assert_eq!(
            split_trailing_expression("let a = 1;\na + 1"),
            ("let a = 1;", Some("a + 1"))
        );
        assert_eq!(
            split_trailing_expression("let a = 1;"),
            ("let a = 1;", None)
        );
        assert_eq!(
            split_trailing_expression("fn f() -> i32 { 1 }\nf()"),
            ("fn f() -> i32 { 1 }", Some("f()"))
        );
        assert_eq!(
            split_trailing_expression(
                "let c = Chart::new()\n  .x_label(\"a\");\nChart::new()\n  .title(\"t\")"
            ),
            (
                "let c = Chart::new()\n  .x_label(\"a\");",
                Some("Chart::new()\n  .title(\"t\")")
            )
        );
        assert_eq!(
            split_trailing_expression("if a { 1 } else { 2 };"),
            ("if a { 1 } else { 2 };", None)
        );
        assert_eq!(
            split_trailing_expression("for i in 0..3 { }\n// done"),
            ("for i in 0..3 { }\n// done", None)
        );
        assert_eq!(
            split_trailing_expression("Foo { a: 1 }.bar()"),
            ("", Some("Foo { a: 1 }.bar()"))
        );
        assert_eq!(
            split_trailing_expression("x // the value"),
            ("", Some("x // the value"))
        );
        // The comment stays with the statements, so the expression keeps its line.
        assert_eq!(
            split_trailing_expression("let a = 1;\n// shown:\nvec![a]"),
            ("let a = 1;\n// shown:", Some("vec![a]"))
        );
        assert_eq!(
            split_trailing_expression("let s = \"a;b\"; /* } */\n(s, '}')"),
            ("let s = \"a;b\"; /* } */", Some("(s, '}')"))
        );
        assert_eq!(
            split_trailing_expression("let a = (1;"),
            ("let a = (1;", None)
        );
    }

    #[test]
    fn block_expressions_at_the_end_are_spotted() {
        assert!(ends_with_block_expression(
            "let a = 1;\nfor i in 0..3 {\n    println!(\"{i}\");\n}"
        ));
        assert!(ends_with_block_expression("if a { b } else { c }"));
        assert!(!ends_with_block_expression(
            "for i in 0..3 { }\nprintln!(\"done\");"
        ));
        assert!(!ends_with_block_expression("fn f() { }"));
        assert!(!ends_with_block_expression(
            "let x = if a { 1 } else { 2 };"
        ));
        assert!(!ends_with_block_expression("Chart::new()"));
    }
}
