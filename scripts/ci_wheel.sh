#!/usr/bin/env bash
# Builds the wheel and runs it the way a user gets it: installed with only its declared
# dependencies into a fresh virtualenv, then `readouts --version`, `readouts analyze` on the
# bundled example, `readouts serve` without the web extra (it must name the extra), and with
# the extra a served page, a static file and an API request over a small database. A
# dependency or data file missing from pyproject.toml fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
EXAMPLE=examples/ottawa-trade-talks.txt
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "ci_wheel: $*" >&2; }
fail() { echo "ci_wheel: FAILED: $*" >&2; exit 1; }

# The build tool and setuptools come from the locked dev environment (no build-time download).
make --silent setup
step "building the wheel"
.venv/bin/python -m build --wheel --no-isolation --outdir "$work/dist" . >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; fail "the wheel did not build"; }
wheel="$(ls "$work"/dist/readouts-*.whl)"

step "installing $(basename "$wheel") into a fresh virtualenv (declared dependencies only)"
"$PYTHON" -m venv "$work/venv"
bin="$work/venv/bin"
"$bin/pip" install --quiet --upgrade "pip==25.3"
"$bin/pip" install --quiet "$wheel"

# Run from an empty folder so nothing of the source tree can be imported by accident.
cd "$work"
src_root="$OLDPWD"
"$bin/readouts" --help >/dev/null || fail "--help failed"
version="$("$bin/readouts" --version)"
expected="$("$bin/python" -c 'import importlib.metadata as m; print(m.version("readouts"))')"
[[ "$version" == "readouts, version $expected" ]] || fail "--version said '$version', the metadata $expected"
step "$version"

"$bin/readouts" analyze "$src_root/$EXAMPLE" -o - >"$work/report.txt"
grep -q "Ottawa\|Freeland\|trade" "$work/report.txt" || fail "analyze printed no report"
step "analyze: $(wc -l <"$work/report.txt") lines of report"
"$bin/readouts" analyze "$src_root/$EXAMPLE" --format json -o "$work/ledger.json" 2>/dev/null
"$bin/python" -c 'import json, sys; ledger = json.load(open(sys.argv[1])); assert ledger["statements"], "no statements"' \
  "$work/ledger.json" || fail "analyze --format json gave no statements"

"$bin/readouts" ingest "$src_root/$EXAMPLE" --db "$work/smoke.db" --workers 1
if "$bin/readouts" serve --db "$work/smoke.db" 2>"$work/serve-error.txt"; then
  fail "serve ran without the web extra"
fi
grep -q 'R402.*pip install "readouts\[web\]"' "$work/serve-error.txt" \
  || { cat "$work/serve-error.txt" >&2; fail "serve without the web extra did not name it"; }
step "serve without the web extra: $(cat "$work/serve-error.txt")"

step "installing the web extra"
"$bin/pip" install --quiet "$wheel[web]"
port="$("$bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$bin/readouts" serve --db "$work/smoke.db" --port "$port" 2>"$work/serve.log" &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  curl --silent --fail --max-time 5 "$base/" >"$work/index.html" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; fail "serve exited"; }
  sleep 1
done
grep -q "<html" "$work/index.html" || { cat "$work/serve.log" >&2; fail "serve gave no home page"; }
curl --silent --fail --max-time 5 "$base/static/web.css" >/dev/null || fail "serve has no /static/web.css"
curl --silent --fail --max-time 10 "$base/api/stories" >"$work/stories.json" || fail "the API's /api/stories failed"
"$bin/python" -c 'import json, sys; data = json.load(open(sys.argv[1])); assert data, "no stories"' \
  "$work/stories.json" || fail "the API listed no stories"
step "serve: home page, static file and /api/stories answered"
echo "ci_wheel: ok" >&2
