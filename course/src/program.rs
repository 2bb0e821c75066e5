//! The notebook-equivalent program: the cells chosen for a variant, in order, as one Rust
//! program, with a map from its lines back to notebook cells and lines.

use crate::lexer::{is_kernel_command, split_trailing_expression};

/// One cell on its way into a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramCell {
    /// The cell's number in messages (the student's numbering for their own exercise cell).
    pub number: usize,
    /// Its code.
    pub code: String,
    /// `Some(id)` for the check cell of exercise `id`: when its code has run to the end, the
    /// program tells the grader that this check returned `Ok`.
    pub check_of: Option<String>,
}

/// A Rust program made from notebook cells, with a map back to them.
#[derive(Debug, Clone)]
pub struct Script {
    /// The program text.
    pub source: String,
    /// For each line of `source` (from 0), the notebook cell number and the line in that cell.
    pub line_map: Vec<Option<(usize, usize)>>,
}

impl Script {
    /// Builds a program from cells in order. Each cell opens a nested block, so later cells see
    /// earlier variables and may redefine functions, as in evcxr. A cell's trailing expression
    /// is shown with `lectureutil::show!`.
    ///
    /// The cells run inside `fn cells()`, which `lectureutil::script::__main` calls: under the
    /// grader that runtime reads a one-time token before any cell runs, notes which cell is
    /// running, and reports errors and panics; the line after each check cell's code reports
    /// that the check returned. Nothing a cell prints can stand in for that report.
    pub fn assemble(origin: &str, cells: &[ProgramCell]) -> Script {
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
        // The grader's token is in this process's memory: no cell may reach it by raw pointer.
        s.push("#![forbid(unsafe_code)]", None);
        s.push("fn main() -> std::process::ExitCode {", None);
        s.push("lectureutil::script::__main(file!(), cells)", None);
        s.push("}", None);
        s.push("fn cells() -> lectureutil::anyhow::Result<()> {", None);
        for cell in cells {
            let number = cell.number;
            let kept: String = cell
                .code
                .lines()
                .map(|l| if is_kernel_command(l) { "" } else { l })
                .collect::<Vec<_>>()
                .join("\n");
            let (statements, trailing) = split_trailing_expression(&kept);
            s.push(
                &format!("{{ lectureutil::script::__cell({number}); // ---- cell {number} ----"),
                None,
            );
            for (i, line) in statements.lines().enumerate() {
                s.push(line, Some((number, i + 1)));
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
                    s.push(&text, Some((number, first + i + 1)));
                }
            }
            if let Some(id) = &cell.check_of {
                s.push(
                    &format!("lectureutil::script::__check_returned({id:?});"),
                    None,
                );
            }
        }
        let closing = "}".repeat(cells.len());
        s.push(&closing, None);
        s.push("Ok(())", None);
        s.push("}", None);
        s
    }

    /// The notebook cell and line of line `n` (from 1) of the program.
    pub fn origin_of_line(&self, n: usize) -> Option<(usize, usize)> {
        *self.line_map.get(n.checked_sub(1)?)?
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
                if let Some((cell, cell_line)) = number.and_then(|n| self.origin_of_line(n)) {
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

    #[test]
    fn scripts_nest_cells_and_map_lines_back() {
        let script = Script::assemble(
            "nb.ipynb",
            &[
                ProgramCell {
                    number: 2,
                    code: ":dep x = \"1\"\nfn f() -> i32 { 1 }\nlet a = f();".into(),
                    check_of: None,
                },
                ProgramCell {
                    number: 4,
                    code: "// Check 1a\nfn f() -> i32 { 2 }\na + f()".into(),
                    check_of: Some("1a".into()),
                },
            ],
        );
        let lines: Vec<&str> = script.source.lines().collect();
        let show = lines.iter().position(|l| l.contains("show!(4")).unwrap();
        assert_eq!(
            lines[show + 1],
            "lectureutil::script::__check_returned(\"1a\");",
            "the check reports only after its last line"
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
            annotated.contains("(notebook cell 4, line 3)"),
            "{annotated}"
        );
    }
}
