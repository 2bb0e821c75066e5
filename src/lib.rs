//! # lectureutil
//!
//! The helper crate of a Rust course on artificial neural networks: the lecture's data sets,
//! an MNIST reader, plots that show inline in Jupyter (evcxr kernel), device and timing helpers,
//! and the check helpers of the exercises. The machinery that turns the notebooks into programs
//! and grades them is the separate `course/` crate: nothing of it is compiled into a kernel.
//!
//! A notebook pulls everything in with one line:
//!
//! ```text
//! :dep lectureutil = { path = ".." }
//! use lectureutil::prelude::*;
//! ```
#![warn(missing_docs)]

pub use anyhow;
pub use tch;

pub mod data;
pub mod device;
pub mod exercise;
pub mod losses;
pub mod mnist;
pub mod platform;
pub mod plot;
pub mod rng;
pub mod script;
pub mod timing;

/// Everything a lecture notebook uses, in one import.
pub mod prelude {
    pub use crate::data::{
        self, one_hot, to_rows, to_vec, DataRecipe, OneHotEncoder, TwoClassData,
    };
    pub use crate::device::{best_device, seed_everything};
    pub use crate::exercise::{
        accuracy, check, check_at_least, check_at_most, check_close, check_each_alone, check_roles,
    };
    pub use crate::losses::{sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits};
    pub use crate::mnist::{self, read_data_sets};
    pub use crate::plot::{
        arange, iterations, linspace, Chart, Color, Diagram, Figure, Image, Series,
    };
    pub use crate::timing::{time_it, Timer};
    pub use anyhow::{self, bail, ensure, Context, Result};
    pub use tch::{self, nn, nn::Module, nn::ModuleT, nn::OptimizerConfig, Device, Kind, Tensor};
}
