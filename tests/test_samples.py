"""Tests of the committed samples and of the generator that writes the weekly one."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
CAPTURE = SAMPLES / "sunstone-notifications.txt"
WEEKS_SAMPLE = SAMPLES / "sunstone-weeks.txt"
WEEKS_EXPECTED = SAMPLES / "sunstone-weeks.expected.json"

# The arguments that wrote the committed weekly sample, as in the command that
# samples/README.md gives.
COMMITTED_ARGS = {"weeks": 6, "seed": 7}

# SHA-256 of the capture as committed. Editors that trim trailing spaces, turn
# the non-breaking-space lines into blank ones or add a final newline change it.
CAPTURE_SHA256 = "757668f8362760e5b09973a9aa3ad5f1ebb114214f84528a3adfa8a818604f61"

# The sample's content never contains the creator key, so the first ", creator:"
# (with or without the space) ends the content of a record.
RECORD_CONTENT = re.compile(r"content: (.*?)\s*,\s*creator:", re.DOTALL)
RECORD_DATE = re.compile(r"date: (\d{4}-\d{2}-\d{2}),")

# Message fragments that identify each cause the generator writes. The test
# classifies the sample text with them and compares the result with the labels
# that the generator stored in the expected JSON file.
CAUSE_MARKERS = {
    "name_collision": re.compile(r"NAME is already taken by"),
    "invalid_vm_state": re.compile(r"VM has to be RUNNING|Wrong state|wrong state"),
    "quota_exceeded": re.compile(r"limit of \d+ reached for"),
    "lease_unavailable": re.compile(r"Cannot get IP/MAC lease"),
    "datastore_full": re.compile(r"^Not enough space in datastore$"),
    "not_authorized": re.compile(r"[Nn]ot authorized to perform"),
    "image_unavailable": re.compile(r"Cannot acquire image"),
    "no_capacity": re.compile(r"does not have enough capacity"),
    "internal_error": re.compile(r"Internal error\. Action result not defined"),
    "unknown": re.compile(r"is not supported|CPU must be a positive"),
}


def load_generator() -> ModuleType:
    """Import samples/generate.py, which is a script and not part of a package."""
    name = "sunstone_sample_generator"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(WEEKS_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sample_text() -> str:
    return WEEKS_SAMPLE.read_text(encoding="utf-8")


def classify(content: str) -> str:
    matches = [cause for cause, marker in CAUSE_MARKERS.items() if marker.search(content)]
    assert len(matches) == 1, f"{content!r} matches {matches}"
    return matches[0]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# The capture


def test_capture_bytes_unchanged():
    assert hashlib.sha256(CAPTURE.read_bytes()).hexdigest() == CAPTURE_SHA256


def test_capture_record_counts():
    text = CAPTURE.read_text(encoding="utf-8")

    assert text.count("creator:") == 12
    assert text.count('"csrftoken"') == 3


# Determinism and freshness of the generated sample


def test_same_seed_same_text(generator):
    first = generator.build_sample(**COMMITTED_ARGS)
    second = generator.build_sample(**COMMITTED_ARGS)

    assert first.text == second.text


def test_other_seed_other_text(generator):
    first = generator.build_sample(weeks=6, seed=7)
    second = generator.build_sample(weeks=6, seed=8)

    assert first.text != second.text


def test_committed_sample_is_fresh(generator, tmp_path):
    output = tmp_path / "sunstone-weeks.txt"

    status = generator.main(
        ["--weeks", "6", "--seed", "7", "-o", str(output)],
    )

    assert status == 0
    assert output.read_bytes() == WEEKS_SAMPLE.read_bytes()
    assert (tmp_path / "sunstone-weeks.expected.json").read_bytes() == WEEKS_EXPECTED.read_bytes()


def test_stdout_output_matches_build(generator, capsys):
    status = generator.main(["--weeks", "4", "--seed", "3"])

    assert status == 0
    assert capsys.readouterr().out == generator.build_sample(weeks=4, seed=3).text


@pytest.mark.parametrize(
    "arguments",
    [
        ["--weeks", "3"],
        ["--weeks", "100000"],
        ["--start", "2014-09-02"],
        ["--start", "2014-13-01"],
    ],
    ids=["too-few-weeks", "too-many-weeks", "start-not-monday", "start-invalid"],
)
def test_invalid_arguments_exit_2(generator, arguments, capsys):
    with pytest.raises(SystemExit) as raised:
        generator.main(arguments)

    assert raised.value.code == 2
    assert "error:" in capsys.readouterr().err


def test_sample_under_one_megabyte():
    assert WEEKS_SAMPLE.stat().st_size < 1_000_000


# The expected JSON file against the sample text


def test_expected_totals_match_text(expected, sample_text):
    assert expected["totals"]["notifications"] == sample_text.count("creator:")
    assert expected["totals"]["requests"] == sample_text.count('"csrftoken"')
    assert expected["totals"]["lines"] == sample_text.count("\n")
    assert expected["totals"]["bytes"] == len(sample_text.encode("utf-8"))


def test_expected_weeks_match_dates(expected, sample_text):
    dates = [date.fromisoformat(match) for match in RECORD_DATE.findall(sample_text)]
    weeks = Counter(iso_week(day) for day in dates)

    assert list(expected["weeks"]) == [f"2014-W{week}" for week in range(36, 42)]
    for week, summary in expected["weeks"].items():
        assert summary["total"] == weeks[week], week
    assert min(dates) >= date(2014, 9, 1)
    assert max(dates) <= date(2014, 10, 12)


def test_expected_causes_match_messages(expected, sample_text):
    contents = RECORD_CONTENT.findall(sample_text)
    causes = Counter(classify(content) for content in contents)

    assert len(contents) == expected["totals"]["notifications"]
    for cause, summary in expected["causes"].items():
        assert summary["count"] == causes[cause], cause
    assert set(causes) == set(expected["causes"])


def test_expected_week_counts_add_up(expected):
    for week, summary in expected["weeks"].items():
        assert sum(summary["causes"].values()) == summary["total"], week
    for cause, summary in expected["causes"].items():
        weekly = sum(week["causes"].get(cause, 0) for week in expected["weeks"].values())
        assert weekly == summary["count"], cause
    weekly_total = sum(week["total"] for week in expected["weeks"].values())
    assert weekly_total == expected["totals"]["notifications"]
    assert sum(expected["creators"].values()) == expected["totals"]["notifications"]


def test_expected_first_and_last_seen(expected, sample_text):
    records = re.findall(
        r"content: (.*?)\s*,\s*creator: \w+,\s*date: ([\d-]+),\s*time: ([\d:]+),",
        sample_text,
        flags=re.DOTALL,
    )
    seen: dict[str, list[str]] = {}
    for content, day, moment in records:
        seen.setdefault(classify(content), []).append(f"{day}T{moment}")

    for cause, summary in expected["causes"].items():
        assert summary["first_seen"] == min(seen[cause]), cause
        assert summary["last_seen"] == max(seen[cause]), cause


# Shapes that the weekly sample is meant to show


def test_week_over_week_shapes(expected):
    weeks = expected["weeks"]
    change = expected["week_over_week"]
    previous = weeks[change["previous"]]["causes"]
    current = weeks[change["current"]]["causes"]
    totals = sorted(summary["total"] for summary in weeks.values())

    assert change["new"] == ["lease_unavailable"]
    assert change["gone"] == ["quota_exceeded"]
    assert current["no_capacity"] > 2 * previous["no_capacity"]
    assert "name_collision" in previous
    assert "name_collision" in current
    assert weeks[change["quiet_week"]]["total"] == totals[0]
    assert totals[0] * 2 < totals[1]


def test_sample_has_every_layout(sample_text):
    lines = sample_text.split("\n")

    assert any(line.startswith(",creator: ") for line in lines)
    assert any(line.startswith("creator: ") for line in lines)
    assert any(line.count("{ id:") >= 2 for line in lines)
    assert any(", creator: " in line for line in lines)
    assert "\xa0" in lines
    assert any(line.startswith("\xa0---") for line in lines)
    assert any(line.startswith("posted on 2014-") for line in lines)
    assert any(line.endswith("}:") and '"csrftoken":"' in line for line in lines)


def test_sample_has_bursts(sample_text):
    records = re.findall(r"creator: (\w+),\s*date: ([\d-]+),\s*time: ([\d:]+)", sample_text)
    repeats = Counter(records)

    assert max(repeats.values()) >= 2
    assert len(set(creator for creator, _, _ in records)) == 5


# The parser against the generator's counts


@pytest.fixture(scope="module")
def parsed_weeks():
    import logparse

    return logparse.read_log(WEEKS_SAMPLE, on_bad_lines="error")


def test_parser_totals_match_expected(parsed_weeks, expected):
    stats = parsed_weeks.attrs["stats"]

    assert len(parsed_weeks) == expected["totals"]["notifications"]
    assert stats["requests"] == expected["totals"]["requests"]
    assert stats["lines"] == expected["totals"]["lines"]
    assert stats["malformed"] == 0


def test_parser_causes_match_expected(parsed_weeks, expected):
    counts = parsed_weeks["cause"].value_counts()
    found = {str(cause) for cause, count in counts.items() if count}

    assert found == set(expected["causes"])
    for cause, summary in expected["causes"].items():
        rows = parsed_weeks[parsed_weeks["cause"] == cause]
        assert len(rows) == summary["count"], cause
        assert rows["timestamp"].min().isoformat() == summary["first_seen"], cause
        assert rows["timestamp"].max().isoformat() == summary["last_seen"], cause


def test_parser_weeks_match_expected(parsed_weeks, expected):
    weeks = parsed_weeks["timestamp"].map(lambda moment: iso_week(moment.date()))
    table = parsed_weeks.groupby([weeks, "cause"], observed=True).size()

    for week, summary in expected["weeks"].items():
        assert (weeks == week).sum() == summary["total"], week
        for cause, count in summary["causes"].items():
            assert table.get((week, cause), 0) == count, (week, cause)


def test_parser_creators_match_expected(parsed_weeks, expected):
    counts = parsed_weeks["creator"].value_counts()

    assert {str(name): int(count) for name, count in counts.items()} == expected["creators"]
