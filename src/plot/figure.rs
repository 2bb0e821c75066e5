//! Panels side by side, drawn as SVG, rasterised to PNG, saved, and shown inline by evcxr.

use super::raster::{encode_png, rasterise};
use super::{draw_err, register_font};
use super::{Chart, Diagram, Image};
use anyhow::{ensure, Context, Result};
use plotters::prelude::*;
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

            #[doc = concat!("The ", $what, " as an SVG document.")]
            pub fn to_svg(&self) -> Result<String> {
                Figure::new(self.clone()).to_svg()
            }

            #[doc = concat!("Writes the ", $what, " to a PNG file, or an SVG file where the name ends in `.svg`.")]
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

    /// The figure as an SVG document: what a notebook shows, and what its PNG is drawn from.
    pub fn to_svg(&self) -> Result<String> {
        ensure!(
            !self.panels.is_empty(),
            "Figure::row: give at least one panel"
        );
        register_font();
        let (w, h) = self.pixel_size();
        let mut svg = String::new();
        let mut pictures = Vec::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(draw_err)?;
            let areas = root.split_evenly((1, self.panels.len()));
            for (i, (panel, area)) in self.panels.iter().zip(&areas).enumerate() {
                match panel {
                    Panel::Chart(chart) => chart.draw(area),
                    Panel::Image(image) => image.draw(area).map(|p| pictures.push(p)),
                    Panel::Diagram(diagram) => diagram.draw(area),
                }
                .with_context(|| format!("drawing panel {} of the figure", i + 1))?;
            }
            root.present().map_err(draw_err)?;
        }
        // An image's pixels go in as one embedded PNG, not as a rectangle per pixel.
        let end = svg
            .rfind("</svg>")
            .context("plotters wrote an SVG without its end tag")?;
        let elements: String = pictures.iter().map(|p| p.svg_element() + "\n").collect();
        svg.insert_str(end, &elements);
        Ok(svg)
    }

    /// RGB pixels of the figure (its SVG rasterised, anti-aliased) with its width and height.
    pub fn render_rgb(&self) -> Result<(Vec<u8>, u32, u32)> {
        rasterise(&self.to_svg()?)
    }

    /// The figure as PNG bytes.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let (rgb, w, h) = self.render_rgb()?;
        encode_png(&rgb, w, h, false)
    }

    /// Writes the figure to a PNG file, or an SVG file where the name ends in `.svg` (written to
    /// a temporary name first, then renamed).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let svg = path.extension().is_some_and(|e| e == "svg");
        let bytes = if svg {
            self.to_svg()?.into_bytes()
        } else {
            self.to_png()?
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create folder {}", dir.display()))?;
        }
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".partial");
        let tmp = std::path::PathBuf::from(tmp);
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))?;
        Ok(())
    }

    /// Shows the figure inline in a Jupyter notebook: prints one
    /// `EVCXR_BEGIN_CONTENT image/svg+xml` block, which the evcxr kernel turns into an SVG
    /// output (JupyterLab draws it crisp at any zoom). A drawing error is printed instead.
    pub fn evcxr_display(&self) {
        match self.to_svg() {
            Ok(svg) => println!("EVCXR_BEGIN_CONTENT image/svg+xml\n{svg}\nEVCXR_END_CONTENT"),
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
