#!/usr/bin/env bash
# The stand-in for the official Rust image (docker.io/library/rust:1.95-slim-bookworm) where no
# image registry is reached: Debian 12 from debootstrap (minbase) with this machine's Rust
# toolchain at the official image's places (RUSTUP_HOME=/usr/local/rustup,
# CARGO_HOME=/usr/local/cargo, both on PATH), imported into podman. rustup's own downloads are
# not reached here, and Debian 12's rustc (1.63) is too old for the kit.
#
#   bash tools/image/standin-base.sh [NAME]     (default localhost/lectureutil-rust-standin:1.95)
set -euo pipefail
name="${1:-localhost/lectureutil-rust-standin:1.95}"
command -v debootstrap >/dev/null || { echo "needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
command -v podman >/dev/null || { echo "needs podman (apt-get install podman runc)" >&2; exit 1; }
toolchain="$(rustup show active-toolchain | cut -d' ' -f1)"
toolchain="$(readlink -f "${RUSTUP_HOME:-$HOME/.rustup}/toolchains/$toolchain")"
work="$(mktemp -d /var/tmp/lectureutil-standin.XXXXXX)"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
debootstrap --variant=minbase bookworm "$work/root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
root="$work/root"
mkdir -p "$root/usr/local/rustup/toolchains" "$root/usr/local/cargo/bin"
cp -a "$toolchain" "$root/usr/local/rustup/toolchains/$(basename "$toolchain")"
# As the official slim image: no documentation, no sources of the standard library.
rm -rf "$root/usr/local/rustup/toolchains/$(basename "$toolchain")/share/doc"
printf 'version = "12"\ndefault_toolchain = "%s"\nprofile = "minimal"\n' "$(basename "$toolchain")" \
  >"$root/usr/local/rustup/settings.toml"
# rustup's proxies (cargo, rustc, …) are one binary under several names.
for tool in rustup cargo rustc rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
  cp "$(command -v rustup)" "$root/usr/local/cargo/bin/$tool"
done
tar -C "$root" -c . | podman import \
  --change 'ENV RUSTUP_HOME=/usr/local/rustup' \
  --change 'ENV CARGO_HOME=/usr/local/cargo' \
  --change 'ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$name" >/dev/null
echo "stand-in base $name in $(( $(date +%s) - start )) s: Debian 12 and $(basename "$toolchain")"
