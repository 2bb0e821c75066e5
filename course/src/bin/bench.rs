//! The lecture's seven training workloads with the lecture's settings, through the same
//! `lectureutil` code the notebooks use (data recipes, losses, MNIST batches, tch optimizers).
//!
//! `cargo run --release --bin bench [-- --json] [--threads N] [--cpu] [--repeat N] [WORKLOAD…]`
//! (`--repeat N`: run each workload N times in one process, report the last) prints, per workload,
//! microseconds per iteration, the final loss and the accuracy (or test MSE). `bench/compare.py`
//! runs it alternately with the PyTorch peer `bench/peer.py` and prints the ratios.
use lectureutil::anyhow::Result;
use lectureutil::mnist::DataSet;
use lectureutil::prelude::*;

/// The lecture's initialisation of every weight and bias: `tf.random_normal(stddev=0.1)`.
const INIT: nn::Init = nn::Init::Randn {
    mean: 0.0,
    stdev: 0.1,
};

/// A workload that trains and reports.
type Workload = fn() -> Result<Outcome>;

/// What one workload measured.
struct Outcome {
    name: &'static str,
    iterations: usize,
    seconds: f64,
    final_loss: f64,
    metric_name: &'static str,
    metric: f64,
    device: Device,
    /// Seconds of the first of several runs in this process (`--repeat`), which pays the
    /// one-time set-up (CUDA context, cuBLAS handles, lazily loaded kernels).
    first_seconds: Option<f64>,
}

/// Runs `workload` `times` times in this process and keeps the last, noting the first's time.
fn repeated(times: usize, workload: impl Fn() -> Result<Outcome>) -> Result<Outcome> {
    let first = workload()?;
    let mut last = None;
    for _ in 1..times {
        last = Some(workload()?);
    }
    Ok(match last {
        Some(last) => Outcome {
            first_seconds: Some(first.seconds),
            ..last
        },
        None => first,
    })
}

/// Trains `loss` with `optm` for `n_iter` steps, reading the loss back only at the print cycle
/// (every 250 steps) as the notebooks do; returns the seconds spent and the last recorded loss.
fn train(
    n_iter: usize,
    optm: &mut nn::Optimizer,
    mut loss: impl FnMut() -> Result<Tensor>,
) -> Result<(f64, f64)> {
    let timer = Timer::start();
    let mut last = f64::NAN;
    for epoch in 0..n_iter {
        let l = loss()?;
        optm.backward_step(&l);
        if epoch % 250 == 0 || epoch + 1 == n_iter {
            last = l.double_value(&[]);
        }
    }
    Ok((timer.seconds(), last))
}

fn small(
    name: &'static str,
    recipe: DataRecipe,
    bias_column: bool,
    hidden: i64,
    one_hot: bool,
    lr: f64,
    n_iter: usize,
) -> Result<Outcome> {
    seed_everything(0);
    let data = recipe.seed(0).bias_column(bias_column).generate();
    let x = data.train_x.shallow_clone();
    let y = if one_hot {
        data.one_hot_targets()
    } else {
        data.train_y.shallow_clone()
    };
    let (n_in, n_out) = (x.size()[1], y.size()[1]);
    let vs = nn::VarStore::new(Device::Cpu);
    let root = vs.root();
    let (w_h, b_h) = if hidden > 0 {
        (
            Some(root.var("w_hidden", &[n_in, hidden], INIT)),
            Some(root.var("b_hidden", &[hidden], INIT)),
        )
    } else {
        (None, None)
    };
    let w_o = root.var(
        "w_output",
        &[if hidden > 0 { hidden } else { n_in }, n_out],
        INIT,
    );
    let b_o = (!bias_column).then(|| root.var("b_output", &[n_out], INIT));
    let forward = |x: &Tensor| -> Tensor {
        let h = match (&w_h, &b_h) {
            (Some(w), Some(b)) => (x.matmul(w) + b).sigmoid(),
            _ => x.shallow_clone(),
        };
        let out = h.matmul(&w_o);
        match &b_o {
            Some(b) => out + b,
            None => out,
        }
    };
    let loss_of = |logits: &Tensor| -> Tensor {
        if one_hot {
            softmax_cross_entropy_with_logits(logits, &y).mean(Kind::Float)
        } else {
            sigmoid_cross_entropy_with_logits(logits, &y).mean(Kind::Float)
        }
    };
    let mut optm = nn::Sgd::default().build(&vs, lr)?;
    let (seconds, final_loss) = train(n_iter, &mut optm, || Ok(loss_of(&forward(&x))))?;
    let metric = tch::no_grad(|| accuracy(&forward(&x), &y));
    Ok(Outcome {
        name,
        iterations: n_iter,
        seconds,
        final_loss,
        metric_name: "train_acc",
        metric,
        device: Device::Cpu,
        first_seconds: None,
    })
}

fn mnist_mlp(device: Device) -> Result<Outcome> {
    seed_everything(0);
    let mut sets = read_data_sets(mnist::default_dir(), true)?;
    let vs = nn::VarStore::new(device);
    let root = vs.root();
    let (w_h, b_h) = (
        root.var("w_hidden", &[784, 100], INIT),
        root.var("b_hidden", &[100], INIT),
    );
    let (w_o, b_o) = (
        root.var("w_output", &[100, 10], INIT),
        root.var("b_output", &[10], INIT),
    );
    let forward = |x: &Tensor| (x.matmul(&w_h) + &b_h).relu().matmul(&w_o) + &b_o;
    let mut optm = nn::Adam::default().build(&vs, 1e-4)?;
    let train_set: &mut DataSet = &mut sets.train;
    let (seconds, final_loss) = train(3000, &mut optm, || {
        let (x, y) = train_set.next_batch(50)?;
        Ok(
            softmax_cross_entropy_with_logits(&forward(&x.to_device(device)), &y.to_device(device))
                .mean(Kind::Float),
        )
    })?;
    let metric = tch::no_grad(|| {
        accuracy(
            &forward(&sets.test.images.to_device(device)),
            &sets.test.labels.to_device(device),
        )
    });
    Ok(Outcome {
        name: "mnist_mlp",
        iterations: 3000,
        seconds,
        final_loss,
        metric_name: "test_acc",
        metric,
        device,
        first_seconds: None,
    })
}

fn autoencoder(device: Device) -> Result<Outcome> {
    seed_everything(0);
    let sets = read_data_sets(mnist::default_dir(), true)?;
    let mut train_set = sets.train.filter_digits(&[1, 5, 6])?;
    let test_set = sets.test.filter_digits(&[1, 5, 6])?;
    let vs = nn::VarStore::new(device);
    let sizes = [784i64, 500, 300, 2, 300, 500, 784];
    let layers: Vec<(Tensor, Tensor)> = sizes
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            (
                vs.root().var(&format!("w{i}"), &[w[0], w[1]], INIT),
                vs.root().var(&format!("b{i}"), &[w[1]], INIT),
            )
        })
        .collect();
    // tanh after every layer but the latent (3rd) and the reconstruction (6th).
    let forward = |x: &Tensor| {
        layers
            .iter()
            .enumerate()
            .fold(x.shallow_clone(), |h, (i, (w, b))| {
                let z = h.matmul(w) + b;
                if i == 2 || i == 5 {
                    z
                } else {
                    z.tanh()
                }
            })
    };
    let mut optm = nn::Adam::default().build(&vs, 1e-4)?;
    let (seconds, final_loss) = train(2500, &mut optm, || {
        let (x, _) = train_set.random_batch(50)?;
        let x = x.to_device(device);
        Ok((&x - forward(&x)).square().mean(Kind::Float))
    })?;
    let test_x = test_set.images.to_device(device);
    let metric = tch::no_grad(|| {
        (&test_x - forward(&test_x))
            .square()
            .mean(Kind::Float)
            .double_value(&[])
    });
    Ok(Outcome {
        name: "autoencoder",
        iterations: 2500,
        seconds,
        final_loss,
        metric_name: "test_mse",
        metric,
        device,
        first_seconds: None,
    })
}

/// `cpu` or `cuda`, as PyTorch names them.
fn device_name(device: Device) -> &'static str {
    if device.is_cuda() {
        "cuda"
    } else {
        "cpu"
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let threads: Option<i32> = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1)?.parse().ok());
    let wanted: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--") && a.parse::<i32>().is_err())
        .map(String::as_str)
        .collect();
    let run = |name: &str| wanted.is_empty() || wanted.contains(&name);
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(1)
        .max(1);
    let device = if args.iter().any(|a| a == "--cpu") {
        Device::Cpu
    } else {
        best_device()
    };
    // libtorch's default thread count, as in the notebooks; `--threads N` to try others (one
    // thread for the tiny models measured 117 µs against 48 µs once, then no clear difference in
    // three alternating runs: this machine's noise is larger than the effect).
    if let Some(n) = threads {
        tch::set_num_threads(n);
    }
    let mut outcomes = Vec::new();
    let smalls: [(&'static str, Workload); 5] = [
        ("logreg", || {
            small("logreg", DataRecipe::linear(), true, 0, false, 0.05, 10000)
        }),
        ("bias", || {
            small("bias", DataRecipe::linear(), false, 0, false, 0.05, 15000)
        }),
        ("onehot", || {
            small("onehot", DataRecipe::linear(), false, 0, true, 0.05, 10000)
        }),
        ("mlp_2_2_2", || {
            small(
                "mlp_2_2_2",
                DataRecipe::quadratic(),
                false,
                2,
                true,
                0.01,
                30000,
            )
        }),
        ("mlp_2_4_2", || {
            small(
                "mlp_2_4_2",
                DataRecipe::product(),
                false,
                4,
                true,
                0.01,
                40000,
            )
        }),
    ];
    for (name, f) in smalls {
        if run(name) {
            outcomes.push(repeated(repeat, f)?);
        }
    }
    if run("mnist_mlp") {
        outcomes.push(repeated(repeat, || mnist_mlp(device))?);
    }
    if run("autoencoder") {
        outcomes.push(repeated(repeat, || autoencoder(device))?);
    }
    if run("mnist_load") {
        let timer = Timer::start();
        let sets = read_data_sets(mnist::default_dir(), true)?;
        let seconds = timer.seconds();
        let n =
            sets.train.num_examples() + sets.validation.num_examples() + sets.test.num_examples();
        outcomes.push(Outcome {
            name: "mnist_load",
            iterations: 1,
            seconds,
            final_loss: f64::NAN,
            metric_name: "images",
            metric: n as f64,
            device: Device::Cpu,
            first_seconds: None,
        });
    }
    for o in &outcomes {
        let us = o.seconds / o.iterations as f64 * 1e6;
        if json {
            let mut record = serde_json::json!({
                "workload": o.name,
                "us_per_iter": us,
                "final_loss": o.final_loss.is_finite().then_some(o.final_loss),
                "device": device_name(o.device),
            });
            record[o.metric_name] = o.metric.into();
            if let Some(first) = o.first_seconds {
                record["first_us_per_iter"] = (first / o.iterations as f64 * 1e6).into();
            }
            println!("{record}");
        } else {
            println!(
                "{:<12} {us:>10.1} us/iter   final loss {:>8.4}   {} {:.4}",
                o.name, o.final_loss, o.metric_name, o.metric
            );
        }
    }
    Ok(())
}
