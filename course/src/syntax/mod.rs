//! Cells read as Rust: proc-macro2's tokens, each with its place in the cell, and syn's syntax
//! tree. A cell with `?` blanks is not Rust; it is read with each blank as `_` (same length, so
//! every place stays where it was).

mod blanks;
mod names;
mod numbers;
mod statements;
mod tokens;

pub use blanks::{find_blanks, Blank};
pub(crate) use names::{Binding, Names};
pub(crate) use numbers::Number;
pub use statements::{ends_with_block_expression, is_kernel_command, split_trailing_expression};
pub(crate) use tokens::{flat_tokens, Flat, Tok};

use proc_macro2::Span;
use syn::parse::Parser;

/// The statements and items of a cell, its blanks read as `_` and its evcxr commands (`:dep …`)
/// as blank lines, or why syn cannot read it (the line in the cell, and syn's message).
pub(crate) fn parse_cell(src: &str) -> Result<Vec<syn::Stmt>, (usize, String)> {
    let readable = readable(src);
    syn::Block::parse_within
        .parse_str(&readable)
        .map_err(|e| (line_of(src, offset(e.span())), e.to_string()))
}

/// `src` with each blank as `_` and each evcxr command line as spaces: the same length.
fn readable(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.split_inclusive('\n') {
        if is_kernel_command(line) {
            out.extend(line.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        } else {
            out.push_str(line);
        }
    }
    let blanks = find_blanks(&out);
    let mut bytes = out.into_bytes();
    for blank in blanks {
        bytes[blank.offset] = b'_';
    }
    String::from_utf8(bytes).expect("only ASCII `?` replaced by `_`")
}

/// The byte offset in its cell where `span` starts.
pub(crate) fn offset(span: Span) -> usize {
    span.byte_range().start
}

/// The line, from 1, of byte `offset` in `src`.
pub(crate) fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}
