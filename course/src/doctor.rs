//! The doctor: checks that a student's set-up works, and says how to fix what does not.
//! Run it with `cargo run --bin doctor`.

use crate::checksums;
use crate::course::Course;
use lectureutil::mnist;
use lectureutil::platform::Os;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One line of the doctor's report.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What was checked.
    pub topic: &'static str,
    /// Whether it is fine.
    pub ok: bool,
    /// What was found.
    pub detail: String,
    /// How to fix it (empty when fine).
    pub fix: String,
}

impl Finding {
    fn ok(topic: &'static str, detail: impl Into<String>) -> Self {
        Finding {
            topic,
            ok: true,
            detail: detail.into(),
            fix: String::new(),
        }
    }

    fn fail(topic: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding {
            topic,
            ok: false,
            detail: detail.into(),
            fix: fix.into(),
        }
    }
}

/// libtorch version this crate needs (tch 0.24).
pub const EXPECTED_TORCH: &str = "2.11.0";

fn repo_root() -> PathBuf {
    Course::here().root
}

/// The libtorch `lib` folder this crate was linked against.
pub fn libtorch_lib() -> Option<PathBuf> {
    option_env!("LECTUREUTIL_LIBTORCH_LIB").map(PathBuf::from)
}

/// The torch version in a libtorch folder that comes from the Python wheel (`version.py`).
pub fn torch_version(libtorch: &Path) -> Option<String> {
    let text = std::fs::read_to_string(libtorch.join("version.py")).ok()?;
    let line = text.lines().find(|l| l.starts_with("__version__"))?;
    Some(line.split(['\'', '"']).nth(1)?.to_string())
}

const SETUP: &str = "run `./course.sh setup` from the repository root";

/// The system this doctor was built for.
const OS: Os = Os::current();

fn check_libtorch() -> Finding {
    let works = lectureutil::tch::Tensor::from_slice(&[1.0f32, 2.0])
        .sum(lectureutil::tch::Kind::Float)
        .double_value(&[])
        == 3.0;
    // The libtorch really loaded: `LD_LIBRARY_PATH` can point a carried binary at another one
    // than it was built with.
    let loaded = loaded_library(&OS.shared_library("torch_cpu"))
        .and_then(|so| so.parent().map(Path::to_path_buf));
    let Some(lib) = loaded.or_else(libtorch_lib) else {
        return Finding::fail("libtorch", "this build did not find libtorch", SETUP);
    };
    let root = lib.parent().unwrap_or(&lib).to_path_buf();
    let version = torch_version(&root).unwrap_or_else(|| "unknown".into());
    if version.split('+').next() == Some(EXPECTED_TORCH) && works {
        Finding::ok("libtorch", format!("torch {version} at {}", root.display()))
    } else {
        Finding::fail(
            "libtorch",
            format!(
                "torch {version} at {} (tch 0.24 needs {EXPECTED_TORCH})",
                root.display()
            ),
            format!("{SETUP}; it installs torch=={EXPECTED_TORCH} into .venv"),
        )
    }
}

fn check_cuda() -> Finding {
    let linked = cuda_linked();
    let available = lectureutil::tch::Cuda::is_available();
    let detail = format!(
        "{}, available: {}{}",
        if linked { "linked" } else { "not linked" },
        if available { "yes" } else { "no" },
        if available {
            format!(" ({} device(s))", lectureutil::tch::Cuda::device_count())
        } else {
            String::new()
        }
    );
    match (setup_kind(), linked) {
        ("cuda", true) => Finding::ok("CUDA", format!("CUDA set-up: {detail}")),
        ("cpu", false) => Finding::ok(
            "CUDA",
            format!(
                "CPU-only set-up (torch without the CUDA libraries it needs only on a GPU; \
                 `./course.sh setup --cuda` installs them): {detail}"
            ),
        ),
        (_, _) => Finding::fail(
            "CUDA",
            detail,
            "libtorch_cuda.so is linked where the CUDA libraries are missing, or the reverse: rebuild after `./course.sh setup` (build.rs links it when they are installed)",
        ),
    }
}

/// `cpu` or `cuda`: which set-up this build found (build.rs).
pub fn setup_kind() -> &'static str {
    option_env!("LECTUREUTIL_SETUP").unwrap_or("cpu")
}

fn check_mnist() -> Finding {
    let dir = mnist::default_dir();
    let bad = checksums::problems(&dir);
    if bad.is_empty() {
        Finding::ok(
            "MNIST",
            format!("4 files in {}, sha256 sums match", dir.display()),
        )
    } else {
        Finding::fail(
            "MNIST",
            format!("{}: {}", dir.display(), bad.join("; ")),
            format!("{SETUP} (it fetches and verifies MNIST), or point {} at a folder with the four IDX files", mnist::DIR_ENV),
        )
    }
}

/// Where set-up registers the Rust kernel.
pub fn kernel_json() -> PathBuf {
    repo_root().join(".venv/share/jupyter/kernels/rust/kernel.json")
}

fn check_kernel() -> Finding {
    let path = kernel_json();
    let fix = format!("{SETUP}; it registers the evcxr kernel with its env block");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Finding::fail("Rust kernel", format!("{} not found", path.display()), fix);
    };
    let Ok(spec) = serde_json::from_str::<Value>(&text) else {
        return Finding::fail(
            "Rust kernel",
            format!("{} is not valid JSON", path.display()),
            fix,
        );
    };
    let program = spec
        .pointer("/argv/0")
        .and_then(Value::as_str)
        .unwrap_or("");
    let env = |key: &str| {
        spec.pointer(&format!("/env/{key}"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let libtorch = env("LIBTORCH");
    let mut problems = Vec::new();
    if !Path::new(program).is_file() {
        problems.push(format!("kernel program {program:?} does not exist"));
    }
    let torch_cpu = OS.shared_library("torch_cpu");
    if !Path::new(&libtorch).join("lib").join(&torch_cpu).exists() {
        problems.push(format!("env LIBTORCH {libtorch:?} has no lib/{torch_cpu}"));
    }
    let path_var = OS.library_path_var();
    if !env(path_var)
        .split(':')
        .any(|p| Path::new(p).join(&torch_cpu).exists())
    {
        problems.push(format!("env {path_var} does not reach {torch_cpu}"));
    }
    let evcxr = env("EVCXR_JUPYTER");
    if !evcxr.is_empty() && !Path::new(&evcxr).is_file() {
        problems.push(format!(
            "env EVCXR_JUPYTER {evcxr:?} does not exist (cargo install evcxr_jupyter)"
        ));
    }
    if env("EVCXR_TMPDIR").is_empty() {
        problems.push("env EVCXR_TMPDIR is not set (every kernel start would rebuild tch)".into());
    }
    if problems.is_empty() {
        Finding::ok(
            "Rust kernel",
            format!(
                "{} (evcxr, env block with LIBTORCH, the library path, EVCXR_TMPDIR)",
                path.display()
            ),
        )
    } else {
        Finding::fail(
            "Rust kernel",
            format!("{}: {}", path.display(), problems.join("; ")),
            fix,
        )
    }
}

/// Whether this binary really links libtorch's CUDA library (`libtorch_cuda.so` is loaded in
/// this process), whatever GPU the machine has.
fn cuda_linked() -> bool {
    loaded_library(&OS.shared_library("torch_cuda")).is_some()
}

/// The path of the shared library `file_name` as loaded in this process, if it is (Linux:
/// `/proc/self/maps`; macOS: dyld).
fn loaded_library(file_name: &str) -> Option<std::path::PathBuf> {
    lectureutil::platform::loaded_library(file_name)
}

fn check_notebooks() -> Finding {
    let course = Course::here();
    let notebooks = course.notebooks().unwrap_or_default();
    let missing: Vec<String> = notebooks
        .iter()
        .filter(|p| !course.student_copy(p).is_file())
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    if notebooks.is_empty() {
        Finding::fail(
            "notebooks",
            "no course notebooks in lecture/",
            "restore them with `git checkout -- lecture`",
        )
    } else if missing.is_empty() {
        Finding::ok(
            "notebooks",
            format!(
                "{} of yours in {} (the course's are in lecture/)",
                notebooks.len(),
                course.student_dir.display()
            ),
        )
    } else {
        Finding::fail(
            "notebooks",
            format!("no copy of {} in notebooks/", missing.join(", ")),
            format!("{SETUP}; it copies the missing ones from lecture/ and never overwrites yours"),
        )
    }
}

fn check_sandbox() -> Finding {
    let confinement = crate::sandbox::confinement();
    if confinement.confined() {
        Finding::ok("sandbox", confinement.describe())
    } else {
        Finding::fail(
            "sandbox",
            confinement.describe(),
            "install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap) and allow user namespaces; \
             your own `cargo test` still works without it, but `grade` refuses a class unless given --unconfined",
        )
    }
}

/// Runs every check.
pub fn diagnose() -> Vec<Finding> {
    vec![
        check_libtorch(),
        check_cuda(),
        check_mnist(),
        check_kernel(),
        check_notebooks(),
        check_sandbox(),
    ]
}

/// The report as text, one line per finding plus its fix.
pub fn report(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "[{}] {:<12} {}\n",
            if f.ok { " ok " } else { "FAIL" },
            f.topic,
            f.detail
        ));
        if !f.ok {
            out.push_str(&format!("       {:<12} fix: {}\n", "", f.fix));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torch_version_is_read_from_version_py() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        std::fs::write(
            dir.join("version.py"),
            "x = 1\n__version__ = '2.11.0+cu130'\n",
        )
        .unwrap();
        assert_eq!(torch_version(dir).as_deref(), Some("2.11.0+cu130"));
        assert_eq!(torch_version(&dir.join("nowhere")), None);
    }

    #[test]
    fn failures_carry_a_fix_in_the_report() {
        let text = report(&[
            Finding::ok("a", "fine"),
            Finding::fail("MNIST", "missing", "run setup"),
        ]);
        assert!(
            text.contains("[ ok ] a")
                && text.contains("[FAIL] MNIST")
                && text.contains("fix: run setup"),
            "{text}"
        );
    }

    #[test]
    fn libtorch_and_cuda_linking_are_green_in_this_build() {
        assert!(check_libtorch().ok, "{:?}", check_libtorch());
        let cuda = check_cuda();
        let want = if setup_kind() == "cuda" {
            "CUDA set-up: linked"
        } else {
            "CPU-only set-up"
        };
        assert!(cuda.ok && cuda.detail.starts_with(want), "{cuda:?}");
    }
}
