//! Making a student's release: the files a student needs copied into a new git repository with
//! one commit, `course/release.json` written from the solutions, and the result scanned for
//! every reference answer, hidden-check line and answer-list entry before it is committed.

use super::{Release, ReleasedExercise, ReleasedNotebook, RELEASE_FILE};
use crate::cmd;
use crate::course::Course;
use crate::lecture::Lecture;
use crate::solutions::{ANSWER_CLOSE, ANSWER_OPEN};
use crate::variant::Variant;
use crate::verdict::Verdict;
use anyhow::{bail, ensure, Context, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Files and folders copied as they are (from the repository root).
const SHIPPED: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "build.rs",
    "requirements.txt",
    "requirements-cpu.txt",
    "requirements-cuda.txt",
    "environment.md",
    ".cargo/config.toml",
    "src",
    "assets",
    "lecture",
    "course/src",
    "course/tests/exercises.rs",
    "tools/rust-kernel.sh",
    "tools/platform.sh",
    "tools/warm_kernel.py",
    // `./course.sh lab` starts JupyterLab with it; `./course.sh execute` runs a notebook with
    // the other.
    "tools/kernel_pool.py",
    "tools/execute_notebook.py",
    // The dev container: Codespaces and VS Code open the release with nothing to install.
    ".devcontainer",
    ".dockerignore",
    // LF endings on a Windows checkout too (the scripts run in the container or WSL2).
    ".gitattributes",
    // Builds and publishes that image where the release is hosted (GitHub's registry).
    ".github/workflows/image.yml",
];

/// Never shipped inside a shipped folder: the benchmark against PyTorch (its scripts stay), and
/// the mutants' runner (it needs the reference answers).
const LEFT_OUT: &[&str] = &["course/src/bin/bench.rs", "course/src/bin/mutants.rs"];

/// Lines of `course.sh` and `.gitignore` between these marks are the instructor's.
const INSTRUCTOR_BEGIN: &str = "# >>> instructor";
const INSTRUCTOR_END: &str = "# <<< instructor";

/// The student README of a release.
const STUDENT_README: &str = include_str!("README.md");

/// What `make_release` made.
#[derive(Debug, Clone)]
pub struct ReleaseMade {
    /// The release's folder.
    pub dir: PathBuf,
    /// Files in its commit.
    pub files: usize,
    /// Notebooks and exercises in it.
    pub notebooks: usize,
    /// Exercises in it.
    pub exercises: usize,
    /// Texts checked not to be in it.
    pub secrets_checked: usize,
}

impl Course {
    /// Makes a student's release in `dir` (new or empty): a git repository with one commit.
    /// Its dev container uses the published `image` when one is named (else it builds from the
    /// Containerfile). Fails, leaving nothing behind, when a notebook drifts from its solutions,
    /// a reference run fails, or a secret would be in it.
    pub fn make_release(&self, dir: &Path, image: Option<&str>) -> Result<ReleaseMade> {
        self.instructors_only("making a release")?;
        if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
            bail!(
                "{} is not empty: give a new folder for the release",
                dir.display()
            );
        }
        let mut release = Release {
            from: git_describe(&self.root),
            notebooks: Default::default(),
        };
        let mut exercises = 0;
        for path in self.notebooks()? {
            let lecture = self.load(&path)?;
            let notebook = self.released_notebook(&lecture)?;
            exercises += notebook.exercises.len();
            release.notebooks.insert(lecture.notebook.stem(), notebook);
        }
        let secrets = secrets(self)?;
        let made = self.write_release(dir, &release, image).and_then(|files| {
            let found = leaks(dir, &secrets)?;
            ensure!(
                found.is_empty(),
                "the release would hold what students must not see:\n{}",
                found.join("\n")
            );
            commit(dir, &release)?;
            Ok(files)
        });
        match made {
            Ok(files) => Ok(ReleaseMade {
                dir: dir.to_path_buf(),
                files,
                notebooks: release.notebooks.len(),
                exercises,
                secrets_checked: secrets.len(),
            }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(dir);
                Err(e)
            }
        }
    }

    /// One notebook's part of `release.json`, after checking that the release can grade it.
    fn released_notebook(&self, lecture: &Lecture) -> Result<ReleasedNotebook> {
        let drift = lecture.drift();
        ensure!(drift.is_empty(), "{}", drift.join("\n"));
        let checks = lecture.checks_that_later_cells_need()?;
        ensure!(
            checks.is_empty(),
            "a release runs each exercise without the other exercises' checks:\n{}",
            checks.join("\n")
        );
        let reference = match self.reference_timings(lecture) {
            Some(timings) => timings,
            None => {
                eprintln!(
                    "release: running {} with the reference answers to time it",
                    lecture.name()
                );
                let run = self.run(lecture, &Variant::Reference)?;
                let failing: Vec<String> = lecture
                    .exercise_ids()
                    .into_iter()
                    .filter(|id| !Verdict::of(&run, id).passed())
                    .collect();
                ensure!(
                    failing.is_empty() && run.success,
                    "{} does not pass with the reference answers (exercises {}): see {}",
                    lecture.name(),
                    failing.join(", "),
                    run.log.display()
                );
                self.record_reference_timings(lecture, &run)?;
                self.reference_timings(lecture)
                    .context("timings just recorded")?
            }
        };
        let notebook = ReleasedNotebook {
            exercises: lecture
                .solutions
                .iter()
                .map(|(id, s)| {
                    let exercise = ReleasedExercise {
                        points: s.points,
                        hint: s.hint.clone(),
                        memory_limit: s.memory_limit,
                    };
                    (id.clone(), exercise)
                })
                .collect(),
            deps: lecture.dependencies()?,
            reference: Some(reference),
            time_limits: lecture.time_limits.clone(),
        };
        self.check_release_guard(lecture, &notebook)?;
        Ok(notebook)
    }

    /// The release's guard knows the blank cells, not the answers: every right answer must
    /// still get through it.
    fn check_release_guard(&self, lecture: &Lecture, notebook: &ReleasedNotebook) -> Result<()> {
        let cells = lecture
            .notebook
            .exercises()
            .into_iter()
            .map(|(id, c)| (id, c.source.clone()))
            .collect();
        let released = Lecture {
            solutions: notebook.solutions(&cells),
            released: Some(notebook.clone()),
            ..lecture.clone()
        };
        let others = self.other_answers()?;
        for (id, sol) in &lecture.solutions {
            let mut right = vec![sol.solved()];
            for answers in others
                .get(id)
                .map(|o| o.right.as_slice())
                .unwrap_or_default()
            {
                right.push(sol.with_answers(answers)?);
            }
            for cell in right {
                if let Some(why) = released.refusal(id, &cell) {
                    bail!("{}: in a release the grader would refuse a right answer to exercise {id} ({why}):\n{cell}", lecture.name());
                }
            }
        }
        Ok(())
    }

    /// Writes the release's files; returns how many.
    fn write_release(&self, dir: &Path, release: &Release, image: Option<&str>) -> Result<usize> {
        std::fs::create_dir_all(dir)?;
        let mut files = 0;
        for entry in SHIPPED {
            files += copy_tree(&self.root.join(entry), &dir.join(entry), &self.root)?;
        }
        let write = |name: &str, text: &str| -> Result<()> {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("a folder"))?;
            std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
        };
        let read = |name: &str| std::fs::read_to_string(self.root.join(name));
        write("course.sh", &students_part(&read("course.sh")?))?;
        make_executable(&dir.join("course.sh"))?;
        write(".gitignore", &students_part(&read(".gitignore")?))?;
        write(
            "course/Cargo.toml",
            &students_manifest(&read("course/Cargo.toml")?),
        )?;
        write("README.md", STUDENT_README)?;
        if let Some(image) = image {
            let config = ".devcontainer/devcontainer.json";
            write(config, &devcontainer_with_image(&read(config)?, image)?)?;
        }
        write(RELEASE_FILE, &release.to_json_text())?;
        // The student's copies, tracked: what a classroom push or `./course.sh submit` hands in.
        for path in self.notebooks()? {
            let name = path.file_name().expect("a file");
            std::fs::create_dir_all(dir.join("notebooks"))?;
            std::fs::copy(&path, dir.join("notebooks").join(name))?;
            files += 1;
        }
        Ok(files + 6)
    }
}

/// `text` without its instructor-only blocks.
fn students_part(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in text.lines() {
        match line.trim() {
            l if l.starts_with(INSTRUCTOR_BEGIN) => inside = true,
            l if l.starts_with(INSTRUCTOR_END) => inside = false,
            _ if inside => {}
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The course crate's manifest with only the tests a release ships.
fn students_manifest(text: &str) -> String {
    let mut blocks = text.split("\n[[test]]");
    let mut out = blocks.next().unwrap_or("").to_string();
    for block in blocks {
        let name = block.lines().find_map(|l| l.trim().strip_prefix("name = "));
        if name.is_some_and(|n| n.trim_matches('"') == "exercises") {
            out.push_str("\n[[test]]");
            out.push_str(block);
        }
    }
    out.trim_end().to_string() + "\n"
}

/// Copies a file or folder; returns how many files.
fn copy_tree(from: &Path, to: &Path, root: &Path) -> Result<usize> {
    let relative = from.strip_prefix(root).unwrap_or(from);
    if LEFT_OUT.iter().any(|l| relative == Path::new(l)) {
        return Ok(0);
    }
    if from.is_dir() {
        let mut files = 0;
        let mut entries: Vec<PathBuf> = std::fs::read_dir(from)
            .with_context(|| format!("cannot list {}", from.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<_>>()?;
        entries.sort();
        for entry in entries {
            let name = entry.file_name().expect("a name");
            // Editors' and Jupyter's leftovers are nobody's course.
            if name.to_string_lossy().starts_with('.') && entry.is_dir() {
                continue;
            }
            files += copy_tree(&entry, &to.join(name), root)?;
        }
        return Ok(files);
    }
    std::fs::create_dir_all(to.parent().expect("a folder"))?;
    std::fs::copy(from, to).with_context(|| format!("cannot copy {}", from.display()))?;
    Ok(1)
}

fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

fn git_describe(root: &Path) -> String {
    let out = cmd::finish(
        cmd::program("git")
            .current_dir(root)
            .args(["describe", "--always", "--dirty"]),
        "git describe",
    );
    match out {
        Ok(out) if out.success => out.stdout.trim().to_string(),
        _ => "not a git checkout".into(),
    }
}

fn commit(dir: &Path, release: &Release) -> Result<()> {
    let git = |args: &[&str]| -> Result<()> {
        let out = cmd::finish(
            cmd::program("git")
                .current_dir(dir)
                .args(["-c", "user.name=lectureutil release"])
                .args(["-c", "user.email=release@lectureutil.invalid"])
                .args(args),
            "git",
        )?;
        ensure!(
            out.success,
            "git {} failed in {}:\n{}",
            args.join(" "),
            dir.display(),
            out.stderr
        );
        Ok(())
    };
    git(&["init", "--quiet", "--initial-branch=main"])?;
    git(&["add", "--all"])?;
    let message = format!(
        "The course's student release (from {}): notebooks with their blanks, the crates, the student's tools",
        release.from
    );
    git(&["commit", "--quiet", "--message", &message])
}

/// Every text a release must not contain, with what it is: each reference answer (a `⟦…⟧`),
/// each line of a hidden check, each entry of `answers.json` and the mutants report's key,
/// unless the blank notebooks show it too (a `?` filled with `n`, a check's closing `}`).
pub fn secrets(course: &Course) -> Result<Vec<(String, String)>> {
    let mut shown = String::new();
    let mut lectures = Vec::new();
    for path in course.notebooks()? {
        let lecture = course.load(&path)?;
        for cell in &lecture.notebook.cells {
            shown.push_str(&cell.source);
            shown.push('\n');
        }
        lectures.push(lecture);
    }
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    // An answer counts if it names anything (a bare `2` or `-3.0` is in every file); a hidden
    // check's line if it is more than syntax or one name.
    let mut add = |text: &str, what: String| {
        let text = text.trim();
        let counts = if what.contains("hidden check") {
            substantive(text)
        } else {
            names_something(text)
        };
        if counts && !shown.contains(text) && seen.insert(text.to_string()) {
            out.push((text.to_string(), what));
        }
    };
    for lecture in &lectures {
        for (id, sol) in &lecture.solutions {
            for answer in answers_in(&sol.marked) {
                add(&answer, format!("the reference answer of exercise {id}"));
            }
            for line in sol.hidden_check.iter().flat_map(|h| h.lines()) {
                add(line, format!("a line of exercise {id}'s hidden check"));
            }
        }
    }
    for (id, other) in course.other_answers()? {
        let listed = other.wrong.iter().chain(&other.equivalent).map(|(a, _)| a);
        for answer in other.right.iter().chain(listed) {
            for text in answer {
                add(text, format!("an answer to exercise {id} in answers.json"));
            }
        }
    }
    // The mutants report, whole or in part, shows itself by its key.
    if let Ok(report) = crate::mutants::Report::read(course) {
        out.push((
            report.key,
            format!("the key of {}", crate::mutants::REPORT_FILE),
        ));
    }
    Ok(out)
}

/// Whether `text` could give something away: not bare syntax (`continue;`, `}`), a single name
/// or literal (`check_roles(`, `-3.0`, `28 * 28`), or the grader's own rerun directive, all of
/// which the course's shipped code holds anyway.
fn substantive(text: &str) -> bool {
    if text.starts_with(crate::rerun::RERUN) {
        return false;
    }
    let words: BTreeSet<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty() && !KEYWORDS.contains(w))
        .collect();
    words.len() >= 2 || text.len() >= 20
}

/// Whether an answer holds a name (`loss`, `fib(n - 1)`), not only literals (`1u64`, `28 * 28`).
fn names_something(text: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w.starts_with(|c: char| c.is_alphabetic() || c == '_') && !KEYWORDS.contains(&w))
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "fn", "for", "if", "impl", "in", "let", "loop",
    "match", "move", "mut", "pub", "ref", "return", "struct", "use", "where", "while",
];

/// The texts between `⟦` and `⟧` (outermost marks).
fn answers_in(marked: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for c in marked.chars() {
        match c {
            ANSWER_OPEN => {
                if depth > 0 {
                    current.push(c);
                }
                depth += 1;
            }
            ANSWER_CLOSE => {
                depth -= 1;
                if depth == 0 {
                    out.push(std::mem::take(&mut current));
                } else {
                    current.push(c);
                }
            }
            _ if depth > 0 => current.push(c),
            _ => {}
        }
    }
    out
}

/// Where `secrets` occur in the files under `dir` (its `.git` left out), one line each.
pub fn leaks(dir: &Path, secrets: &[(String, String)]) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name() != Some(".git".as_ref()) {
                    stack.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = String::from_utf8_lossy(&std::fs::read(&file)?).into_owned();
        for (secret, what) in secrets {
            if text.contains(secret.as_str()) {
                let name = file.strip_prefix(dir).unwrap_or(&file).display();
                out.push(format!("{name} holds {what}: {secret:?}"));
            }
        }
    }
    Ok(out)
}

/// The dev container's configuration with `"image": NAME` in place of its `"build"` block (a
/// published image: a student waits for its pull, not for a build).
pub fn devcontainer_with_image(text: &str, image: &str) -> Result<String> {
    ensure!(
        !image.is_empty() && !image.contains(['"', '\\', ' ', '\n']),
        "--image {image:?}: an image name such as ghcr.io/ORG/REPO"
    );
    // Registries take repository names in lower case only (image.yml publishes it so); a
    // codespace would fail to pull ghcr.io/Org/Repo. A tag may hold capitals.
    let named = image.split('@').next().unwrap_or(image);
    let repository = match named.rfind(':') {
        Some(colon) if !named[colon..].contains('/') => &named[..colon],
        _ => named,
    };
    ensure!(
        !repository.chars().any(|c| c.is_ascii_uppercase()),
        "--image {image:?}: image names are lower case; use {:?}",
        format!(
            "{}{}",
            repository.to_ascii_lowercase(),
            &image[repository.len()..]
        )
    );
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("\"build\": {"))
        .context("the dev container's configuration has no \"build\" block")?;
    let indent = &lines[start][..lines[start].len() - lines[start].trim_start().len()];
    let end = (start..lines.len())
        .find(|&k| lines[k] == format!("{indent}}},"))
        .context("the dev container's \"build\" block does not end")?;
    let mut out: Vec<String> = lines[..start].iter().map(|l| l.to_string()).collect();
    out.push(format!("{indent}\"image\": \"{image}\","));
    out.extend(lines[end + 1..].iter().map(|l| l.to_string()));
    Ok(out.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_image_replaces_the_build_block() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../.devcontainer/devcontainer.json"
        ))
        .unwrap();
        let with = devcontainer_with_image(&text, "ghcr.io/nn-class/nn-course").unwrap();
        assert!(
            with.contains("  \"image\": \"ghcr.io/nn-class/nn-course\",\n"),
            "{with}"
        );
        assert!(
            !with.contains("\"build\"") && !with.contains("Containerfile\","),
            "{with}"
        );
        assert!(with.contains("\"runArgs\"") && with.contains("\"forwardPorts\""));
        // Still JSON once its comment lines are left out.
        let json: String = with
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["image"], "ghcr.io/nn-class/nn-course");
        assert!(devcontainer_with_image(&text, "bad name").is_err());
        let capitals = devcontainer_with_image(&text, "ghcr.io/NN-Class/nn-course:v1")
            .unwrap_err()
            .to_string();
        assert!(
            capitals.contains("\"ghcr.io/nn-class/nn-course:v1\""),
            "{capitals}"
        );
        for fine in [
            "ghcr.io/nn-class/nn-course:Fall-2026",
            "localhost:5000/nn:v2",
        ] {
            devcontainer_with_image(&text, fine).unwrap();
        }
    }

    #[test]
    fn instructor_blocks_and_tests_are_left_out() {
        let script = "a\n  # >>> instructor: grading\n  grade) ;;\n  # <<< instructor\nb\n";
        assert_eq!(students_part(script), "a\nb\n");
        let manifest = "[package]\nname = \"x\"\n\n[[test]]\nname = \"exercises\"\nharness = false\n\n[[test]]\nname = \"kernel\"\nharness = false\n";
        assert_eq!(
            students_manifest(manifest),
            "[package]\nname = \"x\"\n\n[[test]]\nname = \"exercises\"\nharness = false\n"
        );
        assert_eq!(answers_in("let a = ⟦x⟦y⟧⟧ + ⟦2⟧;"), ["x⟦y⟧", "2"]);
        for plain in [
            "continue;",
            "}",
            "check_roles(",
            "-3.0",
            "28 * 28",
            "let probe = {",
        ] {
            assert!(!substantive(plain), "{plain}");
        }
        for secret in ["fib(n - 1) + fib(n - 2)", "// the weights must sum to one"] {
            assert!(substantive(secret), "{secret}");
        }
        assert!(names_something("w_or") && names_something("-x"));
        assert!(
            !names_something("1u64") && !names_something("28 * 28") && !names_something("-3.0")
        );
    }
}
