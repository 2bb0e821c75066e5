//! Generated wrong answers (mutants): each reference answer edited by span (see
//! [`operators`]), graded the ordinary way (the course's cells around it, the hidden checks,
//! the sandbox, the cache), and sorted into caught, missed, unviable, timeout and crashed. A
//! missed mutant means the check is too weak, unless `answers.json` lists it as equivalent,
//! with the reason it is right.

mod grade;
mod operators;
mod report;

pub use grade::{grade, grade_all, Graded, Outcome};
pub use report::{summary, Entry, Report, REPORT_FILE};

use crate::course::Course;
use crate::lecture::Lecture;
use crate::notebook::CellKind;
use crate::solutions::{OtherAnswers, Solution, ANSWER_CLOSE, ANSWER_OPEN};
use crate::syntax::{Names, Number};
use anyhow::{bail, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A wrong answer made from the reference: one place of the exercise edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutant {
    /// The exercise.
    pub exercise: String,
    /// Which `⟦…⟧` place, from 0.
    pub place: usize,
    /// The operator that made it, in words.
    pub operator: String,
    /// Every place's answer: the reference's, one of them edited.
    pub answers: Vec<String>,
    /// Every place's reference answer.
    pub references: Vec<String>,
    /// Why it is right after all, when `answers.json` lists it as equivalent.
    pub equivalent: Option<String>,
}

impl Mutant {
    /// The edit in one line: `3.6 place 2: `y` → `test_y` (a name swapped)`.
    pub fn describe(&self) -> String {
        let changed: Vec<String> = self
            .references
            .iter()
            .zip(&self.answers)
            .enumerate()
            .filter(|(_, (r, a))| r != a)
            .map(|(k, (r, a))| format!("place {}: `{r}` → `{a}`", k + 1))
            .collect();
        format!(
            "{} {} ({})",
            self.exercise,
            changed.join(", "),
            self.operator
        )
    }

    /// The answer at the edited place, and at the other when two places were swapped: what
    /// tells this mutant from the others of its exercise.
    pub fn edited(&self) -> String {
        self.changed(|_, a| a)
    }

    /// The reference's answers where this mutant differs.
    pub fn replaced(&self) -> String {
        self.changed(|r, _| r)
    }

    fn changed<'a>(&'a self, pick: impl Fn(&'a str, &'a str) -> &'a str) -> String {
        let changed: Vec<&str> = self
            .references
            .iter()
            .zip(&self.answers)
            .filter(|(r, a)| r != a)
            .map(|(r, a)| pick(r, a))
            .collect();
        changed.join(" | ")
    }
}

/// The mutants of the course's exercises `ids` (all of them when empty), each with its course
/// notebook, in the course's order.
pub fn course_mutants(course: &Course, ids: &[String]) -> Result<Vec<(PathBuf, Mutant)>> {
    let lists = course.other_answers()?;
    let mut mutants = Vec::new();
    let mut found = Vec::new();
    for notebook in course.notebooks()? {
        let lecture = course.load(&notebook)?;
        for id in lecture.exercise_ids() {
            if !ids.is_empty() && !ids.contains(&id) {
                continue;
            }
            let own = lists.get(&id).cloned().unwrap_or_default();
            for mutant in mutants_of(&lecture, &id, &own) {
                mutants.push((notebook.clone(), mutant));
            }
            found.push(id);
        }
    }
    if let Some(unknown) = ids.iter().find(|id| !found.contains(id)) {
        bail!(
            "no exercise {unknown} in the course (exercises: {})",
            found.join(", ")
        );
    }
    Ok(mutants)
}

/// Answers compared the way the lists compare them: without white space.
fn compact(answer: &str) -> String {
    answer.split_whitespace().collect()
}

/// Every mutant of exercise `id`, in a stable order: each place, each edit, without duplicates,
/// without the reference and without answers the lists already hold (an equivalent one is kept,
/// marked: it must pass).
pub fn mutants_of(lecture: &Lecture, id: &str, lists: &OtherAnswers) -> Vec<Mutant> {
    let Some(solution) = lecture.solutions.get(id) else {
        return Vec::new();
    };
    let places = places(solution);
    let reference: Vec<String> = places.iter().map(|(a, _)| a.clone()).collect();
    let listed: BTreeSet<Vec<String>> = lists
        .right
        .iter()
        .chain(lists.wrong.iter().map(|(a, _)| a))
        .map(|answers| answers.iter().map(|a| compact(a)).collect())
        .collect();
    let (in_scope, mut numbers) = names_before(lecture, id);
    let solved = solution.solved();
    let own = Names::of_or_none(&solved);
    numbers.extend(own.numbers.clone());
    let mut candidates = Vec::new();
    for (place, (answer, at)) in places.iter().enumerate() {
        let mut names = in_scope.clone();
        let bound_before = own.bindings.iter().filter(|b| b.at < *at);
        names.extend(bound_before.map(|b| b.name.clone()));
        let parameters = own.parameters.iter().filter(|(_, p)| p < at);
        names.extend(parameters.map(|(n, _)| n.clone()));
        let scope = operators::Scope {
            names: names.into_iter().collect(),
            numbers: numbers.clone(),
        };
        for edit in operators::edits(answer, &scope) {
            let mutated = format!(
                "{}{}{}",
                &answer[..edit.range.start],
                edit.to,
                &answer[edit.range.end..]
            );
            let mut answers = reference.clone();
            answers[place] = mutated;
            candidates.push((place, edit.operator, answers));
        }
    }
    // Two blanks' answers in each other's places (`train_y` fed as x and `train_x` as y).
    for i in 0..places.len() {
        for j in i + 1..places.len() {
            let mut answers = reference.clone();
            answers.swap(i, j);
            candidates.push((i, "two places' answers swapped", answers));
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (place, operator, answers) in candidates {
        {
            let key: Vec<String> = answers.iter().map(|a| compact(a)).collect();
            if key == reference.iter().map(|a| compact(a)).collect::<Vec<_>>()
                || listed.contains(&key)
                || !seen.insert(key.clone())
            {
                continue;
            }
            let equivalent = lists
                .equivalent
                .iter()
                .find(|(a, _)| a.iter().map(|a| compact(a)).collect::<Vec<_>>() == key)
                .map(|(_, why)| why.clone());
            out.push(Mutant {
                exercise: id.to_string(),
                place,
                operator: operator.to_string(),
                references: reference.clone(),
                answers,
                equivalent,
            });
        }
    }
    out
}

/// Each `⟦…⟧` place of a solution: its answer, and where it starts in the solved cell.
fn places(solution: &Solution) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut solved_len = 0;
    let mut rest = solution.marked.as_str();
    while let Some((before, after)) = rest.split_once(ANSWER_OPEN) {
        let Some((answer, after)) = after.split_once(ANSWER_CLOSE) else {
            break;
        };
        solved_len += before.len();
        out.push((answer.to_string(), solved_len));
        solved_len += answer.len();
        rest = after;
    }
    out
}

/// The names bound at the top of the course's cells before exercise `id`, and by the reference
/// answers of the exercises before it: what the exercise's cell can name.
fn names_before(lecture: &Lecture, id: &str) -> (BTreeSet<String>, BTreeMap<String, Number>) {
    let mut names = BTreeSet::new();
    let mut numbers = BTreeMap::new();
    for cell in &lecture.notebook.cells {
        if cell.kind != CellKind::Code {
            continue;
        }
        let source = match cell.exercise_id() {
            Some(other) if other == id => break,
            Some(other) => match lecture.solutions.get(other) {
                Some(solution) => solution.solved(),
                None => continue,
            },
            None => cell.source.clone(),
        };
        let read = Names::of_or_none(&source);
        names.extend(read.top_level());
        numbers.extend(read.numbers);
    }
    (names, numbers)
}
