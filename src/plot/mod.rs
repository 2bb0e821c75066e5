//! Figures for the lecture, drawn with plotters as SVG, shown inline under the evcxr Jupyter
//! kernel (JupyterLab draws SVG crisp at any zoom) and saved as anti-aliased PNG files (the same
//! SVG rasterised by resvg).
//!
//! A [`Chart`] holds point and line [`Series`]; an [`Image`] shows a grayscale array; a
//! [`Diagram`] draws a neuron or a network; a [`Figure`] lays one or more of them out side by
//! side. All of them show inline when they are the value of a notebook cell, through their
//! inherent `evcxr_display` method (no import needed).
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

mod chart;
mod color;
mod diagram;
mod figure;
mod image;
mod raster;
mod values;

pub use chart::{Chart, Series};
pub use color::Color;
pub use diagram::Diagram;
pub use figure::{Figure, Panel};
pub use image::Image;
pub use values::{arange, iterations, linspace, IntoValues};

/// An SVG figure (what a notebook cell shows) as anti-aliased PNG bytes, drawn with the bundled
/// font: the kernel tests turn the kernel's figures into files with it.
pub fn svg_to_png(svg: &str) -> anyhow::Result<Vec<u8>> {
    let (rgb, w, h) = raster::rasterise(svg)?;
    raster::encode_png(&rgb, w, h, false)
}

use anyhow::anyhow;
use plotters::prelude::*;
use std::sync::Once;

/// The family the SVG names; the rasteriser and plotters' text layout both read it as the
/// bundled DejaVu Sans, and a browser without that font still picks a sans-serif one.
const FONT: &str = "sans-serif";
const FONT_DATA: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static REGISTER_FONT: Once = Once::new();

fn register_font() {
    // plotters lays text out (legend boxes, label areas) with the font's metrics.
    REGISTER_FONT.call_once(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, FONT_DATA)
            .unwrap_or_else(|_| panic!("the bundled DejaVuSans.ttf is not a valid font"));
    });
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
    use super::chart::{clip_polyline, simplify_polyline};
    use super::*;
    use tch::{Kind, Tensor};

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
    fn figures_are_svg_and_their_png_is_anti_aliased() {
        let chart = Chart::new()
            .line(vec![0.0, 1.0], vec![0.0, 0.8], Color::Green, "")
            .x_label("x₁");
        let svg = chart.to_svg().unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("<polyline") && svg.contains("x₁"), "{svg}");
        // A slanted line drawn anti-aliased leaves many shades between green and white along
        // its edges; drawn aliased it leaves the one green.
        let (rgb, _, _) = decode(&chart.to_png().unwrap());
        let mut greens: Vec<[u8; 3]> = rgb
            .chunks(3)
            .filter(|p| p[1] > p[0].saturating_add(20) && p[1] > p[2].saturating_add(20))
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        greens.sort();
        greens.dedup();
        assert!(greens.len() > 20, "only {} shades of green", greens.len());
    }

    #[test]
    fn an_image_is_one_embedded_picture_with_sharp_pixels() {
        let checker: Vec<f64> = (0..28 * 28)
            .map(|i| ((i / 28 + i % 28) % 2) as f64)
            .collect();
        let image = Image::new(checker, 28, 28).unwrap();
        let svg = image.to_svg().unwrap();
        assert_eq!(svg.matches("<image ").count(), 1, "{svg}");
        assert!(svg.contains(r#"image-rendering="pixelated""#));
        assert!(
            svg.len() < 20_000,
            "a 28×28 image takes {} bytes of SVG",
            svg.len()
        );
        // Scaled without smoothing, a checkerboard stays black and white: no gray between.
        let (rgb, _, _) = decode(&image.to_png().unwrap());
        let grays = rgb
            .chunks(3)
            .filter(|p| p[0] > 40 && p[0] < 215 && p[0] == p[1] && p[1] == p[2])
            .count();
        let blacks = rgb.chunks(3).filter(|p| p == &[0, 0, 0]).count();
        assert!(blacks > 50_000, "{blacks} black pixels");
        assert!(
            grays < blacks / 50,
            "{grays} gray pixels against {blacks} black ones"
        );
        assert_eq!(svg_to_png(&svg).unwrap(), image.to_png().unwrap());
        assert!(svg_to_png("<svg").is_err());
    }

    #[test]
    fn save_writes_a_png_or_an_svg_file() {
        let scratch = tempfile::tempdir().unwrap();
        let path = scratch.path().join("plots/loss.svg");
        Chart::new()
            .series(Series::line(iterations(3, 250), vec![0.7, 0.4, 0.2]))
            .save(&path)
            .unwrap();
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("<svg"));
    }

    #[test]
    fn save_writes_a_png_file() {
        let scratch = tempfile::tempdir().unwrap();
        let path = scratch.path().join("plots/loss.png");
        Chart::new()
            .series(Series::line(iterations(3, 250), vec![0.7, 0.4, 0.2]))
            .save(&path)
            .unwrap();
        assert_eq!(&std::fs::read(&path).unwrap()[1..4], b"PNG");
    }

    #[test]
    fn simplifying_keeps_a_line_s_ends_and_its_bends() {
        // A straight line sampled 801 times is its two ends.
        let xs = arange(0.0, 8.001, 0.01);
        let straight: Vec<(f64, f64)> = xs.iter().map(|&x| (x, 0.3 * x - 1.0)).collect();
        assert_eq!(
            simplify_polyline(&straight, (80.0, 60.0), 0.5),
            vec![straight[0], straight[straight.len() - 1]]
        );
        // A bend is kept; a sigmoid keeps enough points to stay within half a pixel.
        let bent = [(0.0, 0.0), (1.0, 1.0), (2.0, 0.0)];
        assert_eq!(simplify_polyline(&bent, (100.0, 100.0), 0.5), bent.to_vec());
        let sigmoid: Vec<(f64, f64)> = xs
            .iter()
            .map(|&x| (x, 1.0 / (1.0 + (4.0 - x).exp())))
            .collect();
        let kept = simplify_polyline(&sigmoid, (80.0, 500.0), 0.5);
        assert!(
            kept.len() > 5 && kept.len() < 100,
            "{} points kept",
            kept.len()
        );
        for &(x, y) in &sigmoid {
            let w = kept
                .windows(2)
                .find(|w| w[0].0 <= x && x <= w[1].0)
                .unwrap();
            // Its distance in pixels from the kept segment around it.
            let (x0, y0, x1, y1) = (w[0].0 * 80.0, w[0].1 * 500.0, w[1].0 * 80.0, w[1].1 * 500.0);
            let (px, py) = (x * 80.0, y * 500.0);
            let d = ((px - x0) * (y1 - y0) - (py - y0) * (x1 - x0)).abs()
                / ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
            assert!(d <= 0.5 + 1e-9, "{d} pixels off at x = {x}");
        }
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
