//! Building a variant's program: a generated cargo package in `target/notebook-scripts/` that
//! depends on `lectureutil` and shares the workspace's target folder, so tch is compiled once.

use crate::cmd;
use crate::course::Course;
use crate::files::write_if_changed;
use crate::lecture::Lecture;
use crate::program::Script;
use crate::sandbox::{human, Jail, Limits};
use crate::slots::take_slot;
use crate::variant::Variant;
use anyhow::{bail, ensure, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The least time a student's build gets, whatever the reference build took: a notebook's
/// program builds in about 1 s here once its dependencies are built (notebook 07 afresh: 1.0 s),
/// more on a loaded machine.
pub const BUILD_TIME_FLOOR: Duration = Duration::from_secs(120);
/// How long the course's own builds (reference, blank) may take: they may compile
/// `lectureutil` first.
const COURSE_BUILD_TIME: Duration = Duration::from_secs(1800);
/// What a build may use: notebook 07's program built afresh peaked at 0.22 GB here (GNU time's
/// largest resident set, cargo, rustc or the linker); nine times that. `lectureutil` and its
/// dependencies are built before, outside this limit.
pub const BUILD_MEMORY: u64 = 2 << 30;
/// cargo, rustc's threads, the linker.
pub const BUILD_PROCESSES: u64 = 512;
/// The largest file a build writes: its program (tens of MiB) or an object file.
pub const BUILD_FILE_SIZE: u64 = 1 << 30;

/// How a build ended.
#[derive(Debug)]
pub enum Built {
    /// The program.
    Program(PathBuf),
    /// The compiler's output, each error pointing back to its notebook cell.
    Failed(String),
    /// Stopped at a limit of the build (time, memory, processes), in words.
    OverLimit(String),
}

/// The edition the generated programs are compiled with: evcxr compiles cells as Rust 2024, and
/// code that compiles in one must compile in the other. On update: also the workspace's
/// `rust-version` in `Cargo.toml` (2024 needs Rust 1.85).
pub const EDITION: &str = "2024";

impl Course {
    fn scripts_dir(&self) -> PathBuf {
        self.target_dir().join("notebook-scripts")
    }

    /// Writes the scripts package's manifest, seeds its `Cargo.lock` from the repository's and
    /// builds `lectureutil` for it, once per process and under a lock: parallel tests used to
    /// rewrite both at once (and cargo then rewrote the lock again, so every test saw it
    /// changed), which failed builds by chance.
    /// The lock is copied again only when the repository's `Cargo.lock` changed; in between it
    /// belongs to cargo.
    fn prepare_scripts_package(&self, dir: &Path, manifest: &str) -> Result<()> {
        static PREPARED: Mutex<bool> = Mutex::new(false);
        let mut prepared = PREPARED.lock().unwrap_or_else(|p| p.into_inner());
        if *prepared {
            return Ok(());
        }
        write_if_changed(&dir.join("Cargo.toml"), manifest)?;
        if let Ok(lock) = std::fs::read_to_string(self.root.join("Cargo.lock")) {
            let source = crate::checksums::sha256_hex(lock.as_bytes());
            let stamp = dir.join("Cargo.lock.source");
            let seeded = std::fs::read_to_string(&stamp).is_ok_and(|s| s == source);
            if !seeded || !dir.join("Cargo.lock").is_file() {
                write_if_changed(&dir.join("Cargo.lock"), &lock)?;
                write_if_changed(&stamp, &source)?;
            }
            // Let cargo settle the seeded lock now, while no build runs: afterwards every
            // build finds it up to date and none writes it.
            let settled = cmd::finish(
                cmd::cargo()
                    .args(["metadata", "--format-version", "1", "--manifest-path"])
                    .arg(dir.join("Cargo.toml"))
                    .env("CARGO_TARGET_DIR", self.target_dir()),
                "cargo metadata for the notebook scripts",
            )?;
            ensure!(
                settled.success,
                "cargo metadata failed on {}:\n{}",
                dir.display(),
                settled.stderr
            );
        }
        // `lectureutil` for the scripts package, outside any build limit: a student's build
        // then compiles only its own program.
        let built = cmd::finish(
            cmd::cargo()
                .current_dir(&self.root)
                .args(["build", "--quiet", "--color", "never", "-p", "lectureutil"])
                .arg("--manifest-path")
                .arg(dir.join("Cargo.toml"))
                .env("CARGO_TARGET_DIR", self.target_dir()),
            "cargo to build lectureutil for the notebook scripts",
        )?;
        ensure!(
            built.success,
            "cargo could not build lectureutil for the notebook scripts:\n{}",
            built.stderr
        );
        *prepared = true;
        Ok(())
    }

    /// Removes the built program of `variant` and its source (what a class leaves behind).
    pub(crate) fn remove_program(&self, lecture: &Lecture, variant: &Variant) {
        let bin = self.program_name(lecture, variant);
        let _ = std::fs::remove_file(self.scripts_dir().join(format!("src/bin/{bin}.rs")));
        let debug = self.target_dir().join("debug");
        let _ = std::fs::remove_file(debug.join(&bin));
        let _ = std::fs::remove_file(debug.join(format!("{bin}.d")));
        let prefix = format!("{}-", bin.replace('-', "_"));
        for dir in ["deps", "incremental"] {
            for entry in std::fs::read_dir(debug.join(dir))
                .into_iter()
                .flatten()
                .flatten()
            {
                if entry.file_name().to_string_lossy().starts_with(&prefix) {
                    let path = entry.path();
                    let _ = std::fs::remove_file(&path).or_else(|_| std::fs::remove_dir_all(&path));
                }
            }
        }
    }

    /// How long a build of `variant` may take: for a student's code five times the last
    /// reference build of the notebook, at least [`BUILD_TIME_FLOOR`] (or the course's
    /// `build_time_limit`); for the course's own code half an hour.
    pub fn build_time_limit(&self, lecture: &Lecture, variant: &Variant) -> Duration {
        if !variant.is_students() {
            return COURSE_BUILD_TIME;
        }
        if let Some(limit) = self.build_time_limit {
            return limit;
        }
        let reference = std::fs::read_to_string(self.build_seconds_path(lecture))
            .ok()
            .and_then(|t| t.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        BUILD_TIME_FLOOR.max(Duration::from_secs_f64(5.0 * reference))
    }

    fn build_seconds_path(&self, lecture: &Lecture) -> PathBuf {
        self.target_dir()
            .join("grader/build-durations")
            .join(lecture.notebook.stem())
    }

    /// Builds the program for `variant` of `lecture` in the sandbox, under the build's limits
    /// (time, memory, processes; no network; every file read-only but its build output).
    pub fn build(&self, lecture: &Lecture, variant: &Variant, script: &Script) -> Result<Built> {
        let dir = self.scripts_dir();
        let bin = self.program_name(lecture, variant);
        let manifest = format!(
            "# Generated by lectureutil for the notebook-equivalent scripts; do not edit.\n\
             [package]\nname = \"notebook-scripts\"\nversion = \"0.0.0\"\nedition = \"{EDITION}\"\npublish = false\n\
             build = {build:?}\n\n[dependencies]\nlectureutil = {{ path = {root:?} }}\n\n[workspace]\n\n\
             [profile.dev.package.\"*\"]\nopt-level = 2\ndebug = false\n",
            build = self.root.join("build.rs").display().to_string(),
            root = self.root.display().to_string(),
        );
        // The program first: cargo needs at least one target in the package to read it.
        let file = format!("src/bin/{bin}.rs");
        write_if_changed(&dir.join(&file), &script.source)?;
        self.prepare_scripts_package(&dir, &manifest)?;
        let scratch = self
            .target_dir()
            .join("grader/build-tmp")
            .join(format!("{}-{bin}", std::process::id()));
        let mut inner = cmd::cargo();
        inner
            .current_dir(&self.root)
            .args([
                "build",
                "--quiet",
                "--offline",
                "--color",
                "never",
                "--bin",
                &bin,
            ])
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            // The main target folder: the scripts reuse the compiled tch and plotters (cargo
            // releases its lock while tests run, so this works from inside `cargo test`).
            .env("CARGO_TARGET_DIR", self.target_dir())
            .env("TMPDIR", &scratch);
        let limits = Limits {
            memory: BUILD_MEMORY,
            processes: BUILD_PROCESSES,
            file_size: BUILD_FILE_SIZE,
            ..Limits::default()
        };
        let writable = [self.target_dir().join("debug"), scratch.clone()];
        let mut jail = Jail::build(&inner, &writable, limits)?;
        let limit = self.build_time_limit(lecture, variant);
        // One build at a time (cargo would queue them on its lock anyway), and the time limit
        // starts once this one has the target folder: waiting for it is no build time.
        let slot = take_slot(&self.target_dir().join("grader/build-slot"), 1)?;
        let started = Instant::now();
        let ran = cmd::run_limited(&mut jail.command, "", limit)?;
        let seconds = started.elapsed().as_secs_f64();
        drop(slot);
        let over = jail.build_limit_hit(&ran.finished.stderr);
        drop(jail);
        let _ = std::fs::remove_dir_all(&scratch);
        if ran.timed_out {
            return Ok(Built::OverLimit(format!(
                "the build took longer than {} s (the build's limit); a constant that never finishes evaluating does this",
                limit.as_secs()
            )));
        }
        if let Some(over) = over {
            return Ok(Built::OverLimit(over));
        }
        if ran.finished.stderr.contains("SIGXFSZ") {
            return Ok(Built::OverLimit(format!(
                "the build wrote a file larger than {} (the build's limit); a huge constant does this",
                human(BUILD_FILE_SIZE)
            )));
        }
        if !ran.finished.success {
            // bubblewrap's own refusal is no verdict on the student's code.
            let stderr = &ran.finished.stderr;
            if let Some(refused) = stderr.lines().find(|l| l.starts_with("bwrap: ")) {
                bail!(
                    "the build's sandbox did not start ({refused}); `cargo run --bin doctor` checks the sandbox, and {}=1 builds unconfined",
                    crate::sandbox::UNCONFINED_BUILD_ENV
                );
            }
            return Ok(Built::Failed(
                script.annotate_compiler_output(&ran.finished.stderr, &file),
            ));
        }
        if *variant == Variant::Reference {
            write_if_changed(
                &self.build_seconds_path(lecture),
                &format!("{seconds:.1}\n"),
            )?;
        }
        Ok(Built::Program(self.target_dir().join("debug").join(bin)))
    }
}
