"""Time every built-in cause rule on long runs of short fragments.

A pattern that starts with an unbounded class before a literal, such as
``[A-Z]+ is locked``, backtracks quadratically on a long run of capitals. The
test suite asserts no timings, so this script is where such a pattern shows:
it prints the slowest rules and exits with status 1 when one search on 64 KiB
takes longer than the limit.

Usage: python benchmarks/bench_rules.py [--length 65536] [--limit 2.0]
"""

from __future__ import annotations

import argparse
import sys
import time

from logparse.causes import default_classifier

FRAGMENTS = ["X", "x ", "A_", "A ", "1 ", "'", '"', "/", ": ", "[1] ", "a.", "-"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=1 << 16, help="characters per text")
    parser.add_argument("--limit", type=float, default=2.0, help="seconds allowed per search")
    options = parser.parse_args()

    timings = []
    for rule in default_classifier().rules:
        for fragment in FRAGMENTS:
            text = fragment * (options.length // len(fragment))
            start = time.perf_counter()
            rule.pattern.search(text)
            timings.append((time.perf_counter() - start, rule.id, fragment))

    timings.sort(reverse=True)
    for seconds, rule_id, fragment in timings[:10]:
        print(f"{seconds:8.4f} s  {rule_id}  {fragment!r}")
    slow = [timing for timing in timings if timing[0] > options.limit]
    print(f"{len(timings)} searches, {len(slow)} over {options.limit} s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
