//! The course notebooks as data: `.ipynb` files read and validated, their cells, and which
//! cells are exercises and checks.
//!
//! Conventions, shared by the notebooks, the solutions and the grader:
//! - an exercise cell starts with a line `// Exercise <id>: <what to fill in>`;
//! - its check cell, further down, starts with `// Check <id>`;
//! - every other cell is locked: graded as the course shipped it.

use anyhow::{anyhow, bail, ensure, Context, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// Whether its metadata marks it `"editable": false, "deletable": false` (nbgrader's
    /// locked cells, which JupyterLab refuses to edit or delete).
    pub locked: bool,
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
            let flag = |key: &str| {
                cell.pointer(&format!("/metadata/{key}"))
                    .and_then(Value::as_bool)
            };
            cells.push(Cell {
                number,
                kind,
                source,
                locked: flag("editable") == Some(false) && flag("deletable") == Some(false),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
