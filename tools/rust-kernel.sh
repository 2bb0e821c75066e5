#!/usr/bin/env bash
# Starts the evcxr Rust kernel (kernel.json runs this) with a build folder of its own: the first
# free one of $EVCXR_TMPDIR, $EVCXR_TMPDIR-2, … Each folder is kept between starts, so a kernel
# start is quick once its folder has been used; two notebooks open at once each get their own
# folder and never rebuild or clobber each other's crates. The lock is held for the kernel's life.
#
# A folder that was never used starts as a copy of $EVCXR_TMPDIR-seed, which `./course.sh setup`
# compiled once (tools/warm_kernel.py): seconds of copying instead of minutes of compiling tch.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/platform.sh"
base="${EVCXR_TMPDIR:?kernel.json must set EVCXR_TMPDIR; run ./course.sh setup}"
seed="$base-seed"

seed_into() {
  local dir="$1"
  [ -d "$dir/target" ] || [ ! -f "$seed/.warm-stamp" ] && return 0
  # A shared lock: several kernels may copy at once, but never while setup rewrites the seed.
  exec 8<>"$seed.lock"
  if lock_fd 8 shared; then
    rm -rf "$dir/.target.partial"
    cp -a "$seed/Cargo.toml" "$seed/Cargo.lock" "$seed/src" "$dir/" 2>/dev/null
    # Under a temporary name, then renamed: target/ only appears complete.
    cp -a "$seed/target" "$dir/.target.partial" && mv "$dir/.target.partial" "$dir/target"
  fi
  exec 8>&-
}

for i in 1 2 3 4 5 6 7 8; do
  dir="$base"
  [ "$i" -gt 1 ] && dir="$base-$i"
  mkdir -p "$dir"
  exec 9>>"$dir.lock"
  if lock_fd 9; then
    seed_into "$dir"
    export EVCXR_TMPDIR="$dir"
    exec "${EVCXR_JUPYTER:-evcxr_jupyter}" "$@"
  fi
  exec 9>&-
done
echo "rust-kernel.sh: 8 Rust kernels are running already; shut one down first" >&2
exit 1
