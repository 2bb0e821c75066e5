#!/usr/bin/env bash
# The CUDA path on a GPU machine: run it there with the binaries built here (see README, GPU).
#   here:  cargo build --release --bin bench --bin doctor && cargo test --no-run --lib
#   there: bash bench/gpu_check.sh
# Prints the device, whether CUDA is available, the unit tests that touch the device, and the two
# MNIST workloads on the GPU and on the CPU with their results side by side.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
torch_lib="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')" || {
  echo "gpu_check: no torch in python3 here" >&2; exit 1; }
export LD_LIBRARY_PATH="$torch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | sed 's/^/gpu: /'
./target/release/doctor | grep -E "libtorch|CUDA"
unit="$(ls -t target/debug/deps/lectureutil-* 2>/dev/null | grep -v '\.d$' | head -n 1)"
[ -n "$unit" ] && "$unit" device:: mnist:: 2>&1 | grep -E "^test |test result"
echo "MNIST workloads, GPU:"
./target/release/bench mnist_mlp autoencoder
echo "MNIST workloads, CPU:"
./target/release/bench --cpu mnist_mlp autoencoder
