//! Writing generated files without races.

use anyhow::{Context, Result};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Writes `text` to `path` (atomically) unless it already holds exactly that, so that cargo
/// does not rebuild what has not changed.
pub(crate) fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // Unique per process, thread and call: two writers of one path never share a temporary.
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let tmp = path.with_extension(format!(
        "tmp{}-{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write_if_changed;

    #[test]
    fn parallel_writers_of_one_file_all_succeed() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        let path = dir.join("Cargo.lock");
        let writers: Vec<_> = (0..16)
            .map(|k| {
                let path = path.clone();
                std::thread::spawn(move || {
                    (0..50)
                        .map(|i| write_if_changed(&path, &format!("version {}", (k + i) % 3)))
                        .collect::<anyhow::Result<Vec<()>>>()
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap().expect("every write succeeds");
        }
        let left: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind: {left:?}");
    }
}
