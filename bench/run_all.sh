#!/usr/bin/env bash
# Run every benchmark script; `--smoke` runs each at a small size, quickly (CI).
# Benchmarks print figures measured in one run; they are not timed tests: this script never fails on
# timing, only when a script itself breaks (an exception, a wrong answer it checks).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$PWD"
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"

smoke=""
if [ "${1:-}" = "--smoke" ]; then
  smoke="--smoke"
fi

run() {
  echo "== $*"
  "$PYTHON" "$@"
  echo
}

# impact (issue 6)
if [ -n "$smoke" ]; then
  run bench/bench_engine.py --services 2000 --runs 3
  run bench/bench_impact.py --smoke
else
  run bench/bench_engine.py
  run bench/bench_impact.py
  run bench/bench_impact.py --services 20000 --edges-per-service 5
fi
