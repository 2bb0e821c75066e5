//! The verdict on one exercise, from what the grader saw of a run: never from what the program
//! printed. A check passes only when the course's own check code ran to its end and returned `Ok`.

use crate::run::ScriptRun;

/// How the graded run of one exercise ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The exercise's check ran to its end and returned `Ok`.
    Passed,
    /// The exercise cell reaches into the grader or shadows a check helper; it was not run.
    Refused(String),
    /// The program does not compile: the compiler's output, each error pointing at its cell.
    DidNotCompile(String),
    /// The check ran and failed: its `FAIL  Exercise …` message.
    CheckFailed(String),
    /// An error or a panic stopped the program before the check returned.
    Stopped {
        /// The notebook cell, and the line in it when known.
        cell: usize,
        /// The line in that cell, when the program could tell.
        line: Option<usize>,
        /// The first line of the error (libtorch's message without its C++ trace).
        message: String,
    },
    /// The program ended before its check ran, without an error (an early `exit` or `return`).
    ExitedBeforeCheck(String),
    /// Killed at the time limit, in seconds.
    TimedOut(u64),
    /// Stopped at a limit of the sandbox (memory, processes, file size, disk quota), or its
    /// build at a limit of the build (time, memory), in words.
    OverLimit(String),
}

impl Verdict {
    /// The verdict on exercise `id` from a graded run.
    pub fn of(run: &ScriptRun, id: &str) -> Verdict {
        if !run.compiled {
            return match &run.over_limit {
                Some(limit) => Verdict::OverLimit(limit.clone()),
                None => Verdict::DidNotCompile(run.output.clone()),
            };
        }
        if run.checks_returned.iter().any(|(c, _)| c == id) {
            return Verdict::Passed;
        }
        if let Some(seconds) = run.timed_out {
            return Verdict::TimedOut(seconds);
        }
        if let Some(limit) = &run.over_limit {
            return Verdict::OverLimit(limit.clone());
        }
        match &run.stop {
            Some(stop) if stop.message.starts_with("FAIL") => {
                Verdict::CheckFailed(stop.message.clone())
            }
            Some(stop) => Verdict::Stopped {
                cell: stop.cell,
                line: stop.line,
                message: stop.message.clone(),
            },
            None => Verdict::ExitedBeforeCheck(run.status.clone()),
        }
    }

    /// The verdict in a word or three, for gradebooks: `passed`, `refused`, `did not compile`,
    /// `check failed`, `stopped`, `exited before check`, `timed out`, `over a limit`.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Refused(_) => "refused",
            Verdict::DidNotCompile(_) => "did not compile",
            Verdict::CheckFailed(_) => "check failed",
            Verdict::Stopped { .. } => "stopped",
            Verdict::ExitedBeforeCheck(_) => "exited before check",
            Verdict::TimedOut(_) => "timed out",
            Verdict::OverLimit(_) => "over a limit",
        }
    }

    /// Whether the exercise passed.
    pub fn passed(&self) -> bool {
        *self == Verdict::Passed
    }

    /// What to tell the student: `where_` names the notebook and exercise
    /// (`notebooks/02_linear_classifier.ipynb, exercise 2.1`).
    pub fn message(&self, where_: &str, exercise_cell: usize) -> String {
        match self {
            Verdict::Passed => format!("{where_} (cell {exercise_cell}): passed"),
            Verdict::Refused(why) => format!("{where_} (cell {exercise_cell}): {why}"),
            Verdict::DidNotCompile(output) => {
                format!("{where_} (cell {exercise_cell}): your code does not compile:\n{output}")
            }
            Verdict::CheckFailed(fail) => format!("{where_} (cell {exercise_cell}): {fail}"),
            Verdict::Stopped {
                cell,
                line: Some(line),
                message,
            } => format!("{where_} (cell {cell}, line {line}): {message}"),
            Verdict::Stopped {
                cell,
                line: None,
                message,
            } => format!("{where_} (cell {cell}): {message}"),
            Verdict::ExitedBeforeCheck(status) => format!(
                "{where_} (cell {exercise_cell}): the program exited before its check ran ({status}); \
                 only the check cell's own code can pass an exercise, whatever a cell prints"
            ),
            Verdict::TimedOut(seconds) => format!(
                "{where_} (cell {exercise_cell}): did not finish in {seconds} s (an endless loop?); \
                 the program and everything it started were stopped"
            ),
            Verdict::OverLimit(limit) => format!("{where_} (cell {exercise_cell}): {limit}"),
        }
    }
}
