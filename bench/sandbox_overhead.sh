#!/usr/bin/env bash
# The sandbox's cost, measured in one sitting, each workload in the sandbox and unconfined
# (LECTUREUTIL_UNCONFINED=1, `grade --unconfined`), alternating, nothing reused from stored runs:
# 1. the exercise grader (`cargo test --test exercises` with LECTUREUTIL_FULL=1: every
#    notebook's reference run and every exercise of the student's notebooks/);
# 2. a synthetic class of STUDENTS on notebooks 01, 04 and 05 (`notebook grade`, a scratch
#    folder of its own each time).
#
#   bash bench/sandbox_overhead.sh [STUDENTS] [ROUNDS]      (defaults 10 and 1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
students="${1:-10}"
rounds="${2:-1}"
cargo build --quiet --bin notebook --tests
dir="target/bench-sandbox"
rm -rf "$dir"
mkdir -p "$dir"
target/debug/notebook class "$students" "$dir/class" --seed=1 >/dev/null
seconds() { echo "$(date +%s.%N) - $1" | bc; }
for round in $(seq "$rounds"); do
  for mode in confined unconfined; do
    unconfined=()
    [ "$mode" = unconfined ] && unconfined=(LECTUREUTIL_UNCONFINED=1)
    start=$(date +%s.%N)
    env "${unconfined[@]}" LECTUREUTIL_FULL=1 cargo test --quiet -p lectureutil-course --test exercises \
      >"$dir/exercises-$mode-$round.log" 2>&1 || { echo "exercise grader failed ($mode): $dir/exercises-$mode-$round.log"; exit 1; }
    echo "round $round, $mode: exercise grader (nothing stored) $(seconds "$start") s"
    extra=()
    [ "$mode" = unconfined ] && extra=(--unconfined)
    start=$(date +%s.%N)
    env "${unconfined[@]}" target/debug/notebook grade "$dir/class/submissions" \
      --out="$dir/graded-$mode-$round" --notebooks=01,04,05 "${extra[@]}" >"$dir/grade-$mode-$round.log" 2>&1 \
      || { echo "grading failed ($mode): $dir/grade-$mode-$round.log"; exit 1; }
    echo "round $round, $mode: $students students x notebooks 01, 04, 05 graded in $(seconds "$start") s"
  done
done
