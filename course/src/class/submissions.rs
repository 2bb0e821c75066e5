//! A class's submissions folder read: who handed in what. One folder per student (its name is
//! the student's), holding their `.ipynb` files anywhere inside; or loose files named
//! `<student>_<notebook>.ipynb` (`alice_01_perceptron_xor.ipynb`), as course platforms export.

use super::archive::{too_large, unpack, ARCHIVE_SUFFIX};
use anyhow::{Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One student's submission: for each course notebook, the file they handed in, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// The student: the folder's name, or the prefix of their loose files.
    pub student: String,
    /// Course notebook stem (`01_perceptron_xor`) → the file graded for it.
    pub files: BTreeMap<String, PathBuf>,
    /// What the grader should know about how the files were matched (two files for one
    /// notebook, files matching no notebook).
    pub notes: Vec<String>,
}

/// The submissions in `dir` for the course notebooks `stems`, sorted by student, and the loose
/// files that name no student and notebook (skipped, each with why: one stray file must not stop
/// the class).
///
/// A `<student>.tar.gz` (what `./course.sh submit` writes) is unpacked into
/// `unpacked/<student>/` and read as that student's folder; one that cannot be read is skipped.
pub fn find_submissions(
    dir: &Path,
    stems: &[String],
    unpacked: &Path,
) -> Result<(Vec<Submission>, Vec<String>)> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list the submissions folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| !hidden(p))
        .collect();
    entries.sort();
    // Student → their files, each with the name it is matched by.
    let mut found: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for entry in entries {
        let name = file_name(&entry);
        if entry.is_dir() {
            let mut files = Vec::new();
            notebooks_under(&entry, 0, &mut files);
            files.sort();
            // A notebook over the cap is skipped before it is read, with why.
            files.retain(|f| match too_large(f) {
                Some(why) => {
                    skipped.push(why);
                    false
                }
                None => true,
            });
            let theirs = found.entry(name).or_default();
            theirs.extend(files.into_iter().map(|f| {
                let name = file_name(&f);
                (f, name)
            }));
        } else if let Some(student) = name.strip_suffix(ARCHIVE_SUFFIX) {
            let into = unpacked.join(student);
            match unpack(&entry, &into) {
                Ok(0) => skipped.push(format!(
                    "{}: not graded: the archive holds no .ipynb file",
                    entry.display()
                )),
                Ok(_) => {
                    let mut files = Vec::new();
                    notebooks_under(&into, 0, &mut files);
                    files.sort();
                    let theirs = found.entry(student.to_string()).or_default();
                    theirs.extend(files.into_iter().map(|f| {
                        let name = file_name(&f);
                        (f, name)
                    }));
                }
                Err(e) => skipped.push(format!(
                    "{}: not graded: it cannot be read as a .tar.gz of notebooks ({e:#})",
                    entry.display()
                )),
            }
        } else if name.ends_with(".ipynb") {
            if let Some(why) = too_large(&entry) {
                skipped.push(why);
                continue;
            }
            // A loose file: `<student>_<course notebook file name>`.
            let owner = stems.iter().find_map(|stem| {
                let student = name.strip_suffix(&format!("{stem}.ipynb"))?;
                let student = student.trim_end_matches(['_', '-', ' ']);
                (!student.is_empty()).then(|| (student.to_string(), format!("{stem}.ipynb")))
            });
            let Some((student, own_name)) = owner else {
                skipped.push(format!(
                    "{}: not graded: a loose notebook must be named <student>_<notebook>.ipynb, with <notebook> one of {}; \
                     or put each student's files in a folder of their own",
                    entry.display(),
                    stems.join(", ")
                ));
                continue;
            };
            found.entry(student).or_default().push((entry, own_name));
        }
    }
    let found = found
        .into_iter()
        .map(|(student, files)| match_files(student, stems, files))
        .collect();
    Ok((found, skipped))
}

/// Which course notebook each file is: its exact file name, else the same number prefix
/// (`01_…`, as in `01_perceptron_xor (1).ipynb`); an exact name wins over a number.
fn match_files(student: String, stems: &[String], files: Vec<(PathBuf, String)>) -> Submission {
    let mut notes = Vec::new();
    let mut candidates: BTreeMap<&String, Vec<(bool, PathBuf)>> = BTreeMap::new();
    for (file, name) in files {
        let exact = stems.iter().find(|s| name == format!("{s}.ipynb"));
        let by_number = stems.iter().find(|s| {
            let number = s.split('_').next().unwrap_or(s);
            name.strip_prefix(number)
                .is_some_and(|rest| rest.starts_with(|c: char| !c.is_ascii_digit()))
        });
        match exact.or(by_number) {
            Some(stem) => candidates
                .entry(stem)
                .or_default()
                .push((exact.is_some(), file)),
            None => notes.push(format!(
                "{} is not one of the course's notebooks; not graded",
                file.display()
            )),
        }
    }
    let mut chosen = BTreeMap::new();
    for (stem, mut files) in candidates {
        // Exact names first, then by path.
        files.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let graded = files[0].1.clone();
        for (_, other) in &files[1..] {
            notes.push(format!(
                "{} also looks like {stem}; graded {}",
                other.display(),
                graded.display()
            ));
        }
        chosen.insert(stem.clone(), graded);
    }
    Submission {
        student,
        files: chosen,
        notes,
    }
}

/// `.ipynb` files under `dir`, three folders deep at most, Jupyter's checkpoints left out.
fn notebooks_under(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if hidden(&path) || file_name(&path) == ".ipynb_checkpoints" {
            continue;
        }
        if path.is_dir() && depth < 3 {
            notebooks_under(&path, depth + 1, out);
        } else if path.extension().is_some_and(|e| e == "ipynb") {
            out.push(path);
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn hidden(path: &Path) -> bool {
    file_name(path).starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_loose_files_are_matched_to_notebooks() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        let put = |rel: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "{}").unwrap();
        };
        put("alice/01_perceptron_xor.ipynb");
        put("alice/work/02_linear_classifier (1).ipynb");
        put("alice/.ipynb_checkpoints/01_perceptron_xor-checkpoint.ipynb");
        put("alice/notes.ipynb");
        put("bob_01_perceptron_xor.ipynb");
        put("carol/01-mine.ipynb");
        put("carol/01_perceptron_xor.ipynb");
        let stems = vec![
            "01_perceptron_xor".to_string(),
            "02_linear_classifier".into(),
        ];
        let (subs, skipped) = find_submissions(dir, &stems, &dir.join("unpacked")).unwrap();
        assert!(skipped.is_empty(), "{skipped:?}");
        let names: Vec<&str> = subs.iter().map(|s| s.student.as_str()).collect();
        assert_eq!(names, ["alice", "bob", "carol"]);
        assert_eq!(
            subs[0].files["02_linear_classifier"],
            dir.join("alice/work/02_linear_classifier (1).ipynb")
        );
        assert_eq!(subs[0].notes.len(), 1, "{:?}", subs[0].notes);
        assert_eq!(
            subs[1].files["01_perceptron_xor"],
            dir.join("bob_01_perceptron_xor.ipynb")
        );
        assert_eq!(
            subs[2].files["01_perceptron_xor"],
            dir.join("carol/01_perceptron_xor.ipynb"),
            "the course's own file name wins"
        );
        // Over the cap (sparse: no disk is used), loose and in a folder: skipped, never read.
        for big in [
            "dave_01_perceptron_xor.ipynb",
            "erin/01_perceptron_xor.ipynb",
        ] {
            let path = dir.join(big);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let file = std::fs::File::create(&path).unwrap();
            file.set_len(400 << 20).unwrap();
        }
        let (with_big, skipped) = find_submissions(dir, &stems, &dir.join("unpacked")).unwrap();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        for why in &skipped {
            assert!(
                why.contains("not graded: it holds 400 MiB, over the 16 MiB a notebook may hold"),
                "{why}"
            );
        }
        assert!(with_big.iter().all(|s| {
            !s.files.values().any(|f| {
                f.to_string_lossy().contains("dave") || f.to_string_lossy().contains("erin")
            })
        }));
        std::fs::remove_file(dir.join("dave_01_perceptron_xor.ipynb")).unwrap();
        std::fs::remove_dir_all(dir.join("erin")).unwrap();
        put("stray.ipynb");
        let (again, skipped) = find_submissions(dir, &stems, &dir.join("unpacked")).unwrap();
        assert_eq!(again, subs, "a stray file changes no one's submission");
        assert!(
            skipped.len() == 1 && skipped[0].contains("stray.ipynb: not graded"),
            "{skipped:?}"
        );
    }
}
