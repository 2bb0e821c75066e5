#!/usr/bin/env bash
# The dev container, end to end with podman (`./course.sh test --image`): the stand-in base (or
# BASE_IMAGE), the image built by `./course.sh image`, then a container on a fresh student
# release mounted as its workspace, used as a student would:
#   1. set-up in the container (it links the image's kit; the course's crates compile once);
#   2. exercise 4.1 right: `./course.sh check` passes; edited again (timed); wrong: it fails;
#   3. notebook 01 under the kernel: every code cell with its outputs;
#   4. JupyterLab from the container's start to its answer, and the first lectureutil cell of a
#      notebook opened 15 s later and at once (bench/kernel_latency.py --pool);
#   5. the sandbox in there (the doctor's line);
#   6. nothing written on the host outside the workspace (the kit's checkout, $HOME, /etc, /usr).
# Figures go to target/image-test/figures.txt. Needs podman, runc and debootstrap (Debian).
#
# Environment: BASE_IMAGE (default: the stand-in, made if missing), IMAGE (default
# localhost/lectureutil-course:test), KEEP_IMAGE=1 keeps the image afterwards.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$root/target/image-test"
rm -rf "$out"
mkdir -p "$out"
figures="$out/figures.txt"
note() { echo "$*" | tee -a "$figures"; }
base="${BASE_IMAGE:-localhost/lectureutil-rust-standin:1.95}"
image="${IMAGE:-localhost/lectureutil-course:test}"
# podman here: Debian's runc (crun refuses this machine's hybrid cgroups) and explicit ulimits.
engine_args=(--runtime /usr/sbin/runc --ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
# A codespace reaches crates.io (evcxr resolves a kernel's dependencies there at start); here the
# registries are reached only through this machine's CA bundle, handed to the containers.
ca="${LECTUREUTIL_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
run_args=("${engine_args[@]}")
if [ -s "$ca" ]; then
  run_args+=(-v "$ca:/etc/ssl/certs/host-ca.crt:ro" -e CARGO_HTTP_CAINFO=/etc/ssl/certs/host-ca.crt
    -e SSL_CERT_FILE=/etc/ssl/certs/host-ca.crt)
fi
if ! podman image exists "$base"; then
  bash "$root/tools/image/standin-base.sh" "$base" | tee -a "$figures"
fi
marker="$out/started"
touch "$marker"
sleep 1
start=$(date +%s)
# SKIP_BUILD=1: use the image built before (named IMAGE).
[ "${SKIP_BUILD:-}" = 1 ] || CONTAINER_ENGINE=podman CONTAINER_BUILD_ARGS="${engine_args[*]}" \
  LECTUREUTIL_CA_BUNDLE="${LECTUREUTIL_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}" \
  ./course.sh image "$image" --base "$base" >"$out/build.log" 2>&1 \
  || { tail -40 "$out/build.log"; echo "image build failed: $out/build.log" >&2; exit 1; }
if [ "${SKIP_BUILD:-}" != 1 ]; then
note "image build from $base: $(( $(date +%s) - start )) s"
note "image size unpacked: $(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.2f GB", $1 / 1e9 }')"
# What a pull downloads: the layers, gzip-compressed as a registry stores them.
note "image size compressed (podman save | gzip): $(podman save "$image" 2>/dev/null | gzip | wc -c | awk '{ printf "%.2f GB", $1 / 1e9 }')"
note "what it holds, largest first:"
podman run --rm "${engine_args[@]}" "$image" bash -c \
  'du -xs --block-size=1M /opt/lectureutil/.venv /opt/lectureutil/target /opt/lectureutil/MNIST_data /usr/local/rustup /usr/local/cargo /usr/lib /usr/share /usr/bin /var 2>/dev/null | sort -rn' \
  | awk '{ printf "  %6d MB  %s\n", $1, $2 }' | tee -a "$figures"
fi

release="$out/release"
cargo run --quiet --bin notebook -- release "$release" --image="$image" >/dev/null
workspace=/workspaces/nn-course
fill() {  # fill RIGHT|WRONG: exercise 4.1 in the release's notebooks/04
  python3 - "$release/notebooks/04_recursion_dp.ipynb" "$1" <<'PY'
import json, sys
path, kind = sys.argv[1:]
book = json.load(open(path))
body = "fib(n - 1) + fib(n - 2)" if kind == "RIGHT" else "fib(n - 1) + fib(n - 1)"
for cell in book["cells"]:
    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    if text.startswith("// Exercise 4.1"):
        head = "".join(l + "\n" for l in text.splitlines()[:2])
        cell["source"] = head + "fn fib(n: u64) -> u64 {\n    if n <= 2 { 1 } else { " + body + " }\n}\n"
json.dump(book, open(path, "w"))
PY
}
fill RIGHT
# Notebook 01 as a student who answered every exercise right: the instructor's solved notebook.
cargo run --quiet --bin notebook -- solve 01 >/dev/null
cp "$root/target/notebooks/solved/01_perceptron_xor.ipynb" "$release/notebooks/01_perceptron_xor.ipynb"
cat >"$out/student.sh" <<'SH'
set -u
exec 3>&1
t() { local s=$(date +%s.%N); "$@"; local rc=$?; echo "took $(echo "$(date +%s.%N) - $s" | bc) s (exit $rc): $*" >&3; return $rc; }
t ./course.sh setup >/tmp/setup.log 2>&1 || { tail -30 /tmp/setup.log; exit 1; }
t ./course.sh check >/tmp/check1.log 2>&1 || { tail -30 /tmp/check1.log; echo "RIGHT FAILED"; exit 1; }
sed -i 's/if n <= 2 { 1 }/if n < 3 { 1 }/' notebooks/04_recursion_dp.ipynb
t ./course.sh check >/tmp/check2.log 2>&1 || { tail -30 /tmp/check2.log; echo "EDITED RIGHT FAILED"; exit 1; }
sed -i 's/{ fib(n - 1) + fib(n - 2) }/{ fib(n - 1) + fib(n - 1) }/' notebooks/04_recursion_dp.ipynb
if t ./course.sh check >/tmp/check3.log 2>&1; then echo "WRONG PASSED"; exit 1; fi
grep -m1 "FAIL" /tmp/check3.log || true
# A hostile right answer, graded confined: it writes into the workspace and starts a process
# meant to outlive it; neither may happen.
.venv/bin/python - notebooks/04_recursion_dp.ipynb <<'PY'
import json, sys
book = json.load(open(sys.argv[1]))
hostile = ("static ONCE: std::sync::Once = std::sync::Once::new();\n"
           "ONCE.call_once(|| {\n"
           "    let _ = std::fs::write(\"/workspaces/nn-course/escaped.txt\", \"x\");\n"
           "    let _ = std::process::Command::new(\"setsid\").args([\"sleep\", \"300\"]).spawn();\n"
           "});\n")
for cell in book["cells"]:
    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    if text.startswith("// Exercise 4.1"):
        head = "".join(l + "\n" for l in text.splitlines()[:2])
        cell["source"] = head + "fn fib(n: u64) -> u64 {\n" + hostile + "    if n <= 2 { 1 } else { fib(n - 1) + fib(n - 2) }\n}\n"
json.dump(book, open(sys.argv[1], "w"))
PY
t ./course.sh check >/tmp/check4.log 2>&1 || { tail -30 /tmp/check4.log; echo "HOSTILE RIGHT FAILED"; }
sleep 1
if [ -e escaped.txt ]; then echo "confinement: the graded program WROTE into the workspace"; rm -f escaped.txt
else echo "confinement: the graded program's write into the workspace did not land"; fi
if pgrep -x sleep >/dev/null; then echo "confinement: a process the graded program started OUTLIVED it"
else echo "confinement: nothing the graded program started outlived it"; fi
t ./course.sh execute 01 >/tmp/execute.log 2>&1 || { tail -30 /tmp/execute.log; exit 1; }
.venv/bin/python - target/notebooks/executed/01_perceptron_xor.student.ipynb <<'PY'
import json, sys
cells = [c for c in json.load(open(sys.argv[1]))["cells"] if c["cell_type"] == "code" and c["source"]]
empty = [i for i, c in enumerate(cells) if not c.get("outputs") and c.get("execution_count") is None]
errors = [o for c in cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
print(f"notebook 01 under the kernel: {len(cells)} code cells, {len(empty)} not run, {len(errors)} errors")
sys.exit(1 if empty or errors else 0)
PY
cargo run --quiet --bin doctor 2>&1 | grep -E "sandbox|libtorch|Rust kernel"
# The kernel started ahead, as bench/kernel_latency.py --pool measures it (bench/ is not in a
# release: a copy, removed again).
mkdir -p bench && cp /kernel_latency.py bench/ && .venv/bin/python bench/kernel_latency.py --pool 2>&1 | tail -8
rm -rf bench
SH
podman run --rm "${run_args[@]}" -v "$release:$workspace" -v "$out/student.sh:/student.sh:ro" \
  -v "$root/bench/kernel_latency.py:/kernel_latency.py:ro" \
  -w "$workspace" "$image" bash /student.sh 2>&1 | tee "$out/student.log"
grep -q "notebook 01 under the kernel" "$out/student.log" || { echo "the student's steps failed" >&2; exit 1; }
grep -E "^took|notebook 01|sandbox|confinement|FAIL|kernel|first cell|opened|ready" "$out/student.log" >>"$figures"

# JupyterLab: from a container's start to its answer. A new container compiles the course's
# own crates for the workspace once (its set-up); a container started again finds them.
lab_answer() {  # NAME: seconds until JupyterLab in container NAME answers
  local began answered=""
  began=$(date +%s.%N)
  "$@" >/dev/null
  for _ in $(seq 900); do
    if podman exec "$name" curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8888/api 2>/dev/null | grep -q 200; then
      answered=$(echo "$(date +%s.%N) - $began" | bc); break
    fi
    sleep 0.5
  done
  echo "${answered:-never}"
}
name="lectureutil-image-test-$$"
first=$(lab_answer podman run -d --name "$name" "${run_args[@]}" -v "$release:$workspace" -w "$workspace" "$image" \
  ./course.sh lab --headless)
note "a new container -> JupyterLab answering: $first s (its set-up compiles the course's crates for the workspace once)"
podman stop -t 5 "$name" >/dev/null
again=$(lab_answer podman start "$name")
note "the same container started again -> JupyterLab answering: $again s"
podman stop -t 5 "$name" >/dev/null; podman rm "$name" >/dev/null

changed=$(find "$root" "$HOME" /etc /usr -xdev -newer "$marker" \
  -not -path "$root/target/*" -not -path "$HOME/.cache/*" -not -path "$HOME/.local/share/containers/*" \
  -not -path "$root/.git" -not -path "$root/.git/*" -not -path "$root/tools/image/*" -not -path "$HOME/.cargo/.*" \
  -not -path "$HOME/.config/containers/*" -not -path "$HOME/.npm/*" 2>/dev/null | head -20)
if [ -n "$changed" ]; then
  note "written on the host outside the workspace: $changed"
  exit 1
fi
note "written on the host outside the workspace: nothing (the kit's checkout but target/, \$HOME but caches, /etc, /usr)"
[ "${KEEP_IMAGE:-}" = 1 ] || podman rmi "$image" >/dev/null
cat "$figures"
