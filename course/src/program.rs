//! The notebook-equivalent program: the cells chosen for a variant, in order, as one Rust
//! program, with a map from its lines back to notebook cells and lines.

use crate::syntax::{is_kernel_command, split_trailing_expression};

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
    /// The line of `code` (from 1) where the course's hidden check begins, if it has one: the
    /// compiler's messages never show those lines to a student.
    pub hidden_from: Option<usize>,
}

/// A Rust program made from notebook cells, with a map back to them.
#[derive(Debug, Clone)]
pub struct Script {
    /// The program text.
    pub source: String,
    /// For each line of `source` (from 0), the notebook cell number and the line in that cell.
    pub line_map: Vec<Option<(usize, usize)>>,
    /// Lines of `source` (from 1) that belong to a hidden check.
    pub hidden_lines: std::collections::BTreeSet<usize>,
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
            hidden_lines: Default::default(),
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
            let hidden = |line_in_cell: usize| cell.hidden_from.is_some_and(|h| line_in_cell >= h);
            for (i, line) in statements.lines().enumerate() {
                s.push(line, Some((number, i + 1)));
                if hidden(i + 1) {
                    s.hidden_lines.insert(s.line_map.len());
                }
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
                    if hidden(first + i + 1) {
                        s.hidden_lines.insert(s.line_map.len());
                    }
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
    /// points into this script, so that errors lead back to the notebook. A message that points
    /// into a hidden check says so instead, and loses the lines that would quote its code.
    pub fn annotate_compiler_output(&self, output: &str, file_name: &str) -> String {
        let mut out = String::new();
        // Whether the message being copied points into a hidden check.
        let mut in_hidden = false;
        for line in output.lines() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("error") || trimmed.starts_with("warning") {
                in_hidden = false;
            }
            let quotes_code = trimmed.starts_with('|')
                || trimmed
                    .split_once(" |")
                    .is_some_and(|(n, _)| n.trim().parse::<usize>().is_ok())
                || trimmed.starts_with("...");
            if in_hidden && quotes_code {
                continue;
            }
            let number = line.find(file_name).and_then(|pos| {
                let rest = &line[pos + file_name.len()..];
                rest.trim_start_matches(':')
                    .split(':')
                    .next()?
                    .parse::<usize>()
                    .ok()
            });
            match number.map(|n| (n, self.origin_of_line(n))) {
                Some((n, Some((cell, _)))) if self.hidden_lines.contains(&n) => {
                    in_hidden = true;
                    out.push_str(&format!(
                        "  --> a hidden check of the course, run after cell {cell} (its code is not shown): \
                         it expects what the exercise's text asks for"
                    ));
                }
                Some((_, Some((cell, cell_line)))) => {
                    out.push_str(line);
                    out.push_str(&format!("   (notebook cell {cell}, line {cell_line})"));
                }
                _ => out.push_str(line),
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
                    hidden_from: None,
                },
                ProgramCell {
                    number: 4,
                    code: "// Check 1a\nfn f() -> i32 { 2 }\na + f()".into(),
                    check_of: Some("1a".into()),
                    hidden_from: None,
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
        // With a hidden check from line 3 of cell 4 on, that line's code stays unseen.
        let cells = vec![ProgramCell {
            number: 4,
            code: "// Check 1a\nlet a = 1;\na + f()".into(),
            check_of: Some("1a".into()),
            hidden_from: Some(3),
        }];
        let script = Script::assemble("nb.ipynb", &cells);
        let line = script
            .source
            .lines()
            .position(|l| l.contains("a + f()"))
            .unwrap()
            + 1;
        let hidden = script.annotate_compiler_output(
            &format!("error[E0425]: cannot find value `w_hidden`\n  --> src/bin/x.rs:{line}:5\n   |\n{line} | a + f()\n   | ^ not found\n\nerror: aborting"),
            "src/bin/x.rs",
        );
        assert!(
            hidden.contains("a hidden check of the course, run after cell 4"),
            "{hidden}"
        );
        assert!(
            !hidden.contains("a + f()") && hidden.contains("error: aborting"),
            "{hidden}"
        );
    }
}
