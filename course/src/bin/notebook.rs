//! The notebooks outside Jupyter.
//!
//! ```text
//! cargo run --bin notebook -- run NAME [--student]   run as a plain Rust program, save figures
//! cargo run --bin notebook -- emit NAME [--student]  print that program
//! cargo run --bin notebook -- solve NAME             write the solved notebook under target/
//! cargo run --bin notebook -- execute NAME [--student]  run under the real kernel (headless)
//! cargo run --bin notebook -- status                 each exercise done, failing or blank, with a
//!                                                    bar (from stored results; nothing is run)
//! cargo run --bin notebook -- watch                  grade each exercise you change when you save
//! cargo run --bin notebook -- hint ID                a hint for exercise ID (`2.3`), not the answer
//! cargo run --bin notebook -- restore NAME           put the course's cells back, keep your answers
//! cargo run --bin notebook -- submit NAME [--out=DIR]  your notebooks, outputs stripped, in
//!                                                    DIR/<name>.tar.gz (DIR: submissions/)
//!
//! For instructors (see docs/instructor.md, "Grading a class"); not in a student's release:
//! cargo run --bin notebook -- release DIR [--image=NAME]       a student's release in DIR: a git repository
//!     without reference answers, hidden checks or answer lists
//! cargo run --bin notebook -- grade SUBMISSIONS/ [--out=DIR] [--roster=CSV] [--jobs=N] [--notebooks=01,04] [--unconfined] [--build-limit=S]
//!     grade a class: one folder, `<student>.tar.gz` (from `submit`) or `<student>_<notebook>.ipynb`
//!     files per student; writes DIR/gradebook.csv, DIR/points_possible.csv, with a roster
//!     DIR/canvas.csv and DIR/moodle.csv, DIR/feedback/<student>.md, DIR/summary.txt
//!     (DIR: target/gradebook)
//! cargo run --bin notebook -- units SUBMISSIONS/ [--out=DIR] [--notebooks=…]   the same work as DIR/units.tsv,
//!     one unit per line, for GNU parallel; then `gradebook DIR` collects the results
//! cargo run --bin notebook -- grade-unit NOTEBOOK STUDENT RESULT.json [FILE] [--class=DIR]
//!     grade one student's FILE (none: not handed in) for NOTEBOOK into RESULT.json
//! cargo run --bin notebook -- gradebook DIR             the gradebook from DIR/results/
//! cargo run --bin notebook -- class N DIR [--seed=S] [--notebooks=01,04]  a synthetic class of N
//!     students in DIR/submissions/, with the verdict each exercise must get in DIR/expected.json
//! cargo run --bin notebook -- class-verify DIR GRADED   compare GRADED's gradebook with DIR/expected.json
//! ```
//! NAME is a notebook's number (`02`), stem or path. Reference solutions fill the exercises
//! unless `--student` is given (in a student's release, always the student's). Only `restore` writes into `notebooks/` (after a backup under
//! `target/notebooks/backup/`).
use anyhow::{bail, Result};
use course::{wrap, Course, ExerciseState, Grade, Variant, Verdict, WatchKey};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let student = args.iter().any(|a| a == "--student");
    let positional: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let course = Course::here();
    // A student's release has no reference answers: its programs run the student's.
    let student = student || course.is_release();
    let first = positional.first().copied().unwrap_or("");
    if INSTRUCTORS.contains(&first) {
        course.instructors_only(&format!("`notebook {first}`"))?;
    }
    let variant = if student {
        Variant::Student
    } else {
        Variant::Reference
    };
    match positional.as_slice() {
        ["run", name] => {
            let lecture = course.load(&course.find(name)?)?;
            if student {
                refuse_blanks(&lecture)?;
            }
            let result = course.run(&lecture, &variant)?;
            print!("{}", result.output);
            if !result.success {
                bail!(
                    "{} did not run to the end ({})",
                    lecture.name(),
                    if result.compiled {
                        "a cell failed"
                    } else {
                        "it does not compile"
                    }
                );
            }
            println!(
                "figures: {}",
                course.figure_dir(&lecture, &variant).display()
            );
        }
        ["emit", name] => {
            let lecture = course.load(&course.find(name)?)?;
            print!("{}", lecture.script(&variant)?.source);
        }
        ["solve", name] => {
            let lecture = course.load(&course.find(name)?)?;
            println!("{}", course.write_solved(&lecture)?.display());
        }
        ["execute", name] => {
            let lecture = course.load(&course.find(name)?)?;
            let run = course.execute_in_kernel(&lecture, !student)?;
            let mut failed = false;
            for cell in &run.cells {
                for e in &cell.errors {
                    failed = true;
                    println!("cell {}: {e}", cell.number);
                }
            }
            println!(
                "executed in {:.0} s: {}",
                run.seconds,
                run.executed.display()
            );
            if failed {
                bail!("some cells failed");
            }
        }
        ["status"] => status(course)?,
        ["release", dir] => {
            let image = option(&args, "--image");
            let made = course.make_release(std::path::Path::new(dir), image)?;
            println!(
                "a student's release in {}: {} notebooks, {} exercises, {} files in one commit; none of {} reference answers, hidden-check lines and answer-list entries is in it\npush it to your classroom organisation, e.g. git -C {} remote add origin URL && git -C {} push -u origin main",
                made.dir.display(),
                made.notebooks,
                made.exercises,
                made.files,
                made.secrets_checked,
                made.dir.display(),
                made.dir.display()
            );
        }
        ["submit", name] => {
            let out = option(&args, "--out").map_or(course.root.join("submissions"), Into::into);
            let made = course::class::submit(&course, name, &out)?;
            println!(
                "{}: {} notebooks, outputs stripped; hand this file in",
                made.archive.display(),
                made.notebooks
            );
        }
        ["grade", submissions] => {
            let out = option(&args, "--out").map_or(course.target_dir().join("gradebook"), Into::into);
            let jobs = match option(&args, "--jobs") {
                Some(n) => n.parse().map_err(|_| anyhow::anyhow!("--jobs={n}: a number, please"))?,
                None => std::thread::available_parallelism().map_or(1, |n| n.get()),
            };
            if args.iter().any(|a| a == "--unconfined") {
                std::env::set_var(course::class::ALLOW_UNCONFINED_ENV, "1");
            }
            if let Some(seconds) = option(&args, "--build-limit") {
                seconds
                    .parse::<u64>()
                    .map_err(|_| anyhow::anyhow!("--build-limit={seconds}: seconds, please"))?;
                std::env::set_var(course::BUILD_LIMIT_ENV, seconds);
            }
            keep_roster(&args, &out)?;
            let program = std::env::current_exe()?;
            course.grade_class(
                std::path::Path::new(submissions),
                &assigned(&course, &args)?,
                &out,
                jobs,
                &program,
                &mut std::io::stdout(),
            )?;
        }
        ["units", submissions] => {
            let out: std::path::PathBuf =
                option(&args, "--out").map_or(course.target_dir().join("gradebook"), Into::into);
            let (units, notes) = course.class_units(
                std::path::Path::new(submissions),
                &assigned(&course, &args)?,
                &out,
            )?;
            for note in notes {
                eprintln!("note: {note}");
            }
            let table = out.join("units.tsv");
            std::fs::create_dir_all(&out)?;
            keep_roster(&args, &out)?;
            let lines: Vec<String> = units.iter().map(|u| u.tsv_line()).collect();
            std::fs::write(&table, lines.join("\n") + "\n")?;
            println!("{} units: {}", units.len(), table.display());
            println!(
                "run them, e.g. on hosts a and b with this course at the same path:\n  \
                 parallel --colsep '\\t' -S 2/a,2/b --workdir {root} -a {table} \\\n    \
                 target/debug/notebook grade-unit {{2}} {{1}} {{4}} {{3}}\n\
                 then: cargo run --bin notebook -- gradebook {out}",
                root = course.root.display(),
                table = table.display(),
                out = out.display()
            );
        }
        ["grade-unit", stem, student, result] | ["grade-unit", stem, student, result, _] => {
            let file = positional.get(4).filter(|f| !f.is_empty()).map(std::path::Path::new);
            let class_dir = option(&args, "--class")
                .map_or(course.target_dir().join("class-scratch"), Into::into);
            let graded = course::class::grade_unit(&course, &class_dir, student, stem, file)?;
            graded.write(std::path::Path::new(result))?;
            let earned: u32 = graded.exercises.iter().map(|e| e.points).sum();
            let max: u32 = graded.exercises.iter().map(|e| e.max).sum();
            println!("{student} {stem}: {earned}/{max} points in {:.0} s", graded.seconds);
        }
        ["gradebook", out] => {
            let book = course::class::Gradebook::collect(std::path::Path::new(out))?;
            let csv = book.write(std::path::Path::new(out))?;
            println!("{}\ngradebook: {}", book.summary(), csv.display());
        }
        ["class", students, out] => {
            let students: usize = students
                .parse()
                .map_err(|_| anyhow::anyhow!("class N DIR: N is a number of students"))?;
            let seed = option(&args, "--seed").map_or(Ok(1), |s| s.parse())?;
            let mut stems = assigned(&course, &args)?;
            if stems.is_empty() {
                stems = course.notebook_stems()?;
            }
            let out = std::path::Path::new(out);
            let submissions = out.join("submissions");
            let _ = std::fs::remove_dir_all(&submissions);
            let expected =
                course::class::synthetic_class(&course, students, seed, &stems, &submissions)?;
            let json: Vec<serde_json::Value> = expected.iter().map(|e| e.to_json()).collect();
            std::fs::write(out.join("expected.json"), serde_json::to_string_pretty(&json)?)?;
            println!(
                "{students} students, {} exercise cells: {}\nthe verdict each must get: {}",
                expected.len(),
                submissions.display(),
                out.join("expected.json").display()
            );
        }
        ["class-verify", dir, graded] => {
            let text = std::fs::read_to_string(std::path::Path::new(dir).join("expected.json"))?;
            let json: Vec<serde_json::Value> = serde_json::from_str(&text)?;
            let expected: Vec<course::class::Expected> = json
                .iter()
                .map(course::class::Expected::from_json)
                .collect::<Option<_>>()
                .ok_or_else(|| anyhow::anyhow!("{dir}/expected.json is not what `class` writes"))?;
            let book = course::class::Gradebook::collect(std::path::Path::new(graded))?;
            let wrong = course::class::disagreements(&book, &expected);
            if !wrong.is_empty() {
                bail!("{} verdict(s) wrong:\n{}", wrong.len(), wrong.join("\n"));
            }
            println!("all {} verdicts as expected", expected.len());
        }
        ["watch"] => watch(&course)?,
        ["hint", id] => {
            let mut known = Vec::new();
            for path in course.notebooks()? {
                let lecture = course.load(&path)?;
                if let Some(solution) = lecture.solutions.get(*id) {
                    println!(
                        "Hint for exercise {id} ({}, cell {}):\n\n{}",
                        lecture.name(),
                        lecture.exercise_cell_number(id)?,
                        wrap(
                            solution.hint.as_deref().unwrap_or("(no hint for this exercise)"),
                            96
                        )
                    );
                    return Ok(());
                }
                known.extend(lecture.exercise_ids());
            }
            bail!("no exercise {id}; the exercises are {}", known.join(", "));
        }
        ["restore", name] => {
            let lecture = course.load(&course.find(name)?)?;
            let restored = course.restore(&lecture)?;
            if let Some(backup) = &restored.backup {
                println!("your copy as it was: {}", backup.display());
            }
            println!(
                "{}: the course's cells are back; your answers kept: {}",
                restored.path.display(),
                if restored.kept.is_empty() {
                    "none".to_string()
                } else {
                    restored.kept.join(", ")
                }
            );
        }
        _ => bail!(
            "usage: notebook run|emit|solve|execute|restore NAME [--student], notebook hint ID, notebook status, \
             notebook grade SUBMISSIONS [--out=DIR] [--jobs=N] (more in the source's header)"
        ),
    }
    Ok(())
}

/// Commands that need the reference answers or grade a class: the instructor's.
const INSTRUCTORS: &[&str] = &[
    "solve",
    "grade",
    "units",
    "grade-unit",
    "gradebook",
    "class",
    "class-verify",
    "release",
];

/// With `--roster=CSV`: checks the roster and keeps a copy in the output folder, where the
/// gradebook finds it (also a later `gradebook DIR`).
fn keep_roster(args: &[String], out: &std::path::Path) -> Result<()> {
    let kept = out.join(course::class::ROSTER_FILE);
    match option(args, "--roster") {
        Some(roster) => {
            let path = std::path::Path::new(roster);
            course::class::Roster::read(path)?;
            std::fs::create_dir_all(out)?;
            std::fs::copy(path, kept)?;
        }
        // An earlier grading's roster must not name this one's students.
        None => {
            let _ = std::fs::remove_file(kept);
        }
    }
    Ok(())
}

/// The value of `--name=value` among `args`.
fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .find_map(|a| a.strip_prefix(name)?.strip_prefix('='))
}

/// The notebooks named by `--notebooks=01,04` (stems); empty when not given (all of them).
fn assigned(course: &Course, args: &[String]) -> Result<Vec<String>> {
    option(args, "--notebooks").map_or(Ok(Vec::new()), |list| {
        list.split(',')
            .map(|n| course.find(n).map(|p| stem_of(&p)))
            .collect()
    })
}

fn stem_of(path: &std::path::Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn refuse_blanks(lecture: &course::Lecture) -> Result<()> {
    for id in lecture.exercise_ids() {
        if let ExerciseState::Missing(why) = lecture.state(&id) {
            bail!("exercise {id}: {why}");
        }
        if let ExerciseState::Blank(blanks) = lecture.state(&id) {
            bail!(
                "{} exercise {id} (cell {}) still has {} blank(s), the first at line {}: fill it in first",
                lecture.name(),
                lecture.exercise_cell_number(&id)?,
                blanks.len(),
                blanks[0].line
            );
        }
    }
    Ok(())
}

/// Each exercise as done, failing, blank or not graded yet, from the grader's stored results
/// (what the last `cargo test` found for the answer as it is now), and a bar.
fn status(course: Course) -> Result<()> {
    let mut progress = course::Progress::default();
    for (lecture, grades) in course.stored_grades()? {
        println!("{}", lecture.name());
        for (id, grade) in grades {
            let cell = lecture.exercise_cell_number(&id)?;
            progress.count(&grade);
            let (word, detail) = match grade {
                Some(Grade::Graded(Verdict::Passed, _)) => ("done", String::new()),
                Some(Grade::Graded(verdict, _)) => {
                    let message = verdict.message("", cell);
                    let first = message.lines().next().unwrap_or("").trim_start();
                    let own_cell = format!("(cell {cell}): ");
                    ("failing", first.trim_start_matches(&own_cell).to_string())
                }
                Some(Grade::Blank(why)) => ("blank", why),
                None => (
                    "filled in",
                    "not graded yet: run `./course.sh check`".to_string(),
                ),
            };
            println!("  {id:<5} cell {cell:<3} {word:<9} {detail}");
        }
    }
    println!("{}", progress.bar());
    if progress.failing > 0 {
        println!("stuck? `./course.sh hint ID` gives a hint for exercise ID");
    }
    Ok(())
}

/// Watch mode on this terminal: keys are read one at a time (no Enter needed) while it runs.
fn watch(course: &Course) -> Result<()> {
    let (tx, rx) = std::sync::mpsc::channel();
    let _raw = Keys::one_at_a_time();
    std::thread::spawn(move || {
        use std::io::Read;
        for byte in std::io::BufReader::new(std::io::stdin()).bytes() {
            let key = match byte {
                Ok(b'h' | b'H') => WatchKey::Hint,
                Ok(b'q' | b'Q') | Err(_) => WatchKey::Quit,
                Ok(_) => continue,
            };
            if tx.send(key).is_err() {
                break;
            }
        }
        // End of input: keep watching until interrupted.
        std::mem::forget(tx);
    });
    course.watch(&mut std::io::stdout(), &rx)
}

/// The terminal's line editing and echo turned off while watching, and back on at the end, also
/// when Ctrl-C ends the program.
struct Keys;

static SAVED: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();

impl Keys {
    fn one_at_a_time() -> Option<Keys> {
        // SAFETY: termios calls on standard input with a zeroed struct that tcgetattr fills.
        unsafe {
            if libc::isatty(0) != 1 {
                return None;
            }
            let mut term: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut term) != 0 {
                return None;
            }
            let _ = SAVED.set(term);
            term.c_lflag &= !(libc::ICANON | libc::ECHO);
            libc::tcsetattr(0, libc::TCSANOW, &term);
            libc::signal(
                libc::SIGINT,
                restore_and_exit as *const () as libc::sighandler_t,
            );
        }
        Some(Keys)
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        if let Some(term) = SAVED.get() {
            // SAFETY: restores the settings read at the start.
            unsafe { libc::tcsetattr(0, libc::TCSANOW, term) };
        }
    }
}

extern "C" fn restore_and_exit(_: libc::c_int) {
    if let Some(term) = SAVED.get() {
        // SAFETY: tcsetattr and _exit are async-signal-safe.
        unsafe { libc::tcsetattr(0, libc::TCSANOW, term) };
    }
    unsafe { libc::_exit(130) };
}
