#!/usr/bin/env bash
# Run both benchmarks with their default sizes and keep the output in out/.
# Exits 1 when either benchmark reports a problem (wrong row counts, lines not
# accounted for, a timeout or a super-linear slope), after running both.
# Usage: benchmarks/run_all.sh [PYTHON]   (default: python3)
set -uo pipefail

python="${1:-python3}"
root="$(cd -- "$(dirname -- "$0")/.." && pwd)"
out="$root/out"
mkdir -p "$out"

status=0
"$python" "$root/benchmarks/bench_read_log.py" --records 100000 --repeat 3 \
    | tee "$out/bench_read_log.txt" || status=1
"$python" "$root/benchmarks/bench_scaling.py" --repeat 3 \
    | tee "$out/bench_scaling.txt" || status=1
exit "$status"
