//! The lecture's MNIST splits and their batch makers (`next_batch`, `random_batch`).

use super::idx::{locate, read_idx_images, read_idx_labels, IdxImages};
use super::{DEFAULT_SEED, FIX_HINT, IMAGE_PIXELS, VALIDATION_SIZE};
use crate::rng::Rng;
use anyhow::{bail, ensure, Result};
use std::path::Path;
use tch::{Kind, Tensor};

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
