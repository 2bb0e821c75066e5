//! What an exercise cell may not do: reach into the grader's runtime, or shadow what the check
//! cell below it uses: its helpers (a `fn check` that always passes) and the course's own names
//! (a `fn neuron` in exercise 1.1 that check 1.1 would call, a `train_y` rebound in 3.3 that
//! check 3.3 would measure against). Such a cell is refused before it runs.

use crate::lecture::Lecture;
use crate::notebook::CellKind;
use crate::syntax::{flat_tokens, line_of, Binding, Flat, Names, Tok};
use proc_macro2::Delimiter;
use std::collections::BTreeSet;

/// Helpers of the check cells: an exercise cell that defines or rebinds one of these would make
/// the check cell below it call the student's version.
const CHECK_HELPERS: &[&str] = &[
    "check",
    "check_close",
    "check_at_least",
    "check_at_most",
    "check_roles",
    "check_each_alone",
    "accuracy",
    "to_vec",
    "to_rows",
];

impl Lecture {
    /// Why the student's cell `src` for exercise `id` may not be graded, if it may not.
    pub fn refusal(&self, id: &str, src: &str) -> Option<String> {
        refusal_protecting(src, &self.protected_names(id))
    }

    /// Why the guard cannot check exercise cell `src`: syn cannot read it. The compiler's
    /// message says what is wrong with such a cell; should the compiler build it all the same (a
    /// syntax newer than syn's), it is refused with this.
    pub fn unreadable(&self, src: &str) -> Option<String> {
        Names::of(src).err().map(|(line, why)| {
            format!("line {line}: the grader cannot read the cell as Rust ({why}), so it cannot check what the cell defines; write it in plainer Rust")
        })
    }

    /// Whether exercise `id`'s cell `src` may run in one program with the student's other
    /// answers: it binds, where later cells see it, nothing but what its reference answer binds
    /// and names that no other cell uses (no course cell, check, hidden check, reference or
    /// other answer). Otherwise one answer could change what another exercise's check measures
    /// (a `mod data` of its own in 1.1 replaced the XOR table that every later cell and check
    /// read); such a cell is graded on its own.
    pub fn keeps_to_itself(&self, id: &str, src: &str) -> bool {
        let reference = self.solutions.get(id).map(|s| bound_names(&s.solved()));
        // A module's items reach later cells through `use m::*`, so items count at any depth.
        let extra: Vec<String> = top_level_names(src)
            .into_iter()
            .chain(item_names(src))
            .filter(|n| !reference.as_ref().is_some_and(|r| r.contains(n)))
            .collect();
        if extra.is_empty() {
            return true;
        }
        let mut others: Vec<String> = self
            .notebook
            .cells
            .iter()
            .filter(|c| c.kind == CellKind::Code && c.exercise_id().is_none())
            .map(|c| c.source.clone())
            .collect();
        for (other, solution) in &self.solutions {
            others.extend(solution.hidden_check.clone());
            if other != id {
                others.push(solution.solved());
                others.extend(self.student_cell(other).ok().map(|c| c.source.clone()));
            }
        }
        let used: BTreeSet<String> = others
            .iter()
            .flat_map(|src| used_names(src).into_iter().chain(macro_names(src)))
            .collect();
        !extra.iter().any(|n| used.contains(n))
    }

    /// What exercise `id`'s cell may not bind or define. Names: the check helpers, and every
    /// name its check cell and hidden check use (and the course's cells between the exercise
    /// and its check) that another cell of the course binds. Items:
    /// every name the check uses at all, types and macros included (a `struct Vec` whose
    /// `is_empty` says `true` passed check 1.1). Neither holds a name the exercise's reference
    /// answer binds (it is the student's to define) or the check binds itself.
    fn protected_names(&self, id: &str) -> Protected {
        let mut names: BTreeSet<String> = CHECK_HELPERS.iter().map(|s| s.to_string()).collect();
        let hidden = self.solutions.get(id).and_then(|s| s.hidden_check.clone());
        let mut check = self.cells_up_to_check(id);
        check.extend(hidden);
        let check = check.join("\n");
        let reference = self
            .solutions
            .get(id)
            .map(|s| s.solved())
            .unwrap_or_default();
        let mut elsewhere = BTreeSet::new();
        for cell in &self.notebook.cells {
            if cell.kind != CellKind::Code || cell.check_id() == Some(id) {
                continue;
            }
            match cell.exercise_id() {
                Some(other) if other == id => {}
                Some(other) => {
                    if let Some(solution) = self.solutions.get(other) {
                        elsewhere.extend(bound_names(&solution.solved()));
                    }
                }
                None => elsewhere.extend(bound_names(&cell.source)),
            }
        }
        let (by_check, by_reference) = (bound_names(&check), bound_names(&reference));
        let items: BTreeSet<String> = used_names(&check)
            .into_iter()
            .chain(macro_names(&check))
            .filter(|n| !by_check.contains(n) && !by_reference.contains(n))
            .collect();
        names.extend(items.iter().filter(|n| elsewhere.contains(*n)).cloned());
        let traits = Names::of_or_none(&reference).traits.is_some();
        Protected {
            names,
            items,
            traits,
        }
    }

    /// The course's code cells after exercise `id`'s cell up to its check cell, that one
    /// included: what runs between the student's answer and the verdict.
    fn cells_up_to_check(&self, id: &str) -> Vec<String> {
        let cells = &self.notebook.cells;
        let Some(start) = cells.iter().position(|c| c.exercise_id() == Some(id)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for cell in &cells[start + 1..] {
            if cell.kind == CellKind::Code && cell.exercise_id().is_none() {
                out.push(cell.source.clone());
            }
            if cell.check_id() == Some(id) {
                break;
            }
        }
        out
    }
}

/// What an exercise cell may not bind (`names`, by any binding) or define as an item or import
/// (`items`).
struct Protected {
    names: BTreeSet<String>,
    items: BTreeSet<String>,
    /// Whether the reference answer declares or implements a trait itself.
    traits: bool,
}

/// Why the exercise cell `src` may not be graded, if it may not: it reaches into the grader or
/// binds one of the `protected` names. The first reason in the cell's order. A cell syn cannot
/// read is only checked token by token here; the compiler says what is wrong with it (and
/// [`Lecture::unreadable`] refuses it, should the compiler read it after all).
fn refusal_protecting(src: &str, protected: &Protected) -> Option<String> {
    let mut reasons: Vec<(usize, String)> = Vec::new();
    if let Some(tokens) = flat_tokens(src) {
        reasons.extend(token_reasons(&tokens));
    }
    if let Ok(names) = Names::of(src) {
        for bound in &names.bindings {
            let word = &bound.name;
            let refused = protected.names.contains(word)
                || bound.binding == Binding::Item && protected.items.contains(word);
            if refused {
                reasons.push((
                    bound.at,
                    format!("the cell defines `{word}`, which the check cell uses; give it another name"),
                ));
            }
        }
        for import in &names.imports {
            let path: Vec<&str> = import.path.iter().map(String::as_str).collect();
            if path.windows(2).any(|w| w == ["lectureutil", "script"]) {
                reasons.push((import.at, SCRIPT.to_string()));
            }
            let last = path.last().copied().unwrap_or_default();
            if import.renamed && ["include", "env"].contains(&last) {
                reasons.push((import.at, READS_AT_COMPILE_TIME.to_string()));
            }
        }
        if let Some(at) = names.path_attribute {
            reasons.push((at, PATH_ATTRIBUTE.to_string()));
        }
        if let Some(at) = names.traits.filter(|_| !protected.traits) {
            reasons.push((at, "the cell declares or implements a trait; the exercise needs neither, and a trait method of the cell's own could stand in for a method its check calls".to_string()));
        }
    }
    let (at, why) = reasons.into_iter().min_by_key(|(at, _)| *at)?;
    Some(format!("line {}: {why}", line_of(src, at)))
}

const SCRIPT: &str =
    "`lectureutil::script` is the generated program's runtime; an exercise cell may not use it";
const READS_AT_COMPILE_TIME: &str = "the cell reads a file or an environment variable while it compiles (`include!`, `include_str!`, `include_bytes!`, `env!`, `option_env!`); exercise cells may not";
const PATH_ATTRIBUTE: &str =
    "the cell names a module file with `#[path]`, which the compiler would read; exercise cells may not";

/// What is refused in any token, macro bodies included, whatever the exercise: the grader's own
/// names, what the grader cannot see through (a macro of the cell's own), what the compiler
/// would read outside the sandbox (a file, an environment variable), and `unsafe`.
fn token_reasons(tokens: &[Flat]) -> Vec<(usize, String)> {
    let punct =
        |k: Option<usize>, c: char| k.and_then(|k| tokens.get(k)).is_some_and(|t| t.is_punct(c));
    let opens_attribute = |k: Option<usize>| {
        k.and_then(|k| tokens.get(k))
            .is_some_and(|t| t.tok == Tok::Open(Delimiter::Bracket))
    };
    let mut out = Vec::new();
    for (k, t) in tokens.iter().enumerate() {
        let Some(word) = t.ident() else { continue };
        let before = |back: usize| k.checked_sub(back);
        let invoked = matches!(
            tokens.get(k + 1).map(|t| &t.tok),
            Some(Tok::Punct {
                c: '!',
                joint: false
            })
        );
        let why = match word {
            w if w.starts_with("__") || w == "GRADER_ENV" => {
                format!("`{w}` belongs to the grader; an exercise cell may not use it")
            }
            "script" if punct(before(1), ':') && punct(before(2), ':') => SCRIPT.to_string(),
            "macro_rules" | "macro" => "the cell defines a macro; no exercise needs one, and the grader cannot see what a macro expands to".to_string(),
            "include_str" | "include_bytes" | "option_env" => READS_AT_COMPILE_TIME.to_string(),
            "include" | "env" if invoked => READS_AT_COMPILE_TIME.to_string(),
            "path" if opens_attribute(before(1))
                && (punct(before(2), '#') || punct(before(2), '!') && punct(before(3), '#')) =>
            {
                PATH_ATTRIBUTE.to_string()
            }
            "unsafe" => "the cell uses `unsafe`; exercise cells are safe Rust".to_string(),
            _ => continue,
        };
        out.push((t.start, why));
    }
    out
}

/// The names `src` binds, at any depth: in patterns (`let`, `if let`, `match`, `for`, a
/// closure's parameters) and as items. Not the types in their annotations (`let wrong:
/// Vec<String>` binds `wrong`, not `Vec`) nor the paths of a pattern (`Some`, `S` in `S { a }`):
/// counting those would let a cell define them.
fn bound_names(src: &str) -> BTreeSet<String> {
    Names::of_or_none(src).bound()
}

/// The names `src` binds where the code after it sees them: at the top of the cell, not in a
/// block, a closure's parameters or a `for` pattern.
pub(crate) fn top_level_names(src: &str) -> BTreeSet<String> {
    Names::of_or_none(src).top_level()
}

/// The items `src` defines or imports, at any depth.
pub(crate) fn item_names(src: &str) -> BTreeSet<String> {
    Names::of_or_none(src).items()
}

/// The macros `src` calls (`name!`).
pub(crate) fn macro_names(src: &str) -> BTreeSet<String> {
    Names::of_or_none(src).macros
}

/// The names `src` uses on their own: not a method or field (after `.`), not a path's tail
/// (after `::`), not a macro (before `!`).
pub(crate) fn used_names(src: &str) -> BTreeSet<String> {
    Names::of_or_none(src).used
}

#[cfg(test)]
mod tests;
