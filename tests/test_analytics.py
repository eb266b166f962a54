"""Tests of the failure analytics over read_log DataFrames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from logparse import analytics
from tests.conftest import COLLISION, SNAPSHOT_STATES, WRONG_STATE

T = pd.Timestamp


def _row(time: str, cause: str = "name_collision", **fields: object) -> dict[str, object]:
    return {"timestamp": time, "cause": cause, "message": f"{cause} message", **fields}


# ---------------------------------------------------------------------------
# Labels


@pytest.mark.parametrize(
    ("vm_state", "required_states", "expected"),
    [
        ("POWEROFF", (), "POWEROFF"),
        ("POWEROFF", SNAPSHOT_STATES, "POWEROFF"),
        (None, SNAPSHOT_STATES, "not RUNNING/POWEROFF/SUSPENDED"),
        (math.nan, ("RUNNING",), "not RUNNING"),
        (pd.NA, ["ACTIVE", "HOLD"], "not ACTIVE/HOLD"),
        ("", ("RUNNING",), "not RUNNING"),
        (None, (), ""),
        (None, None, ""),
        (math.nan, math.nan, ""),
    ],
)
def test_state_label(vm_state: object, required_states: object, expected: str) -> None:
    assert analytics.state_label(vm_state, required_states) == expected


@pytest.mark.parametrize(
    ("object_type", "object_id", "expected"),
    [
        ("IMAGE", 265, "IMAGE 265"),
        ("NET", pd.NA, "NET"),
        (None, 5, ""),
        (math.nan, pd.NA, ""),
    ],
)
def test_object_label(object_type: object, object_id: object, expected: str) -> None:
    assert analytics.object_label(object_type, object_id) == expected


# ---------------------------------------------------------------------------
# failures


def test_failures_keeps_error_types(make_notifications) -> None:
    df = make_notifications(
        [
            _row("2014-09-18 01:00:00", type="ERROR_MSG"),
            _row("2014-09-18 01:00:01", type="INFO_MSG"),
            _row("2014-09-18 01:00:02", type="error"),
            _row("2014-09-18 01:00:03", type=None),
        ]
    )
    kept = analytics.failures(df)

    assert list(kept.index) == [0, 2]


def test_failures_rejects_other_frames() -> None:
    with pytest.raises(ValueError, match="missing the columns .*cause.*read_log"):
        analytics.failures(pd.DataFrame({"timestamp": [], "type": []}))


# ---------------------------------------------------------------------------
# summarize_failures


def test_summarize_seed_by_cause_and_state(seed_frame) -> None:
    summary = analytics.summarize_failures(seed_frame)

    assert list(summary.columns) == [
        "cause",
        "vm_state",
        "count",
        "first_seen",
        "last_seen",
        "example",
    ]
    assert list(summary["cause"]) == ["name_collision", "invalid_vm_state"]
    assert list(summary["vm_state"]) == ["", "not RUNNING/POWEROFF/SUSPENDED"]
    assert list(summary["count"]) == [7, 5]
    assert summary.loc[0, "first_seen"] == T("2014-09-18 01:54:27")
    assert summary.loc[0, "last_seen"] == T("2014-09-18 02:01:29")
    assert summary.loc[1, "example"] == WRONG_STATE


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("object", {"IMAGE 265": 7, "": 5}),
        ("creator", {"ops1": 12}),
        ("method", {"VirtualMachineSaveDisk": 12}),
        ("operation", {"one.vm.disksaveas": 12}),
        (
            "template",
            {
                "Error allocating a new image. NAME is already taken by IMAGE <id>.": 7,
                WRONG_STATE: 5,
            },
        ),
        ("cause", {"name_collision": 7, "invalid_vm_state": 5}),
    ],
)
def test_summarize_seed_by_key(seed_frame, by: str, expected: dict[str, int]) -> None:
    summary = analytics.summarize_failures(seed_frame, by=by)

    assert dict(zip(summary[by], summary["count"], strict=True)) == expected


def test_summarize_object_with_creator(seed_frame) -> None:
    summary = analytics.summarize_failures(seed_frame, by=["object", "creator"])

    assert list(summary.columns[:2]) == ["object", "creator"]
    assert summary.loc[0, "object"] == "IMAGE 265"
    assert summary.loc[0, "creator"] == "ops1"
    assert summary.loc[0, "count"] == 7


def test_summarize_operation_falls_back_to_method(make_notifications) -> None:
    df = make_notifications(
        [
            _row("2014-09-18 01:00:00", method="ImageAllocate", operation="one.image.allocate"),
            _row("2014-09-18 01:00:01", method="CustomThing", operation=None),
        ]
    )
    summary = analytics.summarize_failures(df, by="operation")

    assert set(summary["operation"]) == {"one.image.allocate", "CustomThing"}


def test_summarize_sorts_ties_by_first_seen(make_notifications) -> None:
    df = make_notifications(
        [
            _row("2014-09-18 05:00:00", cause="late"),
            _row("2014-09-18 01:00:00", cause="early"),
            _row("2014-09-18 03:00:00", cause="most"),
            _row("2014-09-18 04:00:00", cause="most"),
        ]
    )
    summary = analytics.summarize_failures(df, by="cause")

    assert list(summary["cause"]) == ["most", "early", "late"]


def test_summarize_example_is_earliest(make_notifications) -> None:
    df = make_notifications(
        [
            _row("2014-09-18 02:00:00", message="second"),
            _row("2014-09-18 01:00:00", message="first"),
            _row(None, message="undated"),
        ]
    )
    summary = analytics.summarize_failures(df, by="cause")

    assert summary.loc[0, "example"] == "first"
    assert summary.loc[0, "count"] == 3


def test_summarize_undated_group_has_no_times(make_notifications) -> None:
    df = make_notifications([_row(None, cause="undated")])
    summary = analytics.summarize_failures(df, by="cause")

    assert summary.loc[0, "count"] == 1
    assert pd.isna(summary.loc[0, "first_seen"])


@pytest.mark.parametrize(
    ("by", "match"),
    [
        ("host", "invalid group key 'host'"),
        (("cause", "cause"), "names a key twice"),
        ((), "at least one"),
    ],
)
def test_summarize_rejects_bad_by(seed_frame, by: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        analytics.summarize_failures(seed_frame, by=by)


def test_summarize_no_failures(seed_frame) -> None:
    summary = analytics.summarize_failures(seed_frame.iloc[:0])

    assert summary.empty
    assert list(summary.columns) == [
        "cause",
        "vm_state",
        "count",
        "first_seen",
        "last_seen",
        "example",
    ]


# ---------------------------------------------------------------------------
# Top lists and unknown templates


def test_top_objects_seed(seed_frame) -> None:
    top = analytics.top_objects(seed_frame)

    assert list(top["object"]) == ["IMAGE 265"]
    assert top.loc[0, "count"] == 7
    assert top.loc[0, "top_cause"] == "name_collision"


def test_top_creators_limit(make_notifications) -> None:
    df = make_notifications(
        [_row(f"2014-09-18 01:00:0{i}", creator=f"user{i % 3}") for i in range(9)]
    )
    top = analytics.top_creators(df, n=2)

    assert len(top) == 2
    assert list(top["count"]) == [3, 3]


def test_top_operations_main_cause(make_notifications) -> None:
    df = make_notifications(
        [
            _row(
                "2014-09-18 01:00:00", cause="quota_exceeded", operation="one.template.instantiate"
            ),
            _row("2014-09-18 01:00:01", cause="no_capacity", operation="one.template.instantiate"),
            _row("2014-09-18 01:00:02", cause="no_capacity", operation="one.template.instantiate"),
        ]
    )
    top = analytics.top_operations(df)

    assert top.loc[0, "operation"] == "one.template.instantiate"
    assert top.loc[0, "top_cause"] == "no_capacity"


def test_unknown_templates_only_unknown(make_notifications) -> None:
    df = make_notifications(
        [
            _row("2014-09-18 01:00:00", cause="unknown", template="Odd <n>", message="Odd 1"),
            _row("2014-09-18 01:00:01", cause="unknown", template="Odd <n>", message="Odd 2"),
            _row("2014-09-18 01:00:02", cause="unknown", template="Rare", message="Rare"),
            _row("2014-09-18 01:00:03", cause="name_collision", message=COLLISION),
        ]
    )
    templates = analytics.unknown_templates(df)

    assert list(templates["template"]) == ["Odd <n>", "Rare"]
    assert list(templates["count"]) == [2, 1]
    assert templates.loc[0, "example"] == "Odd 1"


# ---------------------------------------------------------------------------
# Time series


def test_daily_counts_seed(seed_frame) -> None:
    daily = analytics.daily_counts(seed_frame)

    assert list(daily.index) == [T("2014-09-18")]
    assert daily.loc[T("2014-09-18"), "name_collision"] == 7
    assert daily.loc[T("2014-09-18"), "invalid_vm_state"] == 5


def test_daily_counts_fills_week(seed_frame) -> None:
    daily = analytics.daily_counts(seed_frame, start="2014-09-15", end="2014-09-22")

    assert len(daily) == 7
    assert daily.index[0] == T("2014-09-15")
    assert daily.index[-1] == T("2014-09-21")
    assert int(daily.sum().sum()) == 12
    assert int(daily.loc[T("2014-09-15")].sum()) == 0


def test_daily_counts_clips_to_range(make_notifications) -> None:
    df = make_notifications(
        [_row("2014-09-14 23:59:59"), _row("2014-09-15 00:00:00"), _row("2014-09-22 00:00:00")]
    )
    daily = analytics.daily_counts(df, start="2014-09-15", end="2014-09-22")

    assert int(daily.sum().sum()) == 1


def test_daily_counts_by_creator(seed_frame) -> None:
    daily = analytics.daily_counts(seed_frame, by="creator")

    assert list(daily.columns) == ["ops1"]
    assert daily.columns.name == "creator"


def test_daily_counts_empty_week(seed_frame) -> None:
    daily = analytics.daily_counts(seed_frame, start="2014-09-22", end="2014-09-29")

    assert len(daily) == 7
    assert daily.columns.empty


def test_hourly_counts_seed(seed_frame) -> None:
    hourly = analytics.hourly_counts(seed_frame)

    assert list(hourly.index) == [T("2014-09-18 01:00"), T("2014-09-18 02:00")]
    assert list(hourly.sum(axis=1)) == [11, 1]


def test_bursts_seed(seed_frame) -> None:
    busiest = analytics.bursts(seed_frame)

    assert busiest.loc[0, "start"] == T("2014-09-18 01:00")
    assert busiest.loc[0, "end"] == T("2014-09-18 02:00")
    assert busiest.loc[0, "count"] == 11
    assert busiest.loc[0, "top_cause"] == "name_collision"
    assert busiest.loc[0, "top_cause_count"] == 6
    assert len(busiest) == 2


# ---------------------------------------------------------------------------
# Incidents


def test_incidents_seed(seed_frame) -> None:
    found = analytics.incidents(seed_frame)

    assert list(found["incident"]) == [1, 2, 3]
    assert list(found["cause"]) == ["name_collision", "invalid_vm_state", "name_collision"]
    assert list(found["count"]) == [6, 5, 1]
    assert found.loc[0, "first_seen"] == T("2014-09-18 01:54:27")
    assert found.loc[0, "last_seen"] == T("2014-09-18 01:55:11")
    assert found.loc[0, "duration"] == pd.Timedelta(seconds=44)
    assert found.loc[0, "object"] == "IMAGE 265"


def test_incidents_gap_chains_repeats(make_notifications) -> None:
    # Each repeat is 50 s after the previous one: one incident of 150 s.
    times = ["01:00:00", "01:00:50", "01:01:40", "01:02:30"]
    df = make_notifications([_row(f"2014-09-18 {time}") for time in times])
    found = analytics.incidents(df, window="60s")

    assert len(found) == 1
    assert found.loc[0, "count"] == 4


def test_incidents_narrow_window(seed_frame) -> None:
    found = analytics.incidents(seed_frame, window="5s")

    assert list(found["count"]) == [1, 1, 5, 4, 1]


def test_incidents_split_by_creator(make_notifications) -> None:
    df = make_notifications(
        [_row("2014-09-18 01:00:00", creator="ops1"), _row("2014-09-18 01:00:01", creator="ops2")]
    )

    assert len(analytics.incidents(df)) == 2


def test_incidents_undated_stand_alone(make_notifications) -> None:
    df = make_notifications([_row(None), _row(None), _row("2014-09-18 01:00:00")])
    found = analytics.incidents(df)

    assert list(found["count"]) == [1, 1, 1]
    assert int(found["count"].sum()) == 3


def test_incidents_count_every_failure(seed_frame) -> None:
    assert int(analytics.incidents(seed_frame)["count"].sum()) == 12


@pytest.mark.parametrize("window", ["-1s", "soon"])
def test_incidents_rejects_window(seed_frame, window: str) -> None:
    with pytest.raises(ValueError):
        analytics.incidents(seed_frame, window=window)


def test_incidents_no_failures(seed_frame) -> None:
    found = analytics.incidents(seed_frame.iloc[:0])

    assert found.empty
    assert "incident" in found.columns


# ---------------------------------------------------------------------------
# ISO weeks


@pytest.mark.parametrize(
    ("week", "start"),
    [
        ("2014-W38", "2014-09-15"),
        ("2014W38", "2014-09-15"),
        ("2015-W53", "2015-12-28"),
        ("2015-W01", "2014-12-29"),
    ],
)
def test_iso_week_bounds(week: str, start: str) -> None:
    first, end = analytics.iso_week_bounds(week)

    assert first == T(start)
    assert end == T(start) + pd.Timedelta(days=7)


@pytest.mark.parametrize(
    ("week", "match"),
    [
        ("2014-38", "use the form YYYY-Www"),
        ("W38", "use the form YYYY-Www"),
        ("2014-W53", "2014 has no week 53"),
        ("2014-W00", "2014 has no week 0"),
    ],
)
def test_iso_week_bounds_rejects(week: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        analytics.iso_week_bounds(week)


@pytest.mark.parametrize(
    ("times", "week"),
    [
        # A single Thursday: no complete week, so its own week.
        (["2014-09-18 01:00:00"], "2014-W38"),
        # From a Wednesday of W37 to a Thursday of W38: W37 ends inside the data.
        (["2014-09-10 10:00:00", "2014-09-18 01:00:00"], "2014-W37"),
        # Data that reaches a Sunday: that week.
        (["2014-09-15 10:00:00", "2014-09-21 22:00:00"], "2014-W38"),
        (["2014-09-01 00:00:00", "2014-10-01 12:00:00"], "2014-W39"),
    ],
)
def test_last_complete_week(make_notifications, times: list[str], week: str) -> None:
    df = make_notifications([_row(time) for time in times])

    assert analytics.last_complete_week(df) == week


def test_last_complete_week_needs_times(make_notifications) -> None:
    with pytest.raises(ValueError, match="no notification has a date and time"):
        analytics.last_complete_week(make_notifications([_row(None)]))


# ---------------------------------------------------------------------------
# Week over week


@pytest.fixture
def weeks_frame(make_notifications) -> pd.DataFrame:
    """Failures of W36 to W38 of 2014 whose causes take each status in W38."""
    return make_notifications(
        [
            _row("2014-09-02 10:00:00", cause="regressed_cause"),  # W36
            _row("2014-09-17 10:00:00", cause="regressed_cause"),  # W38
            _row("2014-09-09 10:00:00", cause="ongoing_cause"),  # W37
            _row("2014-09-16 10:00:00", cause="ongoing_cause"),  # W38
            _row("2014-09-16 11:00:00", cause="ongoing_cause"),  # W38
            _row("2014-09-21 23:59:59", cause="new_cause"),  # W38, last second
            _row("2014-09-14 23:59:59", cause="gone_cause"),  # W37, last second
            _row("2014-09-03 10:00:00", cause="old_cause"),  # W36 only
            _row("2014-09-22 00:00:00", cause="later_cause"),  # W39
        ]
    )


def test_week_over_week_statuses(weeks_frame) -> None:
    table = analytics.week_over_week(weeks_frame, "2014-W38")
    statuses = dict(zip(table["cause"], table["status"], strict=True))

    assert statuses == {
        "regressed_cause": "regressed",
        "ongoing_cause": "ongoing",
        "new_cause": "new",
        "gone_cause": "gone",
    }


def test_week_over_week_counts(weeks_frame) -> None:
    table = analytics.week_over_week(weeks_frame, "2014-W38").set_index("cause")

    assert table.loc["ongoing_cause", "this_week"] == 2
    assert table.loc["ongoing_cause", "last_week"] == 1
    assert table.loc["ongoing_cause", "change"] == 1
    assert table.loc["gone_cause", "change"] == -1
    assert table.loc["regressed_cause", "first_seen"] == T("2014-09-02 10:00:00")


def test_week_over_week_sorted(weeks_frame) -> None:
    table = analytics.week_over_week(weeks_frame, "2014-W38")

    assert table.loc[0, "cause"] == "ongoing_cause"
    assert table.iloc[-1]["cause"] == "gone_cause"


def test_week_over_week_first_week_all_new(seed_frame) -> None:
    table = analytics.week_over_week(seed_frame, "2014-W38")

    assert set(table["status"]) == {"new"}


def test_week_over_week_empty_weeks(seed_frame) -> None:
    table = analytics.week_over_week(seed_frame, "2014-W45")

    assert table.empty
    assert "status" in table.columns


def test_incidents_number_window_is_seconds(seed_frame):
    by_number = analytics.incidents(seed_frame, window=60)
    by_text = analytics.incidents(seed_frame, window="60s")
    assert len(by_number) == len(by_text)


# ---------------------------------------------------------------------------
# Outlier dates


def test_date_outliers_future(make_notifications) -> None:
    # 2014-10-05 is a Sunday, 17 days after the rest.
    # Only the future rule sets it apart.
    df = make_notifications([_row("2014-09-18 01:00:00"), _row("2014-10-05 10:00:00")])
    outliers = analytics.date_outliers(df, now="2014-09-21 12:00:00")

    assert list(outliers) == [T("2014-10-05 10:00:00")]
    assert list(outliers.index) == [1]
    assert analytics.last_complete_week(df, now="2014-09-21 12:00:00") == "2014-W38"


def test_date_outliers_future_margin(make_notifications) -> None:
    df = make_notifications([_row("2014-09-18 01:00:00"), _row("2014-09-22 10:00:00")])

    assert analytics.date_outliers(df, now="2014-09-21 12:00:00").empty


def test_date_outliers_all_future(make_notifications) -> None:
    df = make_notifications([_row("2099-01-01 10:00:00"), _row("2099-01-02 10:00:00")])

    assert analytics.date_outliers(df, now="2014-09-21").empty
    assert analytics.last_complete_week(df, now="2014-09-21") == "2099-W01"


def test_date_outliers_far_future_default_clock(make_notifications) -> None:
    df = make_notifications([_row("2014-09-18 01:00:00"), _row("2099-01-01 10:00:00")])

    assert list(analytics.date_outliers(df)) == [T("2099-01-01 10:00:00")]
    assert analytics.last_complete_week(df) == "2014-W38"


def test_date_outliers_late_group(make_notifications) -> None:
    rows = [_row(f"2014-09-18 01:{minute:02d}:00") for minute in range(40)]
    df = make_notifications([*rows, _row("2014-12-01 10:00:00")])

    assert list(analytics.date_outliers(df)) == [T("2014-12-01 10:00:00")]
    assert analytics.last_complete_week(df) == "2014-W38"


def test_date_outliers_several_late_groups(make_notifications) -> None:
    rows = [_row(f"2014-09-18 01:{minute:02d}:00") for minute in range(50)]
    late = [_row("2015-06-01 10:00:00"), _row("2015-01-05 10:00:00")]
    df = make_notifications([*rows, *late])

    assert list(analytics.date_outliers(df)) == [T("2015-01-05 10:00:00"), T("2015-06-01 10:00:00")]


def test_date_outliers_keep_large_group(make_notifications) -> None:
    rows = [_row(f"2014-09-18 01:{minute:02d}:00") for minute in range(10)]
    later = [_row(f"2014-12-01 10:{minute:02d}:00") for minute in range(5)]
    df = make_notifications([*rows, *later])

    assert analytics.date_outliers(df).empty
    assert analytics.last_complete_week(df) == "2014-W48"


def test_date_outliers_keep_steady_data(make_notifications) -> None:
    rows = [_row(f"2014-{month:02d}-10 10:00:00") for month in range(1, 13)]
    df = make_notifications(rows)

    assert analytics.date_outliers(df).empty


def test_date_outliers_time_zone(make_notifications) -> None:
    df = make_notifications([_row("2014-09-18 01:00:00"), _row("2014-10-05 10:00:00")])
    df["timestamp"] = df["timestamp"].dt.tz_localize("Asia/Shanghai")
    outliers = analytics.date_outliers(df, now=T("2014-09-21 04:00:00", tz="UTC"))

    assert list(outliers) == [T("2014-10-05 10:00:00", tz="Asia/Shanghai")]


# ---------------------------------------------------------------------------
# Timestamps with a time zone

SHANGHAI = "Asia/Shanghai"
BERLIN = "Europe/Berlin"


def _localized(df: pd.DataFrame, zone: str) -> pd.DataFrame:
    df = df.copy()
    df["timestamp"] = df["timestamp"].dt.tz_localize(zone)
    return df


def test_summarize_time_zone(seed_frame) -> None:
    naive = analytics.summarize_failures(seed_frame)
    aware = analytics.summarize_failures(_localized(seed_frame, SHANGHAI))

    assert list(aware["count"]) == list(naive["count"])
    assert aware.loc[0, "first_seen"] == T("2014-09-18 01:54:27", tz=SHANGHAI)
    assert str(aware["last_seen"].dt.tz) == SHANGHAI


@pytest.mark.parametrize(
    "table",
    [
        analytics.top_objects,
        analytics.top_operations,
        analytics.top_creators,
        analytics.unknown_templates,
        analytics.bursts,
    ],
)
def test_tables_accept_time_zone(seed_frame, table) -> None:
    naive = table(seed_frame)
    aware = table(_localized(seed_frame, SHANGHAI))

    assert list(aware["count"]) == list(naive["count"])


def test_incidents_time_zone(seed_frame) -> None:
    naive = analytics.incidents(seed_frame)
    aware = analytics.incidents(_localized(seed_frame, SHANGHAI))

    assert list(aware["count"]) == list(naive["count"])
    assert list(aware["duration"]) == list(naive["duration"])


def test_empty_summary_keeps_time_zone(seed_frame) -> None:
    aware = _localized(seed_frame, SHANGHAI)
    summary = analytics.summarize_failures(aware[aware["cause"] == "no_such_cause"])

    assert summary.empty
    assert str(summary["first_seen"].dt.tz) == SHANGHAI


def test_iso_week_bounds_time_zone() -> None:
    # Clocks in Berlin went forward on Sunday 30 March 2014.
    start, end = analytics.iso_week_bounds("2014-W13", BERLIN)

    assert start == T("2014-03-24 00:00:00", tz=BERLIN)
    assert end == T("2014-03-31 00:00:00", tz=BERLIN)
    assert end - start == pd.Timedelta(hours=167)


def test_daily_counts_week_in_data_zone(make_notifications) -> None:
    # Monday 00:30 in Shanghai is Sunday 16:30 UTC, the week before in UTC.
    df = _localized(make_notifications([_row("2014-09-15 00:30:00")]), SHANGHAI)
    start, end = analytics.iso_week_bounds("2014-W38", SHANGHAI)
    counts = analytics.daily_counts(df, start=start, end=end)

    assert counts.index[0] == T("2014-09-15", tz=SHANGHAI)
    assert counts.iloc[0].sum() == 1
    assert counts.to_numpy().sum() == 1


def test_naive_bounds_in_data_zone(make_notifications) -> None:
    df = _localized(make_notifications([_row("2014-09-15 00:30:00")]), SHANGHAI)
    counts = analytics.daily_counts(df, start="2014-09-15", end="2014-09-22")

    assert len(counts) == 7
    assert counts.iloc[0].sum() == 1


@pytest.mark.parametrize(
    ("week", "first_day", "last_day"),
    [
        ("2014-W13", "2014-03-24", "2014-03-30"),  # clocks go forward on Sunday
        ("2014-W43", "2014-10-20", "2014-10-26"),  # clocks go back on Sunday
    ],
)
def test_daily_counts_daylight_saving_week(
    make_notifications, week: str, first_day: str, last_day: str
) -> None:
    df = _localized(
        make_notifications(
            [
                _row(f"{first_day} 00:10:00"),
                _row(f"{last_day} 12:00:00"),
                _row(f"{last_day} 23:50:00"),
            ]
        ),
        BERLIN,
    )
    start, end = analytics.iso_week_bounds(week, BERLIN)
    counts = analytics.daily_counts(df, start=start, end=end).sum(axis=1)

    assert list(counts.index) == [
        T(day, tz=BERLIN) for day in pd.date_range(first_day, last_day, freq="D")
    ]
    assert list(counts) == [1, 0, 0, 0, 0, 0, 2]


def test_hourly_counts_repeated_hour(make_notifications) -> None:
    # 02:30 occurs twice in Berlin on 26 October 2014, first in summer time (+02:00).
    df = make_notifications([_row("2014-10-26 02:30:00"), _row("2014-10-26 02:30:00")])
    df["timestamp"] = df["timestamp"].dt.tz_localize(BERLIN, ambiguous=[True, False])
    counts = analytics.hourly_counts(df).sum(axis=1)

    assert list(counts) == [2]
    assert counts.index[0] == T("2014-10-26 02:00:00+02:00").tz_convert(BERLIN)


def test_hourly_counts_skipped_hour(make_notifications) -> None:
    # 02:00 to 03:00 does not exist in Berlin on 30 March 2014.
    df = _localized(
        make_notifications([_row("2014-03-30 01:30:00"), _row("2014-03-30 03:30:00")]), BERLIN
    )
    counts = analytics.hourly_counts(df).sum(axis=1)

    assert list(counts.index) == [
        T("2014-03-30 01:00:00", tz=BERLIN),
        T("2014-03-30 03:00:00", tz=BERLIN),
    ]
    assert list(counts) == [1, 1]


def test_week_over_week_time_zone(weeks_frame) -> None:
    naive = analytics.week_over_week(weeks_frame, "2014-W38")
    aware = analytics.week_over_week(_localized(weeks_frame, SHANGHAI), "2014-W38")

    assert list(aware["cause"]) == list(naive["cause"])
    assert list(aware["status"]) == list(naive["status"])
    assert list(aware["this_week"]) == list(naive["this_week"])
    assert str(aware["first_seen"].dt.tz) == SHANGHAI


def test_last_complete_week_skipped_midnight(make_notifications) -> None:
    # Cairo skipped midnight on Friday 16 May 2014, when clocks went from 00:00 to 01:00.
    df = make_notifications([_row("2014-05-05 10:00:00"), _row("2014-05-16 10:00:00")])

    assert analytics.last_complete_week(_localized(df, "Africa/Cairo")) == "2014-W19"


def test_daily_counts_skipped_midnight(make_notifications) -> None:
    df = _localized(make_notifications([_row("2014-05-16 01:30:00")]), "Africa/Cairo")
    start, end = analytics.iso_week_bounds("2014-W20", "Africa/Cairo")
    counts = analytics.daily_counts(df, start=start, end=end).sum(axis=1)

    assert len(counts) == 7
    assert counts.index[4] == T("2014-05-16 01:00:00", tz="Africa/Cairo")
    assert list(counts) == [0, 0, 0, 0, 1, 0, 0]


def test_daily_counts_rejects_aware_bound(seed_frame) -> None:
    with pytest.raises(ValueError, match="start .* has a time zone but the timestamps have none"):
        analytics.daily_counts(seed_frame, start=T("2014-09-15", tz=SHANGHAI))


def test_mixed_zones_rejected(seed_frame) -> None:
    df = seed_frame.copy()
    stamps = [
        stamp.tz_localize("Asia/Tokyo" if index else SHANGHAI).to_pydatetime()
        for index, stamp in enumerate(seed_frame["timestamp"])
    ]
    df["timestamp"] = pd.Series(stamps, dtype=object)

    with pytest.raises(ValueError, match="invalid timestamp column.*one time zone"):
        analytics.summarize_failures(df)


@pytest.mark.filterwarnings("ignore:Could not infer format")
def test_text_timestamp_rejected(seed_frame) -> None:
    df = seed_frame.copy()
    df["timestamp"] = pd.Series(["yesterday"] * len(df), dtype=object)

    with pytest.raises(ValueError, match="invalid timestamp column") as raised:
        analytics.summarize_failures(df)
    assert "errors='coerce'" in str(raised.value)
    assert "time zone" not in str(raised.value)
