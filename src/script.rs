//! Support for the notebook-equivalent scripts: what evcxr shows for a cell's value, a script
//! shows too: figures are saved as PNG files, other values are printed with `{:?}`.

use crate::plot::{Chart, Figure, Image};
use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Environment variable naming the folder where scripts save their figures.
pub const FIGURE_DIR_ENV: &str = "LECTUREUTIL_FIGURE_DIR";

static FIGURES: AtomicUsize = AtomicUsize::new(0);

/// A cell's value on its way to being shown; see [`crate::show!`].
pub struct Shown<'a, T: ?Sized>(pub usize, pub &'a T);

/// Shows figures: saves them as `cellNN-K.png` in `$LECTUREUTIL_FIGURE_DIR` (default
/// `target/figures`).
pub trait ShowFigure {
    /// Saves the figure and prints where.
    fn show(&self);
}

/// Shows any other value the way evcxr does, with `{:?}` (nothing for `()`).
pub trait ShowDebug {
    /// Prints the value.
    fn show(&self);
}

fn save_figure(cell: usize, figure: Figure) {
    let dir = std::env::var_os(FIGURE_DIR_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/figures"));
    let k = FIGURES.fetch_add(1, Ordering::SeqCst) + 1;
    let path = dir.join(format!("cell{cell:02}-figure{k:02}.png"));
    match figure.save(&path) {
        Ok(()) => println!("[figure {k} of cell {cell} saved to {}]", path.display()),
        Err(e) => panic!("cell {cell}: cannot save figure {}: {e:#}", path.display()),
    }
}

impl ShowFigure for Shown<'_, Figure> {
    fn show(&self) {
        save_figure(self.0, self.1.clone())
    }
}

impl ShowFigure for Shown<'_, Chart> {
    fn show(&self) {
        save_figure(self.0, Figure::new(self.1.clone()))
    }
}

impl ShowFigure for Shown<'_, Image> {
    fn show(&self) {
        save_figure(self.0, Figure::new(self.1.clone()))
    }
}

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

#[cfg(test)]
mod tests {
    use crate::plot::{Chart, Series};

    #[test]
    fn figures_are_saved_and_values_printed() {
        let dir = std::env::temp_dir().join(format!("lectureutil-show-{}", std::process::id()));
        std::env::set_var(super::FIGURE_DIR_ENV, &dir);
        crate::show!(
            7,
            Chart::new().series(Series::line(vec![0.0, 1.0], vec![0.0, 1.0]))
        );
        crate::show!(8, 42);
        crate::show!(9, ());
        let saved: Vec<_> = std::fs::read_dir(&dir)
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
