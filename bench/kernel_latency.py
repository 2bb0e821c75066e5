"""Measures the Rust kernel's latency the way a student meets it.

    .venv/bin/python bench/kernel_latency.py [--cold] [--pair]

- start: from asking Jupyter for a kernel to the first cell that uses lectureutil finishing
  (`:dep lectureutil`, the prelude, a tensor sum). Warm by default (the kernel's build folder has
  been used before); `--cold` points the kernel at a new, empty build folder.
- small cell: the median time of 15 small cells (`let a = …; a * 2`) after that.
- `--pair`: two kernels at once; each must get a build folder of its own, and both first cells
  must succeed.
- `--pool`: JupyterLab as `./course.sh lab` starts it (headless, with the kernel started ahead,
  `tools/kernel_pool.py`) and a notebook in `notebooks/` opened through its REST API, as the
  page does, when the server answers and again 15 s later: from opening the notebook to the end
  of its first cell run at once, and the next cell (a tensor).
- `--ready`: the kernel as JupyterLab starts it for a notebook in `notebooks/`, with and without
  the start-up files (`EVCXR_CONFIG_DIR`, which loads lectureutil before the first cell), one
  after the other: start to ready; the notebooks' first cell run at once (start to its end); and
  the same cell run 15 s after the start (its own time).
"""
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ["JUPYTER_PATH"] = os.path.join(ROOT, ".venv/share/jupyter")
from jupyter_client.manager import KernelManager  # noqa: E402

FIRST_CELL = f""":dep lectureutil = {{ path = "{ROOT}" }}
use lectureutil::prelude::*;
let t = Tensor::ones([3], (Kind::Float, Device::Cpu));
println!("{{}} {{}}", t.sum(Kind::Float).double_value(&[]), std::env::var("EVCXR_TMPDIR").unwrap_or_default());
"""


def run_cell(client, code, timeout=1800):
    """Executes `code`; returns (seconds, stdout, error text)."""
    start = time.perf_counter()
    msg_id = client.execute(code)
    out, err = [], []
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            (out if content["name"] == "stdout" else err).append(content["text"])
        elif kind == "error":
            err.append(content["evalue"])
        elif kind == "status" and content["execution_state"] == "idle":
            return time.perf_counter() - start, "".join(out), "".join(err)


def session(env_tmpdir=None, results=None, small_cells=15):
    start = time.perf_counter()
    km = KernelManager(kernel_name="rust")
    if env_tmpdir:
        # kernel.json's env block would override a plain variable: pass a spec copy instead.
        km.kernel_spec.env = dict(km.kernel_spec.env, EVCXR_TMPDIR=env_tmpdir)
    km.start_kernel()
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=300)
        _, out, err = run_cell(client, FIRST_CELL)
        first = time.perf_counter() - start
        if err.strip() and "error" in err.lower():
            raise RuntimeError(f"first cell failed: {err}")
        times = [run_cell(client, f"let a{i} = {i} + 1;\na{i} * 2")[0] for i in range(small_cells)]
        result = {"start_to_first_cell_s": first, "small_cell_median_s": statistics.median(times), "first_cell_output": out.strip()}
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
    if results is not None:
        results.append(result)
    return result


NOTEBOOK_FIRST_CELL = ':dep lectureutil = { path = ".." }\nuse lectureutil::prelude::*;'
NEXT_CELL = "let t = Tensor::ones([3], (Kind::Float, Device::Cpu));\nt.sum(Kind::Float).double_value(&[])"


def ready_session(with_config, delay):
    """Start to ready, then the first cell at `delay` s after the start: (ready, first cell's own
    time, start to its end, the next cell's time)."""
    start = time.perf_counter()
    km = KernelManager(kernel_name="rust")
    env = dict(km.kernel_spec.env)
    if not with_config:
        env.pop("EVCXR_CONFIG_DIR", None)
    km.kernel_spec.env = env
    km.start_kernel(cwd=os.path.join(ROOT, "notebooks"))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=300)
        ready = time.perf_counter() - start
        time.sleep(max(0.0, delay - (time.perf_counter() - start)))
        cell, _, err = run_cell(client, NOTEBOOK_FIRST_CELL)
        end = time.perf_counter() - start
        if "error" in err.lower():
            raise RuntimeError(f"first cell failed: {err}")
        following, _, err = run_cell(client, NEXT_CELL)
        if "error" in err.lower():
            raise RuntimeError(f"second cell failed: {err}")
        return ready, cell, end, following
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)


def pool_session(delay):
    """JupyterLab with the kernel started ahead; a notebook opened `delay` s after the server
    answers, its first cell run at once: (open to the first cell's end, the next cell)."""
    import json
    import socket
    import subprocess
    import urllib.request

    from jupyter_client import BlockingKernelClient
    from jupyter_core.paths import jupyter_runtime_dir

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "bench"
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "tools"))
    args = [os.path.join(ROOT, ".venv/bin/jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--ServerApp.root_dir={os.path.join(ROOT, 'notebooks')}", f"--IdentityProvider.token={token}",
            "--ServerApp.kernel_manager_class=kernel_pool.PooledKernelManager",
            "--ServerApp.kernel_websocket_connection_class=kernel_pool.SettledNudgeConnection"]
    if os.getuid() == 0:
        args.append("--allow-root")
    log = tempfile.TemporaryFile()
    lab = subprocess.Popen(args, env=env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://127.0.0.1:{port}/api"

    def call(method, path, body=None):
        req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=600) as r:
            return json.loads(r.read() or b"null")

    try:
        for _ in range(600):
            try:
                call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(delay)
        opened = time.perf_counter()
        session = call("POST", "/sessions", {"path": "01_perceptron_xor.ipynb", "type": "notebook",
                                             "name": "", "kernel": {"name": "rust"}})
        kernel_id = session["kernel"]["id"]
        client = BlockingKernelClient(connection_file=os.path.join(jupyter_runtime_dir(), f"kernel-{kernel_id}.json"))
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=300)
            _, _, err = run_cell(client, NOTEBOOK_FIRST_CELL)
            first = time.perf_counter() - opened
            if "error" in err.lower():
                raise RuntimeError(f"first cell failed: {err}")
            following, _, err = run_cell(client, NEXT_CELL)
            if "error" in err.lower():
                raise RuntimeError(f"second cell failed: {err}")
        finally:
            client.stop_channels()
        log.seek(0)
        pooled = b"Handing the kernel started ahead" in log.read()
        call("DELETE", f"/sessions/{session['id']}")
        return first, following, pooled
    finally:
        lab.terminate()
        try:
            lab.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, 9)


def main():
    args = sys.argv[1:]
    if "--pool" in args:
        for delay in (0, 15):
            first, following, pooled = pool_session(delay)
            print(f"kernel started ahead (handed over: {pooled}), notebook opened {delay} s after the server answered: "
                  f"open to the first cell's end {first:.1f} s; next cell (a tensor) {following:.1f} s")
        return
    if "--ready" in args:
        for with_config in (True, False):
            label = "start-up files (EVCXR_CONFIG_DIR)" if with_config else "no start-up files"
            ready, cell, end, following = ready_session(with_config, 0)
            print(f"{label}: start to ready {ready:.1f} s; first cell at once: {cell:.1f} s, start to its end {end:.1f} s; next cell (a tensor) {following:.1f} s")
            ready, cell, end, following = ready_session(with_config, 15)
            print(f"{label}: first cell 15 s after the start: {cell:.1f} s (ready after {ready:.1f} s); next cell {following:.1f} s")
        return
    if "--pair" in args:
        results = []
        threads = [threading.Thread(target=session, kwargs={"results": results, "small_cells": 3}) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        folders = {r["first_cell_output"].split()[-1] for r in results}
        print(f"two kernels at once: {len(results)} succeeded, build folders {sorted(folders)}")
        for r in results:
            print(f"  start to first lectureutil cell: {r['start_to_first_cell_s']:.1f} s")
        sys.exit(0 if len(results) == 2 and len(folders) == 2 else 1)
    cold_dir = tempfile.mkdtemp(prefix="evcxr-cold-", dir=os.path.join(ROOT, "target")) if "--cold" in args else None
    try:
        r = session(cold_dir)
    finally:
        if cold_dir:  # its compiled crates are some 600 MB; the launcher's lock file sits beside it
            shutil.rmtree(cold_dir, ignore_errors=True)
            if os.path.exists(cold_dir + ".lock"):
                os.remove(cold_dir + ".lock")
    kind = "cold (empty build folder)" if cold_dir else "warm"
    print(f"{kind}: start to first lectureutil cell {r['start_to_first_cell_s']:.1f} s; small cell median {r['small_cell_median_s']:.2f} s")


if __name__ == "__main__":
    main()
