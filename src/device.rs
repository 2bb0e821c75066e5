//! Device choice and reproducibility.

use tch::Device;

/// CUDA device 0 when libtorch sees a GPU, else Apple's GPU (MPS) where libtorch reports it
/// (a Mac with Apple Silicon), else the CPU.
pub fn best_device() -> Device {
    if tch::Cuda::is_available() {
        Device::Cuda(0)
    } else if tch::utils::has_mps() {
        Device::Mps
    } else {
        Device::Cpu
    }
}

/// Seeds libtorch's generators (CPU and CUDA), so that weight initialisation and dropout repeat
/// exactly. The data sets in [`crate::data`] and [`crate::mnist`] take their own seeds.
pub fn seed_everything(seed: u64) {
    tch::manual_seed(seed as i64);
    if tch::Cuda::is_available() {
        tch::Cuda::manual_seed_all(seed);
    }
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
        // build.rs links libtorch_cuda.so with --no-as-needed where the CUDA set-up is
        // installed, and leaves it out of the CPU-only one.
        let cuda_file = crate::platform::Os::current().shared_library("torch_cuda");
        let cuda_setup = option_env!("LECTUREUTIL_SETUP") == Some("cuda");
        assert_eq!(
            crate::platform::loaded_library(&cuda_file).is_some(),
            cuda_setup,
            "libtorch_cuda.so loaded where the set-up is {:?}: see build.rs",
            option_env!("LECTUREUTIL_SETUP")
        );
        let device = best_device();
        assert_eq!(device.is_cuda(), tch::Cuda::is_available());
        assert_eq!(
            device == Device::Mps,
            !tch::Cuda::is_available() && tch::utils::has_mps()
        );
    }

    /// One MNIST-sized MLP step (the lecture's losses, gradients, accuracy) on the best device,
    /// checked against the same step on the CPU. On a GPU machine that is the CUDA path.
    #[test]
    fn a_training_step_on_the_best_device_agrees_with_the_cpu() {
        use crate::exercise::accuracy;
        use crate::losses::{sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits};
        // Fixed inputs, not libtorch's global generator: the seeding test in another test
        // thread reseeds and draws from it, and the two must not interleave.
        let wave = |n: i64, step: f64| (Tensor::arange(n, (Kind::Float, Device::Cpu)) * step).sin();
        let x = wave(50 * 784, 0.37).abs().view([50, 784]);
        let labels = Tensor::arange(50, (Kind::Int64, Device::Cpu)).remainder(10);
        let y = labels.one_hot(10).to_kind(Kind::Float);
        let w_h = wave(784 * 100, 0.11).view([784, 100]) * 0.1;
        let w_o = wave(100 * 10, 0.23).view([100, 10]) * 0.1;
        let step = |device: Device| {
            // detach: on the CPU `to_device` is the same tensor, which must stay a plain leaf.
            let w_h = w_h.to_device(device).detach().set_requires_grad(true);
            let w_o = w_o.to_device(device).detach().set_requires_grad(true);
            let (x, y) = (x.to_device(device), y.to_device(device));
            let logits = x.matmul(&w_h).relu().matmul(&w_o);
            let loss = softmax_cross_entropy_with_logits(&logits, &y).mean(Kind::Float)
                + sigmoid_cross_entropy_with_logits(&logits, &y).mean(Kind::Float);
            loss.backward();
            let acc = tch::no_grad(|| accuracy(&logits, &y));
            assert_eq!(logits.device(), device);
            (
                loss.double_value(&[]),
                w_h.grad().to_device(Device::Cpu),
                w_o.grad().to_device(Device::Cpu),
                acc,
            )
        };
        let device = best_device();
        let (loss_cpu, gh_cpu, go_cpu, acc_cpu) = step(Device::Cpu);
        let (loss_dev, gh_dev, go_dev, acc_dev) = step(device);
        let max_diff = |a: &Tensor, b: &Tensor| (a - b).abs().max().double_value(&[]);
        let (hidden_diff, output_diff) = (max_diff(&gh_cpu, &gh_dev), max_diff(&go_cpu, &go_dev));
        println!(
            "{device:?} vs CPU: loss {loss_dev} vs {loss_cpu}, gradient differences {hidden_diff:e} and {output_diff:e}, accuracy {acc_dev} vs {acc_cpu}"
        );
        assert!(
            (loss_cpu - loss_dev).abs() < 1e-5,
            "loss on {device:?} {loss_dev} vs CPU {loss_cpu}"
        );
        assert!(hidden_diff < 1e-5, "hidden gradients differ on {device:?}");
        assert!(output_diff < 1e-5, "output gradients differ on {device:?}");
        assert_eq!(acc_cpu, acc_dev, "accuracy on {device:?}");
    }
}
