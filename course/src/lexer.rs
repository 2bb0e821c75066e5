//! A small Rust lexer: enough to skip strings, chars and comments, to tell the `?` blanks of an
//! exercise from Rust's `?` operator, and to find a cell's trailing expression (the value
//! evcxr shows).

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Ident(String),
    Literal,
    Lifetime,
    Punct(char),
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

pub(crate) fn tokenize(src: &str) -> Vec<Token> {
    let b: Vec<char> = src.chars().collect();
    // Byte offsets of each char, for slicing `src`.
    let offsets: Vec<usize> = src
        .char_indices()
        .map(|(i, _)| i)
        .chain([src.len()])
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    let n = b.len();
    let is_ident = |c: char| c == '_' || c.is_alphanumeric();
    while i < n {
        let c = b[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '/' && i + 1 < n && b[i + 1] == '/' {
            while i < n && b[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && i + 1 < n && b[i + 1] == '*' {
            let mut depth = 0;
            while i < n {
                if b[i] == '/' && i + 1 < n && b[i + 1] == '*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && i + 1 < n && b[i + 1] == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        // Raw strings: r"…", r#"…"#, br"…".
        let raw_at = if c == 'r' {
            Some(i + 1)
        } else if c == 'b' && i + 1 < n && b[i + 1] == 'r' {
            Some(i + 2)
        } else {
            None
        };
        if let Some(mut j) = raw_at {
            let mut hashes = 0;
            while j < n && b[j] == '#' {
                hashes += 1;
                j += 1;
            }
            if j < n && b[j] == '"' {
                j += 1;
                'scan: while j < n {
                    if b[j] == '"' {
                        let mut k = 0;
                        while k < hashes && j + 1 + k < n && b[j + 1 + k] == '#' {
                            k += 1;
                        }
                        if k == hashes {
                            j += 1 + hashes;
                            break 'scan;
                        }
                    }
                    j += 1;
                }
                i = j;
                out.push(Token {
                    tok: Tok::Literal,
                    start: offsets[start],
                    end: offsets[i.min(n)],
                });
                continue;
            }
        }
        if c == '"' || (c == 'b' && i + 1 < n && b[i + 1] == '"') {
            i += if c == 'b' { 2 } else { 1 };
            while i < n && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push(Token {
                tok: Tok::Literal,
                start: offsets[start],
                end: offsets[i.min(n)],
            });
            continue;
        }
        if c == '\'' || (c == 'b' && i + 1 < n && b[i + 1] == '\'') {
            let q = if c == 'b' { i + 1 } else { i };
            // A char literal is 'x' or an escape; otherwise this is a lifetime or label.
            if q + 2 < n && b[q + 1] == '\\' {
                let mut j = q + 2;
                while j < n && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push(Token {
                    tok: Tok::Literal,
                    start: offsets[start],
                    end: offsets[i.min(n)],
                });
                continue;
            }
            if q + 2 < n && b[q + 2] == '\'' {
                i = q + 3;
                out.push(Token {
                    tok: Tok::Literal,
                    start: offsets[start],
                    end: offsets[i],
                });
                continue;
            }
            i = q + 1;
            while i < n && is_ident(b[i]) {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Lifetime,
                start: offsets[start],
                end: offsets[i],
            });
            continue;
        }
        if c.is_ascii_digit() {
            while i < n
                && (is_ident(b[i]) || (b[i] == '.' && i + 1 < n && b[i + 1].is_ascii_digit()))
            {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Literal,
                start: offsets[start],
                end: offsets[i],
            });
            continue;
        }
        if is_ident(c) {
            while i < n && is_ident(b[i]) {
                i += 1;
            }
            let word: String = b[start..i].iter().collect();
            out.push(Token {
                tok: Tok::Ident(word),
                start: offsets[start],
                end: offsets[i],
            });
            continue;
        }
        i += 1;
        out.push(Token {
            tok: Tok::Punct(c),
            start: offsets[start],
            end: offsets[i],
        });
    }
    out
}

/// Keywords after which a `?` starts something new, so it cannot be the `?` operator.
const NOT_EXPRESSION_END: &[&str] = &[
    "as", "break", "const", "continue", "crate_", "dyn", "else", "enum", "fn", "for", "if", "impl",
    "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
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

/// The `?` blanks of `src`: every `?` outside strings, chars and comments that does not follow
/// the end of an expression (an identifier, literal, `)`, `]`, `}` or another `?`), so
/// `x?`, `f(x)?` and `v[0]?` are the operator, while `= ?;`, `(?)`, `[?, ?]` are blanks.
/// `?Sized` is a trait bound, not a blank.
pub fn find_blanks(src: &str) -> Vec<Blank> {
    let tokens = tokenize(src);
    let mut blanks = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        if t.tok != Tok::Punct('?') {
            continue;
        }
        if matches!(tokens.get(k + 1).map(|t| &t.tok), Some(Tok::Ident(w)) if w == "Sized") {
            continue;
        }
        let operator = match k.checked_sub(1).map(|p| &tokens[p].tok) {
            Some(Tok::Ident(w)) => !NOT_EXPRESSION_END.contains(&w.as_str()),
            Some(Tok::Literal) => true,
            Some(Tok::Punct(')' | ']' | '}' | '?')) => true,
            _ => false,
        };
        if !operator {
            let before = &src[..t.start];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            blanks.push(Blank {
                line,
                column,
                offset: t.start,
            });
        }
    }
    blanks
}

/// A complete top-level statement of a cell: its first token and the byte offset after it.
struct Statement<'a> {
    first: &'a Tok,
    end: usize,
    /// Ended by the `}` of a block rather than by `;`.
    ends_with_block: bool,
}

/// The complete top-level statements of a cell, in order, by Rust's rules: a statement ends at
/// a `;`, or at the closing `}` of a block-like statement (`if`, `for`, `fn`, …) unless `else`
/// follows. Tokens after the last one are the cell's trailing expression.
fn statements(tokens: &[Token]) -> Vec<Statement<'_>> {
    const BLOCK_LIKE: &[&str] = &[
        "if",
        "match",
        "loop",
        "while",
        "for",
        "unsafe",
        "fn",
        "struct",
        "enum",
        "impl",
        "trait",
        "mod",
        "pub",
        "macro_rules",
        "async",
        "const",
        "static",
    ];
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut first: Option<&Tok> = None;
    for (k, t) in tokens.iter().enumerate() {
        if depth == 0 && first.is_none() {
            first = Some(&t.tok);
        }
        match t.tok {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']') => depth -= 1,
            Tok::Punct('}') => {
                depth -= 1;
                let continues =
                    matches!(tokens.get(k + 1).map(|t| &t.tok), Some(Tok::Ident(w)) if w == "else");
                let block_like = match first {
                    Some(Tok::Ident(w)) => BLOCK_LIKE.contains(&w.as_str()),
                    Some(Tok::Punct('{' | '#')) => true,
                    _ => false,
                };
                if depth == 0 && block_like && !continues {
                    out.extend(first.take().map(|first| Statement {
                        first,
                        end: t.end,
                        ends_with_block: true,
                    }));
                }
            }
            Tok::Punct(';') if depth == 0 => {
                out.extend(first.take().map(|first| Statement {
                    first,
                    end: t.end,
                    ends_with_block: false,
                }));
            }
            _ => {}
        }
    }
    out
}

/// Splits a cell into its statements and its trailing expression (the value evcxr would show),
/// if any: `(statements, Some(expression))`.
pub fn split_trailing_expression(src: &str) -> (&str, Option<&str>) {
    let boundary = statements(&tokenize(src)).last().map_or(0, |s| s.end);
    match tokenize(&src[boundary..]).first() {
        Some(first) => (
            &src[..boundary],
            Some(src[boundary + first.start..].trim_end()),
        ),
        None => (src, None),
    }
}

/// Whether a cell's last statement is a `for`, `while`, `loop`, `if` or `match` block: evcxr
/// shows its `()` value as an output, so notebook cells end with a statement instead.
pub fn ends_with_block_expression(src: &str) -> bool {
    let tokens = tokenize(src);
    let Some(last) = statements(&tokens).pop() else {
        return false;
    };
    let nothing_after = tokens.last().is_some_and(|t| t.end == last.end);
    nothing_after
        && last.ends_with_block
        && matches!(last.first, Tok::Ident(w) if ["for", "while", "loop", "if", "match"].contains(&w.as_str()))
}

/// Lines of a cell that are evcxr commands (`:dep …`, `:timing`), which a script leaves out.
pub fn is_kernel_command(line: &str) -> bool {
    line.trim_start().starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn blanks_in_strings_chars_and_comments_are_ignored() {
        assert!(blanks(r#"println!("what? {}", "?");"#).is_empty());
        assert!(blanks("let c = '?';").is_empty());
        assert!(blanks(r#"let c = '\''; let d = "\"?";"#).is_empty());
        assert!(blanks(r##"let r = r#"a ? b"#;"##).is_empty());
        assert!(blanks("// is it ?\n/* a ? /* nested ? */ b */ let x = 1;").is_empty());
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
        assert_eq!(blanks("?"), vec![(1, 1)]);
    }

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
