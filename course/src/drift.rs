//! The drift lint: the notebook and its reference solutions must agree, so that a lecture cell
//! lives in one place and what is made from it fails loudly when it drifts.

use crate::lecture::Lecture;
use crate::notebook::CellKind;
use crate::solutions::normalized;
use crate::syntax::{ends_with_block_expression, find_blanks, Names};
use std::collections::BTreeSet;

impl Lecture {
    /// Everything that makes the notebook and its solutions disagree: an exercise without a
    /// solution, a check cell or a hint, a solution without an exercise, a shipped blank cell that
    /// is not the solution's template, a template without a blank, a blank outside exercise
    /// cells, or a cell that syn cannot read.
    pub fn drift(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let name = self.name();
        let sols = self.solutions_path.display();
        let ids = self.exercise_ids();
        // Locked cells look locked in JupyterLab; the grader ignores their edits either way.
        for cell in &self.notebook.cells {
            let exercise = cell.exercise_id().is_some();
            if cell.locked == exercise {
                problems.push(format!(
                    "{name}, cell {}: {}; cell metadata `\"editable\": false, \"deletable\": false` marks every cell but the exercise cells",
                    cell.number,
                    if exercise { "an exercise cell is locked" } else { "a course cell is not locked" }
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for id in &ids {
            if !seen.insert(id) {
                problems.push(format!("{name}: exercise {id} appears twice"));
            }
            let cell = self.exercise_cell(id).expect("listed");
            match self.notebook.check_cell(id) {
                None => problems.push(format!("{name}: exercise {id} (cell {}) has no `// Check {id}` cell", cell.number)),
                Some(check) if check.number < cell.number => problems.push(format!(
                    "{name}: the check cell of exercise {id} (cell {}) comes before the exercise (cell {})",
                    check.number, cell.number
                )),
                _ => {}
            }
            let Some(sol) = self.solutions.get(id) else {
                problems.push(format!(
                    "{name}: exercise {id} (cell {}) has no reference solution in {sols}",
                    cell.number
                ));
                continue;
            };
            if sol.hint.is_none() {
                problems.push(format!(
                    "{sols}: exercise {id} (line {}) has no `// Hint {id}` section; every exercise has a hint for a student who is stuck",
                    sol.line
                ));
            }
            let template = sol.template();
            if find_blanks(&template).is_empty() {
                problems.push(format!("{sols}: exercise {id} (line {}) has no ⟦answer⟧, so its blank version has no `?`", sol.line));
            }
            if let Err((line, why)) = Names::of(&sol.solved()) {
                problems.push(format!(
                    "{sols}: exercise {id} (line {}): the solved cell is not Rust that syn reads (line {line} of the cell: {why}); the guard reads every cell with syn",
                    sol.line
                ));
            }
            if let Some(Err((line, why))) = sol.hidden_check.as_deref().map(Names::of) {
                problems.push(format!(
                    "{sols}: the hidden check of exercise {id} is not Rust that syn reads (line {line} of it: {why})"
                ));
            }
            if normalized(&sol.solved()) == normalized(&template) {
                problems.push(format!(
                    "{sols}: exercise {id}: the solved cell equals the blank one"
                ));
            }
            let shipped_blank = !find_blanks(&cell.source).is_empty();
            if shipped_blank && normalized(&cell.source) != normalized(&template) {
                problems.push(format!(
                    "{name}, cell {}: exercise {id} differs from its template in {sols} (line {}); \
                     change both together (the template is the solution with each ⟦answer⟧ as `?`)",
                    cell.number, sol.line
                ));
            }
        }
        for id in self.solutions.keys() {
            if !ids.contains(id) {
                problems.push(format!("{sols}: exercise {id} is not in {name}"));
            }
        }
        for cell in &self.notebook.cells {
            if cell.kind == CellKind::Code && ends_with_block_expression(&cell.source) {
                problems.push(format!(
                    "{name}, cell {}: ends with a block expression (for/while/if/match) that evcxr shows as `()`; end it with a statement",
                    cell.number
                ));
            }
            if cell.kind == CellKind::Code && cell.exercise_id().is_none() {
                if let Err((line, why)) = Names::of(&cell.source) {
                    problems.push(format!(
                        "{name}, cell {} line {line}: not Rust that syn reads ({why}); the guard reads every cell with syn",
                        cell.number
                    ));
                }
                if let Some(b) = find_blanks(&cell.source).first() {
                    problems.push(format!(
                        "{name}, cell {} line {}: a `?` blank outside an exercise cell",
                        cell.number, b.line
                    ));
                }
            }
        }
        problems
    }
}
