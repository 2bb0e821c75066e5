#!/usr/bin/env bash
# Times grading a synthetic class and checks every verdict.
#
#   bash bench/class_grading.sh [STUDENTS] [SEED]      (defaults: 30 students, seed 1)
#
# Makes STUDENTS submissions of all the course's notebooks from the reference answers (blanks, right
# answers written differently, wrong ones, compile errors, panics, endless loops, early exits,
# file-writing code, edited check cells, a missing and a broken notebook, a copied submission) in
# target/bench-class/, grades them with `notebook grade` (its own scratch folder: no stored result
# of an earlier run is used), then compares every verdict with the one the generator wrote down.
# The reference runs' timings (the base of the time limits) are taken from target/grader/durations/
# when `cargo test` recorded them, else measured first (and counted).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
students="${1:-30}"
seed="${2:-1}"
dir="target/bench-class"
rm -rf "$dir"
cargo build --quiet --bin notebook
target/debug/notebook class "$students" "$dir" --seed="$seed"
start=$(date +%s.%N)
target/debug/notebook grade "$dir/submissions" --out="$dir/graded" | tee "$dir/grade.log" | grep -v '^\[' || true
end=$(date +%s.%N)
target/debug/notebook class-verify "$dir" "$dir/graded"
runs=$(ls "$dir/graded/scratch/runs" | wc -l)
notebooks=$(ls lecture/*.ipynb | wc -l)
echo "graded $students students x $notebooks notebooks in $(echo "$end - $start" | bc) s on $(nproc) cores; $runs distinct programs run"
