//! Grading a class, end to end with the real `notebook` binary: a synthetic class of four
//! (every kind of answer, a missing and a broken notebook, outputs and moved cells, a copied
//! submission) is graded into a gradebook, and every verdict must be the one the generator
//! wrote down. Nothing may be written into the submissions or the course.
//!
//! With `LECTUREUTIL_HOSTS=1` (`./course.sh test --hosts`, needs GNU parallel) the same class is
//! instead spread by GNU parallel over two local "hosts" (`tools/local-host.sh` stands in for ssh),
//! as docs/instructor.md's recipe does across machines.

use course::class::{disagreements, synthetic_class, Expected, Gradebook};
use course::Course;
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The notebooks of the small class: the ones whose runs take seconds.
const NOTEBOOKS: &str = "01,04,05";

fn main() {
    let args = Arguments::from_args();
    // `./course.sh test --hosts` runs only the test over the hosts: the others ran in
    // `./course.sh test` already.
    let hosts = std::env::var_os("LECTUREUTIL_HOSTS").is_some();
    let trials = vec![
        trial(
            "small_class_graded_into_a_gradebook",
            graded_by_notebook_grade,
        )
        .with_ignored_flag(hosts),
        trial(
            "a_hostile_student_changes_no_row_but_their_own",
            graded_with_a_hostile_student,
        )
        .with_ignored_flag(hosts),
        trial(
            "a_class_of_archives_with_a_roster_into_the_lms_files",
            graded_from_archives_with_a_roster,
        )
        .with_ignored_flag(hosts),
        trial(
            "small_class_spread_by_gnu_parallel_over_local_hosts",
            spread_by_gnu_parallel,
        )
        .with_ignored_flag(!hosts),
    ];
    libtest_mimic::run(&args, trials).exit();
}

/// A test that runs unless it passed before with the same inputs.
fn trial(name: &'static str, test: fn() -> Result<(), Failed>) -> Trial {
    Trial::test(name, move || unless_unchanged(name, test))
}

/// Runs `test` unless it passed before with the same inputs: the course's sources and
/// solutions, `lecture/`, this file and the stand-in for ssh. Grading a class takes a minute
/// (its endless loop runs into its time limit every time), which a student's second
/// `cargo test` should not pay; `CI` and `./course.sh test --full` always run it.
fn unless_unchanged(name: &str, test: fn() -> Result<(), Failed>) -> Result<(), Failed> {
    let course = Course::here();
    let mut inputs = vec![
        name.to_string(),
        NOTEBOOKS.to_string(),
        include_str!("class.rs").to_string(),
        std::fs::read_to_string(course.root.join("tools/local-host.sh")).unwrap_or_default(),
        // A pass without the sandbox is no pass in it.
        course::sandbox::confinement().describe(),
    ];
    for path in course.notebooks()? {
        inputs.push(std::fs::read_to_string(path)?);
    }
    let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
    let key = course.cache_key(&inputs);
    if let Some(hit) = course.cached("class-test", &key) {
        println!("{}", course::unchanged_note(name, hit.recorded));
        return Ok(());
    }
    test()?;
    course.remember("class-test", &key, serde_json::json!("passed"))?;
    Ok(())
}

/// A fresh folder under `target/grader-tests/class/`, and a synthetic class of four in it.
fn class(name: &str) -> (PathBuf, Vec<Expected>) {
    let course = Course::here();
    let dir = course.target_dir().join("grader-tests/class").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let stems: Vec<String> = NOTEBOOKS
        .split(',')
        .map(|n| {
            let path = course.find(n).unwrap();
            path.file_stem().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    let expected = synthetic_class(&course, 4, 1, &stems, &dir.join("submissions")).unwrap();
    (dir, expected)
}

/// What `notebook grade` printed, or its output as the failure when it failed.
fn succeeded(out: &std::process::Output) -> Result<String, Failed> {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "notebook grade failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(stdout)
}

fn notebook() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_notebook"));
    command.current_dir(Course::here().root);
    command
}

fn graded_by_notebook_grade() -> Result<(), Failed> {
    let (dir, expected) = class("grade");
    let before = Snapshot::take(&dir.join("submissions"));
    let theirs = Snapshot::take(&Course::here().student_dir);
    let out = notebook()
        .arg("grade")
        .arg(dir.join("submissions"))
        .arg(format!("--out={}", dir.join("graded").display()))
        .arg(format!("--notebooks={NOTEBOOKS}"))
        // Where the sandbox cannot run, `grade` refuses a class unless told; a student's own
        // `cargo test` must still pass there.
        .args((!course::sandbox::confinement().confined()).then_some("--unconfined"))
        .output()?;
    let stdout = succeeded(&out)?;
    before.unchanged()?;
    theirs.unchanged()?;
    let book = Gradebook::collect(&dir.join("graded"))?;
    verdicts_and_files(&book, &expected, &dir.join("graded"))?;
    for shown in [
        "[####################] 12/12",
        "identical submissions",
        "student-01 and student-04",
        "gradebook: ",
    ] {
        if !stdout.contains(shown) {
            return Err(format!("the terminal does not show {shown:?}:\n{stdout}").into());
        }
    }
    Ok(())
}

/// The class of four and a fifth student whose notebook 01 attacks the grading: a wrong 1.1
/// that leaves a detached process rewriting every result file, opens a socket and writes into
/// the course, the submissions and the machine's `/tmp`; a 1.2 that reads the first student's
/// submission into its panic message. Graded in the sandbox, the fifth student gets 0 of 2 and
/// every other row is what the generator wrote down.
fn graded_with_a_hostile_student() -> Result<(), Failed> {
    if !course::sandbox::confinement().confined() {
        println!("skipped: {}", course::sandbox::confinement().describe());
        return Ok(());
    }
    let (dir, expected) = class("hostile");
    let course = Course::here();
    let submissions = dir.join("submissions");
    let graded = dir.join("graded");
    let victim = submissions.join("student-01/01_perceptron_xor.ipynb");
    let stray = [
        course.root.join("hostile-was-here"),
        submissions.join("hostile-was-here"),
        PathBuf::from(format!("/tmp/hostile-was-here-{}", std::process::id())),
    ];
    let writes: String = stray
        .iter()
        .map(|p| {
            format!(
                "let _ = std::fs::write({:?}, \"x\");\n",
                p.display().to_string()
            )
        })
        .collect();
    let forge = format!(
        "(setsid sh -c 'while true; do for f in {results}/*/*.json; do echo forged > \"$f\"; done; sleep 0.1; done' >/dev/null 2>&1 &) ; true",
        results = graded.join("results").display()
    );
    let hostile_11 = format!(
        "// Exercise 1.1: choose the weights\nlet w_or = [0.5, 1.0, 1.0];\n\
         let _ = std::process::Command::new(\"/bin/sh\").arg(\"-c\").arg({forge:?}).status();\n\
         let _socket = std::net::TcpListener::bind(\"127.0.0.1:0\");\n{writes}"
    );
    let hostile_12 = format!(
        "// Exercise 1.2: build φ(x)\nlet phi = Tensor::zeros([4, 3], (Kind::Float, Device::Cpu));\nlet theirs = std::fs::read_to_string({:?}).unwrap_or_else(|e| format!(\"denied: {{e}}\"));\n\
         panic!(\"stolen: {{}}\", &theirs[..theirs.len().min(300)]);",
        victim.display().to_string()
    );
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        course
            .course_notebooks_dir()
            .join("01_perceptron_xor.ipynb"),
    )?)?;
    for cell in json["cells"].as_array_mut().expect("cells") {
        let text = course::source_text_of(&cell["source"]);
        if text.starts_with("// Exercise 1.1:") {
            cell["source"] = hostile_11.clone().into();
        } else if text.starts_with("// Exercise 1.2:") {
            cell["source"] = hostile_12.clone().into();
        }
    }
    let hostile = submissions.join("student-02-hostile");
    std::fs::create_dir_all(&hostile)?;
    std::fs::write(
        hostile.join("01_perceptron_xor.ipynb"),
        serde_json::to_string(&json)?,
    )?;
    // Two more, each with a right 1.1 and then an attack: a constant whose evaluation never
    // ends (the build is stopped at its limit, the class goes on), and 48 files of 60 MiB into
    // the figures folder (stopped at the quota, nothing left on the host).
    let endless = "#[allow(long_running_const_eval)]\nconst STALL: u64 = {\n    let mut i = 0u64;\n    while i < u64::MAX {\n        i = i.wrapping_add(1) % 1_000_000_007;\n    }\n    i\n};\nlet _stall = STALL;";
    let fill = "let dir = std::env::var(\"LECTUREUTIL_FIGURE_DIR\").unwrap();\nlet block = vec![7u8; 60 << 20];\nfor i in 0..48 {\n    let _ = std::fs::write(format!(\"{dir}/fill-{i}\"), &block);\n}";
    for (student, attack) in [
        ("student-02-endless-build", endless),
        ("student-02-fills-the-disk", fill),
    ] {
        let mut theirs = json.clone();
        for cell in theirs["cells"].as_array_mut().expect("cells") {
            if course::source_text_of(&cell["source"]).starts_with("// Exercise 1.1:") {
                cell["source"] = format!(
                    "// Exercise 1.1: choose the weights\nlet w_or = [-0.5, 1.0, 1.0];\n{attack}"
                )
                .into();
            }
        }
        std::fs::create_dir_all(submissions.join(student))?;
        std::fs::write(
            submissions.join(student).join("01_perceptron_xor.ipynb"),
            serde_json::to_string(&theirs)?,
        )?;
    }
    // A loose file that names no student: skipped and reported, the class graded all the same.
    std::fs::write(submissions.join("untitled.ipynb"), "{}")?;
    // A loose notebook of 400 MiB (sparse: no disk used): skipped before it is read.
    std::fs::File::create(submissions.join("student-05_01_perceptron_xor.ipynb"))?
        .set_len(400 << 20)?;
    let before = Snapshot::take(&submissions);
    let out = notebook()
        .arg("grade")
        .arg(&submissions)
        .arg(format!("--out={}", graded.display()))
        .arg("--notebooks=01")
        .arg("--build-limit=30")
        .output()?;
    succeeded(&out)?;
    // Had anything outlived its run, it would rewrite the results now.
    std::thread::sleep(std::time::Duration::from_secs(1));
    before.unchanged()?;
    for path in &stray {
        if path.exists() {
            let _ = std::fs::remove_file(path);
            return Err(format!("the hostile cell wrote {}", path.display()).into());
        }
    }
    let summary = std::fs::read_to_string(graded.join("summary.txt"))?;
    if !summary.contains("untitled.ipynb: not graded") {
        return Err(format!("the summary does not report the stray file:\n{summary}").into());
    }
    if !summary.contains("student-05_01_perceptron_xor.ipynb: not graded: it holds 400 MiB, over the 16 MiB a notebook may hold") {
        return Err(format!("the summary does not report the 400 MiB notebook:\n{summary}").into());
    }
    // Nothing of the disk filler's is left anywhere under the class's folder.
    let mut large = Vec::new();
    let mut folders = vec![dir.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)?.flatten() {
            let meta = entry.metadata()?;
            if meta.is_dir() {
                folders.push(entry.path());
            } else if meta.len() >= 60 << 20
                && !entry.path().ends_with("student-05_01_perceptron_xor.ipynb")
            {
                large.push(entry.path());
            }
        }
    }
    if !large.is_empty() {
        return Err(format!("the disk filler left {large:?}").into());
    }
    let book = Gradebook::collect(&graded)?;
    let ones: Vec<Expected> = expected
        .into_iter()
        .filter(|e| e.notebook == "01_perceptron_xor")
        .collect();
    let wrong = disagreements(&book, &ones);
    if !wrong.is_empty() {
        return Err(format!("{} verdict(s) wrong:\n{}", wrong.len(), wrong.join("\n")).into());
    }
    let theirs = book
        .students
        .get("student-02-hostile")
        .and_then(|units| units.first())
        .ok_or("no result for the hostile student")?;
    let verdicts: Vec<(&str, u32, &str)> = theirs
        .exercises
        .iter()
        .map(|e| (e.verdict.as_str(), e.points, e.message.as_str()))
        .collect();
    let [(v11, p11, _), (v12, p12, m12)] = verdicts[..] else {
        return Err(format!("two exercises expected: {verdicts:?}").into());
    };
    if v11 != "check failed"
        || p11 != 0
        || p12 != 0
        || v12 != "stopped"
        || !m12.contains("stolen: denied")
    {
        return Err(format!("the hostile student's verdicts: {verdicts:?}").into());
    }
    for (student, want) in [
        ("student-02-endless-build", "the build took longer than 30 s (the build's limit); a constant that never finishes evaluating does this"),
        ("student-02-fills-the-disk", "wrote more than 128 MiB into its files (its figures, working folder and /tmp together: the limit of exercise 1.1)"),
    ] {
        let first = book
            .students
            .get(student)
            .and_then(|units| units.first())
            .and_then(|unit| unit.exercises.first())
            .ok_or(format!("no result for {student}"))?;
        if first.verdict != "over a limit" || first.points != 0 || !first.message.contains(want) {
            return Err(format!("{student}'s 1.1: {} {} {}", first.verdict, first.points, first.message).into());
        }
    }
    for result in std::fs::read_dir(graded.join("results"))?.flatten() {
        for file in std::fs::read_dir(result.path())?.flatten() {
            if std::fs::read_to_string(file.path())?.contains("forged") {
                return Err(format!("{} was rewritten", file.path().display()).into());
            }
        }
    }
    Ok(())
}

/// The class of four (notebook 01) handed in as `./course.sh submit` archives, one of them a
/// folder (its notebook does not read, so `submit` refuses it), beside a damaged archive that
/// matches nobody. With a roster that lacks one student and lists one who handed in nothing:
/// every verdict as expected, the LMS files in Canvas's and Moodle's columns, and the summary
/// names the damaged file and both roster mismatches.
fn graded_from_archives_with_a_roster() -> Result<(), Failed> {
    let course = Course::here();
    let dir = course.target_dir().join("grader-tests/class/archives");
    let _ = std::fs::remove_dir_all(&dir);
    let stem = "01_perceptron_xor".to_string();
    let expected = synthetic_class(&course, 4, 2, &[stem], &dir.join("folders"))?;
    let archives = dir.join("archives");
    std::fs::create_dir_all(&archives)?;
    for folder in std::fs::read_dir(dir.join("folders"))?.flatten() {
        let name = folder.file_name().to_string_lossy().into_owned();
        let out = notebook()
            .args(["submit", &name])
            .arg(format!("--out={}", archives.display()))
            .env(course::NOTEBOOKS_ENV, folder.path())
            .output()?;
        if !out.status.success() {
            // What a student whose notebook does not read would hand in instead: the folder.
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !stderr.contains("is not a notebook that reads") {
                return Err(format!("submit {name} failed:\n{stderr}").into());
            }
            std::fs::rename(folder.path(), archives.join(&name))?;
        }
    }
    let handed_in: Vec<String> = std::fs::read_dir(&archives)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if handed_in.iter().filter(|n| n.ends_with(".tar.gz")).count() < 3 {
        return Err(format!("fewer than three archives: {handed_in:?}").into());
    }
    std::fs::write(archives.join("student-09.tar.gz"), "not an archive")?;
    let roster = dir.join("roster.csv");
    std::fs::write(
        &roster,
        "submission,id,name,email\nstudent-01,S101,Ada Lovelace,ada@example.edu\n\
         student-02,S102,\"Hopper, Grace\",grace@example.edu\nstudent-03,S103,Alan Turing,alan@example.edu\n\
         student-07,S107,Absent Student,absent@example.edu\n",
    )?;
    let graded = dir.join("graded");
    let out = notebook()
        .arg("grade")
        .arg(&archives)
        .arg(format!("--out={}", graded.display()))
        .arg(format!("--roster={}", roster.display()))
        .arg("--notebooks=01")
        .args((!course::sandbox::confinement().confined()).then_some("--unconfined"))
        .output()?;
    succeeded(&out)?;
    let book = Gradebook::collect(&graded)?;
    let wrong = disagreements(&book, &expected);
    if !wrong.is_empty() {
        return Err(format!("{} verdict(s) wrong:\n{}", wrong.len(), wrong.join("\n")).into());
    }
    let read = |name: &str| std::fs::read_to_string(graded.join(name));
    let summary = read("summary.txt")?;
    for shown in [
        "student-09.tar.gz: not graded: it cannot be read as a .tar.gz",
        "on the roster, nothing handed in (0 points in the gradebook):\n  student-07",
        "not on the roster",
        "  student-04",
    ] {
        if !summary.contains(shown) {
            return Err(format!("the summary does not say {shown:?}:\n{summary}").into());
        }
    }
    let total = |student: &str| book.total(student).to_string();
    let gradebook = read("gradebook.csv")?;
    let want_gradebook = format!(
        "student,id,name,email,1.1,1.2,01_perceptron_xor total,total\n\
         student-01,S101,Ada Lovelace,ada@example.edu,{p01}\n",
        p01 = ["1.1", "1.2"]
            .iter()
            .map(|id| book.points("student-01", id).to_string())
            .chain([total("student-01"), total("student-01")])
            .collect::<Vec<_>>()
            .join(",")
    );
    if !gradebook.starts_with(&want_gradebook)
        || !gradebook.contains("student-02,S102,\"Hopper, Grace\",grace@example.edu,")
        || !gradebook.contains("\nstudent-04,,,,")
        || !gradebook.ends_with("\nstudent-07,S107,Absent Student,absent@example.edu,0,0,0,0\n")
    {
        return Err(
            format!("gradebook.csv, expected to start {want_gradebook:?}:\n{gradebook}").into(),
        );
    }
    let canvas = read("canvas.csv")?;
    let want = format!(
        "Student,ID,SIS User ID,SIS Login ID,Section,01_perceptron_xor\n\
         Ada Lovelace,,S101,ada@example.edu,,{}\n\"Hopper, Grace\",,S102,grace@example.edu,,{}\n",
        total("student-01"),
        total("student-02")
    );
    // Four on the roster; student-04 is not, and a platform could not match their row.
    if !canvas.starts_with(&want) || canvas.lines().count() != 5 {
        return Err(format!("canvas.csv, expected to start {want:?}:\n{canvas}").into());
    }
    let moodle = read("moodle.csv")?;
    if !moodle.starts_with(
        "ID number,Email address,Full name,01_perceptron_xor\nS101,ada@example.edu,Ada Lovelace,",
    ) {
        return Err(format!("moodle.csv:\n{moodle}").into());
    }
    let partial = std::fs::read_dir(&archives)?
        .flatten()
        .any(|e| e.file_name().to_string_lossy().ends_with(".partial"));
    if partial {
        return Err("a refused hand-in left a partial archive behind".into());
    }
    Ok(())
}

fn spread_by_gnu_parallel() -> Result<(), Failed> {
    let (dir, expected) = class("hosts");
    let before = Snapshot::take(&dir.join("submissions"));
    let graded = dir.join("graded");
    let out = notebook()
        .arg("units")
        .arg(dir.join("submissions"))
        .arg(format!("--out={}", graded.display()))
        .arg(format!("--notebooks={NOTEBOOKS}"))
        .output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    let root = Course::here().root;
    let hosts_log = dir.join("hosts.log");
    let ran = Command::new("parallel")
        .current_dir(&root)
        .env("LOCAL_HOSTS_LOG", &hosts_log)
        // As under CI runners that start tests without it; ssh (and local-host.sh) set it remotely.
        .env_remove("SHELL")
        .args([
            "--ssh",
            &root.join("tools/local-host.sh").display().to_string(),
        ])
        .args([
            "-S",
            "1/alpha,1/beta",
            "--colsep",
            "\t",
            "--halt",
            "now,fail=1",
        ])
        .arg("--workdir")
        .arg(&root)
        .arg("-a")
        .arg(graded.join("units.tsv"))
        .arg(format!(
            "{} grade-unit {{2}} {{1}} {{4}} {{3}} --class={}",
            env!("CARGO_BIN_EXE_notebook"),
            dir.join("scratch").display()
        ))
        .output()
        .map_err(|e| format!("cannot run GNU parallel ({e}): apt-get install parallel"))?;
    if !ran.status.success() {
        return Err(format!(
            "GNU parallel failed:\n{}\n{}",
            String::from_utf8_lossy(&ran.stdout),
            String::from_utf8_lossy(&ran.stderr)
        )
        .into());
    }
    let units = std::fs::read_to_string(graded.join("units.tsv"))?;
    let missing: Vec<&str> = units
        .lines()
        .filter_map(|unit| unit.split('\t').nth(3))
        .filter(|result| !Path::new(result).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "GNU parallel exited 0 but {} of {} units wrote no result, e.g. {}:\n{}",
            missing.len(),
            units.lines().count(),
            missing[0],
            String::from_utf8_lossy(&ran.stderr)
        )
        .into());
    }
    let hosts = std::fs::read_to_string(&hosts_log)?;
    if !(hosts.contains("alpha") && hosts.contains("beta")) {
        return Err(format!("the units did not go to both hosts: {hosts:?}").into());
    }
    let out = notebook().arg("gradebook").arg(&graded).output()?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
    }
    before.unchanged()?;
    verdicts_and_files(&Gradebook::collect(&graded)?, &expected, &graded)
}

/// Every verdict as expected; the CSV's rows and totals; a feedback file per student with every
/// failure's message; nothing written into the course.
fn verdicts_and_files(book: &Gradebook, expected: &[Expected], out: &Path) -> Result<(), Failed> {
    let wrong = disagreements(book, expected);
    if !wrong.is_empty() {
        return Err(format!("{} verdict(s) wrong:\n{}", wrong.len(), wrong.join("\n")).into());
    }
    let csv = std::fs::read_to_string(out.join("gradebook.csv"))?;
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let header = [
        "student",
        "1.1",
        "1.2",
        "4.1",
        "4.2",
        "5.1",
        "5.2",
        "01_perceptron_xor total",
        "04_recursion_dp total",
        "05_backprop total",
        "total",
    ];
    if rows.len() != 5 || rows[0] != header {
        return Err(format!("the gradebook is not 4 students under {header:?}:\n{csv}").into());
    }
    for row in &rows[1..] {
        let points: Vec<u32> = row[1..].iter().map(|p| p.parse().unwrap()).collect();
        let (each, rest) = points.split_at(6);
        let (notebooks, total) = rest.split_at(3);
        if each.iter().sum::<u32>() != total[0] || notebooks.iter().sum::<u32>() != total[0] {
            return Err(format!(
                "the total of {} is not the sum of its points: {row:?}",
                row[0]
            )
            .into());
        }
        {
            let passed = expected
                .iter()
                .filter(|e| e.student == row[0] && e.verdict == Some("passed"))
                .count() as u32;
            if total[0] != passed {
                return Err(format!(
                    "{} passed {passed} exercises but has {} points",
                    row[0], total[0]
                )
                .into());
            }
        }
    }
    let possible = std::fs::read_to_string(out.join("points_possible.csv"))?;
    if !possible.starts_with("column,points possible\n1.1,1\n")
        || !possible.ends_with("\ntotal,6\n")
    {
        return Err(format!("points_possible.csv:\n{possible}").into());
    }
    for (student, units) in &book.students {
        let feedback = std::fs::read_to_string(out.join(book.feedback_file(student)))?;
        for other in book.students.keys().filter(|o| *o != student) {
            if feedback.contains(other.as_str()) || feedback.contains(&other.replace('-', "_")) {
                return Err(format!("{student}'s feedback names {other}").into());
            }
        }
        for e in units.iter().flat_map(|u| &u.exercises) {
            let first = e.message.lines().next().unwrap_or("");
            if e.verdict != "passed" && !feedback.contains(first) {
                return Err(format!("{student}'s feedback does not show {first:?}").into());
            }
        }
    }
    let course = Course::here();
    if course.root.join("written-by-a-student.txt").exists() {
        return Err("a student's program wrote into the course".into());
    }
    let lecture = Snapshot::take(&course.course_notebooks_dir());
    if lecture.files.len() < 7 {
        return Err("a student's program deleted one of the course's notebooks".into());
    }
    Ok(())
}

/// Every file under a folder and its bytes.
struct Snapshot {
    dir: PathBuf,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Snapshot {
    fn take(dir: &Path) -> Snapshot {
        let mut files = BTreeMap::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    todo.push(path);
                } else {
                    files.insert(path.clone(), std::fs::read(&path).unwrap_or_default());
                }
            }
        }
        Snapshot {
            dir: dir.to_path_buf(),
            files,
        }
    }

    fn unchanged(&self) -> Result<(), Failed> {
        let now = Snapshot::take(&self.dir);
        if now.files != self.files {
            return Err(format!("the grader changed files in {}", self.dir.display()).into());
        }
        Ok(())
    }
}
