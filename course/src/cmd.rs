//! Every process the course starts: cargo, the generated programs and Jupyter. One place owns how
//! they are spawned (no standard input, output captured, errors that name the program).

use anyhow::{Context, Result};
use std::ffi::OsStr;
use std::process::{Command, Output, Stdio};

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

/// Runs `command` to the end and captures its output; `what` names it in errors.
pub(crate) fn finish(command: &mut Command, what: &str) -> Result<Finished> {
    let out = command
        .output()
        .with_context(|| format!("cannot run {what} ({:?})", command.get_program()))?;
    Ok(out.into())
}
