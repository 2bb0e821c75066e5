//! A student's hand-in as one archive: `./course.sh submit NAME` writes `<name>.tar.gz` with
//! the student's notebooks, outputs stripped; `grade` unpacks such archives with care (they
//! are a stranger's: only `.ipynb` files come out, with plain names, within size limits).

use crate::course::Course;
use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The file name ending of a hand-in archive.
pub const ARCHIVE_SUFFIX: &str = ".tar.gz";

/// The largest notebook taken from an archive, and the most taken from one in all.
pub(crate) const MAX_NOTEBOOK_BYTES: u64 = 16 << 20;
const MAX_ARCHIVE_BYTES: u64 = 64 << 20;

/// What `submit` wrote.
#[derive(Debug, Clone)]
pub struct Submitted {
    /// The archive.
    pub archive: PathBuf,
    /// How many notebooks it holds.
    pub notebooks: usize,
}

/// A student's name as a file name: lower-case letters, digits and single dashes
/// (`Ada Lovelace` → `ada-lovelace`).
pub fn file_name_for(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Writes the student's notebooks (`course.student_dir`), outputs stripped, into
/// `out/<name>.tar.gz`. Outputs go because what is graded is the code, and figures would make
/// the archive a hundred times larger; the notebooks themselves stay as they are.
pub fn submit(course: &Course, name: &str, out: &Path) -> Result<Submitted> {
    let slug = file_name_for(name);
    if slug.is_empty() {
        bail!("give your name, e.g. ./course.sh submit \"Ada Lovelace\"");
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let archive = out.join(format!("{slug}{ARCHIVE_SUFFIX}"));
    let partial = out.join(format!(".{slug}{ARCHIVE_SUFFIX}.partial"));
    // Written under a temporary name and renamed at the end: a failed hand-in leaves nothing.
    match write_archive(course, &slug, &partial) {
        Ok(notebooks) => {
            std::fs::rename(&partial, &archive)?;
            Ok(Submitted { archive, notebooks })
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn write_archive(course: &Course, slug: &str, partial: &Path) -> Result<usize> {
    let file = std::fs::File::create(partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        file,
        flate2::Compression::default(),
    ));
    let mut notebooks = 0;
    for path in course.notebooks()? {
        let copy = course.student_copy(&path);
        let file_name = copy
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        if !copy.is_file() {
            eprintln!(
                "note: {} does not exist; not in the archive",
                copy.display()
            );
            continue;
        }
        let text = std::fs::read_to_string(&copy)
            .with_context(|| format!("cannot read {}", copy.display()))?;
        let stripped = stripped_outputs(&text).with_context(|| {
            format!(
                "{} is not a notebook that reads: open it in JupyterLab and save it, or `./course.sh restore {}`",
                copy.display(),
                &file_name[..2.min(file_name.len())]
            )
        })?;
        let mut header = tar::Header::new_gnu();
        header.set_size(stripped.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_cksum();
        tar.append_data(
            &mut header,
            format!("{slug}/{file_name}"),
            stripped.as_bytes(),
        )?;
        notebooks += 1;
    }
    if notebooks == 0 {
        bail!(
            "no notebooks in {} to hand in",
            course.student_dir.display()
        );
    }
    tar.into_inner()?.finish()?;
    Ok(notebooks)
}

/// A notebook's JSON with every code cell's outputs and execution count cleared.
fn stripped_outputs(text: &str) -> Result<String> {
    let mut json: serde_json::Value = serde_json::from_str(text)?;
    let cells = json
        .get_mut("cells")
        .and_then(|c| c.as_array_mut())
        .context("no cells")?;
    for cell in cells {
        if cell.get("cell_type").and_then(|t| t.as_str()) == Some("code") {
            cell["outputs"] = serde_json::Value::Array(Vec::new());
            cell["execution_count"] = serde_json::Value::Null;
        }
    }
    Ok(serde_json::to_string_pretty(&json)? + "\n")
}

/// Why the notebook `file` is not graded, when it is over a notebook's 16 MiB: told from its
/// size on disk, before a byte of it is read.
pub(crate) fn too_large(file: &Path) -> Option<String> {
    let size = std::fs::metadata(file).ok()?.len();
    (size > MAX_NOTEBOOK_BYTES).then(|| {
        format!(
            "{}: not graded: it holds {}, over the {} a notebook may hold (large outputs do this: \
             clear them, Edit > Clear Outputs of All Cells, save and hand in again)",
            file.display(),
            crate::sandbox::human(size),
            crate::sandbox::human(MAX_NOTEBOOK_BYTES),
        )
    })
}

/// The bytes of the notebook `file`, at most a notebook's 16 MiB (a file that grew since it was
/// listed is refused, not read whole).
pub(crate) fn read_notebook(file: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_NOTEBOOK_BYTES + 1).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", file.display()))?;
    if bytes.len() as u64 > MAX_NOTEBOOK_BYTES {
        bail!(
            "{}: it holds more than the {} a notebook may hold",
            file.display(),
            crate::sandbox::human(MAX_NOTEBOOK_BYTES)
        );
    }
    Ok(bytes)
}

/// Unpacks the `.ipynb` files of the archive `path` into `into` (made afresh); returns how many.
/// Anything else in it (links, folders of their own, other files) is left in the archive, and
/// a name that climbs out (`../x.ipynb`, `/etc/x.ipynb`) or a notebook over 16 MiB fails it.
pub fn unpack(path: &Path, into: &Path) -> Result<usize> {
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into)?;
    let file = std::fs::File::open(path)?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let (mut count, mut total) = (0, 0u64);
    for entry in tar.entries()? {
        let mut entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let name = entry.path()?.into_owned();
        if name.extension().is_none_or(|e| e != "ipynb") {
            continue;
        }
        if !name.components().all(|c| matches!(c, Component::Normal(_))) {
            bail!("it holds {}, a name outside the archive", name.display());
        }
        let size = entry.header().size()?;
        total += size;
        if size > MAX_NOTEBOOK_BYTES || total > MAX_ARCHIVE_BYTES {
            bail!("it holds more than a notebook's 16 MiB or an archive's 64 MiB");
        }
        let mut bytes = Vec::new();
        entry
            .by_ref()
            .take(MAX_NOTEBOOK_BYTES + 1)
            .read_to_end(&mut bytes)?;
        // Flat: the folder inside the archive is the student's, and their file names are kept.
        let target = into.join(name.file_name().expect("a notebook's name"));
        std::fs::write(&target, bytes)?;
        count += 1;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_file_names() {
        assert_eq!(file_name_for("  Ada Lovelace "), "ada-lovelace");
        assert_eq!(file_name_for("Zoë O'Brien-Smith"), "zoë-o-brien-smith");
        assert_eq!(file_name_for("../../etc"), "etc");
        assert_eq!(file_name_for("!!"), "");
    }

    #[test]
    fn hostile_archives_give_up_only_their_notebooks() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("mallory.tar.gz");
        let file = std::fs::File::create(&archive).unwrap();
        let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::fast(),
        ));
        let mut add = |name: &str, data: &[u8]| {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, data).unwrap();
        };
        add("mallory/01_perceptron_xor.ipynb", b"{}");
        add("mallory/run.sh", b"#!/bin/sh\n");
        let mut link = tar::Header::new_gnu();
        link.set_entry_type(tar::EntryType::Symlink);
        link.set_size(0);
        link.set_cksum();
        tar.append_link(
            &mut link,
            "mallory/02_linear_classifier.ipynb",
            "/etc/passwd",
        )
        .unwrap();
        tar.into_inner().unwrap().finish().unwrap();
        let into = dir.path().join("out");
        assert_eq!(unpack(&archive, &into).unwrap(), 1);
        let names: Vec<_> = std::fs::read_dir(&into)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["01_perceptron_xor.ipynb"]);
        std::fs::write(&archive, b"not gzip").unwrap();
        assert!(unpack(&archive, &into).is_err());
    }
}
