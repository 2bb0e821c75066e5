"""Runs a notebook under the Rust kernel, cell by cell, and writes the executed copy.

    .venv/bin/python tools/execute_notebook.py INPUT.ipynb OUTPUT.ipynb [--timeout S] [--startup-timeout S]

What `jupyter execute --allow-errors` does (every code cell runs, an error does not stop the
run, the kernel starts in the notebook's folder), with one difference that the kernel test
needs: no output is lost. evcxr sends a cell's printed lines from a thread of its own, tagged
with the *latest* request, so under load a check's PASS line can arrive after the cell's idle
status; `jupyter execute` then drops it, or the next cell takes it. Here, after a cell's idle
status, the kernel's messages are read until it has been quiet for a moment, and a check cell
(`// Check …`) that shows no verdict yet is given time to print one before the next cell is
sent.
"""
import argparse
import json
import os
import sys
import time

from jupyter_client.manager import KernelManager

# After a cell's idle status: how long the kernel must stay quiet before the next cell is sent.
QUIET_S = 0.05
# How long a check cell may take to show its verdict after its idle status (seen late under load
# by a fraction of a second; this bounds a cell that truly printed nothing).
VERDICT_GRACE_S = 20.0


def source_of(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def output_of(msg):
    """The nbformat output of an iopub message, or None for messages that are not outputs."""
    kind, content = msg["msg_type"], msg["content"]
    if kind == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if kind == "display_data":
        return {"output_type": "display_data", "data": content.get("data", {}),
                "metadata": content.get("metadata", {})}
    if kind == "execute_result":
        return {"output_type": "execute_result", "data": content.get("data", {}),
                "metadata": content.get("metadata", {}),
                "execution_count": content.get("execution_count")}
    if kind == "error":
        return {"output_type": "error", "ename": content.get("ename", ""),
                "evalue": content.get("evalue", ""), "traceback": content.get("traceback", [])}
    return None


def shows_verdict(outputs):
    for out in outputs:
        if out["output_type"] == "error":
            return True
        if out["output_type"] == "stream" and ("PASS" in out["text"] or "FAIL" in out["text"]):
            return True
    return False


class Runner:
    def __init__(self, km, client, timeout):
        self.km = km
        self.client = client
        self.timeout = timeout
        # Outputs by the request they are tagged with.
        self.outputs = {}

    def take(self, msg):
        msg_id = msg["parent_header"].get("msg_id")
        out = output_of(msg)
        if out is not None and msg_id in self.outputs:
            self.outputs[msg_id].append(out)
        if msg["msg_type"] == "clear_output" and msg_id in self.outputs:
            self.outputs[msg_id].clear()

    def drain(self, seconds):
        """Reads the kernel's messages until none came for `seconds`."""
        while True:
            try:
                msg = self.client.get_iopub_msg(timeout=seconds)
            except Exception:  # queue.Empty: quiet
                return
            self.take(msg)

    def run(self, code, is_check):
        msg_id = self.client.execute(code, allow_stdin=False, stop_on_error=False)
        self.outputs[msg_id] = []
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"a cell ran longer than {self.timeout} s")
            try:
                msg = self.client.get_iopub_msg(timeout=min(left, 5))
            except Exception:
                if not self.km.is_alive():
                    raise RuntimeError("the kernel died")
                continue
            self.take(msg)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        # Its own reply: the shell channel also holds the replies to wait_for_ready's requests.
        while True:
            reply = self.client.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        self.drain(QUIET_S)
        if is_check:
            grace = time.monotonic() + VERDICT_GRACE_S
            while not shows_verdict(self.outputs[msg_id]) and time.monotonic() < grace:
                self.drain(0.2)
        return reply["content"].get("execution_count"), self.outputs[msg_id]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--kernel", default="rust")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--startup-timeout", type=float, default=300)
    args = parser.parse_args()
    with open(args.input) as f:
        notebook = json.load(f)
    km = KernelManager(kernel_name=args.kernel)
    km.start_kernel(cwd=os.path.dirname(os.path.abspath(args.input)))
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=args.startup_timeout)
        runner = Runner(km, client, args.timeout)
        for cell in notebook["cells"]:
            if cell["cell_type"] != "code":
                continue
            code = source_of(cell)
            if not code.strip():  # as nbclient: an empty cell is not run
                continue
            count, outputs = runner.run(code, code.lstrip().startswith("// Check"))
            cell["execution_count"] = count
            cell["outputs"] = outputs
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
    partial = args.output + ".partial"
    with open(partial, "w") as f:
        json.dump(notebook, f, indent=1)
    os.replace(partial, args.output)


if __name__ == "__main__":
    try:
        main()
    except (TimeoutError, RuntimeError) as e:
        sys.exit(f"execute_notebook.py: {e}")
