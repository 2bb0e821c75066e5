//! The class roster (optional): which student each submission is, as the learning platform
//! knows them. A CSV with a header row naming its columns:
//!
//! ```text
//! submission,id,name,email
//! ada-lovelace,S1001,"Lovelace, Ada",ada@example.edu
//! ```
//!
//! `submission` is the folder's or the loose files' student name, or the archive's name without
//! `.tar.gz`. `id` is the student's ID at the school (Canvas's "SIS User ID", Moodle's "ID
//! number"); `name` and `email` as the platform shows them.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// One student on the roster.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterEntry {
    /// The student's ID at the school.
    pub id: String,
    /// The name the platform shows.
    pub name: String,
    /// Their e-mail address (often the platform's login).
    pub email: String,
}

/// The roster: submission name → student.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// By submission name.
    pub students: BTreeMap<String, RosterEntry>,
}

/// Where a graded class keeps its roster (a copy of the one `grade --roster` was given).
pub const ROSTER_FILE: &str = "roster.csv";

impl Roster {
    /// Reads a roster CSV; the error names the file, line and what is wrong.
    pub fn read(path: &Path) -> Result<Roster> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the roster {}", path.display()))?;
        let mut rows = parse_csv(text.trim_start_matches('\u{feff}'));
        if rows.is_empty() {
            bail!("the roster {} is empty", path.display());
        }
        let header: Vec<String> = rows
            .remove(0)
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
        let Some(submission) = column(&["submission", "folder", "archive", "student"]) else {
            bail!(
                "the roster {} has no `submission` column (its header is {:?}); write `submission,id,name,email` as its first line",
                path.display(),
                header
            );
        };
        let (id, name, email) = (
            column(&["id", "student id", "sis user id", "id number"]),
            column(&["name", "display name"]),
            column(&["email", "email address", "e-mail"]),
        );
        let mut roster = Roster::default();
        for (i, row) in rows.iter().enumerate() {
            let field = |k: Option<usize>| k.and_then(|k| row.get(k)).map_or("", |f| f.trim());
            let key = field(Some(submission));
            if key.is_empty() {
                if row.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                bail!(
                    "the roster {}, line {}: no submission name",
                    path.display(),
                    i + 2
                );
            }
            let entry = RosterEntry {
                id: field(id).to_string(),
                name: field(name).to_string(),
                email: field(email).to_string(),
            };
            if roster.students.insert(key.to_string(), entry).is_some() {
                bail!(
                    "the roster {}, line {}: {key:?} is there twice",
                    path.display(),
                    i + 2
                );
            }
        }
        Ok(roster)
    }
}

/// Rows of a CSV text: fields split by commas, `"…"` quoting with `""` for a quote.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => row.push(std::mem::take(&mut field)),
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            '\r' if !quoted => {}
            _ => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A CSV field, quoted when it has to be.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosters_are_read_with_quotes_and_refused_with_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("roster.csv");
        std::fs::write(
            &path,
            "\u{feff}Submission,ID,Name,Email\r\nada-lovelace,S1,\"Lovelace, Ada\",ada@example.edu\r\nbob,S2,\"Bob \"\"B\"\"\",bob@x\r\n\r\n",
        )
        .unwrap();
        let roster = Roster::read(&path).unwrap();
        assert_eq!(roster.students["ada-lovelace"].name, "Lovelace, Ada");
        assert_eq!(roster.students["bob"].name, "Bob \"B\"");
        assert_eq!(roster.students.len(), 2);
        assert_eq!(csv_field("Lovelace, Ada"), "\"Lovelace, Ada\"");
        std::fs::write(&path, "who,id\nada,1\n").unwrap();
        assert!(Roster::read(&path)
            .unwrap_err()
            .to_string()
            .contains("no `submission` column"));
        std::fs::write(&path, "submission,id\nada,1\nada,2\n").unwrap();
        assert!(Roster::read(&path)
            .unwrap_err()
            .to_string()
            .contains("line 3"));
    }
}
