//! A confined run's disk quota and its figures. Everything the program writes (its figures, its
//! working folder, `/tmp`) is on one tmpfs of the quota's size inside the sandbox, so nothing
//! reaches the host's disk. The grader watches that tmpfs from outside, through the sandbox's
//! root in `/proc`, and stops the run once it is full; after the run, the figures leave the
//! sandbox as a tar stream on a pipe and are unpacked into the host's figures folder, up to the
//! quota.

use anyhow::{bail, Context, Result};
use std::fs::File;
use std::io::{PipeReader, Read};
use std::os::fd::AsRawFd;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The kernel's magic number of a tmpfs (`statfs(2)`).
#[cfg(target_os = "linux")]
const TMPFS_MAGIC: i64 = 0x0102_1994;

/// Watches one run's quota tmpfs while the run goes on.
pub(super) struct Watch {
    // bubblewrap's info pipe: `{"child-pid": N}` once the sandbox's first process exists.
    info: File,
    text: Vec<u8>,
    place: Option<PathBuf>,
    size: u64,
    mount: &'static str,
    full: bool,
    // The wrapper's `free N` line: the quota's free blocks when the program ended.
    free: mpsc::Receiver<Vec<u8>>,
}

impl Watch {
    pub(super) fn new(
        info: PipeReader,
        free: PipeReader,
        size: u64,
        mount: &'static str,
    ) -> Result<Watch> {
        let info = File::from(std::os::fd::OwnedFd::from(info));
        // SAFETY: fcntl(2) on a descriptor we own; it touches no memory of ours.
        let set = unsafe {
            let flags = libc::fcntl(info.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(info.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK)
        };
        if set < 0 {
            return Err(std::io::Error::last_os_error()).context("cannot read bubblewrap's info");
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = Vec::new();
            let _ = free.take(64).read_to_end(&mut line);
            let _ = tx.send(line);
        });
        Ok(Watch {
            free: rx,
            info,
            text: Vec::new(),
            place: None,
            size,
            mount,
            full: false,
        })
    }

    /// Whether the tmpfs is full now (or was once). Cheap: one `statfs` once the sandbox's PID
    /// is known.
    pub(super) fn full(&mut self) -> bool {
        if self.full {
            return true;
        }
        if self.place.is_none() {
            let mut buf = [0u8; 256];
            while let Ok(n @ 1..) = self.info.read(&mut buf) {
                self.text.extend_from_slice(&buf[..n]);
            }
            self.place = child_pid(&self.text)
                .map(|pid| PathBuf::from(format!("/proc/{pid}/root{}", self.mount)));
        }
        if let Some(place) = &self.place {
            self.full = tmpfs_full(place, self.size);
        }
        self.full
    }

    /// Takes in the quota's state when the program ended: full when it had no block left.
    /// (A program that kills the wrapper leaves no line; what was seen while it ran stands.)
    pub(super) fn ended(&mut self) {
        if let Ok(line) = self.free.recv_timeout(Duration::from_secs(2)) {
            if String::from_utf8_lossy(&line).trim() == "free 0" {
                self.full = true;
            }
        }
    }

    pub(super) fn was_full(&self) -> bool {
        self.full
    }
}

/// The `child-pid` of bubblewrap's info JSON, once it is all there.
fn child_pid(text: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(text).ok()?;
    if !text.contains('}') {
        return None;
    }
    let after = &text[text.find("\"child-pid\"")? + "\"child-pid\"".len()..];
    let digits: String = after
        .trim_start_matches([':', ' ', '\n', '\t'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Whether `place` is a tmpfs of `size` bytes with no room left. Anything else (the sandbox
/// not set up yet, the host's own folder, no permission) reads as not full.
#[cfg(target_os = "linux")]
fn tmpfs_full(place: &Path, size: u64) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(place.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statfs(2) fills the struct we hand it; zeroed is a valid value of it.
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(path.as_ptr(), &mut stat) } != 0 {
        return false;
    }
    let total = stat.f_blocks as u64 * stat.f_bsize as u64;
    stat.f_type as i64 == TMPFS_MAGIC && total.abs_diff(size) < 1 << 20 && stat.f_bavail == 0
}

#[cfg(not(target_os = "linux"))]
fn tmpfs_full(_place: &Path, _size: u64) -> bool {
    false
}

/// A run's figures on their way out.
pub(super) struct Figures {
    into: PathBuf,
    // The tar stream, read to its end on a thread of its own (at most the quota and a little).
    stream: Option<mpsc::Receiver<std::io::Result<Vec<u8>>>>,
}

impl Figures {
    /// Reads the figures stream of a confined run (at most `cap` bytes and the tar headers).
    pub(super) fn drain(read: PipeReader, cap: u64, into: &Path) -> Figures {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let got = read
                .take(cap + (1 << 20))
                .read_to_end(&mut bytes)
                .map(|_| bytes);
            let _ = tx.send(got);
        });
        Figures {
            into: into.to_path_buf(),
            stream: Some(rx),
        }
    }

    /// An unconfined run's figures, written straight into `into`, that nobody wants afterwards.
    pub(super) fn unwanted(into: &Path) -> Figures {
        Figures {
            into: into.to_path_buf(),
            stream: None,
        }
    }

    /// Unpacks the figures into their host folder (when `keep`), or removes what an unwanted
    /// run left there. `Some(why)` when they could not be copied.
    pub(super) fn collect(self, keep: bool) -> Option<String> {
        let Some(stream) = self.stream else {
            let _ = std::fs::remove_dir_all(&self.into);
            return None;
        };
        let bytes = match stream.recv_timeout(Duration::from_secs(5)) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(e)) => return Some(format!("its figures could not be read: {e}")),
            Err(_) => return Some("its figures did not arrive within 5 s".into()),
        };
        if !keep || bytes.is_empty() {
            return None;
        }
        unpack(&bytes, &self.into).err().map(|e| format!("{e:#}"))
    }
}

/// Unpacks the regular files and folders of the tar `bytes` into `into` (made afresh), names
/// that stay inside only; links and devices are left out.
fn unpack(bytes: &[u8], into: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(into);
    std::fs::create_dir_all(into).with_context(|| format!("cannot create {}", into.display()))?;
    let mut tar = tar::Archive::new(bytes);
    for entry in tar.entries()? {
        let mut entry = entry?;
        let name = entry.path()?.into_owned();
        if !name
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        {
            bail!(
                "its figures hold {}, a name outside the folder",
                name.display()
            );
        }
        let target = into.join(&name);
        match entry.header().entry_type() {
            tar::EntryType::Directory => std::fs::create_dir_all(&target)?,
            tar::EntryType::Regular => {
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let mut file = File::create(&target)
                    .with_context(|| format!("cannot write {}", target.display()))?;
                std::io::copy(&mut entry, &mut file)?;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_child_pid_is_read_from_bubblewraps_info() {
        assert_eq!(child_pid(b"{\n    \"child-pid\": 4242\n}\n"), Some(4242));
        assert_eq!(
            child_pid(b"{\n    \"child-pid\": 42"),
            None,
            "not all there yet"
        );
        assert_eq!(child_pid(b"{}"), None);
    }

    #[test]
    fn figures_unpack_inside_their_folder_only() {
        let scratch = tempfile::tempdir().unwrap();
        let mut tar = tar::Builder::new(Vec::new());
        let mut add = |name: &str, body: &[u8]| {
            let mut header = tar::Header::new_gnu();
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            // Written raw: the builder itself refuses names that climb out.
            header.as_gnu_mut().unwrap().name[..name.len()].copy_from_slice(name.as_bytes());
            header.set_cksum();
            tar.append(&header, body).unwrap();
        };
        add("./figure-1.svg", b"<svg/>");
        add("sub/figure-2.png", b"png");
        let good = tar.into_inner().unwrap();
        let into = scratch.path().join("figures");
        unpack(&good, &into).unwrap();
        assert_eq!(std::fs::read(into.join("figure-1.svg")).unwrap(), b"<svg/>");
        assert_eq!(
            std::fs::read(into.join("sub/figure-2.png")).unwrap(),
            b"png"
        );

        let mut tar = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_gnu();
        header.set_size(1);
        header.set_entry_type(tar::EntryType::Regular);
        header.as_gnu_mut().unwrap().name[..8].copy_from_slice(b"../escap");
        header.set_cksum();
        tar.append(&header, &b"x"[..]).unwrap();
        let bad = tar.into_inner().unwrap();
        let err = unpack(&bad, &into).unwrap_err();
        assert!(format!("{err}").contains("a name outside"), "{err}");
        assert!(!scratch.path().join("escap").exists());
    }
}
