//! The IDX file format of MNIST: magic numbers, sizes and counts checked, `.gz` read too.

use super::{DIR_ENV, FIX_HINT, IMAGES_MAGIC, LABELS_MAGIC};
use anyhow::{bail, ensure, Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The path of `name` in `dir`, or of `name.gz` when only the compressed file is there.
pub(super) fn locate(dir: &Path, name: &str) -> Result<PathBuf> {
    if !dir.is_dir() {
        bail!(
            "MNIST folder {} does not exist: {FIX_HINT}, or set {DIR_ENV} to the folder that holds the IDX files",
            dir.display()
        );
    }
    let plain = dir.join(name);
    let gz = dir.join(format!("{name}.gz"));
    if plain.is_file() {
        Ok(plain)
    } else if gz.is_file() {
        Ok(gz)
    } else {
        bail!(
            "MNIST file {} (or {}.gz) is missing: {FIX_HINT}",
            plain.display(),
            name
        )
    }
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path)
        .with_context(|| format!("cannot read MNIST file {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .with_context(|| {
                format!(
                    "MNIST file {} is not valid gzip: {FIX_HINT}",
                    path.display()
                )
            })?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

fn be_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Images of one IDX file: `count` rows of `rows × cols` bytes.
#[derive(Debug, Clone)]
pub struct IdxImages {
    /// Number of images.
    pub count: usize,
    /// Image height.
    pub rows: usize,
    /// Image width.
    pub cols: usize,
    /// Pixels, image after image, row-major, 0 (white paper) to 255 (ink).
    pub pixels: Vec<u8>,
}

/// Reads an IDX file (or its `.gz`) and checks its magic number and that its header is whole.
/// `kind` names what the file should hold ("image" or "label") and `other` the other kind.
fn read_idx(
    path: &Path,
    magic_expected: u32,
    header: usize,
    kind: &str,
    other: &str,
) -> Result<Vec<u8>> {
    let bytes = read_bytes(path)?;
    let name = path.display();
    let magic = if bytes.len() >= 4 {
        be_u32(&bytes, 0)
    } else {
        0
    };
    ensure!(
        magic == magic_expected,
        "MNIST file {name} has magic number {magic:#010x}, expected {magic_expected:#010x} for a {kind} file: \
         is it a{} {other} file or corrupt? {FIX_HINT}",
        if other.starts_with('i') { "n" } else { "" }
    );
    ensure!(
        bytes.len() >= header,
        "MNIST file {name} is truncated ({} bytes, a {kind} file has a header of {header} bytes): {FIX_HINT}",
        bytes.len()
    );
    Ok(bytes)
}

/// Reads an IDX image file (or its `.gz`), checking the magic number, the dimensions and that
/// the file holds exactly the announced number of pixels.
pub fn read_idx_images(path: &Path) -> Result<IdxImages> {
    let bytes = read_idx(path, IMAGES_MAGIC, 16, "image", "label")?;
    let name = path.display();
    let (count, rows, cols) = (
        be_u32(&bytes, 4) as usize,
        be_u32(&bytes, 8) as usize,
        be_u32(&bytes, 12) as usize,
    );
    let expected = 16 + count * rows * cols;
    ensure!(
        bytes.len() == expected,
        "MNIST file {name} announces {count} images of {rows}×{cols} ({expected} bytes) but has {} bytes: \
         it is truncated or corrupt; {FIX_HINT}",
        bytes.len()
    );
    let mut pixels = bytes;
    pixels.drain(..16);
    Ok(IdxImages {
        count,
        rows,
        cols,
        pixels,
    })
}

/// Reads an IDX label file (or its `.gz`), checking the magic number, the count and that every
/// label is a digit.
pub fn read_idx_labels(path: &Path) -> Result<Vec<u8>> {
    let bytes = read_idx(path, LABELS_MAGIC, 8, "label", "image")?;
    let name = path.display();
    let count = be_u32(&bytes, 4) as usize;
    ensure!(
        bytes.len() == 8 + count,
        "MNIST file {name} announces {count} labels but holds {}: it is truncated or corrupt; {FIX_HINT}",
        bytes.len() - 8
    );
    if let Some(pos) = bytes[8..].iter().position(|&l| l > 9) {
        bail!(
            "MNIST file {name} has label {} at index {pos}, not a digit: {FIX_HINT}",
            bytes[8 + pos]
        );
    }
    Ok(bytes[8..].to_vec())
}

/// The bytes of MNIST file `name` in `dir` (decompressed when only `name.gz` is there).
pub fn read_file(dir: &Path, name: &str) -> Result<Vec<u8>> {
    read_bytes(&locate(dir, name)?)
}
