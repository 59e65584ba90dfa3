#!/usr/bin/env bash
# Sourced by scripts/demo and scripts/check: makes .venv with the package and its dev extra,
# and (with BOOTSTRAP_SYSTEM=1) the Debian packages the tests start: chromium, redis-server,
# postgresql. Idempotent: each step is skipped when its inputs have not changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAMPS="$ROOT/.stamps"
mkdir -p "$STAMPS"

_sudo() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ "${BOOTSTRAP_SYSTEM:-0}" = 1 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v redis-server >/dev/null || missing+=(redis-server)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]} (apt-get)"
    _sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive _sudo apt-get install -y -q "${missing[@]}" fonts-dejavu-core
  fi
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  echo "bootstrap: creating .venv with $PYTHON"
  "$PYTHON" -m venv "$ROOT/.venv"
fi
deps_hash="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ "$(cat "$STAMPS/pip" 2>/dev/null)" != "$deps_hash" ]; then
  echo "bootstrap: pip install -e '.[dev]'"
  "$ROOT/.venv/bin/python" -m pip install -q --upgrade pip
  "$ROOT/.venv/bin/python" -m pip install -q -e "$ROOT[dev]"
  echo "$deps_hash" > "$STAMPS/pip"
fi

# The built client is committed (pip users need no Node.js); rebuild it when its sources change.
if command -v npm >/dev/null; then
  js_hash="$(cat "$ROOT"/js/package.json "$ROOT"/js/package-lock.json "$ROOT"/js/build.mjs "$ROOT"/js/src/*.ts | sha256sum | cut -c1-16)"
  if [ "$(cat "$STAMPS/js" 2>/dev/null)" != "$js_hash" ] || [ ! -d "$ROOT/js/node_modules" ]; then
    echo "bootstrap: building the JS client (npm ci, esbuild)"
    (cd "$ROOT/js" && npm ci --no-audit --no-fund --loglevel=error && npm run -s build)
    echo "$js_hash" > "$STAMPS/js"
  fi
fi
export PATH="$ROOT/.venv/bin:$PATH"
export PYTHONPATH="$ROOT:$ROOT/demo"
