//! Watch mode on a student folder of its own: a half-written save is waited out, a right answer
//! passes, a wrong one fails with the grader's message, `h` shows the hint, `q` stops it, and
//! nothing is written into the student's folder.
use course::{Course, WatchKey};
use serde_json::Value;
use std::io::Write;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const NOTEBOOK: &str = "04_recursion_dp.ipynb";

/// What watch mode wrote, shared with the test.
#[derive(Clone, Default)]
struct Screen(Arc<Mutex<Vec<u8>>>);

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Screen {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Waits until the screen shows `what` after byte `from`; returns where it ends.
    fn wait_for(&self, what: &str, from: usize) -> usize {
        let started = Instant::now();
        loop {
            let text = self.text();
            if let Some(at) = text[from.min(text.len())..].find(what) {
                return from + at + what.len();
            }
            assert!(
                started.elapsed() < Duration::from_secs(300),
                "watch mode never showed {what:?}; it showed:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Notebook 04 with exercise 4.1's body replaced by `answer`, saved the way JupyterLab saves:
/// a temporary file beside it, then renamed over it.
fn save(course: &Course, answer: &str) {
    let text = std::fs::read_to_string(course.course_notebooks_dir().join(NOTEBOOK)).unwrap();
    let mut json: Value = serde_json::from_str(&text).unwrap();
    for cell in json["cells"].as_array_mut().unwrap() {
        let source = course::source_text_of(&cell["source"]);
        if source.starts_with("// Exercise 4.1") {
            let header: String = source.lines().take(2).map(|l| format!("{l}\n")).collect();
            cell["source"] = Value::String(format!("{header}{answer}"));
        }
    }
    let path = course.student_dir.join(NOTEBOOK);
    let tmp = course.student_dir.join(format!(".~{NOTEBOOK}"));
    std::fs::write(&tmp, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

#[test]
fn watch_grades_each_save_waits_out_half_written_ones_and_shows_hints() {
    let mut course = Course::here();
    let dir = course.target_dir().join("grader-tests/watch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    course.student_dir = dir.clone();
    course.time_limit = Some(Duration::from_secs(60));
    let mut shipped = Vec::new();
    for path in course.notebooks().unwrap() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::copy(&path, dir.join(&name)).unwrap();
        shipped.push(name);
    }

    // The course's count, from its notebooks: the progress line states it.
    let n: usize = course
        .notebooks()
        .unwrap()
        .iter()
        .map(|path| course.load(path).unwrap().exercise_ids().len())
        .sum();
    assert!(n > 20, "only {n} exercises");

    let screen = Screen::default();
    let (keys, rx) = mpsc::channel();
    let watcher = {
        let (course, mut screen) = (course.clone(), screen.clone());
        std::thread::spawn(move || course.watch(&mut screen, &rx))
    };
    let mut at = screen.wait_for(
        &format!("0 of {n} exercises done (0 failing, 0 not graded yet, {n} blank)"),
        0,
    );

    // Half a notebook, as an editor that writes in place leaves it for a moment.
    std::fs::write(dir.join(NOTEBOOK), "{\"cells\": [{\"cell_type\": \"co").unwrap();
    at = screen.wait_for("not a whole notebook yet", at);

    let right = "fn fib(n: u64) -> u64 {\n    if n < 3 { 1 } else { fib(n - 2) + fib(n - 1) }\n}";
    save(&course, right);
    at = screen.wait_for("PASS  exercise 4.1", at);
    at = screen.wait_for(
        &format!(
            "1 of {n} exercises done (0 failing, 0 not graded yet, {} blank)",
            n - 1
        ),
        at,
    );

    let wrong = "fn fib(n: u64) -> u64 {\n    if n < 3 { 1 } else { fib(n - 1) + fib(n - 1) }\n}";
    save(&course, wrong);
    at = screen.wait_for("FAIL  exercise 4.1", at);
    at = screen.wait_for("fib(10) = 256, expected 55", at);
    at = screen.wait_for(
        &format!(
            "0 of {n} exercises done (1 failing, 0 not graded yet, {} blank)",
            n - 1
        ),
        at,
    );

    keys.send(WatchKey::Hint).unwrap();
    screen.wait_for("hint for exercise 4.1:", at);
    keys.send(WatchKey::Quit).unwrap();
    watcher.join().unwrap().unwrap();

    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    shipped.sort();
    assert_eq!(
        left, shipped,
        "watch mode wrote nothing into the student's folder"
    );
}
