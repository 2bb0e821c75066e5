//! Panels side by side, rendered to PNG, saved, and shown inline by evcxr.

use super::{draw_err, register_font};
use super::{Chart, Diagram, Image};
use anyhow::{ensure, Context, Result};
use base64::Engine;
use plotters::prelude::*;
use plotters_bitmap::BitMapBackend;
use std::path::Path;

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
shown_as_figure!(Diagram, "diagram");

/// One panel of a [`Figure`].
#[derive(Debug, Clone)]
pub enum Panel {
    /// Axes with series.
    Chart(Chart),
    /// A grayscale image.
    Image(Image),
    /// A drawing of a neuron or a network.
    Diagram(Diagram),
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

impl From<Diagram> for Panel {
    fn from(diagram: Diagram) -> Self {
        Panel::Diagram(diagram)
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

    /// Size in pixels (default: 800×640 for a chart, 480×480 for an image, 480 high and 800
    /// wide (wider for more than three layers) for a diagram, 640 wide per panel and 560 high
    /// for a row).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = Some((width, height));
        self
    }

    fn pixel_size(&self) -> (u32, u32) {
        self.size.unwrap_or(match self.panels.as_slice() {
            [Panel::Chart(_)] => (800, 640),
            [Panel::Image(_)] => (480, 480),
            [Panel::Diagram(diagram)] => (diagram.width(), 480),
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
                    Panel::Diagram(diagram) => diagram.draw(area),
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

impl From<Diagram> for Figure {
    fn from(diagram: Diagram) -> Self {
        Figure::new(diagram)
    }
}
