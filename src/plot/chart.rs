//! Axes with point and line series: the lecture's `plt.plot` and `plt.scatter`.

use super::{draw_err, tick_label, FONT};
use super::{Color, IntoValues};
use anyhow::{ensure, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::Color as _;

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

    pub(super) fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<()> {
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
                    // Pixels per data unit: the SVG's coordinates are whole pixels, so each
                    // vertex moves by up to half a pixel, and a line of many close vertices
                    // (a boundary sampled every 0.01) shows as beads. Only the vertices that
                    // change the line by more than that are kept.
                    let (pw, ph) = chart.plotting_area().dim_in_pixel();
                    let scale = (pw as f64 / (xr.1 - xr.0), ph as f64 / (yr.1 - yr.0));
                    let segments: Vec<Vec<(f64, f64)>> = clip_polyline(&points, xr, yr)
                        .iter()
                        .map(|seg| simplify_polyline(seg, scale, 0.5))
                        .collect();
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

/// The polyline with only the vertices that matter (Ramer–Douglas–Peucker): every dropped vertex
/// lies within `tolerance` pixels of the line kept, measured after scaling by `scale` (pixels per
/// data unit along x and y). The ends stay.
pub(super) fn simplify_polyline(
    points: &[(f64, f64)],
    scale: (f64, f64),
    tolerance: f64,
) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let px: Vec<(f64, f64)> = points
        .iter()
        .map(|&(x, y)| (x * scale.0, y * scale.1))
        .collect();
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut spans = vec![(0, points.len() - 1)];
    while let Some((a, b)) = spans.pop() {
        let ((x0, y0), (x1, y1)) = (px[a], px[b]);
        let (dx, dy) = (x1 - x0, y1 - y0);
        let len = (dx * dx + dy * dy).sqrt();
        let distance = |&(x, y): &(f64, f64)| {
            if len == 0.0 {
                ((x - x0).powi(2) + (y - y0).powi(2)).sqrt()
            } else {
                ((x - x0) * dy - (y - y0) * dx).abs() / len
            }
        };
        let far = (a + 1..b)
            .map(|i| (i, distance(&px[i])))
            .max_by(|p, q| p.1.total_cmp(&q.1));
        if let Some((i, d)) = far {
            if d > tolerance {
                keep[i] = true;
                spans.push((a, i));
                spans.push((i, b));
            }
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(&p, k)| k.then_some(p))
        .collect()
}

/// Splits a polyline into the pieces that lie inside the box (Liang–Barsky per segment), so that
/// lines such as decision boundaries stop at the axes. A non-finite point breaks the line.
pub(super) fn clip_polyline(
    points: &[(f64, f64)],
    xr: (f64, f64),
    yr: (f64, f64),
) -> Vec<Vec<(f64, f64)>> {
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
