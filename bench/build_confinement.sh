#!/usr/bin/env bash
# What confining a submission's build costs, measured in one sitting, alternating: each workload
# with its builds in the sandbox, then with its builds unconfined (LECTUREUTIL_UNCONFINED_BUILD=1;
# the programs run in the sandbox both times), nothing reused from stored runs:
# 1. the student's loop: exercise 4.1 edited (a new answer each time, so its program is built
#    afresh), then `./course.sh check`'s command on that student folder, ROUNDS times (round 1
#    is a warm-up, left out of the averages: it times notebook 04's reference run once);
# 2. a synthetic class of STUDENTS on notebooks 01, 04 and 05 (`notebook grade`).
#
#   bash bench/build_confinement.sh [STUDENTS] [ROUNDS]      (defaults 10 and 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
students="${1:-10}"
rounds="${2:-5}"
cargo build --quiet --bin notebook --tests
dir="target/bench-build"
rm -rf "$dir"
mkdir -p "$dir/student"
cp lecture/*.ipynb "$dir/student/"
target/debug/notebook class "$students" "$dir/class" --seed=1 >/dev/null
seconds() { echo "$(date +%s.%N) - $1" | bc; }
# Exercise 4.1's cell, filled in with a right answer that differs from the last one.
answer() {
  python3 - "$dir/student/04_recursion_dp.ipynb" "$1" <<'PY'
import json, sys
path, n = sys.argv[1], sys.argv[2]
book = json.load(open(path))
for cell in book["cells"]:
    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    if text.startswith("// Exercise 4.1"):
        head = "".join(l + "\n" for l in text.splitlines()[:2])
        cell["source"] = head + f"fn fib(n: u64) -> u64 {{\n    // try {n}\n    if n <= 2 {{ 1 }} else {{ fib(n - 1) + fib(n - 2) }}\n}}\n"
json.dump(book, open(path, "w"))
PY
}
declare -A loop_total=([confined]=0 [unconfined]=0)
for round in $(seq "$rounds"); do
  for mode in confined unconfined; do
    unconfined=()
    [ "$mode" = unconfined ] && unconfined=(LECTUREUTIL_UNCONFINED_BUILD=1)
    answer "$mode-$round"
    start=$(date +%s.%N)
    env "${unconfined[@]}" LECTUREUTIL_NOTEBOOKS="$PWD/$dir/student" cargo test --quiet -p lectureutil-course \
      --test exercises -- student >"$dir/check-$mode-$round.log" 2>&1 \
      || { echo "check failed ($mode): $dir/check-$mode-$round.log"; exit 1; }
    took=$(seconds "$start")
    [ "$round" -gt 1 ] && loop_total[$mode]=$(echo "${loop_total[$mode]} + $took" | bc)
    echo "round $round, $mode builds: edit 4.1 -> check $took s"
  done
done
for mode in confined unconfined; do
  echo "edit -> check, $mode builds: $(echo "scale=2; ${loop_total[$mode]} / ($rounds - 1)" | bc) s on average over rounds 2 to $rounds"
done
for mode in confined unconfined; do
  unconfined=()
  [ "$mode" = unconfined ] && unconfined=(LECTUREUTIL_UNCONFINED_BUILD=1)
  start=$(date +%s.%N)
  env "${unconfined[@]}" target/debug/notebook grade "$dir/class/submissions" --out="$dir/graded-$mode" \
    --notebooks=01,04,05 >"$dir/class-$mode.log" 2>&1 || { echo "grade failed ($mode): $dir/class-$mode.log"; exit 1; }
  echo "class of $students on notebooks 01, 04, 05, $mode builds: $(seconds "$start") s"
done
