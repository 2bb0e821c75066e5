//! Reference solutions: `course/solutions/<notebook>.rs` holds every exercise cell solved,
//! each answer written `⟦answer⟧`; with each `⟦…⟧` replaced by `?` it must equal the shipped
//! blank cell.

use anyhow::{bail, ensure, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Opening mark of an answer in a solutions file.
pub const ANSWER_OPEN: char = '⟦';
/// Closing mark of an answer in a solutions file.
pub const ANSWER_CLOSE: char = '⟧';

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::find_blanks;

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
}
