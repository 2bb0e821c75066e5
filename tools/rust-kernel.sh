#!/usr/bin/env bash
# Starts the evcxr Rust kernel (kernel.json runs this) with a build folder of its own: the first
# free one of $EVCXR_TMPDIR, $EVCXR_TMPDIR-2, … Each folder is kept between starts, so a kernel
# start is quick once its folder has been used; two notebooks open at once each get their own
# folder and never rebuild or clobber each other's crates. The lock is held for the kernel's life.
set -u
base="${EVCXR_TMPDIR:?kernel.json must set EVCXR_TMPDIR; run ./course.sh setup}"
for i in 1 2 3 4 5 6 7 8; do
  dir="$base"
  [ "$i" -gt 1 ] && dir="$base-$i"
  mkdir -p "$dir"
  exec 9>>"$dir.lock"
  if flock -n 9; then
    export EVCXR_TMPDIR="$dir"
    exec "${EVCXR_JUPYTER:-evcxr_jupyter}" "$@"
  fi
  exec 9>&-
done
echo "rust-kernel.sh: 8 Rust kernels are running already; shut one down first" >&2
exit 1
