//! What can be plotted: lists of numbers, tensors, and the ranges the lecture builds with numpy.

use tch::{Kind, Tensor};

/// Plot input: anything that reads as a list of numbers (tensors of any shape are flattened).
pub trait IntoValues {
    /// The numbers, as `f64`.
    fn into_values(self) -> Vec<f64>;
}

impl IntoValues for &Tensor {
    fn into_values(self) -> Vec<f64> {
        Vec::<f64>::try_from(
            self.detach()
                .to_device(tch::Device::Cpu)
                .to_kind(Kind::Double)
                .flatten(0, -1),
        )
        .expect("a CPU double tensor converts to Vec<f64>")
    }
}

impl IntoValues for Tensor {
    fn into_values(self) -> Vec<f64> {
        (&self).into_values()
    }
}

impl IntoValues for Vec<f64> {
    fn into_values(self) -> Vec<f64> {
        self
    }
}

impl IntoValues for &Vec<f64> {
    fn into_values(self) -> Vec<f64> {
        self.clone()
    }
}

impl IntoValues for &[f64] {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

impl IntoValues for Vec<f32> {
    fn into_values(self) -> Vec<f64> {
        self.iter().map(|&v| v as f64).collect()
    }
}

impl IntoValues for &Vec<f32> {
    fn into_values(self) -> Vec<f64> {
        self.iter().map(|&v| v as f64).collect()
    }
}

impl IntoValues for &[f32] {
    fn into_values(self) -> Vec<f64> {
        self.iter().map(|&v| v as f64).collect()
    }
}

impl<const N: usize> IntoValues for [f64; N] {
    fn into_values(self) -> Vec<f64> {
        self.to_vec()
    }
}

/// `start, start+step, …` below `stop`, like `np.arange`.
pub fn arange(start: f64, stop: f64, step: f64) -> Vec<f64> {
    let n = ((stop - start) / step).ceil().max(0.0) as usize;
    (0..n).map(|i| start + i as f64 * step).collect()
}

/// `n` evenly spaced numbers from `start` to `stop` inclusive, like `np.linspace`.
pub fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    match n {
        0 => vec![],
        1 => vec![start],
        _ => (0..n)
            .map(|i| start + (stop - start) * i as f64 / (n - 1) as f64)
            .collect(),
    }
}

/// The iteration numbers of a loss record taken every `n_prt` iterations:
/// `np.arange(len(loss_record))*n_prt`.
pub fn iterations(records: usize, n_prt: usize) -> Vec<f64> {
    (0..records).map(|i| (i * n_prt) as f64).collect()
}
