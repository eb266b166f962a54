"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"

#: The columns of ``read_log``'s DataFrame, in order, with their dtypes.
NOTIFICATION_DTYPES: dict[str, Any] = {
    "id": "Int64",
    "timestamp": "datetime64[ns]",
    "creator": "category",
    "type": "category",
    "method": "category",
    "message": object,
    "cause": "category",
    "object_type": "category",
    "object_id": "Int64",
    "vm_state": "category",
    "required_states": object,
    "operation": "category",
    "action": "category",
    "template": object,
    "details": object,
    "extra": object,
    "source": "category",
    "line": "int64",
    "end_line": "int64",
}

_DEFAULTS: dict[str, Any] = {
    "id": -1,
    "timestamp": None,
    "creator": "ops1",
    "type": "ERROR_MSG",
    "method": "VirtualMachineSaveDisk",
    "message": "",
    "cause": "unknown",
    "object_type": None,
    "object_id": None,
    "vm_state": None,
    "required_states": (),
    "operation": "one.vm.disksaveas",
    "action": None,
    "template": None,
    "details": None,
    "extra": None,
    "source": "test.txt",
}


def build_notifications(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Build a DataFrame with the schema of ``read_log`` from partial rows.

    Keys missing from a row take the defaults above; ``template`` defaults to
    the message, and ``line``/``end_line`` to the row's position times two.
    """
    records = []
    for number, row in enumerate(rows, start=1):
        record = {**_DEFAULTS, **row}
        record["template"] = record["template"] or record["message"]
        record["details"] = dict(record["details"] or {})
        record["extra"] = dict(record["extra"] or {})
        record["required_states"] = tuple(record["required_states"] or ())
        record.setdefault("line", 2 * number - 1)
        record.setdefault("end_line", 2 * number)
        records.append(record)

    frame = pd.DataFrame.from_records(records, columns=list(NOTIFICATION_DTYPES))
    for column, dtype in NOTIFICATION_DTYPES.items():
        if dtype is object:
            frame[column] = pd.Series(list(frame[column]), dtype=object)
        elif column == "timestamp":
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].astype(dtype)
    frame.attrs["stats"] = {
        "lines": 2 * len(records),
        "records": len(records),
        "notifications": len(records),
        "requests": 0,
        "malformed": 0,
        "skipped_spans": 0,
        "event_lines": 2 * len(records),
        "malformed_lines": 0,
        "skipped_lines": 0,
        "blank_lines": 0,
        "invalid_values": 0,
        "encoding_errors": 0,
        "encodings": {},
        "events": len(records),
    }
    return frame


COLLISION = "Error allocating a new image. NAME is already taken by IMAGE 265."
WRONG_STATE = "VM has to be RUNNING, POWEROFF or SUSPENDED to snapshot disks."
SNAPSHOT_STATES = ("RUNNING", "POWEROFF", "SUSPENDED")


def _collision(time: str) -> dict[str, Any]:
    return {
        "timestamp": f"2014-09-18 {time}",
        "message": COLLISION,
        "cause": "name_collision",
        "object_type": "IMAGE",
        "object_id": 265,
        "template": "Error allocating a new image. NAME is already taken by IMAGE <id>.",
    }


def _wrong_state(time: str) -> dict[str, Any]:
    return {
        "timestamp": f"2014-09-18 {time}",
        "message": WRONG_STATE,
        "cause": "invalid_vm_state",
        "required_states": SNAPSHOT_STATES,
    }


#: The twelve notifications of the captured Sunstone note, in file order.
SEED_ROWS: list[dict[str, Any]] = [
    _collision("01:54:27"),
    _collision("01:54:37"),
    _collision("01:55:11"),
    *[_wrong_state("01:55:11") for _ in range(4)],
    _collision("01:55:11"),
    _wrong_state("01:55:11"),
    _collision("01:55:11"),
    _collision("01:55:11"),
    _collision("02:01:29"),
]


@pytest.fixture
def make_notifications() -> Callable[[Sequence[Mapping[str, Any]]], pd.DataFrame]:
    """Return the builder of DataFrames with the ``read_log`` schema."""
    return build_notifications


@pytest.fixture
def seed_frame() -> pd.DataFrame:
    """Return the captured note's twelve failures as ``read_log`` would."""
    return build_notifications(SEED_ROWS)


#: The cause ids of the built-in catalog, which are part of the output format.
CAUSE_IDS = [
    "name_collision",
    "invalid_vm_state",
    "invalid_disk",
    "datastore_full",
    "not_authorized",
    "authentication_failed",
    "not_found",
    "object_locked",
    "quota_exceeded",
    "lease_unavailable",
    "cluster_mismatch",
    "no_capacity",
    "image_unavailable",
    "transfer_failed",
    "deploy_failed",
    "driver_command_failed",
    "host_monitoring_failed",
    "internal_error",
    "unknown",
]
