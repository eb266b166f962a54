"""Compare two people's labels of the same messages.

Usage:
    python benchmarks/agreement.py --data tests/data/heldout-7.jsonl \
                                   --second tests/data/heldout-7-second-labeller.jsonl

``--data`` is a labelled file as ``accuracy.py`` reads it. ``--second`` has one
line per line of ``--data``, in the same order:
``{"n": 0, "cause": ..., "confidence": "sure" | "arguable", "note": ...}``.
The second labeller saw only the messages, the cause descriptions and the
labelling policy of ``docs/rules.md``.

The script prints how often the two labels agree, Cohen's kappa, and the group
accuracy that a classifier copying the second labeller would score against the
first. That last figure is a ceiling: the labels of one careful person do not
group the messages more exactly than that, so neither can a classifier.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accuracy import group_accuracy, load_rows  # noqa: E402


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Return Cohen's kappa of two label sequences of the same length."""
    total = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / total
    first_counts, second_counts = Counter(first), Counter(second)
    chance = sum(first_counts[label] * second_counts[label] for label in first_counts) / total**2
    if chance == 1:
        return 1.0
    return (observed - chance) / (1 - chance)


def compare(first: Sequence[str], second: Sequence[str]) -> dict[str, float]:
    return {
        "messages": len(first),
        "agreement": sum(a == b for a, b in zip(first, second, strict=True)) / len(first),
        "kappa": cohen_kappa(first, second),
        "group_accuracy": group_accuracy(first, second),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled JSON Lines file")
    parser.add_argument("--second", type=Path, required=True, help="second labeller's file")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args(argv)

    rows = load_rows([options.data])
    with open(options.second, encoding="utf-8") as file:
        labels = [json.loads(line) for line in file if line.strip()]
    if [label["n"] for label in labels] != list(range(len(rows))):
        parser.error(f"{options.second} must have one line per message of {options.data}, in order")

    first = [row["expected"]["cause"] for row in rows]
    second = [label["cause"] for label in labels]
    sure_rows = [index for index, label in enumerate(labels) if label["confidence"] == "sure"]
    figures = {
        "all": compare(first, second),
        "sure": compare(
            [first[index] for index in sure_rows], [second[index] for index in sure_rows]
        ),
    }

    if options.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{'subset':8} {'messages':>8} {'agree':>7} {'kappa':>7} {'group':>7}")
    for name, values in figures.items():
        print(
            f"{name:8} {values['messages']:>8} {values['agreement']:7.3f} "
            f"{values['kappa']:7.3f} {values['group_accuracy']:7.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
