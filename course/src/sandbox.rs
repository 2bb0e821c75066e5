//! The box every graded program runs in: bubblewrap namespaces (PID, network, mounts, IPC, UTS,
//! user), a root that holds only what the program needs (read-only), a private `/tmp` and
//! working folder, no `/proc` of its own, a seccomp filter that refuses sockets, and cgroup
//! limits on memory and processes. Nothing it starts outlives it: when the program exits or is
//! killed, its PID namespace goes with everything in it, and what is left in its cgroups is
//! killed too.
//!
//! Where bubblewrap cannot run (macOS, a container without user namespaces) programs run
//! unconfined; [`confinement`] says so, and `grade` refuses a class then unless told
//! `--unconfined`.

use anyhow::{Context, Result};
use std::ffi::CString;
use std::fs;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

mod cgroup;
mod quota;
mod seccomp;

pub use cgroup::CgroupKind;
use cgroup::RunCgroup;

/// Set to `1` to run graded programs unconfined even where the sandbox works (to see what a
/// machine without it does).
pub const UNCONFINED_ENV: &str = "LECTUREUTIL_UNCONFINED";

/// Set to `1` to build submissions outside the sandbox (their runs stay confined): the
/// "before" of `bench/build_confinement.sh`.
pub const UNCONFINED_BUILD_ENV: &str = "LECTUREUTIL_UNCONFINED_BUILD";

/// What limits a graded program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Memory in bytes (resident, its whole process tree, its `/tmp` included).
    pub memory: u64,
    /// Processes and threads at once.
    pub processes: u64,
    /// The largest file it may write, in bytes.
    pub file_size: u64,
    /// What its writable places (figures folder, working folder, `/tmp`) may hold together, in
    /// bytes: one sized tmpfs, in memory, so nothing it writes reaches the disk.
    pub disk: u64,
}

/// The default memory limit: PrairieLearn's 2 GiB, more than twice the heaviest run measured
/// here (notebook 07's autoencoder up to its last check, 0.44 GiB at its peak, cgroup
/// `memory.max_usage_in_bytes`). A solutions file can raise it for one exercise
/// (`// memory limit 7.1: 6 GiB`).
pub const DEFAULT_MEMORY: u64 = 2 << 30;
/// libtorch starts a few threads per program; a few hundred leaves room for any honest answer.
pub const DEFAULT_PROCESSES: u64 = 256;
/// Figures are a few hundred KiB.
pub const DEFAULT_FILE_SIZE: u64 = 64 << 20;
/// The largest reference figure folder (notebook 07's, measured 2026-12-04) holds 2.2 MiB, and
/// no course cell writes to its working folder or `/tmp`: 128 MiB is nearly sixty times that,
/// and above the file limit, which keeps its own message. It counts against the memory limit
/// too (a tmpfs lives in memory).
pub const DEFAULT_DISK: u64 = 128 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory: DEFAULT_MEMORY,
            processes: DEFAULT_PROCESSES,
            file_size: DEFAULT_FILE_SIZE,
            disk: DEFAULT_DISK,
        }
    }
}

/// How graded programs are confined on this machine.
#[derive(Debug, Clone)]
pub struct Confinement {
    /// The bubblewrap binary, when the sandbox works here.
    pub bwrap: Option<PathBuf>,
    /// Why it does not, when it does not.
    pub why_not: Option<String>,
    /// How memory and processes are limited.
    pub cgroups: CgroupKind,
    /// Whether a sandbox may mount a /proc of its own. Inside a container (podman's, Docker's,
    /// a codespace's) the kernel refuses it while the container's /proc has masked paths; a
    /// build then sees the container's /proc through its read-only root.
    pub proc_mount: bool,
}

impl Confinement {
    /// Whether programs run in the sandbox.
    pub fn confined(&self) -> bool {
        self.bwrap.is_some()
    }

    /// One line for the doctor and the grader's summary.
    pub fn describe(&self) -> String {
        match (&self.bwrap, &self.why_not) {
            (Some(bwrap), _) => format!(
                "graded programs run in a sandbox ({}: no network, no other files, nothing outlives a run; {})",
                bwrap.display(),
                self.cgroups.describe()
            ),
            (None, why) => format!(
                "graded programs run UNCONFINED: {} (install bubblewrap: apt-get install bubblewrap)",
                why.as_deref().unwrap_or("no sandbox")
            ),
        }
    }
}

/// How graded programs are confined here, found out once per process.
pub fn confinement() -> &'static Confinement {
    static FOUND: OnceLock<Confinement> = OnceLock::new();
    FOUND.get_or_init(probe)
}

fn probe() -> Confinement {
    let cgroups = CgroupKind::probe();
    if std::env::var_os(UNCONFINED_ENV).is_some_and(|v| v == "1") {
        return Confinement {
            bwrap: None,
            why_not: Some(format!("{UNCONFINED_ENV}=1 is set")),
            cgroups,
            proc_mount: false,
        };
    }
    let Some(bwrap) = find_bwrap() else {
        return Confinement {
            bwrap: None,
            why_not: Some("bubblewrap (bwrap) is not installed".into()),
            cgroups,
            proc_mount: false,
        };
    };
    // A real start: the namespaces must be allowed here (a container may forbid them).
    let mut trial = Command::new(&bwrap);
    trial
        .args(base_args())
        .args(["--size", "1048576", "--tmpfs", "/tmp"]);
    trial.arg("--").arg("/bin/true");
    trial.stdin(std::process::Stdio::null());
    match trial.output() {
        Ok(out) if out.status.success() => {
            let mut with_proc = Command::new(&bwrap);
            with_proc
                .args(["--ro-bind", "/", "/"])
                .args(NAMESPACES)
                .args(["--dev", "/dev", "--proc", "/proc", "--", "/bin/true"])
                .stdin(std::process::Stdio::null());
            let proc_mount = with_proc.output().is_ok_and(|out| out.status.success());
            Confinement {
                bwrap: Some(bwrap),
                why_not: None,
                cgroups,
                proc_mount,
            }
        }
        Ok(out) => Confinement {
            bwrap: None,
            why_not: Some(format!(
                "bubblewrap cannot start a sandbox here ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            cgroups,
            proc_mount: false,
        },
        Err(e) => Confinement {
            bwrap: None,
            why_not: Some(format!("cannot run {}: {e}", bwrap.display())),
            cgroups,
            proc_mount: false,
        },
    }
}

fn find_bwrap() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin")])
        .map(|dir| dir.join("bwrap"))
        .find(|p| p.is_file())
}

/// The namespaces every confined process gets: no network, its own PIDs and mounts, no
/// capabilities, a session of its own, gone with its parent.
/// (No `--hostname`: inside a podman container bubblewrap may not set one, "Can't set hostname
/// to sandbox: Operation not permitted", and the sandbox would not start there at all.)
const NAMESPACES: [&str; 5] = [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
];

/// The namespaces and the system folders, read-only, that every program gets.
fn base_args() -> Vec<String> {
    let mut args: Vec<String> = NAMESPACES.map(String::from).to_vec();
    args.extend(["--dev", "/dev"].map(String::from));
    for dir in ["usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"] {
        let host = Path::new("/").join(dir);
        match fs::read_link(&host) {
            Ok(target) => args.extend([
                "--symlink".into(),
                target.display().to_string(),
                host.display().to_string(),
            ]),
            Err(_) if host.is_dir() => args.extend(ro_bind(&host)),
            Err(_) => {}
        }
    }
    // The dynamic loader's cache; nothing else of /etc.
    for file in ["/etc/ld.so.cache", "/etc/ld.so.conf"] {
        if Path::new(file).exists() {
            args.extend(ro_bind(Path::new(file)));
        }
    }
    args
}

fn ro_bind(path: &Path) -> [String; 3] {
    let p = path.display().to_string();
    ["--ro-bind".into(), p.clone(), p]
}

/// Where a confined program's quota tmpfs is mounted: at `/tmp`, which it is, with its working
/// folder and its figures folder in it. Mounted before the read-only binds, so that a checkout
/// under `/tmp` (a CI clone) is bound inside it.
const QUOTA_MOUNT: &str = "/tmp";
/// The working folder (`/scratch` links to it) and the figures folder inside the sandbox.
const SANDBOX_WORK: &str = "/tmp/.scratch";
const SANDBOX_FIGURES: &str = "/tmp/.figures";
/// The descriptors a confined run's results leave the sandbox through: its figures (a tar
/// stream written after the program ended), bubblewrap's info (the sandbox's PID), and how
/// much room its quota had left when the program ended.
const FIGURES_FD: i32 = 4;
const INFO_FD: i32 = 5;
const FREE_FD: i32 = 6;
/// Run by `sh` inside the sandbox around the program (which gets none of the descriptors
/// above): its quota's free blocks once it ended, then the program's own exit status.
const WRAPPER: &str =
    "\"$0\" 4>&- 6>&-; s=$?; stat -f -c 'free %a' /tmp >&6 2>/dev/null; exec 6>&-; exit $s";
/// The same, and its figures folder as a tar stream.
const WRAPPER_WITH_FIGURES: &str =
    "\"$0\" 4>&- 6>&-; s=$?; stat -f -c 'free %a' /tmp >&6 2>/dev/null; exec 6>&-; \
     cd /tmp/.figures && tar -cf - . >&4 2>/dev/null; exit $s";

/// One graded program, or one build of a submission, on its way into the sandbox.
pub struct Jail {
    /// The command to start (bubblewrap around the program, or the program itself).
    pub command: Command,
    cgroup: Option<RunCgroup>,
    limits: Limits,
    // Descriptors the confined process gets, each with the number it gets them as (the seccomp
    // program at 3, the figures pipe at 4, bubblewrap's info pipe at 5, the quota's free blocks
    // at 6); ours are closed once the process has ended.
    handed: Vec<(i32, OwnedFd)>,
    quota: Option<quota::Watch>,
    figures: Option<quota::Figures>,
}

/// What a graded program may see besides the system: `binary` (read-only), `readable` folders
/// (read-only: libtorch, MNIST), and its figures folder.
pub struct View<'a> {
    /// The program.
    pub binary: &'a Path,
    /// Folders it reads.
    pub readable: Vec<PathBuf>,
    /// The host folder its figures end up in (made afresh). Confined, the program draws them
    /// on its quota tmpfs, and they are copied here after the run when `keep_figures` is set;
    /// unconfined, it writes here (and the folder is removed again without `keep_figures`).
    pub figures: PathBuf,
    /// Whether the figures are wanted after the run (a class's are not).
    pub keep_figures: bool,
    /// The variable that tells the program its figures folder.
    pub figures_env: &'a str,
    /// Environment variables it gets (nothing else of ours reaches it).
    pub env: Vec<(String, String)>,
}

static RUNS: AtomicUsize = AtomicUsize::new(0);

fn run_name() -> String {
    format!(
        "lectureutil-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::SeqCst)
    )
}

fn cgroup_for(limits: &Limits) -> Result<Option<RunCgroup>> {
    Ok(match confinement().cgroups {
        CgroupKind::None => None,
        kind => Some(RunCgroup::create(kind, &run_name(), limits)?),
    })
}

impl Jail {
    /// The command that runs `view.binary` confined with `limits`, or unconfined (in a fresh
    /// working folder of its own) where the sandbox does not work.
    pub fn new(view: &View, limits: Limits, scratch: &Path) -> Result<Jail> {
        let confinement = confinement();
        let cgroup = cgroup_for(&limits)?;
        let _ = fs::remove_dir_all(&view.figures);
        let mut handed = Vec::new();
        let (mut quota, mut figures) = (None, None);
        let mut command = match &confinement.bwrap {
            Some(bwrap) => {
                let mut command = Command::new(bwrap);
                command.args(base_args());
                // Every place it writes on one tmpfs of the quota's size, first: the binds
                // below may lie under /tmp.
                command.args(["--size", &limits.disk.to_string(), "--tmpfs", QUOTA_MOUNT]);
                command.args(["--dir", SANDBOX_WORK, "--dir", SANDBOX_FIGURES]);
                command.args(["--symlink", SANDBOX_WORK, "/scratch", "--chdir", "/scratch"]);
                // No /proc of its own: /proc/self/mem would show the grader's token. Only the
                // link that names the program (for backtraces) and the CPU's description.
                command.args(["--tmpfs", "/proc"]);
                command
                    .arg("--symlink")
                    .arg(view.binary)
                    .arg("/proc/self/exe");
                for file in ["/proc/cpuinfo", "/sys/devices/system/cpu"] {
                    if Path::new(file).exists() {
                        command.args(ro_bind(Path::new(file)));
                    }
                }
                for dir in &view.readable {
                    if dir.exists() {
                        command.args(ro_bind(dir));
                    }
                }
                command.args(ro_bind(view.binary));
                // A GPU machine: the devices CUDA opens.
                for entry in fs::read_dir("/dev").into_iter().flatten().flatten() {
                    let n = entry.file_name().to_string_lossy().into_owned();
                    if n.starts_with("nvidia") {
                        let d = entry.path().display().to_string();
                        command.args(["--dev-bind", &d, &d]);
                    }
                }
                command.args(["--seccomp", "3"]);
                handed.push((3, seccomp::program_file()?));
                let (info_read, info_write) = std::io::pipe().context("cannot make a pipe")?;
                command.args(["--info-fd", &INFO_FD.to_string()]);
                handed.push((INFO_FD, info_write.into()));
                let (free_read, free_write) = std::io::pipe().context("cannot make a pipe")?;
                handed.push((FREE_FD, free_write.into()));
                quota = Some(quota::Watch::new(
                    info_read,
                    free_read,
                    limits.disk,
                    QUOTA_MOUNT,
                )?);
                command.arg("--");
                if view.keep_figures {
                    let (read, write) = std::io::pipe().context("cannot make a pipe")?;
                    handed.push((FIGURES_FD, write.into()));
                    figures = Some(quota::Figures::drain(read, limits.disk, &view.figures));
                    command.args(["/bin/sh", "-c", WRAPPER_WITH_FIGURES]);
                } else {
                    command.args(["/bin/sh", "-c", WRAPPER]);
                }
                command.arg(view.binary);
                command.env_clear().env("HOME", "/scratch");
                command.env(view.figures_env, SANDBOX_FIGURES);
                command
            }
            None => {
                fs::create_dir_all(scratch)
                    .with_context(|| format!("cannot create {}", scratch.display()))?;
                fs::create_dir_all(&view.figures)
                    .with_context(|| format!("cannot create {}", view.figures.display()))?;
                let mut command = Command::new(view.binary);
                command.current_dir(scratch);
                command.env_clear();
                command.env("HOME", scratch);
                command.env(view.figures_env, &view.figures);
                if !view.keep_figures {
                    figures = Some(quota::Figures::unwanted(&view.figures));
                }
                command
            }
        };
        command
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("TMPDIR", "/tmp");
        for (k, v) in &view.env {
            command.env(k, v);
        }
        Ok(Jail::assemble(
            command, cgroup, limits, handed, quota, figures,
        ))
    }

    /// `inner` (a cargo build of a submission) confined like a program: no network, its own
    /// PIDs, every file read-only but the folders in `writable` (its build output, its scratch),
    /// and `limits`' memory and processes. Where the sandbox does not work it runs unconfined,
    /// under `limits`' memory as a per-process limit.
    pub fn build(inner: &Command, writable: &[PathBuf], limits: Limits) -> Result<Jail> {
        let unconfined = std::env::var_os(UNCONFINED_BUILD_ENV).is_some_and(|v| v == "1");
        let cgroup = match unconfined {
            true => None,
            false => cgroup_for(&limits)?,
        };
        for dir in writable {
            fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let mut handed = Vec::new();
        let bwrap = confinement().bwrap.as_ref().filter(|_| !unconfined);
        let mut command = match bwrap {
            Some(bwrap) => {
                let mut command = Command::new(bwrap);
                command.args(["--ro-bind", "/", "/"]).args(NAMESPACES);
                command.args(["--dev", "/dev"]);
                // Its own PIDs in /proc where it may mount one; else the container's /proc from
                // the root bind (rustc and cargo read /proc/self/exe).
                if confinement().proc_mount {
                    command.args(["--proc", "/proc"]);
                }
                for dir in writable {
                    // Where it really is: bwrap makes a bind's mount point inside the new root,
                    // where a link in the path (a dev container's target/ is one, to the
                    // image's) would point outside it. cargo's own path through the link then
                    // lands on the writable bind.
                    let d = fs::canonicalize(dir)
                        .with_context(|| format!("cannot resolve {}", dir.display()))?
                        .display()
                        .to_string();
                    command.args(["--bind", &d, &d]);
                }
                if let Some(dir) = inner.get_current_dir() {
                    command.arg("--chdir").arg(dir);
                }
                command.args(["--seccomp", "3"]);
                handed.push((3, seccomp::program_file()?));
                command.arg("--").arg(inner.get_program());
                command
            }
            None => {
                let mut command = Command::new(inner.get_program());
                if let Some(dir) = inner.get_current_dir() {
                    command.current_dir(dir);
                }
                command
            }
        };
        command.args(inner.get_args());
        for (k, v) in inner.get_envs() {
            match v {
                Some(v) => command.env(k, v),
                None => command.env_remove(k),
            };
        }
        Ok(Jail::assemble(command, cgroup, limits, handed, None, None))
    }

    /// The common end of both: the process joins its cgroups, gets its descriptors and its
    /// resource limits between fork and exec.
    fn assemble(
        mut command: Command,
        cgroup: Option<RunCgroup>,
        limits: Limits,
        handed: Vec<(i32, OwnedFd)>,
        quota: Option<quota::Watch>,
        figures: Option<quota::Figures>,
    ) -> Jail {
        let join: Vec<CString> = cgroup.iter().flat_map(|c| c.procs_files()).collect();
        let fds: Vec<(i32, i32)> = handed.iter().map(|(n, fd)| (fd.as_raw_fd(), *n)).collect();
        assert!(fds.len() <= 4, "at most four descriptors are handed over");
        let memory_rlimit = match cgroup {
            Some(_) => None,
            None => Some(limits.memory),
        };
        let file_size = limits.file_size;
        // SAFETY: between fork and exec only async-signal-safe calls: open, write, close, dup2,
        // fcntl, setrlimit, on data prepared before the fork.
        unsafe {
            command.pre_exec(move || {
                for procs in &join {
                    let fd = libc::open(procs.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
                    if fd < 0 || libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                        return Err(std::io::Error::last_os_error());
                    }
                    libc::close(fd);
                }
                // Out of the way first (one may sit on another's number), then into place.
                let mut high = [0i32; 4];
                for (k, (fd, _)) in fds.iter().enumerate() {
                    high[k] = libc::fcntl(*fd, libc::F_DUPFD_CLOEXEC, 64);
                    if high[k] < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                for (k, (_, number)) in fds.iter().enumerate() {
                    if libc::dup2(high[k], *number) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                let set = |resource, value: u64| {
                    let limit = libc::rlimit {
                        rlim_cur: value as libc::rlim_t,
                        rlim_max: value as libc::rlim_t,
                    };
                    libc::setrlimit(resource, &limit)
                };
                set(libc::RLIMIT_FSIZE, file_size);
                set(libc::RLIMIT_CORE, 0);
                if let Some(memory) = memory_rlimit {
                    // No cgroup here: the nearest a process can get to a memory limit.
                    set(libc::RLIMIT_DATA, memory);
                }
                Ok(())
            });
        }
        Jail {
            command,
            cgroup,
            limits,
            handed,
            quota,
            figures,
        }
    }

    /// The command to start, and the check the grader calls while it runs: whether the run's
    /// quota is full (then the grader stops it).
    pub fn command_and_quota(&mut self) -> (&mut Command, impl FnMut() -> bool + '_) {
        let quota = &mut self.quota;
        (&mut self.command, move || {
            quota.as_mut().is_some_and(|q| q.full())
        })
    }

    /// After the run: whether it filled its quota (seen while it ran, or left so at its end),
    /// and its figures copied out of the sandbox into the host folder when they are wanted and
    /// it did not (unconfined runs wrote them there already; a class's are removed). `Some(why)`
    /// when they could not be copied.
    pub fn finish(&mut self) -> Option<String> {
        if let Some(quota) = &mut self.quota {
            quota.ended();
        }
        // Our ends of its descriptors: the figures stream ends once the sandbox's are closed too.
        self.handed.clear();
        let figures = self.figures.take()?;
        figures.collect(!self.quota_full())
    }

    /// Whether the run filled its quota (call after [`Jail::finish`]).
    pub fn quota_full(&self) -> bool {
        self.quota.as_ref().is_some_and(|q| q.was_full())
    }

    /// The program's exit status in words, as if it had run outside (`signal: 6 (SIGABRT)`):
    /// bubblewrap exits with 128 + N when the program was killed by signal N. (So a program that
    /// exits with such a code itself reads as killed; no course cell does.)
    pub fn status_words(&self, status: &str) -> String {
        if self.command.get_program() == self.program() {
            return status.to_string();
        }
        let code = status
            .strip_prefix("exit status: ")
            .and_then(|c| c.trim().parse::<i32>().ok());
        match code.map(|c| c - 128).filter(|n| (1..32).contains(n)) {
            Some(signal) => format!("signal: {signal} ({})", signal_name(signal)),
            None => status.to_string(),
        }
    }

    fn program(&self) -> &std::ffi::OsStr {
        self.command
            .get_args()
            .skip_while(|a| *a != "--")
            .nth(1)
            .unwrap_or_else(|| self.command.get_program())
    }

    /// Which limit stopped the program, in words, if one did (call after it ended):
    /// `used more than 2 GiB of memory (the limit of exercise 7.1)`. `whose` names whose limit
    /// it is (`exercise 7.1`, `notebook 07`).
    pub fn limit_hit(&self, status: &str, output: &str, whose: &str) -> Option<String> {
        let memory = || {
            format!(
                "used more than {} of memory (the limit of {whose}); the program and everything it started were stopped",
                human(self.limits.memory)
            )
        };
        // Before memory: its tmpfs is memory too, and filling it can also end in the OOM killer.
        if self.quota_full() {
            return Some(format!(
                "wrote more than {} into its files (its figures, working folder and /tmp together: the limit of {whose}); \
                 the run counts as stopped there, and nothing it wrote was kept",
                human(self.limits.disk)
            ));
        }
        if let Some(cgroup) = &self.cgroup {
            if cgroup.memory_exceeded() {
                return Some(memory());
            }
            if cgroup.processes_exceeded() {
                return Some(format!(
                    "started more than {} processes and threads at once (the limit of {whose}); the program and everything it started were stopped",
                    self.limits.processes
                ));
            }
        } else if output.contains("memory allocation of") && output.contains("failed") {
            return Some(memory());
        }
        if status.contains("SIGXFSZ") || status.contains("signal: 25") {
            return Some(format!(
                "wrote a file larger than {} (the limit of {whose})",
                human(self.limits.file_size)
            ));
        }
        None
    }

    /// Which limit stopped a build, in words, if one did: its memory or its processes (the
    /// time limit is the caller's).
    pub fn build_limit_hit(&self, output: &str) -> Option<String> {
        let memory = format!(
            "the build used more than {} of memory (the build's limit); a huge constant or a deep generic recursion does this",
            human(self.limits.memory)
        );
        match &self.cgroup {
            Some(cgroup) if cgroup.memory_exceeded() => Some(memory),
            Some(cgroup) if cgroup.processes_exceeded() => Some(format!(
                "the build started more than {} processes and threads at once (the build's limit)",
                self.limits.processes
            )),
            None if output.contains("memory allocation of") && output.contains("failed") => {
                Some(memory)
            }
            _ => None,
        }
    }

    /// The most memory the program's tree used at once, in bytes, where the cgroup tells.
    pub fn peak_memory(&self) -> Option<u64> {
        self.cgroup.as_ref().and_then(|c| c.peak_memory())
    }
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        24 => "SIGXCPU",
        25 => "SIGXFSZ",
        _ => "a signal",
    }
}

/// `3 GiB`, `64 MiB`.
pub fn human(bytes: u64) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{} GiB", bytes >> 30)
    } else if bytes >= 1 << 30 {
        format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{} MiB", bytes >> 20)
    }
}

/// `4 GiB`, `512 MiB`, `6.5 GiB` in bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| c.is_ascii_alphabetic())
        .map_or((text, ""), |at| text.split_at(at));
    let number: f64 = number.trim().parse().ok()?;
    let scale = match unit.trim() {
        "GiB" | "G" | "GB" => (1u64 << 30) as f64,
        "MiB" | "M" | "MB" => (1u64 << 20) as f64,
        _ => return None,
    };
    (number > 0.0).then_some((number * scale) as u64)
}

#[cfg(test)]
mod tests {
    use super::{human, parse_size};

    #[test]
    fn sizes_read_and_print_in_binary_units() {
        assert_eq!(parse_size("4 GiB"), Some(4 << 30));
        assert_eq!(parse_size("512 MiB"), Some(512 << 20));
        assert_eq!(parse_size("1.5GiB"), Some(3 << 29));
        assert_eq!(parse_size("4"), None);
        assert_eq!(parse_size("-1 GiB"), None);
        assert_eq!(human(3 << 30), "3 GiB");
        assert_eq!(human(64 << 20), "64 MiB");
    }

    /// A dev container's workspace links target/ to the image's: a build writes through the link.
    #[test]
    fn a_build_writes_through_a_linked_folder() {
        let base = std::env::temp_dir().join(format!("lectureutil-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (real, link) = (base.join("image-target"), base.join("workspace/target"));
        std::fs::create_dir_all(real.join("debug")).unwrap();
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut inner = std::process::Command::new("/bin/sh");
        inner
            .args(["-c", "echo built > \"$0\"/debug/out"])
            .arg(&link);
        let mut jail =
            super::Jail::build(&inner, &[link.join("debug")], super::Limits::default()).unwrap();
        let ran =
            crate::cmd::run_limited(&mut jail.command, "", std::time::Duration::from_secs(60))
                .unwrap();
        drop(jail);
        let written = std::fs::read_to_string(real.join("debug/out"));
        std::fs::remove_dir_all(&base).unwrap();
        assert!(ran.finished.success, "{}", ran.finished.stderr);
        assert_eq!(written.unwrap(), "built\n");
    }
}
