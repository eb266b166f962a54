"""Time ``logparse.read_log`` against a regex-to-DataFrame baseline in the same run.

The baseline is the script an operator would write without logparse: one
regular expression over the whole text, then ``pd.DataFrame``, a timestamp
column, the method prefix split off and the repetitive columns made categorical.
It classifies nothing, reports no skipped text, tracks no line numbers and reads
only the one record shape it was written for.

Both read the same generated corpus (see ``corpus.py``) from a file. Each runs
once untimed first, so lazy set-up such as building the grammar is not timed.
Memory is measured twice: the tracemalloc peak of one run in this process, and
the peak resident set size of one run in a fresh interpreter, minus its size
after the imports.

The script exits with status 1 when a reader returns the wrong number of rows
or a target (``--min-speed-ratio``, ``--max-memory-ratio``) is not met.

Example::

    python benchmarks/bench_read_log.py --records 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

CAPTURE = Path(__file__).resolve().parents[1] / "samples" / "sunstone-notifications.txt"

# Targets, as ratios of read_log to the baseline measured in the same run. They
# are floors that keep the measured figures (0.12 and 0.76) from sliding back,
# with room for a busy machine. The script exits with status 1 when one is missed.
MIN_SPEED_RATIO = 0.10
MAX_MEMORY_RATIO = 1.0

BASELINE_RECORD = re.compile(
    r"\{\s*id:\s*(?P<id>-?\d+)\s*,\s*content:\s*(?P<content>.*?)\s*,\s*creator:\s*"
    r"(?P<creator>[^,]*?)\s*,\s*date:\s*(?P<date>\d{4}-\d{2}-\d{2})\s*,\s*"
    r"time:\s*(?P<time>\d{2}:\d{2}:\d{2})\s*,\s*type:\s*(?P<type>\w+)\s*\}",
    re.DOTALL,
)
BASELINE_COLUMNS = ["id", "content", "creator", "date", "time", "type"]


def read_with_regex(path: Path) -> pd.DataFrame:
    """Read notifications the way a hand-written operator script would."""
    text = path.read_text(encoding="utf-8")
    df = pd.DataFrame(BASELINE_RECORD.findall(text), columns=BASELINE_COLUMNS)
    df["id"] = pd.to_numeric(df["id"])
    df["timestamp"] = pd.to_datetime(df["date"] + " " + df["time"], format="%Y-%m-%d %H:%M:%S")
    parts = df["content"].str.extract(
        r"^(?:\[(?P<method>[\w.]+)\]\s*)?(?P<message>.*)$", flags=re.DOTALL
    )
    df["method"] = parts["method"].astype("category")
    df["message"] = parts["message"].str.replace(r"\s+", " ", regex=True)
    df["creator"] = df["creator"].astype("category")
    df["type"] = df["type"].astype("category")
    return df.drop(columns=["content", "date", "time"])


def read_with_logparse(path: Path) -> pd.DataFrame:
    """Read notifications with ``logparse.read_log`` and its default options."""
    import logparse

    return logparse.read_log(path)


APPROACHES: dict[str, Callable[[Path], pd.DataFrame]] = {
    "regex+pandas": read_with_regex,
    "logparse.read_log": read_with_logparse,
}


def time_runs(
    read: Callable[[Path], pd.DataFrame], path: Path, repeat: int
) -> tuple[list[float], list[float], int]:
    """Return the wall and CPU times of ``repeat`` runs and the row count of the last one."""
    seconds = []
    cpu_seconds = []
    rows = 0
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        cpu_started = time.process_time()
        df = read(path)
        cpu_seconds.append(time.process_time() - cpu_started)
        seconds.append(time.perf_counter() - started)
        rows = len(df)
        del df
    return seconds, cpu_seconds, rows


def tracemalloc_peak(read: Callable[[Path], pd.DataFrame], path: Path) -> int:
    """Return the peak bytes traced by tracemalloc during one run."""
    gc.collect()
    tracemalloc.start()
    try:
        df = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del df
    return peak


def _max_rss_bytes() -> int:
    # On Linux, ru_maxrss keeps the parent's peak across fork and exec, so a
    # child started by a parent that keeps the corpus in memory would report the parent's
    # size. VmHWM is the peak of the current address space only.
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def measure_rss_child(approach: str, path: Path) -> None:
    """Run one approach in this fresh process and print its RSS figures as JSON."""
    import logparse  # noqa: F401  # imported before the baseline RSS is taken

    read_with_logparse(CAPTURE)
    before = _max_rss_bytes()
    df = APPROACHES[approach](path)
    print(json.dumps({"rows": len(df), "before": before, "peak": _max_rss_bytes()}))


def peak_rss(approach: str, path: Path) -> tuple[int, int]:
    """Run one approach in a fresh interpreter and return its peak RSS and growth, in bytes.

    The growth is the peak RSS after the run minus the peak RSS after the
    imports and the warm-up run on the capture.
    """
    completed = subprocess.run(
        [sys.executable, __file__, "--rss-child", approach, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures["peak"], figures["peak"] - figures["before"]


def _mebibytes(size: int) -> str:
    return f"{size / 2**20:,.1f}"


def print_machine() -> None:
    print(f"date: {date.today().isoformat()}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print(f"python: {platform.python_version()}, pandas {pd.__version__}")


def print_table(results: dict[str, dict], measure_memory: bool) -> float:
    """Print one row per approach and the ratios of their records per second.

    Records per second are computed from the fastest run, once from wall time
    and once from CPU time. CPU time is less disturbed by other processes, so
    its ratio is returned for the speed target.
    """
    header = (
        f"{'approach':<20} {'rows':>9} {'wall s':>8} {'CPU s':>8} {'median wall s':>14} "
        f"{'records/s wall':>15} {'records/s CPU':>14}"
    )
    if measure_memory:
        header += f" {'tracemalloc peak MiB':>21} {'peak RSS MiB':>13} {'RSS growth MiB':>15}"
    print(header)
    wall_rates = {}
    cpu_rates = {}
    for name, result in results.items():
        best = min(result["seconds"])
        best_cpu = min(result["cpu_seconds"])
        wall_rates[name] = result["rows"] / best
        cpu_rates[name] = result["rows"] / best_cpu
        line = (
            f"{name:<20} {result['rows']:>9,} {best:>8.2f} {best_cpu:>8.2f} "
            f"{statistics.median(result['seconds']):>14.2f} "
            f"{wall_rates[name]:>15,.0f} {cpu_rates[name]:>14,.0f}"
        )
        if measure_memory:
            line += (
                f" {_mebibytes(result['tracemalloc']):>21} {_mebibytes(result['rss']):>13}"
                f" {_mebibytes(result['rss_growth']):>15}"
            )
        print(line)
    for label, rates in (("wall", wall_rates), ("CPU", cpu_rates)):
        ratio = rates["logparse.read_log"] / rates["regex+pandas"]
        print(f"ratio of records/s, logparse to baseline, {label} time: {ratio:.3f}")
    return cpu_rates["logparse.read_log"] / cpu_rates["regex+pandas"]


def check_targets(
    results: dict[str, dict], speed_ratio: float, min_speed: float, max_memory: float
) -> bool:
    """Print whether the speed and memory targets hold, and return True when both do."""
    met = speed_ratio >= min_speed
    print(
        f"target: records/s ratio (CPU) >= {min_speed:.3f}: {speed_ratio:.3f}, "
        f"{'met' if met else 'NOT MET'}"
    )
    if "tracemalloc" in results["regex+pandas"]:
        memory_ratio = (
            results["logparse.read_log"]["tracemalloc"] / results["regex+pandas"]["tracemalloc"]
        )
        memory_met = memory_ratio <= max_memory
        print(
            f"target: tracemalloc peak ratio <= {max_memory:.2f}: {memory_ratio:.2f}, "
            f"{'met' if memory_met else 'NOT MET'}"
        )
        met = met and memory_met
    return met


def run(
    records: int,
    repeat: int,
    seed: int,
    measure_memory: bool,
    min_speed: float = MIN_SPEED_RATIO,
    max_memory: float = MAX_MEMORY_RATIO,
) -> int:
    """Build the corpus, time both approaches and print the table. Return the exit status."""
    print_machine()
    with tempfile.TemporaryDirectory(prefix="logparse-bench-") as directory:
        started = time.perf_counter()
        built = corpus.build_records(records, seed)
        path = built.write(Path(directory) / "corpus.txt")
        size = path.stat().st_size
        print(
            f"corpus: {built.notifications:,} notifications, {built.requests:,} requests, "
            f"{_mebibytes(size)} MiB, built in {time.perf_counter() - started:.1f} s"
        )

        for read in APPROACHES.values():
            read(CAPTURE)

        results = {}
        for name, read in APPROACHES.items():
            seconds, cpu_seconds, rows = time_runs(read, path, repeat)
            results[name] = {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": rows}
        if measure_memory:
            for name, read in APPROACHES.items():
                results[name]["tracemalloc"] = tracemalloc_peak(read, path)
                results[name]["rss"], results[name]["rss_growth"] = peak_rss(name, path)

    speed_ratio = print_table(results, measure_memory)
    status = 0 if check_targets(results, speed_ratio, min_speed, max_memory) else 1
    for name, result in results.items():
        if result["rows"] != built.notifications:
            print(
                f"warning: {name} returned {result['rows']:,} rows, "
                f"expected {built.notifications:,}",
                file=sys.stderr,
            )
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--records",
        type=int,
        default=100_000,
        help="notifications in the corpus (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs of each approach (default: %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default: %(default)s)")
    parser.add_argument(
        "--no-memory", action="store_true", help="skip the tracemalloc and RSS measurements"
    )
    parser.add_argument(
        "--min-speed-ratio",
        type=float,
        default=MIN_SPEED_RATIO,
        help="lowest records/s of read_log over the baseline's, CPU time (default: %(default)s)",
    )
    parser.add_argument(
        "--max-memory-ratio",
        type=float,
        default=MAX_MEMORY_RATIO,
        help="highest tracemalloc peak of read_log over the baseline's (default: %(default)s)",
    )
    parser.add_argument(
        "--rss-child", nargs=2, metavar=("APPROACH", "PATH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)

    if args.rss_child:
        approach, path = args.rss_child
        measure_rss_child(approach, Path(path))
        return 0
    if args.records < 1:
        parser.error(f"--records must be at least 1, got {args.records}")
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    return run(
        args.records,
        args.repeat,
        args.seed,
        not args.no_memory,
        args.min_speed_ratio,
        args.max_memory_ratio,
    )


if __name__ == "__main__":
    sys.exit(main())
