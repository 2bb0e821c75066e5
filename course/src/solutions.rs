//! Reference solutions: `course/solutions/<notebook>.rs` holds every exercise cell solved,
//! each answer written `⟦answer⟧`; with each `⟦…⟧` replaced by `?` it must equal the shipped
//! blank cell.

use anyhow::{anyhow, bail, ensure, Context, Result};
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
    /// Code the grader runs after the exercise's check cell, which the notebook does not show
    /// (a section `// Hidden check <id>` of the solutions file).
    pub hidden_check: Option<String>,
    /// A hint for a student who is stuck: the lecture's idea or the Rust involved, not the
    /// answer (a section `// Hint <id>` of comment lines).
    pub hint: Option<String>,
    /// What the exercise is worth in a gradebook: 1 unless the file's header says
    /// `// points <id>: N`.
    pub points: u32,
    /// The memory a run of this exercise may use, in bytes, when the solutions file sets one
    /// (`// memory limit <id>: 6 GiB`); else the sandbox's default.
    pub memory_limit: Option<u64>,
}

/// How a hidden check's section starts in a solutions file.
pub const HIDDEN_CHECK: &str = "// Hidden check ";
/// How a hint's section starts in a solutions file.
pub const HINT: &str = "// Hint ";

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

    /// The cell with its `⟦…⟧` places filled with `answers`, in order (a student's answer
    /// written another way).
    pub fn with_answers(&self, answers: &[impl AsRef<str>]) -> Result<String> {
        let mut cell = String::new();
        let mut rest = self.marked.as_str();
        for answer in answers {
            let Some((before, after)) = rest.split_once(ANSWER_OPEN) else {
                bail!(
                    "exercise {}: more answers than its {} ⟦…⟧",
                    self.id,
                    self.answers()
                );
            };
            let (_, after) = after
                .split_once(ANSWER_CLOSE)
                .ok_or_else(|| anyhow!("exercise {}: a ⟦ without its ⟧", self.id))?;
            cell.push_str(before);
            cell.push_str(answer.as_ref());
            rest = after;
        }
        ensure!(
            !rest.contains(ANSWER_OPEN),
            "exercise {}: fewer answers than its {} ⟦…⟧",
            self.id,
            self.answers()
        );
        cell.push_str(rest);
        Ok(cell)
    }

    /// Number of answers (`⟦…⟧` marks).
    pub fn answers(&self) -> usize {
        self.marked.matches(ANSWER_OPEN).count()
    }
}

/// Reads a solutions file: sections that each start with a line `// Exercise <id>: …`.
pub fn load_solutions(path: &Path) -> Result<(BTreeMap<String, Solution>, BTreeMap<String, u64>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read solutions file {}", path.display()))?;
    let mut out: BTreeMap<String, Solution> = BTreeMap::new();
    let mut hidden: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut hints: BTreeMap<String, (usize, String)> = BTreeMap::new();
    // The id of the hint being read, if the current section is one.
    let mut in_hint: Option<String> = None;
    let mut limits = BTreeMap::new();
    let mut points: BTreeMap<String, (usize, u32)> = BTreeMap::new();
    let mut memory: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    let mut current: Option<Solution> = None;
    // The id of the hidden check being read, if the current section is one.
    let mut in_hidden: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let header = [HIDDEN_CHECK, HINT, "// Exercise "]
            .iter()
            .any(|h| line.trim().starts_with(h));
        if let Some(id) = &in_hint {
            if !header {
                let text = line.trim();
                ensure!(
                    text.is_empty() || text.starts_with("//"),
                    "solutions file {}, line {}: a hint is comment lines only; start a section (`// Exercise <id>:`) before code",
                    path.display(),
                    i + 1
                );
                let hint = &mut hints.get_mut(id).expect("inserted").1;
                hint.push_str(text.trim_start_matches('/').trim());
                hint.push('\n');
                continue;
            }
            in_hint = None;
        }
        if let Some(rest) = line.trim().strip_prefix(HINT) {
            if let Some(done) = current.take() {
                out.insert(done.id.clone(), done);
            }
            in_hidden = None;
            let id = rest.trim().trim_end_matches(':').trim().to_string();
            ensure!(
                !id.is_empty() && !hints.contains_key(&id),
                "solutions file {}, line {}: hint id {id:?} is empty or repeated",
                path.display(),
                i + 1
            );
            hints.insert(id.clone(), (i + 1, String::new()));
            in_hint = Some(id);
            continue;
        }
        if let Some(rest) = line.trim().strip_prefix(HIDDEN_CHECK) {
            if let Some(done) = current.take() {
                out.insert(done.id.clone(), done);
            }
            let id = rest
                .split([':', ' '])
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            ensure!(
                !id.is_empty() && !hidden.contains_key(&id),
                "solutions file {}, line {}: hidden check id {id:?} is empty or repeated",
                path.display(),
                i + 1
            );
            hidden.insert(id.clone(), (i + 1, String::new()));
            in_hidden = Some(id);
            continue;
        }
        if let Some(id) = &in_hidden {
            if !header {
                let code = &mut hidden.get_mut(id).expect("inserted").1;
                code.push_str(line);
                code.push('\n');
                continue;
            }
            in_hidden = None;
        }
        if current.is_none() {
            if let Some(rest) = line.trim().strip_prefix("// time limit ") {
                let (id, value) = rest.split_once(':').unwrap_or((rest, ""));
                let seconds = value.trim().trim_end_matches('s').trim().parse::<u64>();
                ensure!(
                    seconds.is_ok(),
                    "solutions file {}, line {}: write a time limit as `// time limit <id>: <seconds> s`",
                    path.display(),
                    i + 1
                );
                limits.insert(id.trim().to_string(), seconds.unwrap_or_default());
                continue;
            }
            if let Some(rest) = line.trim().strip_prefix("// memory limit ") {
                let (id, value) = rest.split_once(':').unwrap_or((rest, ""));
                let bytes = crate::sandbox::parse_size(value);
                ensure!(
                    bytes.is_some(),
                    "solutions file {}, line {}: write a memory limit as `// memory limit <id>: <number> GiB` (or MiB)",
                    path.display(),
                    i + 1
                );
                memory.insert(id.trim().to_string(), (i + 1, bytes.unwrap_or_default()));
                continue;
            }
            if let Some(rest) = line.trim().strip_prefix("// points ") {
                let (id, value) = rest.split_once(':').unwrap_or((rest, ""));
                let value = value.trim().parse::<u32>();
                ensure!(
                    value.is_ok(),
                    "solutions file {}, line {}: write points as `// points <id>: <whole number>`",
                    path.display(),
                    i + 1
                );
                points.insert(id.trim().to_string(), (i + 1, value.unwrap_or_default()));
                continue;
            }
        }
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
                hidden_check: None,
                hint: None,
                points: 1,
                memory_limit: None,
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
    for (id, (line, code)) in hidden {
        let sol = out.get_mut(&id).ok_or_else(|| {
            anyhow!(
                "solutions file {}, line {line}: a hidden check for exercise {id}, which has no section",
                path.display()
            )
        })?;
        sol.hidden_check = Some(code.trim_end().to_string());
    }
    for (id, (line, text)) in hints {
        let sol = out.get_mut(&id).ok_or_else(|| {
            anyhow!(
                "solutions file {}, line {line}: a hint for exercise {id}, which has no section",
                path.display()
            )
        })?;
        sol.hint = Some(paragraphs(&text));
    }
    for (id, (line, value)) in points {
        let sol = out.get_mut(&id).ok_or_else(|| {
            anyhow!(
                "solutions file {}, line {line}: points for exercise {id}, which has no section",
                path.display()
            )
        })?;
        sol.points = value;
    }
    for (id, (line, bytes)) in memory {
        let sol = out.get_mut(&id).ok_or_else(|| {
            anyhow!(
                "solutions file {}, line {line}: a memory limit for exercise {id}, which has no section",
                path.display()
            )
        })?;
        sol.memory_limit = Some(bytes);
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
    Ok((out, limits))
}

/// Answers to one exercise besides the reference (`course/solutions/answers.json`): right ones
/// written differently, which must pass, and plausible wrong ones, which must fail. Each answer
/// fills the reference solution's `⟦…⟧` places in order ([`Solution::with_answers`]).
#[derive(Debug, Clone, Default)]
pub struct OtherAnswers {
    /// Right answers written differently from the reference.
    pub right: Vec<Vec<String>>,
    /// Wrong answers, each with what its failure message must say.
    pub wrong: Vec<(Vec<String>, String)>,
    /// Generated wrong answers (mutants) that are right after all, each with the reason why:
    /// they must pass.
    pub equivalent: Vec<(Vec<String>, String)>,
}

/// Reads `answers.json`: exercise id → its other answers.
pub fn load_other_answers(path: &Path) -> Result<BTreeMap<String, OtherAnswers>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not valid JSON", path.display()))?;
    let strings = |v: &serde_json::Value| -> Option<Vec<String>> {
        v.as_array()?
            .iter()
            .map(|a| a.as_str().map(str::to_string))
            .collect()
    };
    let mut out = BTreeMap::new();
    for (id, entry) in json.as_object().into_iter().flatten() {
        if id.starts_with('_') {
            continue;
        }
        let bad = || {
            anyhow!("{}, exercise {id}: expected {{\"right\": [[…]], \"wrong\": [{{\"answers\": […], \"says\": …}}], \"equivalent\": [{{\"answers\": […], \"why\": …}}] (optional)}}", path.display())
        };
        let right = entry
            .get("right")
            .and_then(|r| r.as_array())
            .ok_or_else(bad)?
            .iter()
            .map(|a| strings(a).ok_or_else(bad))
            .collect::<Result<Vec<_>>>()?;
        // A list of `{"answers": […], <label>: "…"}` entries.
        let labelled = |list: &serde_json::Value, label: &str| {
            list.as_array()
                .ok_or_else(bad)?
                .iter()
                .map(|e| {
                    let answers = e.get("answers").and_then(strings).ok_or_else(bad)?;
                    let text = e.get(label).and_then(|s| s.as_str()).ok_or_else(bad)?;
                    Ok((answers, text.to_string()))
                })
                .collect::<Result<Vec<_>>>()
        };
        let wrong = labelled(entry.get("wrong").ok_or_else(bad)?, "says")?;
        let equivalent = match entry.get("equivalent") {
            None => Vec::new(),
            Some(list) => labelled(list, "why")?,
        };
        out.insert(
            id.clone(),
            OtherAnswers {
                right,
                wrong,
                equivalent,
            },
        );
    }
    Ok(out)
}

/// Comment lines joined into paragraphs: lines of one paragraph joined with spaces, paragraphs
/// (split by an empty comment line) by a blank line.
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
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
mod tests;
