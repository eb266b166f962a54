"""Measure how ``logparse.parse_events`` time grows with input size, per input shape.

For each shape in ``corpus.SHAPES`` the script writes inputs of 1x, 2x, 4x and
8x the shape's base size and parses each in a fresh child process, which a
timeout can stop if the parse hangs. It then fits ``time = c * size**k`` by
least squares on log-log axes. A linear parser gives k close to 1. The
fit uses the lowest CPU time of ``--repeat`` runs at each size, and each child parses the
capture once untimed first, so building the grammar is not timed.

Each child consumes ``parse_events(path, on_bad_lines="skip", on_diagnostic=...)``,
where the callback only counts diagnostics, so logging does not add to the time.

Example::

    python benchmarks/bench_scaling.py --repeat 3
    python benchmarks/bench_scaling.py --shapes open_braces,binary --scale 0.5
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

CAPTURE = Path(__file__).resolve().parents[1] / "samples" / "sunstone-notifications.txt"
DEFAULT_FACTORS = (1, 2, 4, 8)
#: A slope above this is reported as super-linear.
SUPERLINEAR_SLOPE = 1.2


def parse_in_child(path: Path, repeat: int) -> None:
    """Parse ``path`` ``repeat`` times in this process and print the figures as JSON."""
    import logparse

    for _ in logparse.parse_events(CAPTURE, on_bad_lines="skip"):
        pass

    seconds = []
    cpu_seconds = []
    diagnostics: Counter = Counter()
    events = Counter()
    stats = {}
    for _ in range(repeat):
        diagnostics.clear()
        events.clear()
        started = time.perf_counter()
        cpu_started = time.process_time()
        reader = logparse.parse_events(
            path,
            on_bad_lines="skip",
            on_diagnostic=lambda diagnostic: diagnostics.update((diagnostic.kind,)),
        )
        for event in reader:
            events[event.kind] += 1
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
        stats = reader.stats.as_dict()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "events": dict(events),
                "diagnostics": dict(diagnostics),
                "stats": stats,
            }
        )
    )


def measure(path: Path, repeat: int, timeout: float) -> dict | None:
    """Run one child on ``path`` and return its figures, or None when it timed out."""
    command = [sys.executable, __file__, "--child", str(path), "--repeat", str(repeat)]
    try:
        completed = subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"parsing {path} failed:\n{error.stderr}") from error
    return json.loads(completed.stdout.strip().splitlines()[-1])


def fit_slope(sizes: list[float], seconds: list[float]) -> float:
    """Return k of the least-squares fit ``log(seconds) = k * log(size) + c``."""
    xs = [math.log(size) for size in sizes]
    ys = [math.log(value) for value in seconds]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    variance = sum((x - mean_x) ** 2 for x in xs)
    return covariance / variance


def lines_accounted(stats: dict) -> bool:
    """Return whether every input line is counted in exactly one class of lines."""
    parts = ("event_lines", "malformed_lines", "skipped_lines", "blank_lines")
    return stats.get("lines") == sum(stats.get(part, 0) for part in parts)


def run_shape(
    shape: corpus.Shape,
    factors: list[int],
    scale: float,
    repeat: int,
    timeout: float,
    directory: Path,
) -> tuple[float | None, bool]:
    """Measure one shape at every factor, print a row per size and the slope.

    The slope is fitted to CPU time, which other processes on the machine
    disturb less than wall time. The slope of wall time is printed too.
    Returns the CPU-time slope (None when fewer than two sizes finished) and
    whether every run produced the expected notifications and accounted for
    every line.
    """
    print(f"\n{shape.name}: {shape.description}")
    print(
        f"  {'size':>12} {'bytes':>12} {'wall s':>9} {'CPU s':>9} {'MB/s':>8} "
        f"{'events':>8} {'diagnostics':>12} {'lines ok':>8}"
    )
    sizes: list[float] = []
    best: list[float] = []
    best_cpu: list[float] = []
    healthy = True
    for factor in factors:
        size = max(1, round(shape.base * scale * factor))
        path, expected_notifications = corpus.write_shape(shape, size, directory)
        length = path.stat().st_size
        figures = measure(path, repeat, timeout)
        path.unlink()
        if figures is None:
            print(f"  {size:>12,} {length:>12,}  timed out after {timeout:.0f} s")
            healthy = False
            break
        fastest = min(figures["seconds"])
        fastest_cpu = min(figures["cpu_seconds"])
        notifications = figures["events"].get("notification", 0)
        accounted = lines_accounted(figures["stats"])
        if notifications != expected_notifications or not accounted:
            healthy = False
        print(
            f"  {size:>12,} {length:>12,} {fastest:>9.3f} {fastest_cpu:>9.3f} "
            f"{length / fastest_cpu / 1e6:>8.2f} "
            f"{notifications:>8,} {sum(figures['diagnostics'].values()):>12,} "
            f"{'yes' if accounted else 'NO':>8}"
        )
        if notifications != expected_notifications:
            print(f"    expected {expected_notifications:,} notifications")
        sizes.append(size)
        best.append(fastest)
        best_cpu.append(fastest_cpu)

    if len(sizes) < 2:
        print("  k: not enough sizes finished to fit a slope")
        return None, healthy
    slope = fit_slope(sizes, best_cpu)
    verdict = "super-linear" if slope > SUPERLINEAR_SLOPE else "linear"
    print(f"  k = {slope:.2f} on CPU time ({verdict}), {fit_slope(sizes, best):.2f} on wall time")
    return slope, healthy


def _factors(text: str) -> list[int]:
    try:
        factors = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid factors {text!r}, expected integers such as 1,2,4,8"
        ) from None
    if len(factors) < 2 or min(factors) < 1:
        raise argparse.ArgumentTypeError("at least two factors are needed, each 1 or more")
    return factors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shapes",
        default=",".join(corpus.SHAPES),
        help="comma-separated shapes to measure (default: %(default)s)",
    )
    parser.add_argument(
        "--factors",
        type=_factors,
        default=list(DEFAULT_FACTORS),
        help="size multiples of each shape's base size (default: 1,2,4,8)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiplier of every base size (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per size, of which the fastest counts (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds allowed for all runs at one size (default: %(default)s)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        parse_in_child(args.child, args.repeat)
        return 0
    names = [name for name in args.shapes.split(",") if name]
    unknown = [name for name in names if name not in corpus.SHAPES]
    if unknown:
        parser.error(f"unknown shapes {unknown}; choose from {', '.join(corpus.SHAPES)}")
    if args.scale <= 0:
        parser.error(f"--scale must be positive, got {args.scale}")
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")

    print(f"date: {date.today().isoformat()}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"python: {platform.python_version()}")
    slopes: dict[str, float | None] = {}
    status = 0
    with tempfile.TemporaryDirectory(prefix="logparse-scaling-") as directory:
        for name in names:
            slope, healthy = run_shape(
                corpus.SHAPES[name],
                args.factors,
                args.scale,
                args.repeat,
                args.timeout,
                Path(directory),
            )
            slopes[name] = slope
            if not healthy or slope is None or slope > SUPERLINEAR_SLOPE:
                status = 1

    print("\nslopes of CPU time (time ∝ size^k):")
    for name, slope in slopes.items():
        print(f"  {name:<18} k = {'n/a' if slope is None else f'{slope:.2f}'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
