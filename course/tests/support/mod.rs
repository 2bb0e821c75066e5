//! What the grader's and the sandbox's tests share: a student's copy of notebook 04 with one
//! answer to exercise 4.1 (naive Fibonacci: quick to build and run), graded.
#![allow(dead_code)]

use course::{source_text_of, Course, Grade, Verdict};
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

pub const NOTEBOOK: &str = "04_recursion_dp.ipynb";
pub const EXERCISE: &str = "4.1";
pub const HEADER: &str = "// Exercise 4.1: naive Fibonacci, straight from the definition: fib(1) = fib(2) = 1 and\n// fib(n) = fib(n - 1) + fib(n - 2).\n";

/// A student folder named `case` holding notebook 04 with `edit` applied to its cells.
pub fn student(case: &str, edit: impl FnOnce(&mut Vec<Value>)) -> Course {
    let mut course = Course::here();
    let dir = course
        .target_dir()
        .join("grader-tests")
        .join(format!("case_{case}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(course.course_notebooks_dir().join(NOTEBOOK)).unwrap();
    let mut json: Value = serde_json::from_str(&text).unwrap();
    edit(json["cells"].as_array_mut().unwrap());
    std::fs::write(dir.join(NOTEBOOK), serde_json::to_string(&json).unwrap()).unwrap();
    course.student_dir = dir;
    course.time_limit = Some(Duration::from_secs(60));
    course
}

/// The index of the cell that starts with `prefix`.
pub fn cell(cells: &[Value], prefix: &str) -> usize {
    cells
        .iter()
        .position(|c| source(c).starts_with(prefix))
        .unwrap_or_else(|| panic!("no cell starts with {prefix:?}"))
}

pub fn source(cell: &Value) -> String {
    source_text_of(&cell["source"])
}

/// The student's copy with the exercise cell's body replaced by `answer`.
pub fn answered(case: &str, answer: &str) -> Course {
    let answer = format!("{HEADER}{answer}");
    student(case, move |cells| {
        let k = cell(cells, "// Exercise 4.1");
        cells[k]["source"] = Value::String(answer);
    })
}

pub fn grade(course: &Course) -> (Verdict, Option<PathBuf>) {
    let path = course.course_notebooks_dir().join(NOTEBOOK);
    let lecture = course.load(&path).unwrap();
    match course.grade(&lecture, EXERCISE).unwrap() {
        Grade::Graded(verdict, run) => (verdict, run.map(|r| r.log)),
        Grade::Blank(why) => panic!("graded as blank: {why}"),
    }
}

pub const RIGHT: &str = "fn fib(n: u64) -> u64 {\n    if n <= 2 {\n        1\n    } else {\n        fib(n - 1) + fib(n - 2)\n    }\n}";
pub const WRONG: &str = "fn fib(n: u64) -> u64 {\n    if n <= 2 {\n        1\n    } else {\n        fib(n - 1) + fib(n - 1)\n    }\n}";
