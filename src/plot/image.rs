//! Grayscale pictures: the lecture's `plt.imshow`.

use super::raster::encode_png;
use super::IntoValues;
use super::{draw_err, FONT};
use anyhow::{bail, ensure, Result};
use base64::Engine;
use plotters::coord::Shift;
use plotters::prelude::*;
use tch::Tensor;

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

    /// Draws the title and labels, and returns the picture to place where the axes end: an SVG
    /// `<image>` of the values at their own resolution, scaled without smoothing (as
    /// `plt.imshow` shows a 28×28 digit), so that a figure stays small however large it is.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<Picture> {
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
        let gray: Vec<u8> = self
            .pixels
            .iter()
            .map(|&v| {
                if v.is_finite() {
                    (((v - lo) / span) * 255.0).round() as u8
                } else {
                    0
                }
            })
            .collect();
        let plot = chart.plotting_area().strip_coord_spec();
        let (x, y) = plot.get_base_pixel();
        let (width, height) = plot.dim_in_pixel();
        Ok(Picture {
            x,
            y,
            width,
            height,
            png: encode_png(&gray, self.width as u32, self.height as u32, true)?,
        })
    }
}

/// An image's pixels and where they go in the figure.
pub(super) struct Picture {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
    png: Vec<u8>,
}

impl Picture {
    /// The SVG element that shows it; `pixelated` keeps each value a sharp square, in a browser
    /// and in resvg.
    pub(super) fn svg_element(&self) -> String {
        format!(
            r#"<image x="{}" y="{}" width="{}" height="{}" preserveAspectRatio="none" image-rendering="pixelated" style="image-rendering:pixelated" href="data:image/png;base64,{}"/>"#,
            self.x,
            self.y,
            self.width,
            self.height,
            base64::engine::general_purpose::STANDARD.encode(&self.png)
        )
    }
}
