"""Runs the Rust benchmark and the PyTorch peer alternately in one invocation and prints, per
workload, the median microseconds per iteration of each, their ratio, and the results.

    .venv/bin/python bench/compare.py [--runs 3] [--cuda] [--no-build] [--save FILE] [--repeat N]
                        [WORKLOAD ...]
                                                                  (or: ./course.sh bench)

Both sides train on the CPU; with --cuda both train the MNIST workloads on the GPU. --no-build
uses the `target/release/bench` already there (a GPU machine without cargo). --save writes the
medians as JSON too. --repeat N runs each workload N times per process and keeps the last
(steady state; on a GPU the first run pays CUDA's one-time set-up).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The lecture's TensorFlow 1 figures, measured on these 2-core machines (shared/notes/stack-facts.md).
SEED_TF1 = {"logreg": 211, "bias": 207, "onehot": 243, "mlp_2_2_2": 296, "mlp_2_4_2": 299, "mnist_mlp": 1061, "autoencoder": 3665}


def run(cmd):
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    out = done.stdout
    return {r["workload"]: r for r in map(json.loads, filter(None, out.splitlines()))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workloads", nargs="*", help="names to run (default: all)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs of each side (medians are reported)")
    parser.add_argument("--repeat", type=int, help="runs of each workload per process, the last kept")
    parser.add_argument("--save", help="also write the medians to this JSON file")
    parser.add_argument("--cuda", action="store_true", help="train the MNIST workloads on the GPU")
    parser.add_argument("--no-build", action="store_true", help="use the target/release/bench already built")
    opts = parser.parse_args()
    runs = opts.runs
    if not opts.no_build:
        subprocess.run(["cargo", "build", "--quiet", "--release", "--bin", "bench"], cwd=ROOT, check=True)
    repeat = ["--repeat", str(opts.repeat)] if opts.repeat else []
    rust_cmd = [os.path.join(ROOT, "target/release/bench"), "--json", *([] if opts.cuda else ["--cpu"]), *repeat, *opts.workloads]
    peer_cmd = [sys.executable, os.path.join(ROOT, "bench/peer.py"), "--json", *(["--cuda"] if opts.cuda else []), *repeat, *opts.workloads]
    rust, peer = [], []
    for r in range(runs):
        print(f"run {r + 1}/{runs}: lectureutil …", file=sys.stderr, flush=True)
        rust.append(run(rust_cmd))
        print(f"run {r + 1}/{runs}: PyTorch …", file=sys.stderr, flush=True)
        peer.append(run(peer_cmd))
    metric_of = lambda rec: next(k for k in ("train_acc", "test_acc", "test_mse", "images") if k in rec)
    devices = {name: rec.get("device", "cpu") for name, rec in rust[0].items()}
    print(f"| workload | seed TF1 us/iter | PyTorch us/iter | lectureutil us/iter | PyTorch / lectureutil | result (PyTorch / lectureutil) |")
    print("|---|---|---|---|---|---|")
    medians = {}
    for name in rust[0]:
        r_us = statistics.median(x[name]["us_per_iter"] for x in rust)
        p_us = statistics.median(x[name]["us_per_iter"] for x in peer)
        key = metric_of(rust[0][name])
        r_m = statistics.median(x[name][key] for x in rust)
        p_m = statistics.median(x[name][key] for x in peer)
        fmt = (lambda v: f"{v:.0f}") if key == "images" else (lambda v: f"{v:.3f}")
        medians[name] = dict(device=devices[name], pytorch_us=p_us, lectureutil_us=r_us, metric=key, pytorch=p_m, lectureutil=r_m)
        if "first_us_per_iter" in rust[0][name]:
            medians[name]["lectureutil_first_us"] = statistics.median(x[name]["first_us_per_iter"] for x in rust)
            medians[name]["pytorch_first_us"] = statistics.median(x[name]["first_us_per_iter"] for x in peer)
        tf = SEED_TF1.get(name, "")
        label = name if devices[name].lower() == "cpu" else f"{name} ({devices[name]})"
        print(f"| {label} | {tf} | {p_us:.0f} | {r_us:.0f} | {p_us / r_us:.2f}x | {key} {fmt(p_m)} / {fmt(r_m)} |")
    firsts = {n: m for n, m in medians.items() if "lectureutil_first_us" in m}
    if firsts:
        print("\nfirst run in each process (one-time set-up included), us/iter, PyTorch / lectureutil: " + ", ".join(
            f"{n} {m['pytorch_first_us']:.0f} / {m['lectureutil_first_us']:.0f}" for n, m in firsts.items()))
    if opts.save:
        with open(opts.save, "w") as f:
            json.dump(medians, f, indent=1)


if __name__ == "__main__":
    main()
