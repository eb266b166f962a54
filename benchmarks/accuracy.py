"""Measure how well the cause catalog groups labelled OpenNebula messages.

Usage:
    python benchmarks/accuracy.py [--data FILE ...] [--exclude FILE ...] [--rules FILE]
                                  [--show-errors] [--json]

Each line of a data file is ``{"content": ..., "expected": {"cause": ..., ...}}``
with optional ``split`` and ``origin`` keys. In ``tests/data/labelled-messages.jsonl``
the split ``tuning`` contains the messages the rules were written against, and
``heldout-1`` to ``heldout-3`` hold batches labelled after the rules were frozen
(``benchmarks/README-accuracy.md`` has the figures measured at each freeze).
A row without ``split`` is put in ``tuning`` (labelled-messages.jsonl), ``shared``
(failure-cases.jsonl) or, for any other file, a split named after the file, so
``--data tests/data/heldout-4.jsonl`` reports the split ``heldout-4``.
``--exclude FILE`` drops the messages whose text, with white space collapsed,
is also in FILE, which measures a batch on the messages the rules were not
tuned to.
The origin ``report`` marks messages quoted in public issue reports, docs and
client code, and ``synthetic`` marks messages written from the message shapes.
The script prints, for every split and for all messages together:

- group accuracy: the log-parsing metric of Zhu et al., "Tools and Benchmarks
  for Automated Log Parsing" (ICSE-SEIP 2019). A message counts as correct when
  the set of messages that share its predicted cause is exactly the set of
  messages that share its expected cause. One misplaced message therefore makes
  its whole predicted group and its whole expected group wrong.
- cause accuracy: the share of messages whose predicted cause is the expected one.
- field accuracy: the share whose cause and every other expected field match.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from logparse.causes import Classification, Classifier, load_classifier  # noqa: E402

DEFAULT_DATA = (
    REPO / "tests" / "data" / "labelled-messages.jsonl",
    REPO / "tests" / "data" / "failure-cases.jsonl",
)


def group_accuracy(expected: Sequence[str], predicted: Sequence[str]) -> float:
    """Return the grouping accuracy of ``predicted`` labels against ``expected`` ones."""
    if not expected:
        return float("nan")
    expected_sizes = Counter(expected)
    members: dict[str, list[int]] = defaultdict(list)
    for index, label in enumerate(predicted):
        members[label].append(index)

    correct = 0
    for indices in members.values():
        labels = {expected[index] for index in indices}
        if len(labels) == 1 and expected_sizes[labels.pop()] == len(indices):
            correct += len(indices)
    return correct / len(expected)


def fields_match(result: Classification, expected: dict[str, Any]) -> bool:
    for name, value in expected.items():
        if name == "method":
            continue
        if isinstance(value, list):
            value = tuple(value)
        if getattr(result, name) != value:
            return False
    return True


def default_split(path: Path) -> str:
    if "failure-cases" in path.name:
        return "shared"
    if "labelled-messages" in path.name:
        return "tuning"
    return path.stem


def load_rows(paths: Sequence[Path]) -> list[dict[str, Any]]:
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as file:
            for line in file:
                if line.strip():
                    row = json.loads(line)
                    row.setdefault("split", default_split(path))
                    rows.append(row)
    return rows


def collapse_space(text: str) -> str:
    return " ".join(text.split())


def measure(rows: list[dict[str, Any]], classifier: Classifier) -> dict[str, Any]:
    expected = [row["expected"]["cause"] for row in rows]
    results = [classifier.classify(row["content"]) for row in rows]
    predicted = [result.cause for result in results]
    errors = [
        {"content": row["content"], "expected": row["expected"], "cause": result.cause}
        for row, result in zip(rows, results, strict=True)
        if not fields_match(result, row["expected"])
    ]
    total = len(rows)
    return {
        "messages": total,
        "causes": len(set(expected)),
        "group_accuracy": group_accuracy(expected, predicted),
        "cause_accuracy": sum(e == p for e, p in zip(expected, predicted, strict=True)) / total,
        "field_accuracy": (total - len(errors)) / total,
        "errors": errors,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help="labelled JSON Lines file")
    parser.add_argument(
        "--exclude",
        type=Path,
        action="append",
        help="JSON Lines file whose messages are left out (compared with white space collapsed)",
    )
    parser.add_argument("--rules", action="append", help="extra rule file, as --rules in the CLI")
    parser.add_argument("--show-errors", action="store_true", help="list misclassified messages")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args(argv)

    rows = load_rows(options.data or DEFAULT_DATA)
    if options.exclude:
        excluded = {collapse_space(row["content"]) for row in load_rows(options.exclude)}
        rows = [row for row in rows if collapse_space(row["content"]) not in excluded]
        if not rows:
            parser.error("--exclude left no messages to measure")
    classifier = load_classifier(options.rules)
    subsets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        subsets[row["split"]].append(row)
        if row.get("origin"):
            subsets[f"{row['split']}/{row['origin']}"].append(row)
    subsets["all"] = rows

    report = {name: measure(subset, classifier) for name, subset in sorted(subsets.items())}
    if options.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0

    print(f"{'subset':<20} {'messages':>8} {'causes':>6} {'group':>7} {'cause':>7} {'fields':>7}")
    for name, figures in report.items():
        print(
            f"{name:<20} {figures['messages']:>8} {figures['causes']:>6} "
            f"{figures['group_accuracy']:>7.3f} {figures['cause_accuracy']:>7.3f} "
            f"{figures['field_accuracy']:>7.3f}"
        )
    if options.show_errors:
        for name, figures in report.items():
            if name == "all" or "/" in name:
                continue
            for error in figures["errors"]:
                print(f"\n[{name}] {error['content'][:160]}")
                print(f"    expected {error['expected']}, got cause {error['cause']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
