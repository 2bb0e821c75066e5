//! Support for the notebook-equivalent scripts: what evcxr shows for a cell's value, a script
//! shows too: figures are saved as PNG and SVG files, other values are printed with `{:?}`.

use crate::plot::{Chart, Diagram, Figure, Image};
use std::fmt::Debug;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Environment variable naming the folder where scripts save their figures.
pub const FIGURE_DIR_ENV: &str = "LECTUREUTIL_FIGURE_DIR";

static FIGURES: AtomicUsize = AtomicUsize::new(0);

/// A cell's value on its way to being shown; see [`crate::show!`].
pub struct Shown<'a, T: ?Sized>(pub usize, pub &'a T);

/// Shows figures: saves them as `cellNN-figureKK.png` (anti-aliased) and `.svg` (what the
/// notebook shows) in `$LECTUREUTIL_FIGURE_DIR` (default `target/figures`).
pub trait ShowFigure {
    /// Saves the figure and prints where.
    fn show(&self);
}

/// Shows any other value the way evcxr does, with `{:?}` (nothing for `()`).
pub trait ShowDebug {
    /// Prints the value.
    fn show(&self);
}

/// Saves a figure in both forms and notes each file's size and drawing time in `figures.tsv`
/// beside them (what docs/benchmarks.md's figure table is made from).
fn save_figure(cell: usize, figure: Figure) {
    let dir = std::env::var_os(FIGURE_DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/figures"));
    let k = FIGURES.fetch_add(1, Ordering::SeqCst) + 1;
    let path = dir.join(format!("cell{cell:02}-figure{k:02}.png"));
    let mut row = format!("cell{cell:02}-figure{k:02}");
    for file in [path.clone(), path.with_extension("svg")] {
        let timer = crate::timing::Timer::start();
        if let Err(e) = figure.save(&file) {
            panic!("cell {cell}: cannot save figure {}: {e:#}", file.display());
        }
        let ms = timer.seconds() * 1e3;
        let bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        row.push_str(&format!("\t{bytes}\t{ms:.1}"));
    }
    let index = dir.join("figures.tsv");
    let header = if index.exists() {
        ""
    } else {
        "figure\tpng_bytes\tpng_ms\tsvg_bytes\tsvg_ms\n"
    };
    // The index is a convenience: a figure saved without its row is still saved.
    let _ = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&index)
        .and_then(|mut f| writeln!(f, "{header}{row}"));
    println!(
        "[figure {k} of cell {cell} saved to {} and .svg]",
        path.display()
    );
}

impl ShowFigure for Shown<'_, Figure> {
    fn show(&self) {
        save_figure(self.0, self.1.clone())
    }
}

// A chart, an image or a diagram: shown as a figure of one panel. (One generic impl over
// `Into<Panel>` would overlap the `Figure` impl above.)
macro_rules! show_as_one_panel {
    ($($panel:ty),*) => {$(
        impl ShowFigure for Shown<'_, $panel> {
            fn show(&self) {
                save_figure(self.0, Figure::new(self.1.clone()))
            }
        }
    )*};
}
show_as_one_panel!(Chart, Image, Diagram);

impl<T: Debug + ?Sized> ShowDebug for &Shown<'_, T> {
    fn show(&self) {
        let text = format!("{:?}", self.1);
        if text != "()" {
            println!("{text}");
        }
    }
}

/// Shows the value of notebook cell `$cell` in a script: `show!(3, chart)`.
#[macro_export]
macro_rules! show {
    ($cell:expr, $value:expr) => {{
        #[allow(unused_imports)]
        use $crate::script::{ShowDebug as _, ShowFigure as _};
        (&$crate::script::Shown($cell, &$value)).show();
    }};
}

// ---------------------------------------------------------------------------------------------
// The grader's side of a generated program. Hidden from the docs: a notebook never calls it.

/// Set by the grader when it hands the program its token on standard input.
#[doc(hidden)]
pub const GRADER_ENV: &str = "LECTUREUTIL_GRADER";

static TOKEN: OnceLock<String> = OnceLock::new();
static CELL: AtomicUsize = AtomicUsize::new(0);
static STARTED: OnceLock<std::time::Instant> = OnceLock::new();

/// Runs the cells of a generated program (`file` is its `file!()`). Under the grader, reads the
/// grader's one-time token from standard input before any cell runs, so that no cell can know
/// it, and reports through lines that start with it: which checks returned `Ok`, and where the
/// program stopped on an error or a panic.
#[doc(hidden)]
pub fn __main(file: &'static str, cells: fn() -> anyhow::Result<()>) -> std::process::ExitCode {
    STARTED.get_or_init(std::time::Instant::now);
    if std::env::var_os(GRADER_ENV).is_some() {
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
        let _ = TOKEN.set(line.trim().to_string());
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        default_hook(info);
        let here = info
            .location()
            .filter(|l| l.file() == file)
            .map(|l| l.line() as usize)
            .or_else(|| {
                let trace = std::backtrace::Backtrace::force_capture().to_string();
                line_in_trace(&trace, file)
            });
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        report("panic", here, &message);
    }));
    match cells() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e:?}");
            // The grader asks for error backtraces (RUST_LIB_BACKTRACE): the `?` that returned
            // the error is in there.
            let line = line_in_trace(&e.backtrace().to_string(), file);
            report("error", line, &format!("{e:#}"));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Notes that notebook cell `number` starts running.
#[doc(hidden)]
pub fn __cell(number: usize) {
    CELL.store(number, Ordering::SeqCst);
}

/// Notes that the check of exercise `id` ran to its end and returned `Ok`, and when (seconds
/// since the program started: the base of that exercise's time limit).
#[doc(hidden)]
pub fn __check_returned(id: &str) {
    if let Some(token) = TOKEN.get().filter(|t| !t.is_empty()) {
        let seconds = STARTED.get().map_or(0.0, |s| s.elapsed().as_secs_f64());
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "\n{token} check-returned {id} {seconds:.2}");
        let _ = out.flush();
    }
}

/// `TOKEN kind CELL LINE\tfirst line of the message` on standard error, for the grader.
fn report(kind: &str, script_line: Option<usize>, message: &str) {
    let Some(token) = TOKEN.get().filter(|t| !t.is_empty()) else {
        return;
    };
    let cell = CELL.load(Ordering::SeqCst);
    let line = script_line.unwrap_or(0);
    let _ = std::io::stdout().flush();
    eprintln!("\n{token} {kind} {cell} {line}\t{}", first_line(message));
}

/// The first line worth showing of an error: libtorch's own message without its C++ trace.
fn first_line(message: &str) -> String {
    // A panic on tch's error shows it as Debug: `Torch("message\nException raised from …")`.
    let (message, quoted) = match message.find("Torch(\"") {
        Some(at) => (&message[at + 7..], true),
        None => (
            message
                .trim_start()
                .trim_start_matches("Internal torch error: "),
            false,
        ),
    };
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if quoted {
        let line = line.split("\\n").next().unwrap_or(line);
        line.strip_suffix("\")").unwrap_or(line).to_string()
    } else {
        line.to_string()
    }
}

/// The innermost line of `file` in a backtrace.
fn line_in_trace(trace: &str, file: &str) -> Option<usize> {
    // By file name: the backtrace may spell the folder differently from `file!()`.
    let file = file.rsplit('/').next().unwrap_or(file);
    trace.lines().find_map(|l| {
        let at = l.find(file)?;
        l[at + file.len()..]
            .trim_start_matches(':')
            .split(':')
            .next()?
            .parse()
            .ok()
    })
}

#[cfg(test)]
mod tests {
    use crate::plot::{Chart, Series};

    #[test]
    fn libtorch_errors_keep_their_first_line() {
        let torch = "called `Result::unwrap()` on an `Err` value: Torch(\"mat1 and mat2 shapes cannot be multiplied (3x1 and 2x3)\\nException raised from meta at /pytorch/aten/src/ATen/native/LinearAlgebra.cpp:193\")";
        assert_eq!(
            super::first_line(torch),
            "mat1 and mat2 shapes cannot be multiplied (3x1 and 2x3)"
        );
        assert_eq!(
            super::first_line("called `Result::unwrap()` on an `Err` value: Torch(\"short (a)\")"),
            "short (a)"
        );
        assert_eq!(
            super::first_line("\nFAIL  Exercise 2.1: x\nmore"),
            "FAIL  Exercise 2.1: x"
        );
        assert_eq!(
            super::first_line("Internal torch error: shape '[3]' is invalid for input of size 2\nException raised from"),
            "shape '[3]' is invalid for input of size 2"
        );
    }

    #[test]
    fn figures_are_saved_and_values_printed() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        std::env::set_var(super::FIGURE_DIR_ENV, dir);
        crate::show!(
            7,
            Chart::new().series(Series::line(vec![0.0, 1.0], vec![0.0, 1.0]))
        );
        crate::show!(8, 42);
        crate::show!(9, ());
        let saved: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            saved
                .iter()
                .any(|n| n.to_string_lossy().starts_with("cell07-figure")),
            "{saved:?}"
        );
    }
}
