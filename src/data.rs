//! The lecture's data sets, seeded and reproducible, and one-hot encoding.
//!
//! Each two-class set follows the lecture's recipe: draw `m` points, split them by the sign of a
//! boundary function `g` into the index lists `C1` (`g ≥ 0`) and `C0` (`g < 0`), and stack the
//! rows as `train_X = [X1; X0]`, `train_y = [1…1, 0…0]`.

use crate::rng::Rng;
use anyhow::{bail, Result};
use tch::{Kind, Tensor};

/// The values of a tensor of any shape, flattened, as `f64`: the lecture's `sess.run(w)`.
pub fn to_vec(t: &Tensor) -> Result<Vec<f64>> {
    Ok(Vec::<f64>::try_from(
        t.detach()
            .to_device(tch::Device::Cpu)
            .to_kind(Kind::Double)
            .flatten(0, -1),
    )?)
}

/// The rows of a 2-D tensor as `f64`, so that `w_hat[i][j]` reads like the lecture's
/// `w_hat[i, j]`. Errors on other shapes.
pub fn to_rows(t: &Tensor) -> Result<Vec<Vec<f64>>> {
    let size = t.size();
    let [_, cols] = size[..] else {
        bail!("to_rows: expected a 2-D tensor, got shape {size:?}");
    };
    Ok(to_vec(t)?
        .chunks(cols.max(1) as usize)
        .map(<[f64]>::to_vec)
        .collect())
}

/// The XOR truth table: inputs `[[0,0],[0,1],[1,0],[1,1]]` (4×2) and targets `[0,1,1,0]` (4×1).
pub fn xor_table() -> (Tensor, Tensor) {
    let x = Tensor::from_slice(&[0f32, 0., 0., 1., 1., 0., 1., 1.]).view([4, 2]);
    let y = Tensor::from_slice(&[0f32, 1., 1., 0.]).view([4, 1]);
    (x, y)
}

/// Which of the lecture's boundaries splits the points into classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Boundary {
    /// x1 in [0,8), x2 in [-4,3), class 1 where `0.8·x1 + x2 − 3 ≥ 0`.
    Linear,
    /// x1 in [-5,5), x2 in [-4,4), class 1 where `−0.5·(x1−1)² + 2·x2 + 5 ≥ 0`.
    Quadratic,
    /// x1 in [-5,5), x2 in [-4,4), class 1 where `−0.5·(x1·x2−1)² + 2·x2 + 5 ≥ 0`.
    Product,
}

impl Boundary {
    /// The boundary function `g(x1, x2)`; class 1 where it is `≥ 0`.
    pub fn g(self, x1: f64, x2: f64) -> f64 {
        match self {
            Boundary::Linear => 0.8 * x1 + x2 - 3.0,
            Boundary::Quadratic => -0.5 * (x1 - 1.0).powi(2) + 2.0 * x2 + 5.0,
            Boundary::Product => -0.5 * (x1 * x2 - 1.0).powi(2) + 2.0 * x2 + 5.0,
        }
    }

    fn ranges(self) -> ((f64, f64), (f64, f64)) {
        match self {
            Boundary::Linear => ((0.0, 8.0), (-4.0, 3.0)),
            Boundary::Quadratic | Boundary::Product => ((-5.0, 5.0), (-4.0, 4.0)),
        }
    }
}

/// A recipe for one of the lecture's two-class data sets (a builder).
///
/// ```
/// use lectureutil::data::DataRecipe;
/// let data = DataRecipe::linear().samples(1000).seed(0).bias_column(true).generate();
/// assert_eq!(data.train_x.size(), [1000, 3]);
/// assert_eq!(data.c1.len() + data.c0.len(), 1000);
/// ```
#[derive(Debug, Clone)]
pub struct DataRecipe {
    boundary: Boundary,
    samples: usize,
    seed: u64,
    bias_column: bool,
}

impl DataRecipe {
    fn new(boundary: Boundary) -> Self {
        DataRecipe {
            boundary,
            samples: 1000,
            seed: 0,
            bias_column: false,
        }
    }

    /// The linearly separable set of the logistic-regression section.
    pub fn linear() -> Self {
        Self::new(Boundary::Linear)
    }

    /// The quadratic-boundary set of the first MLP section.
    pub fn quadratic() -> Self {
        Self::new(Boundary::Quadratic)
    }

    /// The `x1·x2` set of the second MLP section.
    pub fn product() -> Self {
        Self::new(Boundary::Product)
    }

    /// Number of points `m` (default 1000, as in the lecture).
    pub fn samples(mut self, m: usize) -> Self {
        self.samples = m;
        self
    }

    /// Seed of the draw (default 0). The same seed gives the same points everywhere.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Prepend the constant-1 column, so that `train_x` rows are `[1, x1, x2]` (default off).
    pub fn bias_column(mut self, on: bool) -> Self {
        self.bias_column = on;
        self
    }

    /// Draws the points and splits them into the two classes.
    pub fn generate(&self) -> TwoClassData {
        let mut rng = Rng::new(self.seed);
        let ((a1, b1), (a2, b2)) = self.boundary.ranges();
        // Like the lecture: all x1 first, then all x2.
        let x1: Vec<f64> = (0..self.samples).map(|_| rng.uniform(a1, b1)).collect();
        let x2: Vec<f64> = (0..self.samples).map(|_| rng.uniform(a2, b2)).collect();
        let (c1, c0): (Vec<usize>, Vec<usize>) =
            (0..self.samples).partition(|&i| self.boundary.g(x1[i], x2[i]) >= 0.0);
        let mut rows = Vec::with_capacity(self.samples * 3);
        for &i in c1.iter().chain(&c0) {
            if self.bias_column {
                rows.push(1f32);
            }
            rows.push(x1[i] as f32);
            rows.push(x2[i] as f32);
        }
        let width = if self.bias_column { 3 } else { 2 };
        let train_x = Tensor::from_slice(&rows).view([self.samples as i64, width]);
        let labels: Vec<i64> = c1.iter().map(|_| 1).chain(c0.iter().map(|_| 0)).collect();
        let train_y = Tensor::from_slice(&labels)
            .to_kind(Kind::Float)
            .view([self.samples as i64, 1]);
        TwoClassData {
            boundary: self.boundary,
            x1,
            x2,
            c1,
            c0,
            train_x,
            train_y,
            labels,
        }
    }
}

/// A two-class data set as the lecture builds it.
#[derive(Debug)]
pub struct TwoClassData {
    /// The boundary that made the classes.
    pub boundary: Boundary,
    /// First coordinate of every point, in draw order.
    pub x1: Vec<f64>,
    /// Second coordinate of every point, in draw order.
    pub x2: Vec<f64>,
    /// Indices (into `x1`, `x2`) of class 1, the lecture's `C1`.
    pub c1: Vec<usize>,
    /// Indices (into `x1`, `x2`) of class 0, the lecture's `C0`.
    pub c0: Vec<usize>,
    /// `m × 2` (or `m × 3` with the bias column) float features, class-1 rows first.
    pub train_x: Tensor,
    /// `m × 1` float targets: `N` ones then `M` zeros.
    pub train_y: Tensor,
    /// The same targets as integers, row-aligned with `train_x`.
    pub labels: Vec<i64>,
}

impl TwoClassData {
    /// Number of class-1 points, the lecture's `N`.
    pub fn n(&self) -> usize {
        self.c1.len()
    }

    /// Number of class-0 points, the lecture's `M`.
    pub fn m0(&self) -> usize {
        self.c0.len()
    }

    /// `x1[idx]`, `x2[idx]` of a class, ready to plot: `data.class_points(&data.c1)`.
    pub fn class_points(&self, idx: &[usize]) -> (Vec<f64>, Vec<f64>) {
        (
            idx.iter().map(|&i| self.x1[i]).collect(),
            idx.iter().map(|&i| self.x2[i]).collect(),
        )
    }

    /// Targets as `±1` (`m × 1`), the lecture's first labelling.
    pub fn targets_pm1(&self) -> Tensor {
        &self.train_y * 2.0 - 1.0
    }

    /// One-hot targets (`m × 2`): class 1 → `[0, 1]`, class 0 → `[1, 0]`.
    pub fn one_hot_targets(&self) -> Tensor {
        OneHotEncoder::fit(&self.labels)
            .transform(&self.labels)
            .expect("labels were fitted")
    }
}

/// One-hot encoding of integer labels into `n_classes` columns (float 0/1).
///
/// Errors name the offending label when it is negative or not below `n_classes`.
pub fn one_hot(labels: &[i64], n_classes: usize) -> Result<Tensor> {
    let mut out = vec![0f32; labels.len() * n_classes];
    for (row, &label) in labels.iter().enumerate() {
        if label < 0 || label as usize >= n_classes {
            bail!(
                "one_hot: label {label} at position {row} is outside 0..{n_classes}; \
                 pass a larger n_classes or fix the label"
            );
        }
        out[row * n_classes + label as usize] = 1.0;
    }
    Ok(Tensor::from_slice(&out).view([labels.len() as i64, n_classes as i64]))
}

/// The lecture's `OneHotEncoder`: categories are the sorted distinct labels it was fitted on,
/// and each label becomes a row with a single 1 in its category's column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneHotEncoder {
    /// The fitted categories, sorted.
    pub categories: Vec<i64>,
}

impl OneHotEncoder {
    /// Learns the categories from `labels`.
    pub fn fit(labels: &[i64]) -> Self {
        let mut categories = labels.to_vec();
        categories.sort_unstable();
        categories.dedup();
        OneHotEncoder { categories }
    }

    /// Encodes `labels`; a label that was not seen in `fit` is an error naming it.
    pub fn transform(&self, labels: &[i64]) -> Result<Tensor> {
        let indices = labels
            .iter()
            .map(|label| match self.categories.binary_search(label) {
                Ok(i) => Ok(i as i64),
                Err(_) => bail!(
                    "OneHotEncoder: label {label} was not among the fitted categories {:?}",
                    self.categories
                ),
            })
            .collect::<Result<Vec<_>>>()?;
        one_hot(&indices, self.categories.len())
    }

    /// `fit` then `transform` on a label tensor of any shape (read as integers).
    pub fn fit_transform(labels: &Tensor) -> Result<Tensor> {
        let labels: Vec<i64> = Vec::try_from(labels.flatten(0, -1).to_kind(Kind::Int64))?;
        Self::fit(&labels).transform(&labels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tensors_convert_to_rows() {
        let t = Tensor::from_slice(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).view([2, 3]);
        assert_eq!(
            to_rows(&t).unwrap(),
            vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0, 6.0]]
        );
        assert!(to_rows(&t.view([6]))
            .unwrap_err()
            .to_string()
            .contains("[6]"));
        assert_eq!(to_vec(&t.view([3, 2])).unwrap().len(), 6);
    }

    #[test]
    fn xor_targets_are_the_truth_table() {
        let (x, y) = xor_table();
        let x: Vec<f32> = Vec::try_from(x.flatten(0, -1)).unwrap();
        let y: Vec<f32> = Vec::try_from(y.flatten(0, -1)).unwrap();
        for (row, t) in x.chunks(2).zip(y) {
            assert_eq!((row[0] != row[1]) as i32 as f32, t);
        }
    }

    #[test]
    fn recipes_follow_their_boundaries_and_ranges() {
        for recipe in [
            DataRecipe::linear(),
            DataRecipe::quadratic(),
            DataRecipe::product(),
        ] {
            let d = recipe.seed(5).generate();
            let ((a1, b1), (a2, b2)) = d.boundary.ranges();
            assert_eq!(d.n() + d.m0(), 1000);
            assert!(
                d.n() > 50 && d.m0() > 50,
                "{:?} is too lopsided",
                d.boundary
            );
            for &i in &d.c1 {
                assert!(d.boundary.g(d.x1[i], d.x2[i]) >= 0.0);
            }
            for &i in &d.c0 {
                assert!(d.boundary.g(d.x1[i], d.x2[i]) < 0.0);
            }
            assert!(d.x1.iter().all(|v| (a1..b1).contains(v)));
            assert!(d.x2.iter().all(|v| (a2..b2).contains(v)));
            // Rows are C1 first, then C0, with targets to match.
            let first = d.c1[0];
            let row: Vec<f32> = Vec::try_from(d.train_x.get(0)).unwrap();
            assert_eq!(row, vec![d.x1[first] as f32, d.x2[first] as f32]);
            assert_eq!(d.train_y.double_value(&[0, 0]), 1.0);
            assert_eq!(d.train_y.double_value(&[999, 0]), 0.0);
            assert_eq!(d.train_y.sum(Kind::Float).double_value(&[]), d.n() as f64);
        }
    }

    #[test]
    fn same_seed_same_data_and_bias_column_is_ones() {
        let a = DataRecipe::linear().seed(3).bias_column(true).generate();
        let b = DataRecipe::linear().seed(3).bias_column(true).generate();
        assert!(a.train_x.equal(&b.train_x));
        assert_eq!(a.train_x.size(), [1000, 3]);
        assert!(a.train_x.select(1, 0).eq(1.0).all().int64_value(&[]) == 1);
        let c = DataRecipe::linear().seed(4).generate();
        assert_ne!(a.x1, c.x1);
    }

    #[test]
    fn one_hot_matches_the_lecture_and_rejects_bad_labels() {
        let t = one_hot(&[1, 0, 2], 3).unwrap();
        let v: Vec<f32> = Vec::try_from(t.flatten(0, -1)).unwrap();
        assert_eq!(v, vec![0., 1., 0., 1., 0., 0., 0., 0., 1.]);
        let err = one_hot(&[0, 3], 3).unwrap_err().to_string();
        assert!(err.contains("label 3 at position 1"), "{err}");
        assert!(one_hot(&[-1], 2).is_err());

        // y in {1, 0}  =>  y in {[0,1], [1,0]}
        let d = DataRecipe::linear().generate();
        let oh = d.one_hot_targets();
        assert_eq!(oh.size(), [1000, 2]);
        let first: Vec<f32> = Vec::try_from(oh.get(0)).unwrap();
        let last: Vec<f32> = Vec::try_from(oh.get(999)).unwrap();
        assert_eq!((first, last), (vec![0., 1.], vec![1., 0.]));
        let enc = OneHotEncoder::fit(&[5, 1, 5]);
        assert_eq!(enc.categories, vec![1, 5]);
        assert!(enc
            .transform(&[6])
            .unwrap_err()
            .to_string()
            .contains("label 6"));
        let t = OneHotEncoder::fit_transform(&Tensor::from_slice(&[1f32, 0., 1.])).unwrap();
        assert_eq!(t.size(), [3, 2]);
    }
}
