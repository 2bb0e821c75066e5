//! A cell's tokens in one flat list, each group's delimiters as tokens of their own: what the
//! checks that look at every token (macro bodies included, which syn leaves unparsed) walk.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use std::str::FromStr;
use syn::ext::IdentExt;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// An identifier or keyword, without a raw identifier's `r#`.
    Ident(String),
    Literal(String),
    /// A punctuation character; `joint` when the next one is part of the same operator (`!=`).
    Punct {
        c: char,
        joint: bool,
    },
    Open(Delimiter),
    Close(Delimiter),
}

/// A token and where it starts in the cell (a byte offset).
#[derive(Debug, Clone)]
pub(crate) struct Flat {
    pub(crate) tok: Tok,
    pub(crate) start: usize,
}

impl Flat {
    pub(crate) fn is_punct(&self, c: char) -> bool {
        matches!(self.tok, Tok::Punct { c: p, .. } if p == c)
    }

    pub(crate) fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(w) => Some(w),
            _ => None,
        }
    }
}

/// The tokens of `src`, or `None` when proc-macro2 cannot read it (an unclosed bracket or
/// string): then the compiler says what is wrong.
pub(crate) fn flat_tokens(src: &str) -> Option<Vec<Flat>> {
    TokenStream::from_str(src).ok().map(flat_stream)
}

/// The tokens of `stream`, flat.
pub(crate) fn flat_stream(stream: TokenStream) -> Vec<Flat> {
    let mut out = Vec::new();
    flatten(stream, &mut out);
    out
}

fn flatten(stream: TokenStream, out: &mut Vec<Flat>) {
    for tree in stream {
        let start = tree.span().byte_range().start;
        match tree {
            TokenTree::Group(group) => {
                let delimiter = group.delimiter();
                let open = group.span_open().byte_range();
                let close = group.span_close().byte_range();
                if delimiter != Delimiter::None {
                    out.push(Flat {
                        tok: Tok::Open(delimiter),
                        start: open.start,
                    });
                }
                flatten(group.stream(), out);
                if delimiter != Delimiter::None {
                    out.push(Flat {
                        tok: Tok::Close(delimiter),
                        start: close.start,
                    });
                }
            }
            TokenTree::Ident(ident) => out.push(Flat {
                tok: Tok::Ident(ident.unraw().to_string()),
                start,
            }),
            TokenTree::Literal(literal) => out.push(Flat {
                tok: Tok::Literal(literal.to_string()),
                start,
            }),
            TokenTree::Punct(punct) => out.push(Flat {
                tok: Tok::Punct {
                    c: punct.as_char(),
                    joint: punct.spacing() == Spacing::Joint,
                },
                start,
            }),
        }
    }
}
