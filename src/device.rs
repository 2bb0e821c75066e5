//! Device choice and reproducibility.

use tch::Device;

/// CUDA device 0 when libtorch sees a GPU, else the CPU.
pub fn best_device() -> Device {
    Device::cuda_if_available()
}

/// Seeds libtorch's generators (CPU and CUDA), so that weight initialisation and dropout repeat
/// exactly. The data sets in [`crate::data`] and [`crate::mnist`] take their own seeds.
pub fn seed_everything(seed: u64) {
    tch::manual_seed(seed as i64);
    if tch::Cuda::is_available() {
        tch::Cuda::manual_seed_all(seed);
    }
}

/// Whether this binary really links libtorch's CUDA library (`libtorch_cuda.so` is loaded in
/// this process), whatever GPU the machine has.
pub fn cuda_linked() -> bool {
    std::fs::read_to_string("/proc/self/maps")
        .map(|maps| maps.contains("libtorch_cuda.so"))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{Kind, Tensor};

    #[test]
    fn seeding_repeats_weight_initialisation() {
        seed_everything(42);
        let a = Tensor::randn([3, 2], (Kind::Float, Device::Cpu));
        seed_everything(42);
        let b = Tensor::randn([3, 2], (Kind::Float, Device::Cpu));
        assert!(a.equal(&b));
    }

    #[test]
    fn tests_link_cuda_support_and_pick_a_device() {
        // build.rs links libtorch_cuda.so with --no-as-needed.
        assert!(
            cuda_linked(),
            "libtorch_cuda.so is not loaded: see build.rs"
        );
        let device = best_device();
        assert_eq!(device.is_cuda(), tch::Cuda::is_available());
    }
}
