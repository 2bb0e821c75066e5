# The shell twin of src/platform.rs (a test holds the two to the same answers): what course.sh
# and tools/rust-kernel.sh need to know of the system. Sourced, not run. PLATFORM_UNAME stands
# in for `uname -s` (the test sets it).
case "${PLATFORM_UNAME:-$(uname -s)}" in
  Darwin)
    PLATFORM_OS=macos
    LIBTORCH_CPU=libtorch_cpu.dylib
    LIBRARY_PATH_VAR=DYLD_LIBRARY_PATH
    SHA256=(shasum -a 256)
    FOLDER_LOCK=python-fcntl
    ;;
  *)
    PLATFORM_OS=linux
    LIBTORCH_CPU=libtorch_cpu.so
    LIBRARY_PATH_VAR=LD_LIBRARY_PATH
    SHA256=(sha256sum)
    FOLDER_LOCK=flock
    ;;
esac

# `sha256 FILE…` or `… | sha256`: the hash and the name, as sha256sum prints them.
sha256() { "${SHA256[@]}" "$@"; }

# `lock_fd FD [shared]`: takes a lock on the file open at descriptor FD without waiting; fails
# when another process holds it. The lock belongs to the open file, so it lasts as long as
# this shell (or what it execs) keeps FD open.
lock_fd() {
  local fd="$1" mode="${2:-exclusive}"
  if [ "$FOLDER_LOCK" = flock ] && command -v flock >/dev/null 2>&1; then
    if [ "$mode" = shared ]; then flock -s -n "$fd"; else flock -n "$fd"; fi
  else
    "${PLATFORM_PYTHON:-python3}" -c 'import fcntl, sys
fd, mode = int(sys.argv[1]), sys.argv[2]
kind = fcntl.LOCK_SH if mode == "shared" else fcntl.LOCK_EX
try:
    fcntl.flock(fd, kind | fcntl.LOCK_NB)
except OSError:
    sys.exit(1)' "$fd" "$mode"
  fi
}
