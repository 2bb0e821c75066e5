//! Figures for the lecture, drawn with plotters into a bitmap, shown inline under the evcxr
//! Jupyter kernel and saved as PNG files.
//!
//! A [`Chart`] holds point and line [`Series`]; an [`Image`] shows a grayscale array; a
//! [`Figure`] lays one or more of them out side by side. All three show inline when they are the
//! value of a notebook cell, through their inherent `evcxr_display` method (no import needed).
//!
//! ```
//! use lectureutil::plot::{Chart, Color};
//! let chart = Chart::new()
//!     .points(&[0.0, 1.0, 2.0][..], &[1.0, 0.0, 1.0][..], Color::Red, "C1")
//!     .line(vec![0.0, 2.0], vec![0.0, 1.0], Color::Green, "")
//!     .x_label("x₁")
//!     .y_label("x₂")
//!     .xlim(0.0, 2.0);
//! let png = chart.to_png().unwrap();
//! assert_eq!(&png[1..4], b"PNG");
//! ```

use anyhow::{anyhow, bail, ensure, Context, Result};
use base64::Engine;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::Color as _;
use plotters_bitmap::BitMapBackend;
use std::path::Path;
use std::sync::Once;
use tch::{Kind, Tensor};

const FONT: &str = "sans-serif";
static REGISTER_FONT: Once = Once::new();

fn register_font() {
    // A bundled DejaVu Sans, so that text looks the same on every machine with no system fonts.
    REGISTER_FONT.call_once(|| {
        plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            include_bytes!("../assets/DejaVuSans.ttf"),
        )
        .unwrap_or_else(|_| panic!("the bundled DejaVuSans.ttf is not a valid font"));
    });
}

/// Plot input: anything that reads as a list of numbers (tensors of any shape are flattened).
pub trait IntoValues {
    /// The numbers, as `f64`.
    fn into_values(self) -> Vec<f64>;
}

impl IntoValues for &Tensor {
    fn into_values(self) -> Vec<f64> {
        Vec::<f64>::try_from(
            self.detach()
                .to_device(tch::Device::Cpu)
                .to_kind(Kind::Double)
                .flatten(0, -1),
        )
        .expect("a CPU double tensor converts to Vec<f64>")
    }
}

impl IntoValues for Tensor {
    fn into_values(self) -> Vec<f64> {
        (&self).into_values()
    }
}

impl IntoValues for Vec<f64> {
    fn into_values(self) -> Vec<f64> {
        self
    }
}

impl IntoValues for &Vec<f64> {
    fn into_values(self) -> Vec<f64> {
        self.clone()
    }
}

impl IntoValues for &[f64] {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

impl IntoValues for Vec<f32> {
    fn into_values(self) -> Vec<f64> {
        self.iter().map(|&v| v as f64).collect()
    }
}

impl IntoValues for &Vec<f32> {
    fn into_values(self) -> Vec<f64> {
        self.iter().map(|&v| v as f64).collect()
    }
}

impl IntoValues for &[f32] {
    fn into_values(self) -> Vec<f64> {
        self.iter().map(|&v| v as f64).collect()
    }
}

impl<const N: usize> IntoValues for [f64; N] {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

/// `start, start+step, …` below `stop`, like `np.arange`.
pub fn arange(start: f64, stop: f64, step: f64) -> Vec<f64> {
    let n = ((stop - start) / step).ceil().max(0.0) as usize;
    (0..n).map(|i| start + i as f64 * step).collect()
}

/// `n` evenly spaced numbers from `start` to `stop` inclusive, like `np.linspace`.
pub fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    match n {
        0 => vec![],
        1 => vec![start],
        _ => (0..n)
            .map(|i| start + (stop - start) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// The iteration numbers of a loss record taken every `n_prt` iterations:
/// `np.arange(len(loss_record))*n_prt`.
pub fn iterations(records: usize, n_prt: usize) -> Vec<f64> {
    (0..records).map(|i| (i * n_prt) as f64).collect()
}

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
    fn rgb(self) -> RGBColor {
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

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Points,
    Line,
}

/// One set of points or one polyline of a [`Chart`] (a builder).
#[derive(Debug, Clone)]
pub struct Series {
    mark: Mark,
    xs: Vec<f64>,
    ys: Vec<f64>,
    color: Color,
    alpha: f64,
    size: f64,
    label: Option<String>,
}

impl Series {
    fn new(mark: Mark, xs: impl IntoValues, ys: impl IntoValues) -> Self {
        Series {
            mark,
            xs: xs.into_values(),
            ys: ys.into_values(),
            color: Color::Cycle(0),
            alpha: 1.0,
            size: if mark == Mark::Points { 4.0 } else { 2.0 },
            label: None,
        }
    }

    /// A scatter of `(xs[i], ys[i])`.
    pub fn points(xs: impl IntoValues, ys: impl IntoValues) -> Self {
        Self::new(Mark::Points, xs, ys)
    }

    /// A polyline through `(xs[i], ys[i])`.
    pub fn line(xs: impl IntoValues, ys: impl IntoValues) -> Self {
        Self::new(Mark::Line, xs, ys)
    }

    /// Colour (default: the first of the cycle).
    pub fn color(mut self, color: Color) -> Self {
        self.color = color;
        self
    }

    /// Opacity from 0 to 1 (default 1).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha.clamp(0.0, 1.0);
        self
    }

    /// Marker radius in pixels for points, stroke width for lines.
    pub fn size(mut self, size: f64) -> Self {
        self.size = size;
        self
    }

    /// Legend entry; an empty label adds none.
    pub fn label(mut self, label: &str) -> Self {
        self.label = (!label.is_empty()).then(|| label.to_string());
        self
    }
}

/// Axes with point and line series (a builder), the lecture's `plt.plot`/`plt.scatter` figure.
#[derive(Debug, Clone, Default)]
pub struct Chart {
    series: Vec<Series>,
    title: Option<String>,
    x_label: Option<String>,
    y_label: Option<String>,
    xlim: Option<(f64, f64)>,
    ylim: Option<(f64, f64)>,
    equal_axes: bool,
}

impl Chart {
    /// Empty axes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a series.
    pub fn series(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// Adds the lecture's class scatter (`'ro', alpha = 0.4`): points of one colour with a label.
    pub fn points(
        self,
        xs: impl IntoValues,
        ys: impl IntoValues,
        color: Color,
        label: &str,
    ) -> Self {
        self.series(Series::points(xs, ys).color(color).alpha(0.4).label(label))
    }

    /// Adds the lecture's boundary line (`linewidth = 3`); an empty label adds no legend entry.
    pub fn line(self, xs: impl IntoValues, ys: impl IntoValues, color: Color, label: &str) -> Self {
        self.series(Series::line(xs, ys).color(color).size(3.0).label(label))
    }

    /// Title above the axes.
    pub fn title(mut self, title: &str) -> Self {
        self.title = Some(title.to_string());
        self
    }

    /// Label of the horizontal axis; write subscripts as Unicode (`"x₁"`).
    pub fn x_label(mut self, label: &str) -> Self {
        self.x_label = Some(label.to_string());
        self
    }

    /// Label of the vertical axis.
    pub fn y_label(mut self, label: &str) -> Self {
        self.y_label = Some(label.to_string());
        self
    }

    /// Horizontal range, like `plt.xlim([low, high])`.
    pub fn xlim(mut self, low: f64, high: f64) -> Self {
        self.xlim = Some((low, high));
        self
    }

    /// Vertical range, like `plt.ylim([low, high])`.
    pub fn ylim(mut self, low: f64, high: f64) -> Self {
        self.ylim = Some((low, high));
        self
    }

    /// One unit is as long on both axes, like `plt.axis('equal')` (the ranges grow to fit).
    pub fn equal_axes(mut self) -> Self {
        self.equal_axes = true;
        self
    }

    fn data_range(&self, pick: impl Fn(&Series) -> &Vec<f64>) -> (f64, f64) {
        let values = self
            .series
            .iter()
            .flat_map(|s| pick(s).iter().copied())
            .filter(|v| v.is_finite());
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !lo.is_finite() {
            return (0.0, 1.0);
        }
        let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 };
        (lo - pad, hi + pad)
    }

    fn validate(&self) -> Result<()> {
        for (i, s) in self.series.iter().enumerate() {
            ensure!(
                s.xs.len() == s.ys.len(),
                "chart series {i}{}: {} x values but {} y values; give both the same length",
                s.label
                    .as_deref()
                    .map(|l| format!(" ('{l}')"))
                    .unwrap_or_default(),
                s.xs.len(),
                s.ys.len()
            );
        }
        for (name, lim) in [("xlim", self.xlim), ("ylim", self.ylim)] {
            if let Some((lo, hi)) = lim {
                ensure!(
                    lo < hi && lo.is_finite() && hi.is_finite(),
                    "{name}({lo}, {hi}): the low end must be below the high end"
                );
            }
        }
        Ok(())
    }

    fn draw(&self, area: &DrawingArea<BitMapBackend, Shift>) -> Result<()> {
        self.validate()?;
        let (x_label_size, y_label_size, margin) = (55u32, 70u32, 18u32);
        let caption = if self.title.is_some() { 40 } else { 0 };
        let mut xr = self.xlim.unwrap_or_else(|| self.data_range(|s| &s.xs));
        let mut yr = self.ylim.unwrap_or_else(|| self.data_range(|s| &s.ys));
        if self.equal_axes {
            let (w, h) = area.dim_in_pixel();
            let pw = w.saturating_sub(y_label_size + 2 * margin).max(1) as f64;
            let ph = h.saturating_sub(x_label_size + 2 * margin + caption).max(1) as f64;
            let (ux, uy) = ((xr.1 - xr.0) / pw, (yr.1 - yr.0) / ph);
            if ux > uy {
                let grow = (ux * ph - (yr.1 - yr.0)) / 2.0;
                yr = (yr.0 - grow, yr.1 + grow);
            } else {
                let grow = (uy * pw - (xr.1 - xr.0)) / 2.0;
                xr = (xr.0 - grow, xr.1 + grow);
            }
        }
        let mut builder = ChartBuilder::on(area);
        builder
            .margin(margin)
            .x_label_area_size(x_label_size)
            .y_label_area_size(y_label_size);
        if let Some(title) = &self.title {
            builder.caption(title, (FONT, 26));
        }
        let mut chart = builder
            .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)
            .map_err(draw_err)?;
        let mut mesh = chart.configure_mesh();
        mesh.label_style((FONT, 16))
            .axis_desc_style((FONT, 22))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(228, 228, 228))
            .x_label_formatter(&tick_label)
            .y_label_formatter(&tick_label);
        if let Some(label) = &self.x_label {
            mesh.x_desc(label);
        }
        if let Some(label) = &self.y_label {
            mesh.y_desc(label);
        }
        mesh.draw().map_err(draw_err)?;

        for s in &self.series {
            let color = s.color.rgb();
            let style = color.mix(s.alpha);
            let pairs = s.xs.iter().zip(&s.ys).map(|(&x, &y)| (x, y));
            let drawn = match s.mark {
                Mark::Points => {
                    let inside: Vec<(f64, f64)> = pairs
                        .filter(|&(x, y)| x >= xr.0 && x <= xr.1 && y >= yr.0 && y <= yr.1)
                        .collect();
                    let radius = s.size;
                    chart
                        .draw_series(
                            inside
                                .into_iter()
                                .map(|p| Circle::new(p, radius, style.filled())),
                        )
                        .map_err(draw_err)?
                }
                Mark::Line => {
                    let points: Vec<(f64, f64)> = pairs.collect();
                    let segments: Vec<Vec<(f64, f64)>> = clip_polyline(&points, xr, yr);
                    let width = s.size.max(1.0) as u32;
                    chart
                        .draw_series(
                            segments
                                .into_iter()
                                .map(|seg| PathElement::new(seg, style.stroke_width(width))),
                        )
                        .map_err(draw_err)?
                }
            };
            if let Some(label) = &s.label {
                let mark = s.mark;
                drawn
                    .label(label.as_str())
                    .legend(move |(x, y)| match mark {
                        Mark::Points => Circle::new((x + 10, y), 6, color.filled()).into_dyn(),
                        Mark::Line => {
                            PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(3))
                                .into_dyn()
                        }
                    });
            }
        }
        if self.series.iter().any(|s| s.label.is_some()) {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font((FONT, 18))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(160, 160, 160))
                .draw()
                .map_err(draw_err)?;
        }
        Ok(())
    }
}

/// Splits a polyline into the pieces that lie inside the box (Liang–Barsky per segment), so that
/// lines such as decision boundaries stop at the axes. A non-finite point breaks the line.
fn clip_polyline(points: &[(f64, f64)], xr: (f64, f64), yr: (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let (dx, dy) = (x1 - x0, y1 - y0);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        // A segment with a non-finite end is never drawn: it breaks the line like one outside.
        let mut visible = [x0, y0, x1, y1].iter().all(|v| v.is_finite());
        for (p, q) in [
            (-dx, x0 - xr.0),
            (dx, xr.1 - x0),
            (-dy, y0 - yr.0),
            (dy, yr.1 - y0),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    visible = false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        if !visible || t0 > t1 {
            if current.len() > 1 {
                pieces.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        let start = (x0 + t0 * dx, y0 + t0 * dy);
        let end = (x0 + t1 * dx, y0 + t1 * dy);
        if current.last() != Some(&start) {
            if current.len() > 1 {
                pieces.push(std::mem::take(&mut current));
            }
            current = vec![start];
        }
        current.push(end);
        if t1 < 1.0 {
            pieces.push(std::mem::take(&mut current));
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// A grayscale picture such as a 28×28 digit or the 20×20 manifold canvas (a builder): the
/// lecture's `plt.imshow(img, 'gray')` with no ticks. Values are scaled from their minimum
/// (black) to their maximum (white).
#[derive(Debug, Clone)]
pub struct Image {
    pixels: Vec<f64>,
    height: usize,
    width: usize,
    title: Option<String>,
    x_label: Option<String>,
    y_label: Option<String>,
}

impl Image {
    /// An image of `height × width` values given row by row.
    pub fn new(values: impl IntoValues, height: usize, width: usize) -> Result<Self> {
        let pixels = values.into_values();
        ensure!(
            height > 0 && width > 0 && pixels.len() == height * width,
            "Image::new: {} values cannot be shown as {height}×{width}; reshape to {} values or pass the right size",
            pixels.len(),
            height * width
        );
        Ok(Image {
            pixels,
            height,
            width,
            title: None,
            x_label: None,
            y_label: None,
        })
    }

    /// An image from a 2-D tensor, or a 784-value MNIST row (shown as 28×28).
    pub fn from_tensor(tensor: &Tensor) -> Result<Self> {
        let size = tensor.size();
        match size.as_slice() {
            [h, w] if *h > 1 => Self::new(tensor, *h as usize, *w as usize),
            _ if tensor.numel() == 784 => Self::new(tensor, 28, 28),
            _ => bail!("Image::from_tensor: a tensor of shape {size:?} is not an image; pass a 2-D tensor or 784 MNIST pixels"),
        }
    }

    /// Title above the image.
    pub fn title(mut self, title: &str) -> Self {
        self.title = Some(title.to_string());
        self
    }

    /// Text under the image (no ticks are drawn).
    pub fn x_label(mut self, label: &str) -> Self {
        self.x_label = Some(label.to_string());
        self
    }

    /// Text left of the image (no ticks are drawn).
    pub fn y_label(mut self, label: &str) -> Self {
        self.y_label = Some(label.to_string());
        self
    }

    fn draw(&self, area: &DrawingArea<BitMapBackend, Shift>) -> Result<()> {
        let caption = if self.title.is_some() { 40 } else { 0 };
        let x_label = if self.x_label.is_some() { 35 } else { 0 };
        let y_label = if self.y_label.is_some() { 35 } else { 0 };
        let margin = 12u32;
        // Shrink the area so that image pixels stay square.
        let (w, h) = area.dim_in_pixel();
        let avail_w = w.saturating_sub(y_label + 2 * margin).max(1) as f64;
        let avail_h = h.saturating_sub(x_label + caption + 2 * margin).max(1) as f64;
        let scale = (avail_w / self.width as f64).min(avail_h / self.height as f64);
        let extra_w = ((avail_w - scale * self.width as f64) / 2.0) as u32;
        let extra_h = ((avail_h - scale * self.height as f64) / 2.0) as u32;
        let area = area.margin(extra_h, extra_h, extra_w, extra_w);

        let mut builder = ChartBuilder::on(&area);
        builder
            .margin(margin)
            .x_label_area_size(x_label)
            .y_label_area_size(y_label);
        if let Some(title) = &self.title {
            builder.caption(title, (FONT, 24));
        }
        let mut chart = builder
            .build_cartesian_2d(0f64..self.width as f64, 0f64..self.height as f64)
            .map_err(draw_err)?;
        let mut mesh = chart.configure_mesh();
        mesh.disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .axis_desc_style((FONT, 20));
        if let Some(label) = &self.x_label {
            mesh.x_desc(label);
        }
        if let Some(label) = &self.y_label {
            mesh.y_desc(label);
        }
        mesh.draw().map_err(draw_err)?;

        let (lo, hi) = self
            .pixels
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        let span = if hi > lo { hi - lo } else { 1.0 };
        let plot = chart.plotting_area().strip_coord_spec();
        let (pw, ph) = plot.dim_in_pixel();
        for py in 0..ph {
            let row = (py as usize * self.height / ph as usize).min(self.height - 1);
            for px in 0..pw {
                let col = (px as usize * self.width / pw as usize).min(self.width - 1);
                let v = self.pixels[row * self.width + col];
                let g = if v.is_finite() {
                    (((v - lo) / span) * 255.0).round() as u8
                } else {
                    0
                };
                plot.draw_pixel((px as i32, py as i32), &RGBColor(g, g, g))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    }
}

/// Gives a panel type the figure's outputs as inherent methods, so that a chart or an image
/// shows inline in a notebook (evcxr looks for an inherent `evcxr_display`) with no import.
macro_rules! shown_as_figure {
    ($panel:ty, $what:literal) => {
        impl $panel {
            #[doc = concat!("The rendered ", $what, " as PNG bytes.")]
            pub fn to_png(&self) -> Result<Vec<u8>> {
                Figure::new(self.clone()).to_png()
            }

            #[doc = concat!("Writes the ", $what, " to a PNG file.")]
            pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
                Figure::new(self.clone()).save(path)
            }

            #[doc = concat!("Shows the ", $what, " inline in a Jupyter notebook (evcxr kernel).")]
            pub fn evcxr_display(&self) {
                Figure::new(self.clone()).evcxr_display()
            }
        }
    };
}

shown_as_figure!(Chart, "chart");
shown_as_figure!(Image, "image");

/// One panel of a [`Figure`].
#[derive(Debug, Clone)]
pub enum Panel {
    /// Axes with series.
    Chart(Chart),
    /// A grayscale image.
    Image(Image),
}

impl From<Chart> for Panel {
    fn from(chart: Chart) -> Self {
        Panel::Chart(chart)
    }
}

impl From<Image> for Panel {
    fn from(image: Image) -> Self {
        Panel::Image(image)
    }
}

/// A figure of one panel or several side by side, like `plt.subplot(1, n, i)` (a builder).
#[derive(Debug, Clone)]
pub struct Figure {
    panels: Vec<Panel>,
    size: Option<(u32, u32)>,
}

impl Figure {
    /// A figure of one chart or image.
    pub fn new(panel: impl Into<Panel>) -> Self {
        Figure {
            panels: vec![panel.into()],
            size: None,
        }
    }

    /// Panels side by side in one row (`plt.subplot(1, n, i)`).
    pub fn row(panels: Vec<Panel>) -> Self {
        Figure { panels, size: None }
    }

    /// Size in pixels (default: 800×640 for a chart, 480×480 for an image, 640 wide per panel
    /// and 560 high for a row).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = Some((width, height));
        self
    }

    fn pixel_size(&self) -> (u32, u32) {
        self.size.unwrap_or(match self.panels.as_slice() {
            [Panel::Chart(_)] => (800, 640),
            [Panel::Image(_)] => (480, 480),
            panels => (640 * panels.len().max(1) as u32, 560),
        })
    }

    /// RGB pixels of the rendered figure with its width and height.
    pub fn render_rgb(&self) -> Result<(Vec<u8>, u32, u32)> {
        ensure!(
            !self.panels.is_empty(),
            "Figure::row: give at least one panel"
        );
        register_font();
        let (w, h) = self.pixel_size();
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(draw_err)?;
            let areas = root.split_evenly((1, self.panels.len()));
            for (i, (panel, area)) in self.panels.iter().zip(&areas).enumerate() {
                match panel {
                    Panel::Chart(chart) => chart.draw(area),
                    Panel::Image(image) => image.draw(area),
                }
                .with_context(|| format!("drawing panel {} of the figure", i + 1))?;
            }
            root.present().map_err(draw_err)?;
        }
        Ok((buf, w, h))
    }

    /// The rendered figure as PNG bytes.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let (rgb, w, h) = self.render_rgb()?;
        let mut png_bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut png_bytes, w, h);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header()?;
            writer.write_image_data(&rgb)?;
        }
        Ok(png_bytes)
    }

    /// Writes the figure to a PNG file (written to a temporary name first, then renamed).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = self.to_png()?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create folder {}", dir.display()))?;
        }
        let tmp = path.with_extension("png.partial");
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))?;
        Ok(())
    }

    /// Shows the figure inline in a Jupyter notebook: prints one
    /// `EVCXR_BEGIN_CONTENT image/png` block with the base64 PNG, which the evcxr kernel turns
    /// into an image output. A drawing error is printed instead.
    pub fn evcxr_display(&self) {
        match self.to_png() {
            Ok(bytes) => println!(
                "EVCXR_BEGIN_CONTENT image/png\n{}\nEVCXR_END_CONTENT",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
            Err(e) => eprintln!("cannot draw the figure: {e:#}"),
        }
    }
}

impl From<Chart> for Figure {
    fn from(chart: Chart) -> Self {
        Figure::new(chart)
    }
}

impl From<Image> for Figure {
    fn from(image: Image) -> Self {
        Figure::new(image)
    }
}

/// Tick labels without float noise or a negative zero: `0.4`, `1`, `-2.5`.
fn tick_label(v: &f64) -> String {
    let rounded = (v * 1e6).round() / 1e6 + 0.0;
    format!("{rounded}")
}

fn draw_err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("plotting failed: {e:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (Vec<u8>, u32, u32) {
        let decoder = png::Decoder::new(png_bytes);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (buf, info.width, info.height)
    }

    #[test]
    fn charts_render_with_red_and_blue_points_and_a_clipped_line() {
        let chart = Chart::new()
            .points(vec![1.0, 2.0], vec![1.0, 2.0], Color::Red, "C1")
            .points(
                Tensor::from_slice(&[3.0f32, 4.0]),
                &[3.0f32, 4.0][..],
                Color::Blue,
                "C0",
            )
            .line(
                arange(0.0, 8.0, 0.01),
                arange(0.0, 8.0, 0.01)
                    .iter()
                    .map(|x| 10.0 * x - 20.0)
                    .collect::<Vec<_>>(),
                Color::Green,
                "",
            )
            .xlim(0.0, 8.0)
            .ylim(-4.0, 5.0)
            .x_label("x₁")
            .y_label("x₂");
        let (rgb, w, h) = decode(&chart.to_png().unwrap());
        assert_eq!((w, h), (800, 640));
        let has = |pred: &dyn Fn(u8, u8, u8) -> bool| rgb.chunks(3).any(|p| pred(p[0], p[1], p[2]));
        assert!(
            has(&|r, g, b| r > 200 && g < 200 && b < 200),
            "no red points"
        );
        assert!(
            has(&|r, g, b| b > 200 && r < 200 && g < 200),
            "no blue points"
        );
        assert!(has(&|r, g, b| g > 100 && r < 60 && b < 60), "no green line");
    }

    #[test]
    fn images_and_rows_render_and_bad_shapes_are_errors() {
        let ramp: Vec<f64> = (0..784).map(|v| v as f64).collect();
        let img = Image::new(ramp.clone(), 28, 28).unwrap().title("Label : 5");
        let (rgb, w, h) = decode(&img.to_png().unwrap());
        assert_eq!((w, h), (480, 480));
        assert!(rgb.chunks(3).any(|p| p == [0, 0, 0]) && rgb.chunks(3).any(|p| p[0] > 250));
        let err = Image::new(ramp, 20, 20).unwrap_err().to_string();
        assert!(err.contains("784 values cannot be shown as 20×20"), "{err}");
        assert!(Image::from_tensor(&Tensor::zeros([784], (Kind::Float, tch::Device::Cpu))).is_ok());
        assert!(Image::from_tensor(&Tensor::zeros([5], (Kind::Float, tch::Device::Cpu))).is_err());

        let latent = Chart::new()
            .series(
                Series::points(vec![0.0, 1.0], vec![0.0, 1.0])
                    .color(Color::Cycle(0))
                    .label("1"),
            )
            .series(
                Series::points(vec![-4.0], vec![0.0])
                    .color(Color::Black)
                    .size(10.0)
                    .label("new data"),
            )
            .equal_axes();
        let canvas = Image::new(vec![0.5; 560 * 560], 560, 560)
            .unwrap()
            .x_label("Z1")
            .y_label("Z2");
        let fig = Figure::row(vec![latent.into(), canvas.into()]);
        let (_, w, h) = decode(&fig.to_png().unwrap());
        assert_eq!((w, h), (1280, 560));

        let err = Chart::new()
            .series(Series::line(vec![1.0], vec![1.0, 2.0]))
            .to_png()
            .unwrap_err();
        assert!(
            format!("{err:#}").contains("1 x values but 2 y values"),
            "{err:#}"
        );
    }

    #[test]
    fn save_writes_a_png_file() {
        let path =
            std::env::temp_dir().join(format!("lectureutil-plot-{}/loss.png", std::process::id()));
        Chart::new()
            .series(Series::line(iterations(3, 250), vec![0.7, 0.4, 0.2]))
            .save(&path)
            .unwrap();
        assert_eq!(&std::fs::read(&path).unwrap()[1..4], b"PNG");
    }

    #[test]
    fn clipping_keeps_only_the_inside() {
        let pieces = clip_polyline(&[(-1.0, 0.5), (2.0, 0.5)], (0.0, 1.0), (0.0, 1.0));
        assert_eq!(pieces, vec![vec![(0.0, 0.5), (1.0, 0.5)]]);
        assert!(clip_polyline(&[(0.0, 5.0), (1.0, 5.0)], (0.0, 1.0), (0.0, 1.0)).is_empty());
        let broken = clip_polyline(
            &[
                (0.0, 0.1),
                (0.2, 0.2),
                (0.3, f64::NAN),
                (0.4, 0.3),
                (0.5, 0.4),
            ],
            (0.0, 1.0),
            (0.0, 1.0),
        );
        assert_eq!(broken.len(), 2);
        assert_eq!(linspace(-8.0, 4.0, 4), vec![-8.0, -4.0, 0.0, 4.0]);
        assert_eq!(arange(0.0, 1.0, 0.25), vec![0.0, 0.25, 0.5, 0.75]);
    }
}
