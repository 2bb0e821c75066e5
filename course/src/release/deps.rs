//! Which earlier exercises an exercise needs, worked out from the reference answers when a
//! release is made. In a student's release every exercise runs with the student's own earlier
//! answers: one whose earlier exercise is still blank waits for it, and a blank exercise's cell
//! is left out together with every cell that uses what it binds.

use crate::guard::{item_names, macro_names, top_level_names, used_names};
use crate::lecture::Lecture;
use crate::notebook::CellKind;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};

/// What each exercise of one notebook binds for later cells, and who uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// For each exercise, the earlier exercises it needs, each with the names of theirs that
    /// the cells up to its check use.
    pub needs: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// For each exercise, the cells after it (the course's numbering) that use what it binds,
    /// directly or through what those cells bind in turn: what cannot run while it is blank.
    pub reaches: BTreeMap<String, Vec<usize>>,
}

/// What a cell binds where later cells see it, items at any depth included (a module's items
/// reach later cells through `use m::*`).
fn binds(src: &str) -> BTreeSet<String> {
    names(top_level_names(src).into_iter().chain(item_names(src)))
}

fn uses(src: &str) -> BTreeSet<String> {
    names(used_names(src).into_iter().chain(macro_names(src)))
}

/// Keywords that the guard's scan takes for names where they stand (`let mut x`) left out.
fn names(found: impl Iterator<Item = String>) -> BTreeSet<String> {
    found
        .filter(|n| {
            !matches!(
                n.as_str(),
                "mut" | "ref" | "self" | "Self" | "crate" | "super"
            )
        })
        .collect()
}

impl Lecture {
    /// The code cells as the reference runs them (visible checks only: a release has no hidden
    /// ones): number, exercise id if an exercise cell, and code.
    fn reference_cells(&self) -> Result<Vec<(usize, Option<String>, String)>> {
        let mut out = Vec::new();
        for cell in self
            .notebook
            .cells
            .iter()
            .filter(|c| c.kind == CellKind::Code)
        {
            let (id, code) = match cell.exercise_id() {
                Some(id) => (Some(id.to_string()), self.solution(id)?.solved()),
                None => (None, cell.source.clone()),
            };
            out.push((cell.number, id, code));
        }
        Ok(out)
    }

    /// Which exercise needs which, from the reference answers.
    pub fn dependencies(&self) -> Result<Dependencies> {
        let cells = self.reference_cells()?;
        let mut deps = Dependencies::default();
        for (at, (_, id, code)) in cells.iter().enumerate() {
            let Some(id) = id else { continue };
            let own = binds(code);
            let mut live = own.clone();
            let mut reached = Vec::new();
            // Which of the exercise's own names each reached cell uses.
            let mut own_used: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
            for (number, _, later) in &cells[at + 1..] {
                let used = uses(later);
                if used.iter().any(|n| live.contains(n)) {
                    reached.push(*number);
                    own_used.insert(*number, used.intersection(&own).cloned().collect());
                    live.extend(binds(later));
                } else {
                    // A fresh binding of the same name hides the exercise's.
                    for name in binds(later) {
                        live.remove(&name);
                    }
                }
            }
            for other in self.exercise_ids() {
                if &other == id {
                    continue;
                }
                let (Ok(cell), Some(check)) =
                    (self.exercise_cell(&other), self.notebook.check_cell(&other))
                else {
                    continue;
                };
                if !reached.contains(&cell.number) && !reached.contains(&check.number) {
                    continue;
                }
                // The names its own cells use, else those the cells on the way use.
                let direct: BTreeSet<String> = [cell.number, check.number]
                    .iter()
                    .filter_map(|n| own_used.get(n))
                    .flatten()
                    .cloned()
                    .collect();
                let names = if direct.is_empty() {
                    own_used
                        .range(..=check.number)
                        .flat_map(|(_, names)| names.iter().cloned())
                        .collect()
                } else {
                    direct
                };
                deps.needs
                    .entry(other)
                    .or_default()
                    .insert(id.clone(), names.into_iter().collect());
            }
            deps.reaches.insert(id.clone(), reached);
        }
        Ok(deps)
    }

    /// Check cells that bind a name a later cell uses. A release runs each exercise without the
    /// other exercises' checks (one that fails must not stop another's), so a later cell must
    /// not need one.
    pub fn checks_that_later_cells_need(&self) -> Result<Vec<String>> {
        let cells = self.reference_cells()?;
        let mut out = Vec::new();
        for (at, (number, _, code)) in cells.iter().enumerate() {
            let Some(cell) = self.notebook.cells.get(number - 1) else {
                continue;
            };
            let Some(id) = cell.check_id() else { continue };
            let bound = binds(code);
            for (later, _, later_code) in &cells[at + 1..] {
                // A name the later cell binds itself is most likely its own (`wrong`, `ok`).
                let own = binds(later_code);
                let shared: Vec<String> = uses(later_code)
                    .intersection(&bound)
                    .filter(|n| !own.contains(*n))
                    .cloned()
                    .collect();
                if !shared.is_empty() {
                    out.push(format!(
                        "{}: cell {later} uses `{}` from the check cell of exercise {id} (cell {number})",
                        self.name(),
                        shared.join("`, `")
                    ));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::course::Course;
    use std::collections::BTreeMap;

    /// The course's own notebooks, as the release sees them: the dependencies a student meets.
    #[test]
    fn exercises_need_the_earlier_exercises_whose_names_they_use() {
        let course = Course::here();
        let needs = |nb: &str| {
            let lecture = course.load(&course.find(nb).unwrap()).unwrap();
            assert_eq!(
                lecture.checks_that_later_cells_need().unwrap(),
                Vec::<String>::new()
            );
            let deps = lecture.dependencies().unwrap();
            println!("{nb}: {:?}", deps.needs);
            deps.needs
        };
        let four = needs("04");
        assert_eq!(four.get("4.1"), None);
        assert_eq!(
            four["4.2"],
            BTreeMap::from([("4.1".to_string(), vec!["fib".to_string()])])
        );
        let three = needs("03");
        assert_eq!(three["3.3"]["3.2"], ["loss_of"]);
        assert!(three.values().all(|earlier| !earlier.contains_key("3.6")));
        let one = needs("01");
        assert!(one.is_empty(), "{one:?}");
        for nb in ["00", "02", "05", "06", "07"] {
            needs(nb);
        }
    }
}
