"""read_log: the DataFrame, its dtypes, chunks and stats."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from logparse import LogReader, ParserWarning, read_log
from logparse.read import COLUMNS

from .conftest import SAMPLES

SEED = SAMPLES / "sunstone-notifications.txt"


@pytest.fixture(scope="module")
def seed_frame():
    return read_log(SEED)


def test_one_row_per_notification(seed_frame):
    assert len(seed_frame) == 12


def test_columns_in_order(seed_frame):
    assert list(seed_frame.columns) == list(COLUMNS)


@pytest.mark.parametrize(
    "column, kind",
    [
        ("timestamp", "M"),
        ("line", "i"),
        ("end_line", "i"),
    ],
)
def test_numeric_dtypes(seed_frame, column, kind):
    assert seed_frame[column].dtype.kind == kind


@pytest.mark.parametrize(
    "column", ["creator", "type", "method", "cause", "object_type", "vm_state", "source"]
)
def test_category_columns(seed_frame, column):
    assert isinstance(seed_frame[column].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize("column", ["id", "object_id"])
def test_nullable_integer_columns(seed_frame, column):
    assert seed_frame[column].dtype == "Int64"


def test_cause_counts(seed_frame):
    counts = seed_frame["cause"].value_counts()
    assert counts["name_collision"] == 7
    assert counts["invalid_vm_state"] == 5


def test_timestamps(seed_frame):
    assert seed_frame["timestamp"].min() == pd.Timestamp("2014-09-18 01:54:27")
    assert seed_frame["timestamp"].max() == pd.Timestamp("2014-09-18 02:01:29")


def test_stats_attached(seed_frame):
    stats = seed_frame.attrs["stats"]
    assert stats["notifications"] == 12
    assert stats["requests"] == 3
    assert stats["lines"] == 47


def test_required_states_are_tuples(seed_frame):
    states = seed_frame.loc[seed_frame["cause"] == "invalid_vm_state", "required_states"]
    assert set(states) == {("RUNNING", "POWEROFF", "SUSPENDED")}


def test_empty_input_gives_empty_frame():
    frame = read_log([])
    assert frame.empty
    assert list(frame.columns) == list(COLUMNS)


def test_chunksize_iterates():
    lines = [f"{{ content: [ImageAllocate] n{index}, type: ERROR_MSG }}\n" for index in range(10)]
    with read_log(lines, chunksize=4) as reader:
        assert isinstance(reader, LogReader)
        sizes = [len(chunk) for chunk in reader]
    assert sizes == [4, 4, 2]
    assert reader.stats.notifications == 10


@pytest.mark.parametrize("chunksize", [0, -1, 1.5, True, "2"])
def test_chunksize_validated(chunksize):
    with pytest.raises(ValueError, match="chunksize must be an integer >= 1"):
        read_log(["{ content: x }"], chunksize=chunksize)


def test_on_bad_lines_warn_default():
    lines = ["{ type: E, creator x, content: y }\n", "{ content: z, type: E }\n"]
    with pytest.warns(ParserWarning, match="1:20: malformed record"):
        frame = read_log(lines)
    assert len(frame) == 1
    assert frame.attrs["stats"]["malformed"] == 1


def test_requests_not_rows():
    frame = read_log(['{"action":{"perform":"saveas","params":{}},"csrftoken":"t"}'])
    assert frame.empty
    assert frame.attrs["stats"]["requests"] == 1


def test_package_import_leaves_pandas_unloaded():
    # The command line catches Ctrl-C only once its own module runs, so the
    # package must not spend its import time loading pandas.
    code = "import sys, logparse; print('pandas' in sys.modules); print(logparse.read_log.__name__)"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.split() == ["False", "read_log"]
