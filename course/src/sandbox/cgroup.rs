//! A cgroup per graded run, for its memory and process limits: cgroup v1's `memory` and `pids`
//! controllers, or one cgroup v2 folder where both are delegated to us. Made under the cgroups
//! this process is in, so a limit set above us still holds.

use super::Limits;
use anyhow::{Context, Result};
use std::ffi::CString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How this machine lets us limit a run's memory and processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CgroupKind {
    /// cgroup v1: `memory` and `pids` hierarchies we may write.
    V1,
    /// cgroup v2: a folder of ours with both controllers.
    V2,
    /// Neither: memory is limited per process (`RLIMIT_DATA`), processes are not.
    None,
}

impl CgroupKind {
    /// Tries to make (and remove) a cgroup of each kind.
    pub fn probe() -> CgroupKind {
        let trial = format!("lectureutil-probe-{}", std::process::id());
        for kind in [CgroupKind::V1, CgroupKind::V2] {
            let Some(dirs) = parents(kind) else { continue };
            let made: Vec<PathBuf> = dirs.iter().map(|d| d.join(&trial)).collect();
            let ok = made.iter().all(|d| fs::create_dir(d).is_ok())
                && made.iter().all(|d| {
                    let limit = match kind {
                        CgroupKind::V2 => d.join("memory.max"),
                        _ if d.join("memory.limit_in_bytes").exists() => {
                            d.join("memory.limit_in_bytes")
                        }
                        _ => d.join("pids.max"),
                    };
                    limit.exists()
                });
            for d in &made {
                let _ = fs::remove_dir(d);
            }
            if ok {
                return kind;
            }
        }
        CgroupKind::None
    }

    /// In words, for the doctor.
    pub fn describe(self) -> &'static str {
        match self {
            CgroupKind::V1 => "memory and processes limited by cgroup v1",
            CgroupKind::V2 => "memory and processes limited by cgroup v2",
            CgroupKind::None => {
                "memory limited per process (RLIMIT_DATA) and processes not limited: no cgroup we may write"
            }
        }
    }
}

/// The cgroup folders that a run's own cgroups go under: where this process is.
fn parents(kind: CgroupKind) -> Option<Vec<PathBuf>> {
    let own = fs::read_to_string("/proc/self/cgroup").ok()?;
    let path_of = |controller: &str| {
        own.lines().find_map(|l| {
            let mut f = l.splitn(3, ':');
            let (_, names, path) = (f.next()?, f.next()?, f.next()?);
            let hit = match controller {
                "" => names.is_empty(),
                c => names.split(',').any(|n| n == c),
            };
            hit.then(|| path.trim_start_matches('/').to_string())
        })
    };
    let root = Path::new("/sys/fs/cgroup");
    match kind {
        CgroupKind::V1 => {
            let dirs: Vec<PathBuf> = ["memory", "pids"]
                .iter()
                .map(|c| Some(root.join(c).join(path_of(c)?)))
                .collect::<Option<_>>()?;
            dirs.iter().all(|d| d.is_dir()).then_some(dirs)
        }
        CgroupKind::V2 => {
            let dir = root.join(path_of("")?);
            let controllers = fs::read_to_string(dir.join("cgroup.subtree_control")).ok()?;
            let both = ["memory", "pids"]
                .iter()
                .all(|c| controllers.split_whitespace().any(|w| w == *c));
            both.then(|| vec![dir])
        }
        CgroupKind::None => None,
    }
}

/// One run's cgroups; dropping it kills whatever is left in them and removes them.
pub(super) struct RunCgroup {
    kind: CgroupKind,
    dirs: Vec<PathBuf>,
}

impl RunCgroup {
    pub(super) fn create(kind: CgroupKind, name: &str, limits: &Limits) -> Result<RunCgroup> {
        let dirs: Vec<PathBuf> = parents(kind)
            .context("the cgroups found at start are gone")?
            .iter()
            .map(|d| d.join(name))
            .collect();
        for d in &dirs {
            fs::create_dir(d).with_context(|| format!("cannot create cgroup {}", d.display()))?;
        }
        let run = RunCgroup { kind, dirs };
        let memory = limits.memory.to_string();
        let processes = limits.processes.to_string();
        match kind {
            CgroupKind::V1 => {
                run.write(0, "memory.limit_in_bytes", &memory)?;
                // Swap counts too where the kernel accounts it (no swap: the file is absent).
                let _ = run.write(0, "memory.memsw.limit_in_bytes", &memory);
                run.write(1, "pids.max", &processes)?;
            }
            CgroupKind::V2 => {
                run.write(0, "memory.max", &memory)?;
                let _ = run.write(0, "memory.swap.max", "0");
                run.write(0, "pids.max", &processes)?;
            }
            CgroupKind::None => {}
        }
        Ok(run)
    }

    fn write(&self, k: usize, file: &str, value: &str) -> Result<()> {
        let path = self.dirs[k].join(file);
        fs::write(&path, value).with_context(|| format!("cannot write {}", path.display()))
    }

    fn read(&self, k: usize, file: &str) -> String {
        fs::read_to_string(self.dirs[k].join(file)).unwrap_or_default()
    }

    /// The `cgroup.procs` files a new process writes `0` into to join.
    pub(super) fn procs_files(&self) -> Vec<CString> {
        self.dirs
            .iter()
            .filter_map(|d| CString::new(d.join("cgroup.procs").into_os_string().into_vec()).ok())
            .collect()
    }

    fn field(text: &str, name: &str) -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or(0)
    }

    /// Whether the kernel killed a process of the run for memory, or refused it memory.
    pub(super) fn memory_exceeded(&self) -> bool {
        match self.kind {
            CgroupKind::V1 => {
                Self::field(&self.read(0, "memory.oom_control"), "oom_kill ") > 0
                    || self
                        .read(0, "memory.failcnt")
                        .trim()
                        .parse::<u64>()
                        .unwrap_or(0)
                        > 0
                        && Self::field(&self.read(0, "memory.oom_control"), "under_oom ") > 0
            }
            CgroupKind::V2 => Self::field(&self.read(0, "memory.events"), "oom_kill ") > 0,
            CgroupKind::None => false,
        }
    }

    /// Whether a fork or a thread was refused at the process limit.
    pub(super) fn processes_exceeded(&self) -> bool {
        let k = match self.kind {
            CgroupKind::V1 => 1,
            _ => 0,
        };
        Self::field(&self.read(k, "pids.events"), "max ") > 0
    }

    pub(super) fn peak_memory(&self) -> Option<u64> {
        let file = match self.kind {
            CgroupKind::V1 => "memory.max_usage_in_bytes",
            _ => "memory.peak",
        };
        self.read(0, file).trim().parse().ok()
    }

    fn pids(&self) -> Vec<i32> {
        self.dirs
            .iter()
            .flat_map(|d| {
                fs::read_to_string(d.join("cgroup.procs"))
                    .unwrap_or_default()
                    .lines()
                    .filter_map(|l| l.trim().parse().ok())
                    .collect::<Vec<i32>>()
            })
            .collect()
    }
}

impl Drop for RunCgroup {
    fn drop(&mut self) {
        // The PID namespace is gone with its first process; this is for a tree that escaped it.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let left = self.pids();
            if left.is_empty() || Instant::now() > deadline {
                break;
            }
            if self.kind == CgroupKind::V2 {
                let _ = self.write(0, "cgroup.kill", "1");
            }
            for pid in left {
                // SAFETY: kill(2) signals a process; it touches no memory of ours.
                unsafe {
                    libc::kill(pid, libc::SIGKILL);
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        for d in &self.dirs {
            let _ = fs::remove_dir(d);
        }
    }
}

use std::os::unix::ffi::OsStringExt;
