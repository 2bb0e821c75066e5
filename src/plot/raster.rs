//! The PNG form of a figure: its SVG rasterised, anti-aliased, by resvg with the bundled font,
//! so that a saved PNG and the figure shown in JupyterLab are one drawing.

use super::FONT_DATA;
use anyhow::{anyhow, Context, Result};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// The bundled DejaVu Sans as the SVG's `sans-serif`: text looks the same on every machine,
/// with no system fonts.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(FONT_DATA.to_vec());
            db.set_sans_serif_family("DejaVu Sans");
            Arc::new(db)
        })
        .clone()
}

/// RGB pixels of an SVG drawn on white, with its width and height.
pub(super) fn rasterise(svg: &str) -> Result<(Vec<u8>, u32, u32)> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).context("the figure's SVG does not parse")?;
    let size = tree.size().to_int_size();
    let (w, h) = (size.width(), size.height());
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| anyhow!("a figure of {w}×{h} pixels cannot be rasterised"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    // Opaque everywhere (drawn on white), so the premultiplied RGBA is plain RGB.
    let rgb = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    Ok((rgb, w, h))
}

/// PNG bytes of RGB pixels (or of gray ones, one byte a pixel).
pub(super) fn encode_png(pixels: &[u8], w: u32, h: u32, gray: bool) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(if gray {
            png::ColorType::Grayscale
        } else {
            png::ColorType::Rgb
        });
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
    }
    Ok(bytes)
}
