//! At most one graded program per core at a time, across every process of the course.
//!
//! A time limit only means something when a program gets the machine it was measured on: eight
//! test threads that each start a training run on two cores made a 94 s reference run take over
//! 600 s. A program waits for a slot before it starts, and its time limit starts with it.

use anyhow::{Context, Result};
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::Duration;

/// A slot held until dropped: an `flock` on one of the slot files. The kernel releases it when
/// the holder exits, however it exits, so a killed `cargo test` never leaves a slot taken.
#[derive(Debug)]
pub(crate) struct RunSlot {
    _file: File,
}

/// How many programs may run at once: one per core.
pub(crate) fn slot_count() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Waits until one of `count` slots in `dir` is free and takes it.
pub(crate) fn take_slot(dir: &Path, count: usize) -> Result<RunSlot> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let files = (0..count.max(1))
        .map(|k| {
            let path = dir.join(format!("slot-{k}"));
            File::options()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .with_context(|| format!("cannot open {}", path.display()))
        })
        .collect::<Result<Vec<File>>>()?;
    loop {
        for file in &files {
            // SAFETY: flock(2) on a descriptor we own; it touches no memory of ours.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                let file = file.try_clone().context("cannot keep a slot file open")?;
                return Ok(RunSlot { _file: file });
            }
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

#[cfg(test)]
mod tests {
    use super::take_slot;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn no_more_holders_than_slots_and_dropped_slots_are_reused() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_path_buf();
        let (holding, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let workers: Vec<_> = (0..8)
            .map(|_| {
                let (dir, holding, most) = (dir.clone(), holding.clone(), most.clone());
                std::thread::spawn(move || {
                    for _ in 0..5 {
                        let _slot = take_slot(&dir, 2).expect("a slot");
                        let now = holding.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(5));
                        holding.fetch_sub(1, Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(
            most.load(Ordering::SeqCst),
            2,
            "two slots, two holders at most"
        );
    }
}
