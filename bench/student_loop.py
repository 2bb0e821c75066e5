"""Times the student's loop: `cargo test` after editing exercise cells, the way a student does.

    python3 bench/student_loop.py [--no-warmup]

Works on a student folder of its own (target/bench-student/, given to the grader through
LECTUREUTIL_NOTEBOOKS), never on notebooks/. Steps, each a plain `cargo test` timed from start to
end:
1. warm-up: the shipped blanks (fills the result cache; skipped with --no-warmup);
2. exercise 4.1 filled in with a right answer (a cell that trains nothing);
3. the same cell edited again, now wrong;
4. every exercise of all seven notebooks filled in with the reference answers (22 exercises).
Each notebook is saved the way JupyterLab saves it: the whole JSON, with outputs and an
execution count on the edited cell, written to a temporary file and renamed over the old one.
"""
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUDENT = os.path.join(ROOT, "target", "bench-student")
ENV = dict(os.environ, LECTUREUTIL_NOTEBOOKS=STUDENT)
ENV.pop("CI", None)
ENV.pop("LECTUREUTIL_FULL", None)

RIGHT_4_1 = """fn fib(n: u64) -> u64 {
    match n {
        0..=2 => 1,
        _ => fib(n - 1) + fib(n - 2),
    }
}"""
WRONG_4_1 = """fn fib(n: u64) -> u64 {
    if n <= 2 { 1 } else { fib(n - 1) * 2 }
}"""


def save_like_jupyterlab(path, notebook):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".~tmp")
    with open(tmp, "w") as f:
        json.dump(notebook, f, indent=1)
    os.replace(tmp, path)


def edit_exercise(name, exercise, body):
    path = os.path.join(STUDENT, name)
    notebook = json.load(open(path))
    for cell in notebook["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if src.startswith(f"// Exercise {exercise}:"):
            header = "".join(line + "\n" for line in src.splitlines() if line.startswith("//"))
            cell["source"] = header + body
            cell["execution_count"] = 3
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["55\n"]}]
            break
    else:
        sys.exit(f"no exercise {exercise} in {name}")
    save_like_jupyterlab(path, notebook)


def cargo_test(label):
    start = time.perf_counter()
    out = subprocess.run(["cargo", "test"], cwd=ROOT, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    text = out.stdout + out.stderr
    results = [line for line in text.splitlines() if line.startswith("test result:")]
    passed = sum(int(r.split()[3]) for r in results)
    failed = sum(int(r.split()[5]) for r in results)
    ignored = sum(int(r.split()[7]) for r in results)
    student = [line for line in text.splitlines() if "::student" in line and line.startswith("test ")]
    print(f"{label}: {seconds:.1f} s  (passed {passed}, failed {failed}, ignored {ignored})")
    for line in student:
        if "ignored" not in line:
            print("    " + line)
    return seconds, text


def main():
    shutil.rmtree(STUDENT, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "lecture"), STUDENT)
    if "--no-warmup" not in sys.argv:
        cargo_test("warm-up, shipped blanks")
    edit_exercise("04_recursion_dp.ipynb", "4.1", RIGHT_4_1)
    cargo_test("exercise 4.1 filled in (right)")
    edit_exercise("04_recursion_dp.ipynb", "4.1", WRONG_4_1)
    cargo_test("exercise 4.1 edited (wrong)")
    subprocess.run(["cargo", "build", "-q", "--bin", "notebook"], cwd=ROOT, check=True)
    for name in sorted(os.listdir(os.path.join(ROOT, "lecture"))):
        stem = name.removesuffix(".ipynb")
        solved = subprocess.run(["cargo", "run", "-q", "--bin", "notebook", "--", "solve", stem],
                                cwd=ROOT, env=ENV, check=True, capture_output=True, text=True).stdout.strip()
        save_like_jupyterlab(os.path.join(STUDENT, name), json.load(open(solved)))
    cargo_test("all 22 exercises filled in (reference answers)")


if __name__ == "__main__":
    main()
