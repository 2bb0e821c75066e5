//! The notebook-equivalent program: the cells chosen for a variant, in order, as one Rust
//! program, with a map from its lines back to notebook cells and lines.

use crate::lexer::{is_kernel_command, split_trailing_expression};

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
