#!/usr/bin/env bash
# Runs every benchmark once and prints its figures; `--smoke` runs each on a tiny portfolio (what CI does).
# Benchmarks print ratios measured in one run; they are not tests: this script never fails on timing, only
# when a benchmark itself breaks (an exception, or a wrong answer it checks).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$PWD"
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || echo python3 )}"

run() {
  echo "== $*"
  "$PYTHON" "$@"
  echo
}

if [ "${1:-}" = "--smoke" ]; then
  run bench/bench_engine.py --services 2000 --runs 3
  run bench/bench_impact.py --smoke
  run bench/bench_allocation.py --services 2000 --repeat 2
  run bench/bench_costs.py --smoke
  run bench/bench_databases.py --smoke   # Neo4j too when NEO4J_URI is set
  run bench/bench_load.py --smoke --workers 1,2
  run bench/bench_scale.py --smoke
  run bench/bench_sandbox.py --smoke
  run bench/bench_writes.py --smoke
else
  run bench/bench_engine.py
  run bench/bench_impact.py
  run bench/bench_impact.py --services 20000 --edges-per-service 5
  run bench/bench_allocation.py
  run bench/bench_costs.py
  run bench/bench_databases.py
  run bench/bench_load.py --services 20000 --duration 20 --workers 1,2
  run bench/bench_scale.py --services 100000   # --services 1000000 when the machine is yours alone
  run bench/bench_sandbox.py --services 20000
  run bench/bench_writes.py --services 100000
fi
