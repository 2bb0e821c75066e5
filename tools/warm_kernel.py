"""Compiles what the notebooks' first cell needs into the Rust kernel's seed build folder.

    .venv/bin/python tools/warm_kernel.py SEED_DIR

Run by `./course.sh setup`. A kernel started on a build folder that was never used copies the
seed first (tools/rust-kernel.sh) instead of compiling tch, plotters and lectureutil for minutes.
The seed is only ever written here, under its lock, by a kernel of its own; a stamp of what went
into it (the first cell, the crates, the kernel, the compiler) makes a second run a no-op.
"""
import fcntl
import glob
import hashlib
import json
import os
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ["JUPYTER_PATH"] = os.path.join(ROOT, ".venv/share/jupyter")
from jupyter_client.manager import KernelManager  # noqa: E402

# The cell every notebook starts with; it lives in the course's first notebook, nowhere else.
FIRST_NOTEBOOK = os.path.join(ROOT, "lecture", "01_perceptron_xor.ipynb")
# Uses what the notebooks use right after it, so that this is compiled too.
PROBE = 'let t = Tensor::ones([3], (Kind::Float, Device::Cpu));\nt.sum(Kind::Float).double_value(&[])'


def say(text):
    print(f"==> {text}", file=sys.stderr, flush=True)


def first_cell():
    with open(FIRST_NOTEBOOK) as f:
        cells = json.load(f)["cells"]
    code = next(c for c in cells if c["cell_type"] == "code")
    source = code["source"]
    return "".join(source) if isinstance(source, list) else source


def stamp(cell):
    digest = hashlib.sha256(cell.encode())
    inputs = ["Cargo.toml", "Cargo.lock", "build.rs", ".venv/share/jupyter/kernels/rust/kernel.json"]
    inputs += sorted(os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "src", "**", "*.rs"), recursive=True))
    for rel in inputs:
        digest.update(rel.encode())
        with open(os.path.join(ROOT, rel), "rb") as f:
            digest.update(f.read())
    for tool in (["rustc", "--version"], [os.environ.get("EVCXR_JUPYTER", "evcxr_jupyter"), "--version"]):
        digest.update(subprocess.run(tool, capture_output=True).stdout)
    return digest.hexdigest()


def run_cell(client, code, timeout=1800):
    msg_id = client.execute(code)
    errors = []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "error":
            errors.append(content["evalue"])
        elif kind == "stream" and content["name"] == "stderr" and "error" in content["text"].lower():
            errors.append(content["text"])
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(errors)


def main():
    seed = os.path.abspath(sys.argv[1])
    os.makedirs(seed, exist_ok=True)
    # Two set-ups at once: the second waits, then finds the seed warm.
    setup_lock = open(seed + ".setup.lock", "a")
    fcntl.flock(setup_lock, fcntl.LOCK_EX)
    cell = first_cell()
    want = stamp(cell)
    stamp_path = os.path.join(seed, ".warm-stamp")
    if os.path.exists(stamp_path) and open(stamp_path).read() == want:
        say(f"Rust kernel: build folder seed is warm ({os.path.relpath(seed, ROOT)}/)")
        return
    say("Rust kernel: compiling tch, plotters and lectureutil for the notebooks' first cell "
        "(about 4 minutes on 2 cores when nothing is compiled yet; once)")
    if os.path.exists(stamp_path):
        os.remove(stamp_path)
    started = time.perf_counter()
    done = threading.Event()

    def progress():
        while not done.wait(30):
            say(f"Rust kernel: still compiling ({time.perf_counter() - started:.0f} s)")

    threading.Thread(target=progress, daemon=True).start()
    km = KernelManager(kernel_name="rust")
    # kernel.json's env block would override a plain variable: change a copy of the spec. The
    # launcher locks the seed for this kernel's life, so no student kernel copies it half-made.
    km.kernel_spec.env = dict(km.kernel_spec.env, EVCXR_TMPDIR=seed)
    # The kernel talks on its own; what it prints goes to a log beside the seed.
    log = open(seed + ".log", "w")
    km.start_kernel(cwd=os.path.join(ROOT, "notebooks"), stdout=log, stderr=log)
    client = km.client()
    client.start_channels()
    try:
        # The kernel compiles lectureutil and tch at start (init.evcxr): about 4 minutes on 2
        # idle cores, and more than 5 on a busy one (seen), so the wait is generous.
        client.wait_for_ready(timeout=900)
        errors = run_cell(client, cell) + run_cell(client, PROBE)
    finally:
        done.set()
        client.stop_channels()
        km.shutdown_kernel(now=True)
    if errors.strip():
        sys.exit(f"course.sh: error: the kernel could not compile the first cell:\n{errors}\n"
                 "run ./course.sh doctor")
    with open(stamp_path, "w") as f:
        f.write(want)
    say(f"Rust kernel: build folder seed ready in {time.perf_counter() - started:.0f} s; "
        "each new kernel folder starts from a copy of it")


if __name__ == "__main__":
    main()
