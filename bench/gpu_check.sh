#!/usr/bin/env bash
# The CUDA path on a GPU machine, with binaries built on a CPU machine (docs/maintainer.md, "The GPU check").
#   here:  bash bench/gpu_check.sh --prepare     (builds, gathers what to carry into target/gpu-check)
#   there: bash bench/gpu_check.sh               (python3 there holds torch 2.11.0)
# Prints the device, whether CUDA is available, the unit tests that run on the best device, the
# two MNIST workloads against PyTorch on the GPU and on the CPU, and whether GPU and CPU agree.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kit=target/gpu-check

if [ "${1:-}" = "--prepare" ]; then
  set -e
  cargo build --release --bin bench --bin doctor
  unit="$(cargo test --release --lib --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l)
    if r.get("reason") == "compiler-artifact" and r.get("executable") and r["target"]["name"] == "lectureutil":
        print(r["executable"])')"
  rm -rf "$kit" && mkdir -p "$kit/MNIST_data"
  cp "$unit" "$kit/unit-tests"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    gzip -c "MNIST_data/$f" >"$kit/MNIST_data/$f.gz"
  done
  du -sh "$kit" target/release/bench target/release/doctor
  echo "carry: target/release/bench target/release/doctor $kit"
  exit 0
fi

torch_lib="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')" || {
  echo "gpu_check: no torch in python3 here" >&2; exit 1; }
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LECTUREUTIL_MNIST_DIR="${LECTUREUTIL_MNIST_DIR:-$PWD/$kit/MNIST_data}"
out="${OUT:-$kit}"
echo "== device"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | sed 's/^/gpu: /'
python3 -c 'import torch; print("python torch", torch.__version__, "cuda available:", torch.cuda.is_available())'
./target/release/doctor 2>&1 | grep -E "libtorch|CUDA"
echo "== unit tests (the device ones run on CUDA when it is there)"
"$kit/unit-tests" --test-threads 1 data:: device:: exercise:: losses:: mnist:: plot:: 2>&1 |
  grep -E "^test .*(device|FAILED)|^device |test result"
echo "== MNIST workloads on the GPU: lectureutil vs PyTorch (two runs per process, the second kept)"
python3 bench/compare.py --no-build --cuda --runs 3 --repeat 2 --save "$out/gpu.json" mnist_mlp autoencoder
echo "== the same on this machine's CPU ($(nproc) cores)"
python3 bench/compare.py --no-build --runs 3 --save "$out/cpu.json" mnist_mlp autoencoder
echo "== summary: lectureutil, GPU vs CPU"
python3 - "$out/gpu.json" "$out/cpu.json" <<'PY'
import json, sys
gpu, cpu = (json.load(open(p)) for p in sys.argv[1:])
tolerance = {"test_acc": 0.01, "test_mse": 0.005}
for name, g in gpu.items():
    c = cpu[name]
    agree = abs(g["lectureutil"] - c["lectureutil"]) <= tolerance[g["metric"]]
    first = f" (first run {g['lectureutil_first_us']:.1f})" if "lectureutil_first_us" in g else ""
    print(f"{name:<12} {g['device']}: {g['lectureutil_us']:8.1f} us/iter{first}  cpu: {c['lectureutil_us']:8.1f} us/iter"
          f"  ({c['lectureutil_us'] / g['lectureutil_us']:.1f}x)  {g['metric']} {g['lectureutil']:.4f} vs {c['lectureutil']:.4f}"
          f"  {'agree' if agree else 'DISAGREE'} (within {tolerance[g['metric']]})")
PY
