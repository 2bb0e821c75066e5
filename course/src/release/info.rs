//! `course/release.json`: what a student's release knows of the course without its answers. Per
//! exercise its points, hint and memory limit; per notebook which exercise needs which (from the
//! reference answers) and the reference run's timings, the base of its time limits.

use super::deps::Dependencies;
use crate::run::ReferenceTimings;
use crate::solutions::Solution;
use anyhow::{anyhow, Context, Result};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Where a release keeps its metadata, from the repository root. Its presence makes a checkout
/// a student's release.
pub const RELEASE_FILE: &str = "course/release.json";

/// One exercise as a release knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleasedExercise {
    /// Points in a gradebook.
    pub points: u32,
    /// The hint.
    pub hint: Option<String>,
    /// The memory limit of its runs, when it has its own.
    pub memory_limit: Option<u64>,
}

/// One notebook as a release knows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReleasedNotebook {
    /// Its exercises, by id.
    pub exercises: BTreeMap<String, ReleasedExercise>,
    /// Which exercise needs which.
    pub deps: Dependencies,
    /// The reference run's timings when the release was made.
    pub reference: Option<ReferenceTimings>,
    /// Time limits the solutions file set for some exercises, in seconds.
    pub time_limits: BTreeMap<String, u64>,
}

impl ReleasedNotebook {
    /// The solutions a release grades with: each exercise's shipped blank cell (`cells`: id →
    /// source) with its points, hint and memory limit, and no hidden check.
    pub fn solutions(&self, cells: &BTreeMap<String, String>) -> BTreeMap<String, Solution> {
        self.exercises
            .iter()
            .map(|(id, e)| {
                let sol = Solution {
                    id: id.clone(),
                    marked: cells.get(id).cloned().unwrap_or_default(),
                    line: 0,
                    hidden_check: None,
                    hint: e.hint.clone(),
                    points: e.points,
                    memory_limit: e.memory_limit,
                };
                (id.clone(), sol)
            })
            .collect()
    }

    /// The names of exercise `id`'s that `other` uses, if `other` needs it.
    pub fn needs(&self, other: &str) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.deps.needs.get(other).into_iter().flatten()
    }

    fn to_json(&self) -> Value {
        let exercises: Map<String, Value> = self
            .exercises
            .iter()
            .map(|(id, e)| {
                let value = json!({
                    "points": e.points,
                    "hint": e.hint,
                    "memory_limit_bytes": e.memory_limit,
                    "time_limit_seconds": self.time_limits.get(id),
                    "needs": self.deps.needs.get(id).cloned().unwrap_or_default(),
                    "cells_that_use_it": self.deps.reaches.get(id).cloned().unwrap_or_default(),
                });
                (id.clone(), value)
            })
            .collect();
        json!({
            "exercises": exercises,
            "reference_seconds": self.reference.as_ref().map(|r| json!({"total": r.total, "checks": r.checks})),
        })
    }

    fn from_json(value: &Value) -> Option<Self> {
        let mut out = ReleasedNotebook::default();
        for (id, e) in value.get("exercises")?.as_object()? {
            out.exercises.insert(
                id.clone(),
                ReleasedExercise {
                    points: e.get("points")?.as_u64()? as u32,
                    hint: e.get("hint")?.as_str().map(str::to_string),
                    memory_limit: e.get("memory_limit_bytes")?.as_u64(),
                },
            );
            if let Some(seconds) = e.get("time_limit_seconds")?.as_u64() {
                out.time_limits.insert(id.clone(), seconds);
            }
            out.deps.needs.insert(
                id.clone(),
                serde_json::from_value(e.get("needs")?.clone()).ok()?,
            );
            out.deps.reaches.insert(
                id.clone(),
                serde_json::from_value(e.get("cells_that_use_it")?.clone()).ok()?,
            );
        }
        if let Some(r) = value.get("reference_seconds").filter(|r| !r.is_null()) {
            out.reference = Some(ReferenceTimings {
                total: r.get("total")?.as_f64()?,
                checks: serde_json::from_value(r.get("checks")?.clone()).ok()?,
            });
        }
        Some(out)
    }
}

/// A release's metadata: where it was made from, and its notebooks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Release {
    /// The course commit it was made from (`git describe`), or why unknown.
    pub from: String,
    /// Its notebooks, by stem.
    pub notebooks: BTreeMap<String, ReleasedNotebook>,
}

impl Release {
    /// Reads `course/release.json` under `root`: `None` in the instructor's repository.
    pub fn read(root: &Path) -> Result<Option<Release>> {
        let path = root.join(RELEASE_FILE);
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let bad = || {
            anyhow!(
                "{} is damaged: `git checkout {RELEASE_FILE}` puts it back",
                path.display()
            )
        };
        let value: Value = serde_json::from_str(&text).map_err(|_| bad())?;
        let mut release = Release {
            from: value
                .get("made_from")
                .and_then(Value::as_str)
                .unwrap_or("")
                .into(),
            notebooks: BTreeMap::new(),
        };
        for (stem, nb) in value
            .get("notebooks")
            .and_then(Value::as_object)
            .ok_or_else(bad)?
        {
            let nb = ReleasedNotebook::from_json(nb).ok_or_else(bad)?;
            release.notebooks.insert(stem.clone(), nb);
        }
        Ok(Some(release))
    }

    /// The file's text.
    pub fn to_json_text(&self) -> String {
        let notebooks: Map<String, Value> = self
            .notebooks
            .iter()
            .map(|(stem, nb)| (stem.clone(), nb.to_json()))
            .collect();
        let value = json!({
            "_about": "The course's exercises as the student's tools grade them: points, hints, limits, and which exercise needs which earlier one. Made by the instructor's release command; no reference answer or hidden check is in this release.",
            "made_from": self.from,
            "notebooks": notebooks,
        });
        serde_json::to_string_pretty(&value).expect("JSON values serialize") + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_metadata_reads_back_what_was_written() {
        let mut nb = ReleasedNotebook::default();
        nb.exercises.insert(
            "3.2".into(),
            ReleasedExercise {
                points: 2,
                hint: Some("Think of the chain rule.".into()),
                memory_limit: Some(3 << 30),
            },
        );
        nb.deps.needs.insert(
            "3.2".into(),
            BTreeMap::from([("3.1".into(), vec!["weights".into()])]),
        );
        nb.deps.reaches.insert("3.2".into(), vec![12, 14]);
        nb.time_limits.insert("3.2".into(), 90);
        nb.reference = Some(ReferenceTimings {
            total: 12.5,
            checks: vec![("3.2".into(), 4.0)],
        });
        let release = Release {
            from: "b8f1d94".into(),
            notebooks: BTreeMap::from([("03_mlp".into(), nb)]),
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(RELEASE_FILE);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, release.to_json_text()).unwrap();
        assert_eq!(Release::read(dir.path()).unwrap(), Some(release));
        std::fs::write(&path, "{\"notebooks\": 3}").unwrap();
        let err = Release::read(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("damaged") && err.contains("git checkout"),
            "{err}"
        );
        assert_eq!(Release::read(&dir.path().join("none")).unwrap(), None);
    }
}
