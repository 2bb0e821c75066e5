//! The student's release, made into a temporary folder and used there as a student would:
//! nothing in it may give an answer away, its notebooks are the course's, and its own
//! `cargo test` grades a student's answers with the visible checks, each exercise with the
//! student's own earlier answers. The release builds in a copy of this repository's build
//! folder made of hard links, so that tch is not compiled a second time and nothing of the
//! release is written into this repository's `target/`.

use course::release::{leaks, secrets};
use course::{source_text_of, Course};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

#[test]
fn a_release_holds_no_answer_and_grades_the_students_own_cells() {
    let course = Course::here();
    let scratch = tempfile::tempdir_in(course.target_dir()).unwrap();
    let release = scratch.path().join("release");
    let made = course
        .make_release(&release, Some("ghcr.io/nn-class/nn-course"))
        .unwrap();
    // The dev container ships, pointing at the published image.
    let devcontainer =
        std::fs::read_to_string(release.join(".devcontainer/devcontainer.json")).unwrap();
    assert!(
        devcontainer.contains("\"image\": \"ghcr.io/nn-class/nn-course\","),
        "{devcontainer}"
    );
    assert!(release.join(".devcontainer/Containerfile").is_file());
    assert!(release.join(".github/workflows/image.yml").is_file());
    let exercises: usize = course
        .notebooks()
        .unwrap()
        .iter()
        .map(|path| course.load(path).unwrap().exercise_ids().len())
        .sum();
    assert_eq!((made.notebooks, made.exercises), (8, exercises));

    // Nothing of the answers: the scan that found them must find them in the solutions.
    let secrets = secrets(&course).unwrap();
    assert!(secrets.len() > 100, "only {} secrets", secrets.len());
    assert!(
        !leaks(&course.solutions_dir(), &secrets).unwrap().is_empty(),
        "the scan finds nothing even where the answers are"
    );
    assert_eq!(leaks(&release, &secrets).unwrap(), Vec::<String>::new());
    for gone in ["course/solutions", "bench", "docs/instructor.md", ".ci"] {
        assert!(!release.join(gone).exists(), "{gone} is in the release");
    }
    let readme = std::fs::read_to_string(release.join("README.md")).unwrap();
    for word in [
        "instructor.md",
        "solutions",
        "answers.json",
        "notebook solve",
        "course.sh grade",
    ] {
        assert!(!readme.contains(word), "the student README says {word:?}");
    }
    for link in readme
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
    {
        if !link.contains("://") {
            assert!(
                release.join(link).exists(),
                "the student README links {link}, which the release lacks"
            );
        }
    }
    let script = std::fs::read_to_string(release.join("course.sh")).unwrap();
    for command in ["  grade)", "  release)", "  bench)", "--browser", "--hosts"] {
        assert!(
            !script.contains(command),
            "the release's course.sh has {command:?}"
        );
    }
    assert!(script.contains("  submit)") && script.contains("  check)"));

    // The course's notebooks, byte for byte, and the student's copies of them; one commit.
    for path in course.notebooks().unwrap() {
        let name = path.file_name().unwrap();
        let ours = std::fs::read(&path).unwrap();
        assert_eq!(
            std::fs::read(release.join("lecture").join(name)).unwrap(),
            ours
        );
        assert_eq!(
            std::fs::read(release.join("notebooks").join(name)).unwrap(),
            ours
        );
    }
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&release)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(
        git(&["status", "--porcelain"]),
        "",
        "the commit holds every file"
    );

    // A student's answers: right, wrong, blank, and waiting for a blank earlier one.
    let lecture = |nb: &str| course.load(&course.find(nb).unwrap()).unwrap();
    let (zero, four) = (lecture("00"), lecture("04"));
    let wrong_01 = zero.solutions["0.1"].with_answers(&["n", "4"]).unwrap();
    fill(
        &release,
        "00_rust_and_tch",
        &[
            ("0.1", wrong_01),
            ("0.3", zero.solutions["0.3"].solved()),
            ("0.4", zero.solutions["0.4"].solved()),
        ],
    );
    let wrong_fib = four.solutions["4.1"]
        .with_answers(&["1", "fib(n - 1) + fib(n - 1)"])
        .unwrap();
    fill(
        &release,
        "04_recursion_dp",
        &[("4.1", wrong_fib), ("4.2", four.solutions["4.2"].solved())],
    );

    // Its own `cargo test`, in a build folder of hard links to ours.
    let target = release.join("target/debug");
    std::fs::create_dir_all(&target).unwrap();
    for folder in ["deps", "build", ".fingerprint"] {
        let from = course.target_dir().join("debug").join(folder);
        let status = Command::new("cp")
            .arg("-al")
            .arg(&from)
            .arg(&target)
            .status()
            .unwrap();
        assert!(status.success(), "cp -al {}", from.display());
    }
    let libtorch = std::env::var_os("LIBTORCH").expect("cargo sets LIBTORCH (.cargo/config.toml)");
    let out = Command::new(std::env::var_os("CARGO").unwrap_or("cargo".into()))
        .current_dir(&release)
        .args(["test", "-p", "lectureutil-course", "--test", "exercises"])
        .env("LIBTORCH", libtorch)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("Compiling torch-sys"),
        "tch was compiled again:\n{stderr}"
    );
    let result = |test: &str| -> String {
        // libtest pads the names to one width.
        let prefix = format!("test {test} ");
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&prefix)?.trim_start().strip_prefix("... "))
            .unwrap_or_else(|| panic!("no line for {test}:\n{stdout}\n{stderr}"))
            .to_string()
    };
    let failure = |test: &str| -> String {
        let header = format!("---- {test} ----");
        let start = stdout
            .find(&header)
            .unwrap_or_else(|| panic!("no failure of {test}:\n{stdout}"));
        stdout[start..]
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with("----"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(result("00_rust_and_tch::exercise_0.4::student"), "ok");
    assert_eq!(result("00_rust_and_tch::exercise_0.1::student"), "FAILED");
    let why = failure("00_rust_and_tch::exercise_0.1::student");
    assert!(
        why.contains("zeros has shape [3, 4], expected [4, 3]"),
        "{why}"
    );
    let blank = result("00_rust_and_tch::exercise_0.2::student");
    assert!(
        blank.starts_with("ignored") && blank.contains("blank(s) left"),
        "{blank}"
    );
    let waits = result("00_rust_and_tch::exercise_0.3::student");
    assert!(
        waits.contains("fill in exercise 0.2 first: this exercise uses its `v`"),
        "{waits}"
    );
    assert_eq!(result("04_recursion_dp::exercise_4.1::student"), "FAILED");
    assert_eq!(result("04_recursion_dp::exercise_4.2::student"), "FAILED");
    let why = failure("04_recursion_dp::exercise_4.2::student");
    assert!(
        why.contains("this exercise uses your `fib` from exercise 4.1, whose check fails"),
        "{why}"
    );
    let untouched = result("01_perceptron_xor::exercise_1.1::student");
    assert!(untouched.starts_with("ignored"), "{untouched}");
    assert!(!out.status.success(), "two failures make a red run");
}

/// Writes `answers` (exercise id → the whole cell) into the release's copy of `stem`.
fn fill(release: &Path, stem: &str, answers: &[(&str, String)]) {
    let path = release.join("notebooks").join(format!("{stem}.ipynb"));
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for cell in json["cells"].as_array_mut().unwrap() {
        let source = source_text_of(&cell["source"]);
        for (id, answer) in answers {
            if source.starts_with(&format!("// Exercise {id}:")) {
                cell["source"] = Value::String(answer.clone());
            }
        }
    }
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
}
