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
//! ```
//! NAME is a notebook's number (`02`), stem or path. Reference solutions fill the exercises
//! unless `--student` is given. Only `restore` writes into `notebooks/` (after a backup under
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
            "usage: notebook run|emit|solve|execute|restore NAME [--student], notebook hint ID, or notebook status"
        ),
    }
    Ok(())
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
                None => ("filled in", "not graded yet: run `cargo test`".to_string()),
            };
            println!("  {id:<5} cell {cell:<3} {word:<9} {detail}");
        }
    }
    println!("{}", progress.bar());
    if progress.failing > 0 {
        println!("stuck? `cargo run --bin notebook -- hint ID` gives a hint for exercise ID");
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
