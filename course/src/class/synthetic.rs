//! A class made up from the reference answers, to test the class grader on: each student's
//! exercise cells are the reference answer changed one way or another (left blank, written
//! differently, wrong, not compiling, panicking, endless, exiting early, writing files, with the
//! check cell edited), some notebooks are missing or not JSON, some saved with outputs and a
//! moved cell, and the last student copies another. With every submission goes the verdict it
//! must get.

use super::Gradebook;
use crate::course::Course;
use crate::notebook::source_text_of;
use crate::solutions::OtherAnswers;
use anyhow::{Context, Result};
use serde_json::{json, Value};
use std::path::Path;

/// How a synthetic student's exercise cell differs from the reference answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutation {
    /// Left as shipped, with its blanks.
    Blank,
    /// The reference answer.
    Right,
    /// A right answer written differently (from `answers.json`, else the reference with
    /// comments of the student's own).
    RightWrittenDifferently,
    /// A wrong answer from `answers.json`.
    Wrong,
    /// A line that does not compile.
    CompileError,
    /// An index out of bounds before the answer.
    Panic,
    /// A loop that never ends before the answer.
    Endless,
    /// `exit(0)` before the answer (and so before the check).
    ExitEarly,
    /// The reference answer after code that writes and deletes files where the course's
    /// notebooks would be.
    TouchesFiles,
    /// A wrong answer, and the check cell edited to print a PASS line instead of checking.
    EditedCheck,
}

/// Every mutation, each used at least once in a class with enough exercise cells.
pub const MUTATIONS: [Mutation; 10] = [
    Mutation::Blank,
    Mutation::Right,
    Mutation::RightWrittenDifferently,
    Mutation::Wrong,
    Mutation::CompileError,
    Mutation::Panic,
    Mutation::Endless,
    Mutation::ExitEarly,
    Mutation::TouchesFiles,
    Mutation::EditedCheck,
];

/// How often each mutation is drawn after the first of each (out of 100): mostly right, as a
/// class is.
const WEIGHTS: [u32; 10] = [8, 45, 15, 12, 6, 4, 2, 3, 3, 2];

/// The verdict one synthetic exercise must get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// The student.
    pub student: String,
    /// The course notebook's stem.
    pub notebook: String,
    /// The exercise.
    pub id: String,
    /// What was done to it (`None`: the whole notebook is missing or unreadable).
    pub mutation: Option<Mutation>,
    /// The verdict word it must get; `None` for any failure (a wrong answer fails as its check
    /// or the error it causes decides).
    pub verdict: Option<&'static str>,
    /// What its message must contain, when that is known.
    pub says: Option<String>,
    /// Whether the unit must report changed locked cells.
    pub locked_cells_changed: bool,
}

/// splitmix64: a small seeded generator, so that a class is the same for the same seed.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Writes `students` synthetic submissions for the course notebooks `stems` into
/// `out/<student>/<notebook>.ipynb`, and returns the verdict every exercise must get.
pub fn synthetic_class(
    course: &Course,
    students: usize,
    seed: u64,
    stems: &[String],
    out: &Path,
) -> Result<Vec<Expected>> {
    let mut draw = Draw(seed);
    let others = course.other_answers()?;
    let mut lectures = Vec::new();
    for stem in stems {
        lectures.push(course.load(&course.find(stem)?)?);
    }
    // Every exercise slot of the class: (student, notebook index, exercise id).
    let mut slots = Vec::new();
    for s in 0..students {
        for (n, lecture) in lectures.iter().enumerate() {
            for id in lecture.exercise_ids() {
                slots.push((s, n, id));
            }
        }
    }
    let wrong_known = |id: &str| others.get(id).is_some_and(|o| !o.wrong.is_empty());
    // Each mutation once first, on the first slot that can take it; then drawn by weight.
    let mut chosen: Vec<Option<Mutation>> = vec![None; slots.len()];
    for mutation in MUTATIONS {
        let needs_wrong = matches!(mutation, Mutation::Wrong | Mutation::EditedCheck);
        if let Some(k) = (0..slots.len())
            .find(|&k| chosen[k].is_none() && (!needs_wrong || wrong_known(&slots[k].2)))
        {
            chosen[k] = Some(mutation);
        }
    }
    for (k, slot) in chosen.iter_mut().enumerate() {
        while slot.is_none() {
            let mut pick = draw.below(100) as u32;
            let mutation = MUTATIONS
                .iter()
                .zip(WEIGHTS)
                .find(|(_, w)| {
                    let hit = pick < *w;
                    pick = pick.saturating_sub(*w);
                    hit
                })
                .map_or(Mutation::Right, |(m, _)| *m);
            let needs_wrong = matches!(mutation, Mutation::Wrong | Mutation::EditedCheck);
            if !needs_wrong || wrong_known(&slots[k].2) {
                *slot = Some(mutation);
            }
        }
    }
    let name = |s: usize| format!("student-{:02}", s + 1);
    let mut expected = Vec::new();
    for s in 0..students {
        // The last student of a class of four or more hands in a copy of the first one's work.
        let copy_of = (students >= 4 && s == students - 1).then_some(0);
        let source = copy_of.unwrap_or(s);
        for (n, lecture) in lectures.iter().enumerate() {
            let stem = lecture.notebook.stem();
            let file = out.join(name(s)).join(format!("{stem}.ipynb"));
            std::fs::create_dir_all(file.parent().expect("a folder"))?;
            // Notebook-wide trouble, for the second and third students (never on a copied one).
            let missing = source == 2 && n == 0 && lectures.len() > 1;
            let not_json = source == 2 && n == lectures.len() - 1;
            let decorated =
                source == 1 || (source >= 4 && draw_for(seed, source, n).is_multiple_of(5));
            let mut json: Value = serde_json::from_str(
                &std::fs::read_to_string(&lecture.notebook.path)
                    .with_context(|| format!("cannot read {}", lecture.notebook.path.display()))?,
            )?;
            let mut check_edited = false;
            for (k, (student, notebook, id)) in slots.iter().enumerate() {
                if *student != source || *notebook != n {
                    continue;
                }
                let mutation = chosen[k].expect("every slot chosen");
                let solution = lecture.solution(id)?;
                let other = others.get(id).cloned().unwrap_or_default();
                let pick = draw_for(seed, source, k);
                let (cell, verdict, says) = mutate(solution, &other, mutation, pick, &stem)?;
                set_cell(&mut json, &format!("// Exercise {id}:"), &cell);
                if mutation == Mutation::EditedCheck {
                    let forged =
                        format!("// Check {id}\nprintln!(\"PASS  Exercise {id}: checked by me\");");
                    set_cell(&mut json, &format!("// Check {id}"), &forged);
                    check_edited = true;
                }
                let unreadable = missing || not_json;
                expected.push(Expected {
                    student: name(s),
                    notebook: stem.clone(),
                    id: id.clone(),
                    mutation: (!unreadable).then_some(mutation),
                    verdict: if unreadable { Some("missing") } else { verdict },
                    says: if unreadable { None } else { says },
                    locked_cells_changed: false,
                });
            }
            if decorated {
                decorate(&mut json);
            }
            let changed = check_edited || decorated;
            for e in expected
                .iter_mut()
                .filter(|e| e.student == name(s) && e.notebook == stem)
            {
                e.locked_cells_changed = changed && !(missing || not_json);
            }
            if missing {
                let _ = std::fs::remove_file(&file);
                continue;
            }
            let text = serde_json::to_string_pretty(&json)?;
            let text = if not_json {
                // Cut off mid-save.
                text[..text.len() / 2].to_string()
            } else {
                text
            };
            std::fs::write(&file, text)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
    }
    Ok(expected)
}

/// A number drawn for student `s` and slot `k`, the same for the same seed.
fn draw_for(seed: u64, s: usize, k: usize) -> u64 {
    Draw(seed ^ ((s as u64) << 32) ^ k as u64).next()
}

/// The exercise cell for `mutation`, the verdict word it must get (`None`: any failure), and
/// what its message must say.
fn mutate(
    solution: &crate::solutions::Solution,
    other: &OtherAnswers,
    mutation: Mutation,
    pick: u64,
    stem: &str,
) -> Result<(String, Option<&'static str>, Option<String>)> {
    let solved = solution.solved();
    // Code put right after the cell's header line, before the answer.
    let before = |code: &str| -> String {
        let (header, rest) = solved.split_once('\n').unwrap_or((&solved, ""));
        format!("{header}\n{code}\n{rest}")
    };
    let wrong = || -> Result<(String, String)> {
        let (answers, says) = &other.wrong[pick as usize % other.wrong.len()];
        Ok((solution.with_answers(answers)?, says.clone()))
    };
    Ok(match mutation {
        Mutation::Blank => (solution.template(), Some("blank"), None),
        Mutation::Right => (solved, Some("passed"), None),
        Mutation::RightWrittenDifferently => {
            let cell = if other.right.is_empty() {
                before("// my own notes: worked this out on paper first")
            } else {
                let answers = &other.right[pick as usize % other.right.len()];
                solution.with_answers(answers)?
            };
            (cell, Some("passed"), None)
        }
        Mutation::Wrong | Mutation::EditedCheck => {
            let (cell, says) = wrong()?;
            (cell, None, Some(says))
        }
        Mutation::CompileError => (
            before("let steps: u32 = \"seven\";"),
            Some("did not compile"),
            Some("mismatched types".into()),
        ),
        Mutation::Panic => (
            before("let empty: Vec<f64> = Vec::new();\nlet first = empty[0];\nprintln!(\"{first}\");"),
            Some("stopped"),
            Some("index out of bounds".into()),
        ),
        Mutation::Endless => (
            before("while std::hint::black_box(true) {}"),
            Some("timed out"),
            Some("did not finish".into()),
        ),
        Mutation::ExitEarly => (
            before("println!(\"PASS  all of it\");\nif std::hint::black_box(true) { std::process::exit(0); }"),
            Some("exited before check"),
            Some("exited before its check ran".into()),
        ),
        Mutation::TouchesFiles => (
            before(&format!(
                "let _ = std::fs::write(\"notebooks/{stem}.ipynb\", \"{{}}\");\n\
                 let _ = std::fs::remove_file(\"lecture/{stem}.ipynb\");\n\
                 let _ = std::fs::write(\"written-by-a-student.txt\", \"hello\");"
            )),
            Some("passed"),
            None,
        ),
    })
}

/// Replaces the source of the cell whose first line starts with `header`.
fn set_cell(json: &mut Value, header: &str, source: &str) {
    for cell in json["cells"].as_array_mut().into_iter().flatten() {
        if source_text_of(&cell["source"])
            .trim_start()
            .starts_with(header)
        {
            cell["source"] = Value::String(source.to_string());
        }
    }
}

/// What JupyterLab leaves in a notebook that was run and tidied: outputs, execution counts,
/// cell metadata (a forged PASS among the outputs), and the first markdown cell moved to the end.
fn decorate(json: &mut Value) {
    let Some(cells) = json["cells"].as_array_mut() else {
        return;
    };
    let mut count = 0;
    for cell in cells.iter_mut() {
        if cell["cell_type"] == "code" {
            count += 1;
            cell["execution_count"] = json!(count);
            cell["outputs"] = json!([{
                "output_type": "stream", "name": "stdout",
                "text": ["PASS  Exercise 9.9: (an output is never a verdict)\n"],
            }]);
            cell["metadata"] = json!({"collapsed": false, "tags": ["mine"]});
        }
    }
    if let Some(k) = cells.iter().position(|c| c["cell_type"] == "markdown") {
        let cell = cells.remove(k);
        cells.push(cell);
    }
}

impl Mutation {
    /// The mutation's name in `expected.json`.
    pub fn name(self) -> &'static str {
        match self {
            Mutation::Blank => "blank",
            Mutation::Right => "right",
            Mutation::RightWrittenDifferently => "right, written differently",
            Mutation::Wrong => "wrong",
            Mutation::CompileError => "compile error",
            Mutation::Panic => "panic",
            Mutation::Endless => "endless loop",
            Mutation::ExitEarly => "exit before the check",
            Mutation::TouchesFiles => "writes and deletes files",
            Mutation::EditedCheck => "wrong, check cell edited",
        }
    }
}

impl Expected {
    /// As JSON, for `expected.json`.
    pub fn to_json(&self) -> Value {
        json!({
            "student": self.student, "notebook": self.notebook, "id": self.id,
            "mutation": self.mutation.map(Mutation::name),
            "verdict": self.verdict, "says": self.says,
            "locked_cells_changed": self.locked_cells_changed,
        })
    }

    /// Reads what [`Expected::to_json`] wrote.
    pub fn from_json(v: &Value) -> Option<Expected> {
        let text = |k: &str| v.get(k)?.as_str().map(str::to_string);
        let verdict = match v.get("verdict")? {
            Value::Null => None,
            word => Some(VERDICTS.iter().find(|w| word == **w).copied()?),
        };
        let mutation = match v.get("mutation")? {
            Value::Null => None,
            name => Some(MUTATIONS.into_iter().find(|m| name == m.name())?),
        };
        Some(Expected {
            student: text("student")?,
            notebook: text("notebook")?,
            id: text("id")?,
            mutation,
            verdict,
            says: text("says"),
            locked_cells_changed: v.get("locked_cells_changed")?.as_bool()?,
        })
    }
}

/// The verdict words a synthetic exercise can expect.
const VERDICTS: [&str; 7] = [
    "passed",
    "blank",
    "missing",
    "did not compile",
    "stopped",
    "timed out",
    "exited before check",
];

/// Where `gradebook` disagrees with `expected`: one line per wrong verdict, wrong message,
/// missed or false locked-cell report, and a missed identical pair.
pub fn disagreements(gradebook: &Gradebook, expected: &[Expected]) -> Vec<String> {
    let mut out = Vec::new();
    for e in expected {
        let Some(unit) = gradebook
            .students
            .get(&e.student)
            .and_then(|units| units.iter().find(|u| u.notebook == e.notebook))
        else {
            out.push(format!("{} {}: no result", e.student, e.notebook));
            continue;
        };
        let Some(got) = unit.exercises.iter().find(|x| x.id == e.id) else {
            out.push(format!("{} {}: no result", e.student, e.id));
            continue;
        };
        let what = e.mutation.map_or("unreadable notebook", Mutation::name);
        let verdict_ok = match e.verdict {
            Some(want) => got.verdict == want,
            None => got.verdict != "passed" && got.verdict != "blank",
        };
        if !verdict_ok {
            out.push(format!(
                "{} exercise {} ({what}): expected {}, got {}: {}",
                e.student,
                e.id,
                e.verdict.unwrap_or("a failure"),
                got.verdict,
                got.message
            ));
        } else if let Some(says) = e.says.as_deref().filter(|s| !got.message.contains(s)) {
            out.push(format!(
                "{} exercise {} ({what}): the message does not say {says:?}: {}",
                e.student, e.id, got.message
            ));
        }
        let points_ok =
            (got.verdict == "passed") == (got.points == got.max) && got.points <= got.max;
        if !points_ok {
            out.push(format!(
                "{} exercise {}: {} points for {}",
                e.student, e.id, got.points, got.verdict
            ));
        }
        let reported = !unit.changed_locked_cells.is_empty();
        if e.locked_cells_changed != reported {
            out.push(format!(
                "{} {}: locked cells changed: expected {}, reported {:?}",
                e.student, e.notebook, e.locked_cells_changed, unit.changed_locked_cells
            ));
        }
    }
    out.sort();
    out.dedup();
    let students: Vec<&String> = gradebook.students.keys().collect();
    if students.len() >= 4 {
        let (first, last) = (students[0].clone(), students[students.len() - 1].clone());
        if !gradebook
            .identical_pairs()
            .contains(&(first.clone(), last.clone()))
        {
            out.push(format!(
                "{first} and {last} hand in the same work, but they are not flagged"
            ));
        }
    }
    out
}
