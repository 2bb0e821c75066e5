//! A hostile student's exercise cell, one behaviour per test, in the sandbox: each is a wrong
//! answer to exercise 4.1 followed by the attack, and none may change the verdict, leave a
//! process behind, write outside its scratch folder, read another student's work, reach the
//! network or exhaust the machine. Where the sandbox cannot run (no bubblewrap), the tests that
//! need it say so and pass without asserting, as a student's `cargo test` does there.
mod support;
use support::*;

use course::sandbox::{confinement, DEFAULT_MEMORY, DEFAULT_PROCESSES};
use course::Verdict;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn confined() -> bool {
    let c = confinement();
    if !c.confined() {
        eprintln!("skipped: {}", c.describe());
    }
    c.confined()
}

/// The wrong answer, then `attack`; graded.
fn attacked(case: &str, attack: &str) -> Verdict {
    let course = answered(case, &format!("{WRONG}\n{attack}"));
    grade(&course).0
}

/// A fresh folder on the host that the attack aims at.
fn host_folder(case: &str) -> PathBuf {
    let dir = course::Course::here()
        .target_dir()
        .join("sandbox-tests")
        .join(case);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn figure_dir() -> PathBuf {
    let course = course::Course::here();
    let lecture = course
        .load(&course.course_notebooks_dir().join(NOTEBOOK))
        .unwrap();
    course.figure_dir(&lecture, &course::Variant::StudentExercise(EXERCISE.into()))
}

/// `let _ = std::fs::write(PATH, "x");` for each path.
fn writes(paths: &[&Path]) -> String {
    paths
        .iter()
        .map(|p| {
            format!(
                "let _ = std::fs::write({:?}, \"x\");\n",
                p.display().to_string()
            )
        })
        .collect()
}

#[test]
fn a_detached_process_is_gone_when_the_run_ends() {
    if !confined() {
        return;
    }
    // Into its own figures folder, the one place it may write: a marker there after the run
    // would mean the process outlived it.
    let marker = figure_dir().with_extension("detached-marker");
    let _ = std::fs::remove_file(&marker);
    let figures = figure_dir();
    let attack = format!(
        "let _ = std::process::Command::new(\"/bin/sh\").arg(\"-c\").arg(\"(setsid sh -c 'sleep 2; echo alive > {m}; cp {m} {m2}' &) ; (sh -c 'sleep 2; echo alive > {m}' &) ; true\").status();",
        m = figures.join("marker").display(),
        m2 = marker.display(),
    );
    let verdict = attacked("detached", &attack);
    assert!(!verdict.passed(), "{verdict:?}");
    std::thread::sleep(Duration::from_secs(4));
    assert!(
        !figures.join("marker").exists(),
        "a detached process wrote its marker"
    );
    assert!(!marker.exists());
}

#[test]
fn writes_outside_the_scratch_folder_fail() {
    if !confined() {
        return;
    }
    let course = course::Course::here();
    let out = host_folder("writes-out");
    let machine_tmp = PathBuf::from(format!("/tmp/lectureutil-hostile-{}", std::process::id()));
    let targets = [
        course.root.join("hostile-marker"),
        course.target_dir().join("grader").join("hostile-marker"),
        course
            .target_dir()
            .join("grader-tests")
            .join("hostile-marker"),
        out.join("hostile-marker"),
        machine_tmp.clone(),
    ];
    let paths: Vec<&Path> = targets.iter().map(PathBuf::as_path).collect();
    // Its own scratch folder and /tmp work; it reports both through a panic.
    let attack = format!(
        "{}std::fs::write(\"mine\", \"x\")?;\nstd::fs::write(\"/tmp/mine\", \"x\")?;\npanic!(\"scratch writes ok\");",
        writes(&paths)
    );
    let verdict = attacked("writes", &attack);
    for target in &targets {
        assert!(!target.exists(), "the cell wrote {}", target.display());
    }
    let message = verdict.message("exercise 4.1", 9);
    assert!(message.contains("scratch writes ok"), "{message}");
}

#[test]
fn reading_another_submission_or_the_solutions_fails() {
    if !confined() {
        return;
    }
    let other = host_folder("other-student");
    let secret = "fib(n - 1) + fib(n - 2) // the other student's secret 7f3a";
    std::fs::write(other.join("04_recursion_dp.ipynb"), secret).unwrap();
    let solutions = course::Course::here()
        .root
        .join("course/solutions/04_recursion_dp.rs");
    let attack = format!(
        "let a = std::fs::read_to_string({:?}).unwrap_or_else(|e| format!(\"denied: {{e}}\"));\n\
         let b = std::fs::read_to_string({:?}).unwrap_or_else(|e| format!(\"denied: {{e}}\"));\n\
         let c = std::fs::read_dir(\"/work\").map(|d| d.count()).unwrap_or(0);\n\
         panic!(\"read: {{}} | {{}} | {{c}}\", a.replace('\\n', \" \"), b.lines().next().unwrap_or(\"\"));",
        other.join("04_recursion_dp.ipynb").display().to_string(),
        solutions.display().to_string(),
    );
    let verdict = attacked("read-other", &attack);
    let message = verdict.message("exercise 4.1", 9);
    assert!(!message.contains("7f3a"), "{message}");
    assert!(!message.contains("Exercise 4.1"), "{message}");
    assert!(message.contains("read: denied"), "{message}");
}

#[test]
fn binding_or_connecting_a_socket_fails() {
    if !confined() {
        return;
    }
    let attack = "let l = std::net::TcpListener::bind(\"127.0.0.1:0\").map(|_| \"bound\").unwrap_or(\"bind failed\");\n\
                  let u = std::net::UdpSocket::bind(\"0.0.0.0:0\").map(|_| \"bound\").unwrap_or(\"bind failed\");\n\
                  let c = std::net::TcpStream::connect(\"1.1.1.1:80\").map(|_| \"connected\").unwrap_or(\"connect failed\");\n\
                  panic!(\"net: {l} {u} {c}\");";
    let message = attacked("socket", attack).message("exercise 4.1", 9);
    assert!(
        message.contains("net: bind failed bind failed connect failed"),
        "{message}"
    );
}

#[test]
fn eight_gib_of_memory_is_stopped_with_the_memory_message() {
    if !confined() || course::sandbox::CgroupKind::probe() == course::sandbox::CgroupKind::None {
        return;
    }
    let attack = "let big = vec![1u8; 8 << 30];\nprintln!(\"{}\", big[big.len() - 1]);";
    let verdict = attacked("memory", attack);
    let want = format!(
        "used more than {} of memory (the limit of exercise 4.1)",
        course::sandbox::human(DEFAULT_MEMORY)
    );
    assert!(
        matches!(&verdict, Verdict::OverLimit(m) if m.starts_with(&want)),
        "{verdict:?}"
    );
}

#[test]
fn a_fork_bomb_is_stopped_with_the_process_message_and_the_machine_stays_usable() {
    if !confined() || course::sandbox::CgroupKind::probe() == course::sandbox::CgroupKind::None {
        return;
    }
    // Bounded (3000), so that it cannot hurt where the limit fails.
    let attack = "let mut kids = Vec::new();\nfor _ in 0..3000 {\n    match std::process::Command::new(\"sleep\").arg(\"30\").spawn() {\n        Ok(k) => kids.push(k),\n        Err(e) => panic!(\"spawn failed after {}: {e}\", kids.len()),\n    }\n}";
    let verdict = attacked("forkbomb", attack);
    let want = format!("started more than {DEFAULT_PROCESSES} processes and threads at once");
    assert!(
        matches!(&verdict, Verdict::OverLimit(m) if m.starts_with(&want)),
        "{verdict:?}"
    );
    let after = std::process::Command::new("true").status().unwrap();
    assert!(after.success());
}

#[test]
fn a_file_over_the_size_limit_is_stopped_with_the_file_message() {
    if !confined() {
        return;
    }
    let attack = "std::fs::write(\"big\", vec![7u8; 80 << 20])?;";
    let verdict = attacked("file-size", attack);
    assert!(
        matches!(&verdict, Verdict::OverLimit(m) if m.starts_with("wrote a file larger than 64 MiB (the limit of exercise 4.1)")),
        "{verdict:?}"
    );
}

#[test]
fn an_abort_reads_as_the_signal_it_is() {
    let verdict = attacked("abort-signal", "std::process::abort();");
    assert!(
        matches!(&verdict, Verdict::ExitedBeforeCheck(s) if s.starts_with("signal: 6 (SIGABRT)")),
        "{verdict:?}"
    );
}

#[test]
fn a_cell_that_scans_its_own_memory_for_the_token_finds_nothing() {
    if !confined() {
        return;
    }
    // Safe Rust that reads /proc/self/mem region by region and prints every 32-hex-digit run as
    // a report that its check returned: outside the sandbox, this forged a pass.
    let attack = r#"use std::io::{Read, Seek, SeekFrom};
let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
let mut mem = std::fs::File::open("/proc/self/mem").ok();
let mut found = 0;
for line in maps.lines().filter(|l| l.split_whitespace().nth(1).is_some_and(|p| p.starts_with("rw"))) {
    let range: Vec<u64> = line.split_whitespace().next().unwrap().split('-').map(|h| u64::from_str_radix(h, 16).unwrap()).collect();
    let Some(file) = mem.as_mut() else { break };
    let mut bytes = vec![0u8; (range[1] - range[0]).min(1 << 26) as usize];
    if file.seek(SeekFrom::Start(range[0])).is_err() || file.read_exact(&mut bytes).is_err() { continue; }
    for window in bytes.windows(32) {
        if window.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)) {
            println!("\n{} check-returned 4.1 0.1", String::from_utf8_lossy(window));
            found += 1;
        }
    }
}
eprintln!("scanned: {} candidates", found);"#;
    let verdict = attacked("token-scan", attack);
    assert!(
        matches!(verdict, Verdict::CheckFailed(_)),
        "the wrong answer must fail as itself: {verdict:?}"
    );
}

#[test]
fn build_time_reads_and_macros_are_refused() {
    let other = host_folder("build-read");
    std::fs::write(other.join("secret.txt"), "the other student's answer").unwrap();
    let solutions = course::Course::here()
        .root
        .join("course/solutions/04_recursion_dp.rs");
    for (case, attack) in [
        (
            "include-other",
            format!(
                "let s = include_str!({:?});\npanic!(\"{{s}}\");",
                other.join("secret.txt").display().to_string()
            ),
        ),
        (
            "include-solutions",
            format!(
                "let s = include_str!({:?});\npanic!(\"{{s}}\");",
                solutions.display().to_string()
            ),
        ),
        (
            "include-bytes",
            "let s = core::include_bytes!(\"/etc/hostname\");".to_string(),
        ),
        ("env", "let home = env!(\"HOME\");".to_string()),
        (
            "macro",
            "macro_rules! pass { ($n:ident) => { fn $n(_: &str, _: bool, _: &str) {} }; }\npass!(check);"
                .to_string(),
        ),
        (
            "unsafe",
            "let x: u8 = unsafe { std::mem::transmute(1i8) };".to_string(),
        ),
    ] {
        let verdict = attacked(case, &attack);
        assert!(matches!(verdict, Verdict::Refused(_)), "{case}: {verdict:?}");
        let message = verdict.message("exercise 4.1", 9);
        assert!(!message.contains("other student's"), "{case}: {message}");
    }
}

/// A constant whose evaluation never ends, after a right answer: what a build may do.
const ENDLESS_CONSTANT: &str = "#[allow(long_running_const_eval)]\nconst STALL: u64 = {\n    let mut i = 0u64;\n    while i < u64::MAX {\n        i = i.wrapping_add(1) % 1_000_000_007;\n    }\n    i\n};\nlet _stall = STALL;";

#[test]
fn a_build_that_never_ends_is_stopped_at_the_builds_limit_and_others_are_graded() {
    let mut endless = answered("build-endless", &format!("{RIGHT}\n{ENDLESS_CONSTANT}"));
    endless.build_time_limit = Some(Duration::from_secs(20));
    let honest = answered("build-honest", RIGHT);
    // Both at once, as in a class: the stuck build holds the build queue for its limit only.
    let (stuck, fine) = std::thread::scope(|s| {
        let stuck = s.spawn(|| grade(&endless).0);
        let fine = s.spawn(|| grade(&honest).0);
        (stuck.join().unwrap(), fine.join().unwrap())
    });
    assert!(
        matches!(&stuck, Verdict::OverLimit(m) if m == "the build took longer than 20 s (the build's limit); a constant that never finishes evaluating does this"),
        "{stuck:?}"
    );
    assert!(
        stuck.message("exercise 4.1", 9).contains("(cell 9)"),
        "the message names the cell"
    );
    assert_eq!(fine, Verdict::Passed);
}

#[test]
fn a_build_time_memory_bomb_is_stopped_with_its_message() {
    if !confined() || course::sandbox::CgroupKind::probe() == course::sandbox::CgroupKind::None {
        return;
    }
    // rustc fills 8 GiB with ones to evaluate the constant.
    let bomb = "const BIG: [u8; 1 << 33] = [1; 1 << 33];\nlet _one = BIG[BIG.len() - 1];";
    let verdict = grade(&answered("build-memory", &format!("{RIGHT}\n{bomb}"))).0;
    let want = format!(
        "the build used more than {} of memory (the build's limit); a huge constant or a deep generic recursion does this",
        course::sandbox::human(course::BUILD_MEMORY)
    );
    assert!(
        matches!(&verdict, Verdict::OverLimit(m) if *m == want),
        "{verdict:?}"
    );
}

/// The host figures folder of a student's course (`answered`) for exercise 4.1.
fn figures_of(course: &course::Course) -> PathBuf {
    let lecture = course
        .load(&course.course_notebooks_dir().join(NOTEBOOK))
        .unwrap();
    course.figure_dir(&lecture, &course::Variant::StudentExercise(EXERCISE.into()))
}

/// Every file under `dir` with its size, largest first.
fn files_under(dir: &Path) -> Vec<(u64, PathBuf)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(meta) = entry.metadata() {
            found.push((meta.len(), path));
        }
    }
    found.sort_by(|a, b| b.cmp(a));
    found
}

#[test]
fn three_gib_into_the_figures_folder_is_stopped_at_the_quota_and_nothing_stays() {
    if !confined() {
        return;
    }
    let course = course::Course::here();
    let host_tmp: Vec<PathBuf> = std::fs::read_dir("/tmp")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    for (case, place) in [
        (
            "disk-figures",
            "std::env::var(\"LECTUREUTIL_FIGURE_DIR\").unwrap()",
        ),
        ("disk-tmp", "String::from(\"/tmp\")"),
        ("disk-scratch", "String::from(\".\")"),
    ] {
        // 48 files of 60 MiB (2880 MiB), each write's error ignored, as a hostile cell would.
        let attack = format!(
            "let dir = {place};\nlet block = vec![7u8; 60 << 20];\nfor i in 0..48 {{\n    let _ = std::fs::write(format!(\"{{dir}}/fill-{{i}}\"), &block);\n}}\nprintln!(\"wrote them all\");"
        );
        let started = std::time::Instant::now();
        // A right answer: its check would pass, but a run over its quota is graded on that.
        let student = answered(case, &format!("{RIGHT}\n{attack}"));
        let verdict = grade(&student).0;
        let want = format!(
            "wrote more than {} into its files (its figures, working folder and /tmp together: the limit of exercise 4.1)",
            course::sandbox::human(course::sandbox::DEFAULT_DISK)
        );
        assert!(
            matches!(&verdict, Verdict::OverLimit(m) if m.starts_with(&want)),
            "{case}: {verdict:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(50),
            "{case}: stopped at the quota, not at the time limit"
        );
        let left = files_under(&figures_of(&student));
        assert!(left.is_empty(), "{case}: left on the host: {left:?}");
        let work = files_under(&course.work_dir());
        assert!(
            work.iter().all(|(size, _)| *size < 1 << 20),
            "{case}: left in the grader's work folder: {:?}",
            &work[..work.len().min(3)]
        );
    }
    let new_in_tmp: Vec<(u64, PathBuf)> = files_under(Path::new("/tmp"))
        .into_iter()
        .filter(|(size, p)| *size >= 60 << 20 && !host_tmp.iter().any(|t| p.starts_with(t)))
        .collect();
    assert!(new_in_tmp.is_empty(), "left in /tmp: {new_in_tmp:?}");
}

#[test]
fn figures_within_the_quota_reach_the_host_folder() {
    if !confined() {
        return;
    }
    let attack = "let dir = std::env::var(\"LECTUREUTIL_FIGURE_DIR\").unwrap();\nstd::fs::create_dir_all(format!(\"{dir}/sub\"))?;\nstd::fs::write(format!(\"{dir}/figure.svg\"), \"<svg/>\")?;\nstd::fs::write(format!(\"{dir}/sub/data.txt\"), vec![b'x'; 3 << 20])?;\nlet _ = std::os::unix::fs::symlink(\"/etc/passwd\", format!(\"{dir}/link\"));";
    let student = answered("figures-kept", &format!("{WRONG}\n{attack}"));
    let verdict = grade(&student).0;
    assert!(matches!(verdict, Verdict::CheckFailed(_)), "{verdict:?}");
    let dir = figures_of(&student);
    assert_eq!(std::fs::read(dir.join("figure.svg")).unwrap(), b"<svg/>");
    assert_eq!(
        std::fs::metadata(dir.join("sub/data.txt")).unwrap().len(),
        3 << 20
    );
    assert!(
        std::fs::symlink_metadata(dir.join("link")).is_err(),
        "a link is no figure"
    );
}

#[test]
fn a_right_answer_followed_by_gigabytes_of_output_is_graded_on_its_check() {
    // 3 GiB in lines of 1 MiB, then the check runs and passes: its report still reaches the
    // grader, which keeps 4 MiB of the rest.
    let flood =
        "let line = \"y\".repeat(1 << 20);\nfor _ in 0..3072 {\n    println!(\"{line}\");\n}";
    let course = answered("flood", &format!("{RIGHT}\n{flood}"));
    let path = course.course_notebooks_dir().join(NOTEBOOK);
    let lecture = course.load(&path).unwrap();
    let course::Grade::Graded(verdict, Some(run)) = course.grade(&lecture, EXERCISE).unwrap()
    else {
        panic!("not graded with a run");
    };
    assert_eq!(verdict, Verdict::Passed, "{}", run.tail(3));
    assert!(
        run.output.contains("more bytes of output were cut"),
        "{}",
        run.tail(3)
    );
    assert!(run.output.len() < 9 << 20);
}
