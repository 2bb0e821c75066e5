//! The course notebooks as data: reading `.ipynb` files, finding the `?` blanks of the
//! exercises, the reference solutions, and turning cells into a Rust program.
//!
//! Conventions, shared by the notebooks, the solutions and the grader:
//! - an exercise cell starts with a line `// Exercise <id>: <what to fill in>`;
//! - its check cell, further down, starts with `// Check <id>`;
//! - a blank is a `?` that cannot be Rust's `?` operator (see [`find_blanks`]);
//! - `tests/solutions/<notebook>.rs` holds every exercise cell solved, each answer written
//!   `⟦answer⟧`: with each `⟦…⟧` replaced by `?` it must equal the shipped blank cell.

use anyhow::{anyhow, bail, ensure, Context, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Opening mark of an answer in a solutions file.
pub const ANSWER_OPEN: char = '⟦';
/// Closing mark of an answer in a solutions file.
pub const ANSWER_CLOSE: char = '⟧';

/// The kind of a notebook cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Rust code.
    Code,
    /// Markdown text.
    Markdown,
    /// A raw cell.
    Raw,
}

/// One cell of a notebook.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Position in the notebook, counting from 1 as JupyterLab's "cell N" does.
    pub number: usize,
    /// Code, markdown or raw.
    pub kind: CellKind,
    /// The cell's text.
    pub source: String,
}

impl Cell {
    /// The exercise id when this is an exercise cell (`// Exercise <id>: …`).
    pub fn exercise_id(&self) -> Option<&str> {
        self.header("// Exercise ")
            .map(|rest| rest.split(':').next().unwrap_or("").trim())
    }

    /// The exercise id when this is a check cell (`// Check <id>`).
    pub fn check_id(&self) -> Option<&str> {
        self.header("// Check ")
            .map(|rest| rest.split([' ', ':']).next().unwrap_or("").trim())
    }

    fn header(&self, prefix: &str) -> Option<&str> {
        if self.kind != CellKind::Code {
            return None;
        }
        let first = self.source.lines().find(|l| !l.trim().is_empty())?;
        first.trim().strip_prefix(prefix)
    }
}

/// A notebook read from disk.
#[derive(Debug, Clone)]
pub struct Notebook {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its cells in order.
    pub cells: Vec<Cell>,
    json: Value,
}

/// The text of a notebook `source` or stream `text` field (a string or a list of strings);
/// empty for anything else.
pub fn source_text_of(value: &Value) -> String {
    source_text(value).unwrap_or_default()
}

fn source_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => parts
            .iter()
            .map(|p| p.as_str())
            .collect::<Option<Vec<_>>>()
            .map(|v| v.concat()),
        _ => None,
    }
}

impl Notebook {
    /// Reads and validates a notebook: nbformat 4, the `rust` kernelspec, well-formed cells.
    /// Errors name the file (and cell) and say how to repair it.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read notebook {}", path.display()))?;
        Self::parse(path, &text)
    }

    /// Parses notebook JSON; `path` is used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let name = path.display();
        let restore =
            format!("repair it or restore the shipped copy with `git checkout -- {name}`");
        let json: Value = serde_json::from_str(text)
            .map_err(|e| anyhow!("notebook {name} is not valid JSON ({e}); {restore}"))?;
        let format = json.get("nbformat").and_then(Value::as_u64);
        ensure!(
            format == Some(4),
            "notebook {name} has nbformat {format:?}, expected 4; {restore}"
        );
        let kernel = json
            .pointer("/metadata/kernelspec/name")
            .and_then(Value::as_str);
        ensure!(
            kernel == Some("rust"),
            "notebook {name} uses kernel {kernel:?}, expected \"rust\" (the evcxr kernel); {restore}"
        );
        let raw_cells = json
            .get("cells")
            .and_then(Value::as_array)
            .ok_or_else(|| anyhow!("notebook {name} has no \"cells\" list; {restore}"))?;
        let mut cells = Vec::with_capacity(raw_cells.len());
        for (i, cell) in raw_cells.iter().enumerate() {
            let number = i + 1;
            let kind = match cell.get("cell_type").and_then(Value::as_str) {
                Some("code") => CellKind::Code,
                Some("markdown") => CellKind::Markdown,
                Some("raw") => CellKind::Raw,
                other => {
                    bail!("notebook {name}, cell {number}: unknown cell_type {other:?}; {restore}")
                }
            };
            let source = cell.get("source").and_then(source_text).ok_or_else(|| {
                anyhow!("notebook {name}, cell {number}: \"source\" is not text; {restore}")
            })?;
            cells.push(Cell {
                number,
                kind,
                source,
            });
        }
        Ok(Notebook {
            path: path.to_path_buf(),
            cells,
            json,
        })
    }

    /// The notebook's file stem, e.g. `02_linear_classifier`.
    pub fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The exercise cells, by id.
    pub fn exercises(&self) -> BTreeMap<String, &Cell> {
        self.cells
            .iter()
            .filter_map(|c| c.exercise_id().map(|id| (id.to_string(), c)))
            .collect()
    }

    /// The check cell of exercise `id`.
    pub fn check_cell(&self, id: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.check_id() == Some(id))
    }

    /// A copy of this notebook's JSON with the given cells' sources replaced and all outputs
    /// cleared (for the solved copy that the real kernel runs).
    pub fn with_sources(&self, replace: &BTreeMap<usize, String>) -> Value {
        let mut json = self.json.clone();
        if let Some(cells) = json.get_mut("cells").and_then(Value::as_array_mut) {
            for (i, cell) in cells.iter_mut().enumerate() {
                if let Some(src) = replace.get(&(i + 1)) {
                    cell["source"] = Value::String(src.clone());
                }
                if cell.get("cell_type").and_then(Value::as_str) == Some("code") {
                    cell["outputs"] = Value::Array(vec![]);
                    cell["execution_count"] = Value::Null;
                }
            }
        }
        json
    }
}

// ---------------------------------------------------------------------------------------------
// A small Rust tokenizer: enough to skip strings, chars and comments, and to know what precedes
// each `?`.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Literal,
    Lifetime,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

fn tokenize(src: &str) -> Vec<Token> {
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

// ---------------------------------------------------------------------------------------------
// Reference solutions.

/// One exercise of a solutions file.
#[derive(Debug, Clone)]
pub struct Solution {
    /// The exercise id.
    pub id: String,
    /// The solved cell with its answers marked `⟦…⟧`.
    pub marked: String,
    /// Line of the section in the solutions file, from 1.
    pub line: usize,
}

impl Solution {
    /// The solved cell (marks removed, answers kept).
    pub fn solved(&self) -> String {
        self.marked.replace([ANSWER_OPEN, ANSWER_CLOSE], "")
    }

    /// The shipped blank cell: every `⟦…⟧` replaced by `?`.
    pub fn template(&self) -> String {
        let mut out = String::new();
        let mut depth = 0;
        for c in self.marked.chars() {
            match c {
                ANSWER_OPEN => {
                    if depth == 0 {
                        out.push('?');
                    }
                    depth += 1;
                }
                ANSWER_CLOSE => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Number of answers (`⟦…⟧` marks).
    pub fn answers(&self) -> usize {
        self.marked.matches(ANSWER_OPEN).count()
    }
}

/// Reads a solutions file: sections that each start with a line `// Exercise <id>: …`.
pub fn load_solutions(path: &Path) -> Result<BTreeMap<String, Solution>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read solutions file {}", path.display()))?;
    let mut out: BTreeMap<String, Solution> = BTreeMap::new();
    let mut current: Option<Solution> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.trim().strip_prefix("// Exercise ") {
            if let Some(done) = current.take() {
                out.insert(done.id.clone(), done);
            }
            let id = rest.split(':').next().unwrap_or("").trim().to_string();
            ensure!(
                !id.is_empty() && !out.contains_key(&id),
                "solutions file {}, line {}: exercise id {id:?} is empty or repeated",
                path.display(),
                i + 1
            );
            current = Some(Solution {
                id,
                marked: String::new(),
                line: i + 1,
            });
        }
        match current.as_mut() {
            Some(sol) => {
                sol.marked.push_str(line);
                sol.marked.push('\n');
            }
            None if line.trim().is_empty() || line.trim_start().starts_with("//") => {}
            None => bail!(
                "solutions file {}, line {}: code before the first `// Exercise <id>:` line",
                path.display(),
                i + 1
            ),
        }
    }
    if let Some(done) = current.take() {
        out.insert(done.id.clone(), done);
    }
    for sol in out.values_mut() {
        sol.marked = sol.marked.trim_end().to_string();
        let (open, close) = (
            sol.marked.matches(ANSWER_OPEN).count(),
            sol.marked.matches(ANSWER_CLOSE).count(),
        );
        ensure!(
            open == close,
            "solutions file {}, exercise {} (line {}): {open} `⟦` but {close} `⟧`",
            path.display(),
            sol.id,
            sol.line
        );
    }
    Ok(out)
}

/// Cell text compared the way drift checks compare it: trailing spaces and blank lines ignored.
pub fn normalized(src: &str) -> String {
    src.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Scripts.

/// A Rust program made from notebook cells, with a map back to them.
#[derive(Debug, Clone)]
pub struct Script {
    /// The program text.
    pub source: String,
    /// For each line of `source` (from 0), the notebook cell number and the line in that cell.
    pub line_map: Vec<Option<(usize, usize)>>,
}

impl Script {
    /// Builds a program from `(cell number, code)` pairs in order. Each cell opens a nested
    /// block, so later cells see earlier variables and may redefine functions, as in evcxr.
    /// A cell's trailing expression is shown with [`crate::show!`].
    pub fn assemble(origin: &str, cells: &[(usize, String)]) -> Script {
        let mut s = Script {
            source: String::new(),
            line_map: Vec::new(),
        };
        s.push(
            &format!(
                "// Generated from {origin} by lectureutil: edit the notebook, not this file."
            ),
            None,
        );
        s.push(
            "#![allow(unused, unused_mut, unused_variables, clippy::all)]",
            None,
        );
        s.push("fn main() -> lectureutil::anyhow::Result<()> {", None);
        for (number, code) in cells {
            let kept: String = code
                .lines()
                .map(|l| if is_kernel_command(l) { "" } else { l })
                .collect::<Vec<_>>()
                .join("\n");
            let (statements, trailing) = split_trailing_expression(&kept);
            s.push(&format!("{{ // ---- cell {number} ----"), None);
            for (i, line) in statements.lines().enumerate() {
                s.push(line, Some((*number, i + 1)));
            }
            if let Some(expr) = trailing {
                let first = statements.lines().count();
                let lines: Vec<&str> = expr.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    let text = match (i == 0, i + 1 == lines.len()) {
                        (true, true) => format!("lectureutil::show!({number}, {line});"),
                        (true, false) => format!("lectureutil::show!({number}, {line}"),
                        (false, true) => format!("{line});"),
                        (false, false) => line.to_string(),
                    };
                    s.push(&text, Some((*number, first + i + 1)));
                }
            }
        }
        let closing = "}".repeat(cells.len());
        s.push(&closing, None);
        s.push("Ok(())", None);
        s.push("}", None);
        s
    }

    fn push(&mut self, line: &str, origin: Option<(usize, usize)>) {
        self.source.push_str(line);
        self.source.push('\n');
        self.line_map.push(origin);
    }

    /// Adds `(notebook cell N, line M)` after every `--> file:LINE:COL` of compiler output that
    /// points into this script, so that errors lead back to the notebook.
    pub fn annotate_compiler_output(&self, output: &str, file_name: &str) -> String {
        let mut out = String::new();
        for line in output.lines() {
            out.push_str(line);
            if let Some(pos) = line.find(file_name) {
                let rest = &line[pos + file_name.len()..];
                let number = rest
                    .trim_start_matches(':')
                    .split(':')
                    .next()
                    .and_then(|n| n.parse::<usize>().ok());
                if let Some(Some((cell, cell_line))) =
                    number.and_then(|n| self.line_map.get(n.wrapping_sub(1)))
                {
                    out.push_str(&format!("   (notebook cell {cell}, line {cell_line})"));
                }
            }
            out.push('\n');
        }
        out
    }
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

    #[test]
    fn solutions_give_template_and_solved_cell() {
        let dir = std::env::temp_dir().join(format!("lectureutil-sol-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.rs");
        std::fs::write(&path, "// header comment\n\n// Exercise 2.1: fill\nlet n = ⟦2⟧;\nlet y = x.matmul(&⟦w⟧)?;\n\n// Exercise 2.2: more\nlet m = ⟦n + 1⟧;\n").unwrap();
        let sols = load_solutions(&path).unwrap();
        let s = &sols["2.1"];
        assert_eq!(
            s.template(),
            "// Exercise 2.1: fill\nlet n = ?;\nlet y = x.matmul(&?)?;"
        );
        assert_eq!(
            s.solved(),
            "// Exercise 2.1: fill\nlet n = 2;\nlet y = x.matmul(&w)?;"
        );
        assert_eq!(s.answers(), 2);
        assert_eq!(find_blanks(&s.template()).len(), 2);
        assert_eq!(sols["2.2"].line, 7);
        std::fs::write(&path, "let x = 1;\n").unwrap();
        assert!(load_solutions(&path)
            .unwrap_err()
            .to_string()
            .contains("line 1"));
    }

    #[test]
    fn malformed_notebooks_are_named_in_errors() {
        let p = Path::new("notebooks/bad.ipynb");
        let err = Notebook::parse(p, "{ not json").unwrap_err().to_string();
        assert!(
            err.contains("notebooks/bad.ipynb is not valid JSON") && err.contains("git checkout"),
            "{err}"
        );
        let err = Notebook::parse(p, r#"{"nbformat": 3, "cells": []}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("nbformat"), "{err}");
        let ok = r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "rust"}},
            "cells": [{"cell_type": "code", "source": ["// Exercise 1a: x\n", "let a = ?;"], "metadata": {}, "outputs": []},
                      {"cell_type": "code", "source": "// Check 1a\ncheck(\"1a\", true, \"\")?;", "metadata": {}, "outputs": []},
                      {"cell_type": "markdown", "source": 5, "metadata": {}}]}"#;
        let err = Notebook::parse(p, ok).unwrap_err().to_string();
        assert!(err.contains("cell 3"), "{err}");
        let nb =
            Notebook::parse(p, &ok.replace("\"source\": 5", "\"source\": \"# Title\"")).unwrap();
        assert_eq!(nb.exercises()["1a"].number, 1);
        assert_eq!(nb.check_cell("1a").unwrap().number, 2);
    }

    #[test]
    fn scripts_nest_cells_and_map_lines_back() {
        let script = Script::assemble(
            "nb.ipynb",
            &[
                (
                    2,
                    ":dep x = \"1\"\nfn f() -> i32 { 1 }\nlet a = f();".into(),
                ),
                (4, "fn f() -> i32 { 2 }\na + f()".into()),
            ],
        );
        assert!(
            script.source.contains("lectureutil::show!(4, a + f());"),
            "{}",
            script.source
        );
        assert!(!script.source.contains(":dep"));
        let line = script
            .source
            .lines()
            .position(|l| l.contains("a + f()"))
            .unwrap()
            + 1;
        let annotated = script
            .annotate_compiler_output(&format!("  --> src/bin/x.rs:{line}:5"), "src/bin/x.rs");
        assert!(
            annotated.contains("(notebook cell 4, line 2)"),
            "{annotated}"
        );
    }
}
