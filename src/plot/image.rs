//! Grayscale pictures: the lecture's `plt.imshow`.

use super::IntoValues;
use super::{draw_err, FONT};
use anyhow::{bail, ensure, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_bitmap::BitMapBackend;
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

    pub(super) fn draw(&self, area: &DrawingArea<BitMapBackend, Shift>) -> Result<()> {
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
