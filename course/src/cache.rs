//! Work whose inputs did not change is not redone. A run is keyed by a hash of everything it
//! reads: the generated program (every cell it runs, the student's answer and the hidden checks
//! included), its time limit, `lectureutil`'s and the grader's own sources, `build.rs`,
//! `Cargo.lock` and the toolchain. Results live in `target/grader/cache/`. `CI` or
//! `LECTUREUTIL_FULL` in the environment (`./course.sh test --full`) forces every run.

use crate::checksums::sha256_hex;
use crate::course::Course;
use anyhow::Result;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Whether cached results may stand in for runs, by default: not under `CI` or
/// `LECTUREUTIL_FULL`.
pub fn enabled() -> bool {
    std::env::var_os("CI").is_none() && std::env::var_os("LECTUREUTIL_FULL").is_none()
}

/// A cached result: its JSON and when it was recorded (seconds since the epoch).
pub struct Hit {
    /// What was stored.
    pub value: Value,
    /// When.
    pub recorded: u64,
}

impl Course {
    /// The cache key of a piece of work described by `parts`, together with everything every
    /// run reads (the crates' sources, the lock file, the toolchain).
    pub fn cache_key(&self, parts: &[&str]) -> String {
        key_over(self.shared_inputs(), parts)
    }

    fn cache_file(&self, kind: &str, key: &str) -> PathBuf {
        let dir = match &self.class_dir {
            Some(class) => class.join("runs"),
            None => self.target_dir().join("grader/cache"),
        };
        dir.join(format!("{kind}-{key}.json"))
    }

    /// The stored result of `kind` under `key`, if caching is on and there is one.
    pub fn cached(&self, kind: &str, key: &str) -> Option<Hit> {
        if !self.use_cache {
            return None;
        }
        self.recorded(kind, key)
    }

    /// The stored result of `kind` under `key`, whether or not caching is on (for reports that
    /// only read, such as the progress bar).
    pub fn recorded(&self, kind: &str, key: &str) -> Option<Hit> {
        let text = std::fs::read_to_string(self.cache_file(kind, key)).ok()?;
        let mut value: Value = serde_json::from_str(&text).ok()?;
        let recorded = value.get("recorded")?.as_u64()?;
        let value = value.get_mut("value")?.take();
        Some(Hit { value, recorded })
    }

    /// Drops the stored result of `kind` under `key`, if any.
    pub fn forget(&self, kind: &str, key: &str) {
        let _ = std::fs::remove_file(self.cache_file(kind, key));
    }

    /// Stores the result of `kind` under `key`.
    pub fn remember(&self, kind: &str, key: &str, value: Value) -> Result<()> {
        let recorded = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let entry = serde_json::json!({ "recorded": recorded, "value": value });
        crate::files::write_if_changed(&self.cache_file(kind, key), &entry.to_string())
    }

    /// A hash of what every run reads, computed once per process.
    /// What every run reads: the code (see [`Course::code_inputs`]) and the solutions files,
    /// hidden checks and limits included. Not the answer lists or the mutants report, which no
    /// run reads (the report is written from runs; hashing it would make every key new).
    fn shared_inputs(&self) -> &'static str {
        static SHARED: OnceLock<String> = OnceLock::new();
        SHARED.get_or_init(|| {
            let mut text = self.code_inputs().to_string();
            hash_tree(&self.root.join("course/solutions"), &mut text);
            sha256_hex(text.as_bytes())
        })
    }

    /// The code every run builds with: `lectureutil`'s and the grader's sources, `build.rs`,
    /// the manifests, `Cargo.lock` and the toolchain.
    fn code_inputs(&self) -> &'static str {
        static CODE: OnceLock<String> = OnceLock::new();
        CODE.get_or_init(|| {
            let mut text = String::new();
            for dir in ["src", "course/src"] {
                hash_tree(&self.root.join(dir), &mut text);
            }
            for file in ["build.rs", "Cargo.lock", "Cargo.toml", "course/Cargo.toml"] {
                text.push_str(&std::fs::read_to_string(self.root.join(file)).unwrap_or_default());
            }
            let rustc = crate::cmd::finish(
                crate::cmd::program(std::env::var("RUSTC").unwrap_or("rustc".into())).arg("-vV"),
                "rustc -vV",
            )
            .map(|f| f.stdout)
            .unwrap_or_default();
            text.push_str(&rustc);
            sha256_hex(text.as_bytes())
        })
    }

    /// A cache key like [`Course::cache_key`]'s that leaves the solutions files to `parts`:
    /// for work that reads one notebook's solutions, which need not be redone when another
    /// notebook's change.
    pub fn code_key(&self, parts: &[&str]) -> String {
        key_over(self.code_inputs(), parts)
    }
}

/// The hash of `inputs` and `parts`, each part after a NUL.
fn key_over(inputs: &str, parts: &[&str]) -> String {
    let mut text = inputs.to_string();
    for part in parts {
        text.push('\u{0}');
        text.push_str(part);
    }
    sha256_hex(text.as_bytes())
}

/// Files of `course/solutions` that no run reads.
const NOT_READ_BY_RUNS: &[&str] = &["answers.json", "mutants.json"];

/// Appends every file under `dir` (sorted, with its path) to `text`.
fn hash_tree(dir: &Path, text: &mut String) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if NOT_READ_BY_RUNS.contains(&name.as_ref()) {
            continue;
        }
        if path.is_dir() {
            hash_tree(&path, text);
        } else if let Ok(content) = std::fs::read_to_string(&path) {
            text.push_str(&path.to_string_lossy());
            text.push_str(&content);
        }
    }
}

/// What the test harnesses print for a result that stands in for a run (`name` names the test,
/// `recorded` is when the result was stored).
pub fn unchanged_note(name: &str, recorded: u64) -> String {
    format!(
        "{name}: unchanged since {}, not rerun (`./course.sh test --full` reruns everything)",
        when(recorded)
    )
}

/// "2026-11-27 18:03 UTC" for a time in seconds since the epoch.
pub fn when(seconds: u64) -> String {
    let days = seconds / 86_400;
    let (h, m) = ((seconds % 86_400) / 3600, (seconds % 3600) / 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{d:02} {h:02}:{m:02} UTC")
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_read_as_dates() {
        assert_eq!(super::when(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::when(1_795_802_580), "2026-11-27 18:03 UTC");
    }
}
