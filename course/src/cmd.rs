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
    /// How many bytes of its output were past what is kept, and dropped.
    pub cut: u64,
}

/// Most of one output stream kept in memory; a program that prints without end is cut here.
const KEPT_OUTPUT: usize = 4 << 20;
/// Past [`KEPT_OUTPUT`], the report lines kept at most (a report is one short line).
const KEPT_REPORTS: usize = 1 << 20;

/// Runs `command` in a process group of its own with `input` on its standard input, for at most
/// `limit`. Whatever it leaves running (children, grandchildren) is killed with it, at the limit
/// or when it exits, so no stray process holds our pipes or the machine.
pub(crate) fn run_limited(command: &mut Command, input: &str, limit: Duration) -> Result<Limited> {
    run_watched(command, input, limit, None, &mut || false)
}

/// [`run_limited`], and more: the lines that start with `reports` are kept however much the
/// program printed before them (the grader's reports must reach it), and the program is killed
/// as soon as `stop` (called every 10 ms) says so.
pub(crate) fn run_watched(
    command: &mut Command,
    input: &str,
    limit: Duration,
    reports: Option<&str>,
    stop: &mut dyn FnMut() -> bool,
) -> Result<Limited> {
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
    let reports = reports.map(|r| r.as_bytes().to_vec());
    let stdout = drain(child.stdout.take(), reports.clone());
    let stderr = drain(child.stderr.take(), reports);
    let started = Instant::now();
    let mut stopped = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if started.elapsed() >= limit {
            break None;
        }
        if stop() {
            stopped = true;
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(group);
    let timed_out = status.is_none() && !stopped;
    let waited = child.wait();
    // A grandchild that left the group could keep a pipe open: wait a little, then go on.
    let collect = |rx: mpsc::Receiver<Drained>| {
        let drained = rx.recv_timeout(Duration::from_secs(2)).unwrap_or_default();
        (
            String::from_utf8_lossy(&drained.kept).into_owned(),
            drained.cut,
        )
    };
    let ((stdout, cut_out), (stderr, cut_err)) = (collect(stdout), collect(stderr));
    let finished = Finished {
        success: status.is_some_and(|s| s.success()),
        stdout,
        stderr,
    };
    let status = match (status, stopped) {
        (Some(status), _) => status.to_string(),
        (None, true) => waited.map_or_else(|_| "killed".to_string(), |s| s.to_string()),
        (None, false) => "killed".to_string(),
    };
    Ok(Limited {
        finished,
        status,
        timed_out,
        cut: cut_out + cut_err,
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

/// One stream read to its end.
#[derive(Default)]
struct Drained {
    /// Its first [`KEPT_OUTPUT`] bytes, then the report lines past them.
    kept: Vec<u8>,
    /// The bytes dropped.
    cut: u64,
}

/// Reads a stream to its end on a thread of its own; what is kept arrives on the channel when
/// it closes. Past [`KEPT_OUTPUT`] only whole lines that start with `reports` are kept.
fn drain(
    stream: Option<impl Read + Send + 'static>,
    reports: Option<Vec<u8>>,
) -> mpsc::Receiver<Drained> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Drained::default();
        // The line being read past the cap, while it may still be a report.
        let mut line: Vec<u8> = Vec::new();
        let mut in_line = false;
        let mut reports_kept = 0;
        if let Some(mut stream) = stream {
            let mut buf = vec![0u8; 1 << 16];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let room = KEPT_OUTPUT.saturating_sub(out.kept.len());
                let take = n.min(room);
                out.kept.extend_from_slice(&buf[..take]);
                if take > 0 {
                    // Where the kept part stops mid-line, that line is no report to look for.
                    in_line = buf[take - 1] != b'\n';
                }
                let Some(prefix) = reports.as_deref() else {
                    out.cut += (n - take) as u64;
                    continue;
                };
                let mut rest = &buf[take..n];
                while !rest.is_empty() {
                    let end = memchr::memchr(b'\n', rest);
                    let piece = &rest[..end.unwrap_or(rest.len())];
                    // A report is one short line from its first byte on.
                    let room = (prefix.len() + 4096).saturating_sub(line.len());
                    if !in_line && piece.len() <= room {
                        line.extend_from_slice(piece);
                        let matched = line.len().min(prefix.len());
                        if line[..matched] != prefix[..matched] {
                            out.cut += line.len() as u64;
                            line.clear();
                            in_line = true;
                        }
                    } else {
                        out.cut += (line.len() + piece.len()) as u64;
                        line.clear();
                        in_line = true;
                    }
                    let Some(end) = end else { break };
                    if !in_line && line.starts_with(prefix) && reports_kept < KEPT_REPORTS {
                        reports_kept += line.len() + 1;
                        // On a line of its own, also where the kept output stops mid-line.
                        if out.kept.last().is_some_and(|b| *b != b'\n') {
                            out.kept.push(b'\n');
                        }
                        out.kept.extend_from_slice(&line);
                        out.kept.push(b'\n');
                    } else {
                        out.cut += line.len() as u64 + 1;
                    }
                    line.clear();
                    in_line = false;
                    rest = &rest[end + 1..];
                }
            }
            out.cut += line.len() as u64;
        }
        let _ = tx.send(out);
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_past_the_kept_output_still_arrive_and_the_rest_is_counted() {
        let token = "f00d";
        // 6 MiB of noise, a report, more noise without a newline, then a last report.
        let script = format!(
            "head -c 6291456 /dev/zero | tr '\\0' 'x'; printf '\\n{token} check-returned 1.1 0.5\\n'; \
             printf 'yy{token} forged\\n'; head -c 100000 /dev/zero | tr '\\0' 'z'; printf '\\n{token} end\\n'"
        );
        let mut command = program("sh");
        command.arg("-c").arg(script);
        let ran = run_watched(
            &mut command,
            "",
            Duration::from_secs(60),
            Some(token),
            &mut || false,
        )
        .unwrap();
        let out = &ran.finished.stdout;
        assert!(out.len() < KEPT_OUTPUT + 100, "{}", out.len());
        let reports: Vec<&str> = out.lines().filter(|l| l.starts_with(token)).collect();
        assert_eq!(
            reports,
            [
                &format!("{token} check-returned 1.1 0.5"),
                &format!("{token} end")
            ]
        );
        assert!(ran.cut > (2 << 20), "{}", ran.cut);
        assert!(!ran.timed_out && ran.finished.success);
    }

    #[test]
    fn a_stop_kills_the_program_and_says_so() {
        let mut command = program("sleep");
        command.arg("30");
        let started = Instant::now();
        let mut calls = 0;
        let ran = run_watched(&mut command, "", Duration::from_secs(60), None, &mut || {
            calls += 1;
            calls > 3
        })
        .unwrap();
        assert!(!ran.timed_out && ran.status.contains("SIGKILL"), "{ran:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
