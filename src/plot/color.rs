//! Colours under matplotlib's names.

use plotters::prelude::*;

/// Colours, named like matplotlib's one-letter codes, plus the default colour cycle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Color {
    /// `'r'`
    Red,
    /// `'b'`
    Blue,
    /// `'g'`
    Green,
    /// `'k'`
    Black,
    /// `'m'`
    Magenta,
    /// `'c'`
    Cyan,
    /// matplotlib's default cycle (`tab10`), entry `i % 10`.
    Cycle(usize),
    /// Any colour.
    Rgb(u8, u8, u8),
}

impl Color {
    pub(super) fn rgb(self) -> RGBColor {
        const TAB10: [(u8, u8, u8); 10] = [
            (31, 119, 180),
            (255, 127, 14),
            (44, 160, 44),
            (214, 39, 40),
            (148, 103, 189),
            (140, 86, 75),
            (227, 119, 194),
            (127, 127, 127),
            (188, 189, 34),
            (23, 190, 207),
        ];
        match self {
            Color::Red => RGBColor(230, 0, 0),
            Color::Blue => RGBColor(0, 0, 230),
            Color::Green => RGBColor(0, 150, 0),
            Color::Black => RGBColor(0, 0, 0),
            Color::Magenta => RGBColor(200, 0, 200),
            Color::Cyan => RGBColor(0, 190, 190),
            Color::Cycle(i) => {
                let (r, g, b) = TAB10[i % 10];
                RGBColor(r, g, b)
            }
            Color::Rgb(r, g, b) => RGBColor(r, g, b),
        }
    }
}
