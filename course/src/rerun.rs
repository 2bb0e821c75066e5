//! Re-running an exercise cell with other values, from a hidden check: where the lecture's sizes
//! coincide (3.1's are all 2), only a run with different sizes shows whether each size sits where
//! its role says. A hidden check's line
//!
//! `// Rerun the exercise cell with let n_input = 3; let n_hidden = 5;`
//!
//! becomes the exercise cell of the run (the student's, in a student's run) with each of those
//! `let` statements in place of the cell's own; `// Rerun the exercise cell as it was` becomes the
//! cell unchanged (the cell seeds the random numbers: run again, it leaves them as it did).

use crate::syntax::split_trailing_expression;

/// How a rerun line of a hidden check starts.
pub const RERUN: &str = "// Rerun the exercise cell ";

/// `hidden` with each rerun line replaced by `cell` with its bindings changed; a binding the cell
/// no longer has makes the check fail with a message saying so.
pub(crate) fn expand_reruns(hidden: &str, id: &str, cell: &str) -> String {
    hidden
        .lines()
        .map(|line| match line.trim().strip_prefix(RERUN) {
            Some("as it was") => rerun(cell, id, ""),
            Some(rest) => match rest.strip_prefix("with ") {
                Some(bindings) => rerun(cell, id, bindings),
                None => line.to_string(),
            },
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn rerun(cell: &str, id: &str, bindings: &str) -> String {
    let mut code = cell.to_string();
    let mut missing = Vec::new();
    for binding in bindings.split(';').map(str::trim).filter(|b| !b.is_empty()) {
        let name = bound_name(binding).unwrap_or_default();
        match find_let(&code, name) {
            Some((start, end)) => code.replace_range(start..end, &format!("{binding};")),
            None => missing.push(name.to_string()),
        }
    }
    if !missing.is_empty() {
        let names = missing.join("`, `");
        return format!(
            "check(\"Exercise {id}\", false, \"the exercise cell no longer sets `{names}` with a \
             `let` statement of its own line, as shipped: fill in only the `?`\")?;"
        );
    }
    // The cell's last expression (shown in the notebook) becomes a statement: code follows it.
    let (statements, trailing) = split_trailing_expression(&code);
    match trailing {
        Some(expr) => format!("{statements}\nlet _ = {expr};"),
        None => statements.to_string(),
    }
}

/// `n_input` of `let n_input: i64 = 3`.
fn bound_name(binding: &str) -> Option<&str> {
    let rest = binding.strip_prefix("let ")?.trim_start();
    let rest = rest.strip_prefix("mut ").unwrap_or(rest).trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|n| !n.is_empty())
}

/// The byte range, up to and including its `;`, of the first statement of `code` that starts a
/// line with `let NAME` (or `let mut NAME`).
fn find_let(code: &str, name: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let indent = line.len() - line.trim_start().len();
        if bound_name(line.trim()) == Some(name) {
            let start = offset + indent;
            let end = start + code[start..].find(';')? + 1;
            return Some((start, end));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rerun_lines_become_the_cell_with_other_values() {
        let cell =
            "let n_input = 2;\nlet mut n_hidden: i64 =\n    2;\nlet w = [n_input, n_hidden];\nw";
        let hidden = "let probe = {\n    // Rerun the exercise cell with let n_input = 3; let n_hidden = 5;\n    w\n};";
        let expanded = expand_reruns(hidden, "3.1", cell);
        assert_eq!(
            expanded,
            "let probe = {\nlet n_input = 3;\nlet n_hidden = 5;\nlet w = [n_input, n_hidden];\nlet _ = w;\n    w\n};"
        );
    }

    #[test]
    fn as_it_was_is_the_cell_unchanged() {
        let expanded = expand_reruns(
            "{\n// Rerun the exercise cell as it was\n}",
            "3.1",
            "let a = 2;",
        );
        assert_eq!(expanded, "{\nlet a = 2;\n}");
    }

    #[test]
    fn a_cell_without_the_binding_fails_its_check() {
        let expanded = expand_reruns(
            "// Rerun the exercise cell with let n_output = 7;",
            "3.1",
            "let sizes = (2, 2, 2);",
        );
        assert!(
            expanded.starts_with("check(\"Exercise 3.1\", false"),
            "{expanded}"
        );
        assert!(expanded.contains("`n_output`"), "{expanded}");
    }

    #[test]
    fn names_are_matched_whole() {
        assert_eq!(
            find_let("let n_inputs = 1;\nlet n_input = 2;", "n_input"),
            Some((18, 34))
        );
    }
}
