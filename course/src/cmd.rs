//! Every process the course starts: cargo, the generated programs and Jupyter. One place owns how
//! they are spawned (no standard input, output captured, errors that name the program).

use anyhow::{Context, Result};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What a finished process printed, and how it ended.
#[derive(Debug)]
pub(crate) struct Finished {
    /// Exit status 0.
    pub success: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Finished {
    fn from(out: Output) -> Self {
        Finished {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The cargo that runs us (inside `cargo test`), or the one on `PATH`.
pub(crate) fn cargo() -> Command {
    program(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// A command for `program` that reads nothing from our standard input.
pub(crate) fn program(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.stdin(Stdio::null());
    command
}

/// Starts `command` with its standard output and error going to the file `log`.
pub(crate) fn spawn_logged(
    command: &mut Command,
    log: &std::path::Path,
) -> Result<std::process::Child> {
    let file =
        std::fs::File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
    command
        .stdout(file.try_clone()?)
        .stderr(file)
        .spawn()
        .with_context(|| format!("cannot start {:?}", command.get_program()))
}

/// Runs `command` to the end and captures its output; `what` names it in errors.
pub(crate) fn finish(command: &mut Command, what: &str) -> Result<Finished> {
    let out = command
        .output()
        .with_context(|| format!("cannot run {what} ({:?})", command.get_program()))?;
    Ok(out.into())
}

/// How a program run under a time limit ended.
#[derive(Debug)]
pub(crate) struct Limited {
    /// Its output and whether it exited with status 0.
    pub finished: Finished,
    /// The exit status in words (`exit status: 0`, `signal: 6 (SIGABRT)`), or `killed` after
    /// the time limit.
    pub status: String,
    /// Whether it was killed at the time limit.
    pub timed_out: bool,
}

/// Most of one output stream kept in memory; a program that prints without end is cut here.
const KEPT_OUTPUT: usize = 4 << 20;

/// Runs `command` in a process group of its own with `input` on its standard input, for at most
/// `limit`. Whatever it leaves running (children, grandchildren) is killed with it, at the limit
/// or when it exits, so no stray process holds our pipes or the machine.
pub(crate) fn run_limited(command: &mut Command, input: &str, limit: Duration) -> Result<Limited> {
    command
        .process_group(0)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot run {:?}", command.get_program()))?;
    let group = KillGroup(child.id() as i32);
    if let Some(mut stdin) = child.stdin.take() {
        // Small enough for the pipe's buffer; a program that never reads it does not block us.
        let _ = stdin.write_all(input.as_bytes());
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() >= limit {
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(group);
    let _ = child.wait();
    // A grandchild that left the group could keep a pipe open: wait a little, then go on.
    let collect = |rx: mpsc::Receiver<Vec<u8>>| {
        String::from_utf8_lossy(&rx.recv_timeout(Duration::from_secs(2)).unwrap_or_default())
            .into_owned()
    };
    let finished = Finished {
        success: status.is_some_and(|s| s.success()),
        stdout: collect(stdout),
        stderr: collect(stderr),
    };
    Ok(Limited {
        finished,
        status: status.map_or_else(|| "killed".to_string(), |s| s.to_string()),
        timed_out: status.is_none(),
    })
}

/// Kills a whole process group when dropped (also when the grader itself panics).
struct KillGroup(i32);

impl Drop for KillGroup {
    fn drop(&mut self) {
        // SAFETY: kill(2) with a negative pid signals the group; it touches no memory of ours.
        unsafe {
            libc::kill(-self.0, libc::SIGKILL);
        }
    }
}

/// Reads a stream to its end on a thread of its own; the bytes (at most [`KEPT_OUTPUT`]) arrive
/// on the channel when it closes.
fn drain(stream: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut kept = Vec::new();
        if let Some(mut stream) = stream {
            let mut buf = [0u8; 8192];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let room = KEPT_OUTPUT.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
        }
        let _ = tx.send(kept);
    });
    rx
}
