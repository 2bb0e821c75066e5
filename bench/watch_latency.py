"""Times watch mode from a save to the verdict, the way a student meets it.

    python3 bench/watch_latency.py [--runs N]

Starts `notebook watch` on a student folder of its own (target/bench-watch/, given through
LECTUREUTIL_NOTEBOOKS, with the result cache on), then saves notebook 04 the way JupyterLab saves
(the whole JSON with outputs, to a temporary file renamed over the old one) with exercise 4.1
(a cell that trains nothing) answered rightly in N different ways, so that nothing is a stored
result, and once wrongly. Each time is from the rename to the PASS or FAIL line.
"""
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUDENT = os.path.join(ROOT, "target", "bench-watch")
NAME = "04_recursion_dp.ipynb"


def answer(k):
    # Right, and different each time (a different constant folded away), so never a stored result.
    return f"fn fib(n: u64) -> u64 {{\n    if n <= 2 {{ 1 + {k} - {k} }} else {{ fib(n - 1) + fib(n - 2) }}\n}}"


WRONG = "fn fib(n: u64) -> u64 {\n    if n <= 2 { 1 } else { fib(n - 1) * 2 }\n}"


def save(body):
    path = os.path.join(STUDENT, NAME)
    notebook = json.load(open(path))
    for cell in notebook["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if src.startswith("// Exercise 4.1"):
            header = "".join(line + "\n" for line in src.split("\n")[:2])
            cell["source"] = header + body
            cell["execution_count"] = 3
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["ran\n"]}]
    tmp = os.path.join(STUDENT, "." + NAME + ".~tmp")
    with open(tmp, "w") as f:
        json.dump(notebook, f, indent=1)
    start = time.perf_counter()
    os.replace(tmp, path)
    return start


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    subprocess.run(["cargo", "build", "--quiet", "--bin", "notebook"], cwd=ROOT, check=True)
    shutil.rmtree(STUDENT, ignore_errors=True)
    os.makedirs(STUDENT)
    for name in os.listdir(os.path.join(ROOT, "lecture")):
        if name.endswith(".ipynb"):
            shutil.copy(os.path.join(ROOT, "lecture", name), STUDENT)
    env = dict(os.environ, LECTUREUTIL_NOTEBOOKS=STUDENT)
    env.pop("CI", None)
    env.pop("LECTUREUTIL_FULL", None)
    watcher = subprocess.Popen([os.path.join(ROOT, "target/debug/notebook"), "watch"], cwd=ROOT, env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in watcher.stdout], daemon=True).start()

    def verdict(start):
        while True:
            line = lines.get(timeout=300)
            print("   | " + line.rstrip())
            if line.startswith(("PASS", "FAIL")):
                word, seconds = line.split()[0], time.perf_counter() - start
                # The bar that follows reads the notebook on disk: wait for it before saving again.
                while "exercises done" not in lines.get(timeout=60):
                    pass
                return word, seconds

    while "exercises done" not in lines.get(timeout=120):
        pass
    times = []
    for k in range(runs + 1):
        word, seconds = verdict(save(answer(k)))
        assert word == "PASS", word
        if k > 0:  # the first also builds what every later one reuses
            times.append(seconds)
        print(f"right answer {k}: {word} after {seconds:.1f} s")
    word, wrong = verdict(save(WRONG))
    assert word == "FAIL", word
    print(f"wrong answer: {word} after {wrong:.1f} s")
    watcher.stdin.write("q")
    watcher.stdin.close()
    watcher.wait(timeout=30)
    print(f"save to verdict, exercise 4.1, {runs} right answers: median {statistics.median(times):.1f} s, "
          f"max {max(times):.1f} s; wrong answer {wrong:.1f} s")


if __name__ == "__main__":
    main()
