"""Generate several weeks of Sunstone error notifications as a pasted note.

The output imitates ``sunstone-notifications.txt``: loosely quoted records such as
``{ id: -1,content: [VirtualMachineSaveDisk] ...,creator: ops1,date: 2014-09-18,
time: 01:54:27,type: ERROR_MSG }``, wrapped before or after the comma that precedes
``creator``, sometimes several on one line, between Chinese headings, dashed
banners, lines that contain only a non-breaking space, blog footers and Sunstone
request bodies that carry a ``csrftoken``.

The messages follow the shapes of OpenNebula 4.8, the release of the capture:
the bracketed prefix is the C++ request class name, and ``Not enough space in
datastore`` has no prefix.

The script uses only the standard library and never imports logparse, so the
counts it writes to the expected JSON file are an oracle that does not depend on
the parser. The same arguments always produce the same bytes.

Example::

    python samples/generate.py --weeks 6 --seed 7 -o samples/sunstone-weeks.txt
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

DEFAULT_START = date(2014, 9, 1)
DEFAULT_WEEKS = 6
DEFAULT_SEED = 7
MIN_WEEKS = 4
MAX_WEEKS = 520

#: Sunstone users of the sample, with their OpenNebula user and group ids.
CREATORS: dict[str, tuple[int, int]] = {
    "ops1": (3, 100),
    "ops2": (4, 100),
    "dev1": (5, 101),
    "dev2": (6, 101),
    "qa1": (7, 101),
}
CREATOR_WEIGHTS = {"ops1": 35, "ops2": 25, "dev1": 20, "dev2": 12, "qa1": 8}

#: Every cause the generator writes, in the order the expected JSON lists them.
CAUSES = (
    "name_collision",
    "invalid_vm_state",
    "quota_exceeded",
    "lease_unavailable",
    "datastore_full",
    "not_authorized",
    "image_unavailable",
    "no_capacity",
    "internal_error",
    "unknown",
)

NOTIFICATION_TYPE = "ERROR_MSG"

# Layout styles of one record. The first four are the shapes of the capture and of
# other browsers' copies; "packed" puts the record on the line of the record before.
WRAP_AFTER_COMMA = "wrap_after_comma"
WRAP_BEFORE_COMMA = "wrap_before_comma"
ONE_LINE = "one_line"
SPACED = "spaced"
PACKED = "packed"
RECORD_STYLES = (WRAP_AFTER_COMMA, WRAP_BEFORE_COMMA, ONE_LINE, SPACED, PACKED)
STYLE_WEIGHTS = (40, 25, 12, 8, 15)

NBSP = "\xa0"
BANNER = f"{NBSP}{'-' * 31}错误的消息格式{'-' * 65}"
TOPIC_HEADINGS = ("虚拟机快照", "磁盘快照", "镜像上传", "虚拟机部署", "网络配置", "模板实例化")
REQUEST_HEADING = "如下是请求参数格式:"
RETRY_HEADINGS = ("重试后又出现:", "刷新页面后:", "再次点击保存:")


@dataclass(frozen=True, slots=True)
class Notification:
    """One generated notification with the cause the generator chose for it."""

    timestamp: datetime
    creator: str
    cause: str
    content: str
    type: str = NOTIFICATION_TYPE


@dataclass(frozen=True, slots=True)
class Request:
    """One generated Sunstone request body, with its JSON text in ``body``."""

    day: date
    action: str
    body: str


# Message shapes of OpenNebula 4.8 for each cause. Each maker draws the variable
# parts (ids, actions, limits) from ``rng`` and returns the notification content.


def _collision_message(rng: random.Random, creator: str) -> str:
    shapes = (
        ("ImageAllocate", "image", "IMAGE", rng.randint(200, 320)),
        ("ImageClone", "image", "IMAGE", rng.randint(200, 320)),
        ("TemplateAllocate", "virtual machine template", "TEMPLATE", rng.randint(1, 40)),
        ("VirtualNetworkAllocate", "virtual network", "NET", rng.randint(0, 9)),
    )
    method, object_name, object_type, object_id = rng.choice(shapes)
    return (
        f"[{method}] Error allocating a new {object_name}. "
        f"NAME is already taken by {object_type} {object_id}."
    )


def _savedisk_collision_message(image_id: int) -> str:
    return (
        "[VirtualMachineSaveDisk] Error allocating a new image. "
        f"NAME is already taken by IMAGE {image_id}."
    )


SAVEDISK_STATE_MESSAGE = (
    "[VirtualMachineSaveDisk] VM has to be RUNNING, POWEROFF or SUSPENDED to snapshot disks."
)
VM_ACTIONS = ("resume", "suspend", "poweroff", "shutdown", "stop", "undeploy", "reboot", "hold")
NEWER_ACTIONS = ("terminate", "terminate-hard")


def _state_message(rng: random.Random, creator: str) -> str:
    vm_id = rng.randint(40, 95)
    shapes = (
        f'[VirtualMachineAction] Wrong state to perform action "{rng.choice(VM_ACTIONS)}"',
        f"[VirtualMachineSnapshotCreate] Could not create a new snapshot for VM {vm_id}, "
        "wrong state.",
        "[VirtualMachineAttach] Wrong state to perform action",
    )
    return rng.choice(shapes)


def _quota_message(rng: random.Random, creator: str) -> str:
    user_id, group_id = CREATORS[creator]
    shapes = (
        f"[ImageAllocate] user [{user_id}] limit of {rng.choice((10, 20))} reached for "
        "IMAGES quota in DATASTORE with ID: 1",
        f"[VirtualMachineSaveDisk] user [{user_id}] limit of 20480 reached for "
        "SIZE quota in DATASTORE with ID: 1",
        f"[TemplateInstantiate] user [{user_id}] limit of {rng.choice((4, 8))} reached for "
        "VMS quota in VM",
        f"[TemplateInstantiate] group [{group_id}] limit of 32768 reached for MEMORY quota in VM",
    )
    return rng.choice(shapes)


def _lease_message(rng: random.Random, creator: str) -> str:
    network_id = rng.choice((2, 3, 3, 3, 5))
    shapes = (
        "[TemplateInstantiate] Error allocating a new virtual machine. "
        f"Cannot get IP/MAC lease from virtual network {network_id}.",
        f"[VirtualMachineAttachNic] Cannot get IP/MAC lease from virtual network {network_id}.",
    )
    return rng.choice(shapes)


def _datastore_full_message(rng: random.Random, creator: str) -> str:
    # OpenNebula 4.x sends this message without the "[<method>] " prefix.
    return "Not enough space in datastore"


def _authorization_message(rng: random.Random, creator: str) -> str:
    user_id, _ = CREATORS[creator]
    shapes = (
        f"[ImageDelete] User [{user_id}] : Not authorized to perform MANAGE IMAGE "
        f"[{rng.randint(200, 320)}].",
        f"[TemplateInstantiate] User [{user_id}] : Not authorized to perform USE TEMPLATE "
        f"[{rng.randint(1, 40)}].",
        f"[VirtualNetworkAllocate] User [{user_id}] : Not authorized to perform CREATE NET; "
        "Not authorized to perform ADMIN CLUSTER [0].",
        f"[VirtualMachineDeploy] User [{user_id}] not authorized to perform action on "
        "virtual machine.",
    )
    return rng.choice(shapes)


def _image_unavailable_message(rng: random.Random, creator: str) -> str:
    image_id = rng.randint(200, 320)
    shapes = (
        "[TemplateInstantiate] Error allocating a new virtual machine. "
        f"Cannot acquire image {image_id}, it is in state: LOCKED",
        f"[VirtualMachineAttach] Cannot acquire image {image_id}, it is in state: LOCKED",
        "[TemplateInstantiate] Error allocating a new virtual machine. "
        f"Cannot acquire image {image_id}, it is persistent and already in use",
    )
    return rng.choice(shapes)


def _capacity_message(rng: random.Random, creator: str) -> str:
    method = rng.choice(("VirtualMachineDeploy", "VirtualMachineDeploy", "VirtualMachineMigrate"))
    return f"[{method}] host {rng.randint(0, 7)} does not have enough capacity."


def _internal_error_message(rng: random.Random, creator: str) -> str:
    return "[VirtualMachineAction] Internal error. Action result not defined"


def _unknown_message(rng: random.Random, creator: str) -> str:
    # "terminate" is the OpenNebula 5 name of an action, so a 4.8 oned rejects it.
    shapes = (
        f'[VirtualMachineAction] Virtual machine action "{rng.choice(NEWER_ACTIONS)}" '
        "is not supported",
        "[VirtualMachineResize] CPU must be a positive float or integer value.",
    )
    return rng.choice(shapes)


MESSAGE_MAKERS: dict[str, Callable[[random.Random, str], str]] = {
    "name_collision": _collision_message,
    "invalid_vm_state": _state_message,
    "quota_exceeded": _quota_message,
    "lease_unavailable": _lease_message,
    "datastore_full": _datastore_full_message,
    "not_authorized": _authorization_message,
    "image_unavailable": _image_unavailable_message,
    "no_capacity": _capacity_message,
    "internal_error": _internal_error_message,
    "unknown": _unknown_message,
}


def make_message(rng: random.Random, cause: str, creator: str) -> str:
    """Draw one OpenNebula 4.8 message of ``cause`` as ``creator`` would see it."""
    return MESSAGE_MAKERS[cause](rng, creator)


# Weekly schedule. A rate is the mean number of incidents on a working day. An
# incident is one failed user action that the web UI repeats as a burst.
SAVEDISK = "savedisk"
INCIDENT_RATES: dict[str, float] = {
    SAVEDISK: 12.0,
    "name_collision": 2.4,
    "invalid_vm_state": 4.5,
    "quota_exceeded": 3.0,
    "lease_unavailable": 9.0,
    "datastore_full": 1.2,
    "not_authorized": 2.4,
    "image_unavailable": 1.2,
    "no_capacity": 0.9,
    "internal_error": 0.3,
    "unknown": 0.6,
}
#: Cause that appears only in the last week.
NEW_CAUSE = "lease_unavailable"
#: Cause that stops before the last week.
GONE_CAUSE = "quota_exceeded"
#: Cause whose rate is multiplied by ``REGRESSION_FACTOR`` in the last week.
REGRESSED_CAUSE = "no_capacity"
REGRESSION_FACTOR = 8.0
QUIET_WEEK_FACTOR = 0.25
#: Relative activity of each weekday, Monday first.
WEEKDAY_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.9, 0.2, 0.15)


def quiet_week_index(weeks: int) -> int:
    """Return the 0-based index of the quiet week, which is never one of the last two."""
    return max(0, weeks // 2 - 1)


def _week_rate(incident: str, week_index: int, weeks: int) -> float:
    rate = INCIDENT_RATES[incident]
    last = week_index == weeks - 1
    if incident == NEW_CAUSE and not last:
        return 0.0
    if incident == GONE_CAUSE and last:
        return 0.0
    if incident == REGRESSED_CAUSE and last:
        rate *= REGRESSION_FACTOR
    if week_index == quiet_week_index(weeks):
        rate *= QUIET_WEEK_FACTOR
    return rate


@dataclass(frozen=True, slots=True)
class Incident:
    """One failed user action: the start of its burst, the user and the incident kind."""

    start: datetime
    creator: str
    kind: str


def _draw_start_time(rng: random.Random) -> time:
    if rng.random() < 0.85:
        seconds = rng.randint(9 * 3600, 18 * 3600 + 1800)
    else:
        seconds = rng.randint(0, 23 * 3600 + 55 * 60)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def _draw_creator(rng: random.Random) -> str:
    names = list(CREATOR_WEIGHTS)
    return rng.choices(names, weights=[CREATOR_WEIGHTS[name] for name in names])[0]


def plan_incidents(rng: random.Random, start: date, weeks: int) -> list[Incident]:
    """Schedule the incidents of ``weeks`` weeks from ``start``, sorted by start time.

    Each kind scheduled in a week gets at least one incident there, so the new,
    gone and regressed causes show in every seed.
    """
    incidents: list[Incident] = []
    week_weight = sum(WEEKDAY_WEIGHTS)
    for week_index in range(weeks):
        monday = start + timedelta(weeks=week_index)
        for kind in INCIDENT_RATES:
            rate = _week_rate(kind, week_index, weeks)
            if rate == 0.0:
                continue
            count = max(1, round(rate * week_weight * rng.uniform(0.8, 1.2)))
            for _ in range(count):
                weekday = rng.choices(range(7), weights=WEEKDAY_WEIGHTS)[0]
                day = monday + timedelta(days=weekday)
                moment = datetime.combine(day, _draw_start_time(rng))
                incidents.append(Incident(moment, _draw_creator(rng), kind))
    incidents.sort(key=lambda incident: incident.start)
    return incidents


def _burst_size(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.35:
        return 1
    if roll < 0.70:
        return rng.randint(2, 3)
    if roll < 0.95:
        return rng.randint(4, 8)
    return rng.randint(9, 14)


def _burst_gap(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.35:
        return 0
    if roll < 0.75:
        return rng.randint(1, 3)
    return rng.randint(4, 12)


def expand_incident(rng: random.Random, incident: Incident) -> list[Notification]:
    """Return the burst of notifications that the web UI shows for ``incident``.

    A disk save-as that fails repeats two messages, as in the capture: the image
    name is taken, or the VM is still saving the previous click's disk.
    """
    size = _burst_size(rng)
    moment = incident.start
    notifications = []
    if incident.kind == SAVEDISK:
        collision = _savedisk_collision_message(rng.randint(200, 320))
        collision_share = rng.uniform(0.3, 0.9)
    else:
        content = make_message(rng, incident.kind, incident.creator)
    for position in range(size):
        if position:
            moment += timedelta(seconds=_burst_gap(rng))
        if incident.kind == SAVEDISK:
            if position == 0 or rng.random() < collision_share:
                cause, content = "name_collision", collision
            else:
                cause, content = "invalid_vm_state", SAVEDISK_STATE_MESSAGE
        else:
            cause = incident.kind
        notifications.append(Notification(moment, incident.creator, cause, content))
    return notifications


def generate_notifications(rng: random.Random, start: date, weeks: int) -> list[Notification]:
    """Plan and expand every incident, and return the notifications in time order."""
    notifications: list[Notification] = []
    for incident in plan_incidents(rng, start, weeks):
        notifications.extend(expand_incident(rng, incident))
    notifications.sort(key=lambda notification: notification.timestamp)
    return notifications


# Rendering of records, request bodies and the noise around them.


def render_record(notification: Notification, style: str) -> str:
    """Render one record in ``style``, without the comma that separates records.

    ``PACKED`` renders as ``ONE_LINE``: the caller puts it on the previous line.
    """
    head = f"{{ id: -1,content: {notification.content}"
    tail = (
        f"creator: {notification.creator},"
        f"date: {notification.timestamp:%Y-%m-%d},"
        f"time: {notification.timestamp:%H:%M:%S},"
        f"type: {notification.type} }}"
    )
    if style == WRAP_AFTER_COMMA:
        return f"{head},\n{tail}"
    if style == WRAP_BEFORE_COMMA:
        return f"{head}\n,{tail}"
    if style == SPACED:
        return (
            f"{{ id: -1, content: {notification.content}, "
            f"creator: {notification.creator}, "
            f"date: {notification.timestamp:%Y-%m-%d}, "
            f"time: {notification.timestamp:%H:%M:%S}, "
            f"type: {notification.type} }}"
        )
    return f"{head},{tail}"


def render_records(
    rng: random.Random, notifications: Sequence[Notification]
) -> tuple[str, Counter]:
    """Render consecutive records with mixed styles and occasional noise lines.

    Returns the text, which ends without a newline, and the number of records of
    each style plus the number of noise lines, under the key ``noise_lines``.
    """
    layout: Counter = Counter()
    lines: list[str] = []
    after_noise = True
    for index, notification in enumerate(notifications):
        style = rng.choices(RECORD_STYLES, weights=STYLE_WEIGHTS)[0]
        if after_noise and style == PACKED:
            style = ONE_LINE
        layout[style] += 1
        text = render_record(notification, style)
        if style == PACKED:
            separator = rng.choice(("", " "))
            lines[-1] = f"{lines[-1]}{separator}{text}"
        else:
            lines.append(text)
        after_noise = False
        if index + 1 < len(notifications):
            lines[-1] += ","
            if rng.random() < 0.03:
                noise = rng.choice((NBSP, "", rng.choice(RETRY_HEADINGS), BANNER))
                lines.append(noise)
                layout["noise_lines"] += 1
                after_noise = True
    return "\n".join(lines), layout


def render_request(rng: random.Random, day: date) -> Request:
    """Draw one Sunstone request body for ``day``, with a random hex ``csrftoken``."""
    token = f"{rng.getrandbits(128):032x}"
    if rng.random() < 0.7:
        name = rng.choice(("test", "centos6-base", "web-disk", "db-data", "test-disk-snapshot"))
        params = {
            "disk_id": str(rng.randint(0, 2)),
            "image_name": f"{name}-{day:%m%d}-{rng.randint(1, 9):02d}",
            "type": "",
            "hot": rng.random() < 0.8,
            "clonetemplate": False,
        }
        action = "saveas"
    else:
        params = {"snapshot_name": f"snapshot-{day:%m%d}-{rng.randint(1, 9):02d}"}
        action = "snapshot_create"
    body = {"action": {"perform": action, "params": params}, "csrftoken": token}
    return Request(day, action, json.dumps(body, separators=(",", ":")))


def _footer(rng: random.Random, day: date, last: datetime) -> str:
    posted = min(last + timedelta(minutes=rng.randint(5, 240)), datetime.combine(day, time(23, 59)))
    return (
        f"posted on {posted:%Y-%m-%d %H:%M}{NBSP} author1{NBSP} "
        f"阅读({rng.randint(40, 900)}){NBSP} 评论({rng.randint(0, 3)}){NBSP} "
        f"编辑{NBSP} 收藏{NBSP} 举报"
    )


def render_day(
    rng: random.Random, day: date, notifications: Sequence[Notification]
) -> tuple[str, list[Request], Counter]:
    """Render one day's post: a heading, request bodies, a banner, records, a footer."""
    blocks = [rng.choice(TOPIC_HEADINGS), ""]
    requests: list[Request] = []
    if rng.random() < 0.5:
        blocks += [REQUEST_HEADING]
        for _ in range(rng.randint(1, 3)):
            request = render_request(rng, day)
            requests.append(request)
            blocks += [f"{request.body}:", ""]
    blocks += [NBSP, ""] * rng.randint(0, 3)
    blocks += [BANNER, ""]
    records, layout = render_records(rng, notifications)
    blocks += [records, "", _footer(rng, day, notifications[-1].timestamp), "", ""]
    return "\n".join(blocks), requests, layout


@dataclass(frozen=True, slots=True)
class Sample:
    """A generated sample: its text, notifications, requests and layout counts."""

    text: str
    notifications: list[Notification]
    requests: list[Request]
    layout: Counter


def build_sample(
    weeks: int = DEFAULT_WEEKS, seed: int = DEFAULT_SEED, start: date = DEFAULT_START
) -> Sample:
    """Generate the whole sample. The same arguments always give the same text."""
    if start.weekday() != 0:
        raise ValueError(f"start date {start} is a {start:%A}, but it must be a Monday")
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be between {MIN_WEEKS} and {MAX_WEEKS}, got {weeks}")
    rng = random.Random(seed)
    notifications = generate_notifications(rng, start, weeks)
    by_day: dict[date, list[Notification]] = {}
    for notification in notifications:
        by_day.setdefault(notification.timestamp.date(), []).append(notification)
    posts: list[str] = []
    requests: list[Request] = []
    layout: Counter = Counter()
    for day in sorted(by_day):
        post, day_requests, day_layout = render_day(rng, day, by_day[day])
        posts.append(post)
        requests.extend(day_requests)
        layout.update(day_layout)
    return Sample("".join(posts), notifications, requests, layout)


# Expected counts, computed from the generated objects rather than from the text.


def iso_week(moment: datetime) -> str:
    """Return the ISO week of ``moment`` as ``2014-W36``."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def _cause_counts(notifications: Sequence[Notification]) -> dict[str, int]:
    counts = Counter(notification.cause for notification in notifications)
    return {cause: counts[cause] for cause in CAUSES if counts[cause]}


def summarize(sample: Sample, weeks: int, seed: int, start: date) -> dict[str, Any]:
    """Return the expected counts of ``sample`` as a JSON-ready dict."""
    by_week: dict[str, list[Notification]] = {}
    for week_index in range(weeks):
        monday = datetime.combine(start + timedelta(weeks=week_index), time())
        by_week[iso_week(monday)] = []
    for notification in sample.notifications:
        by_week[iso_week(notification.timestamp)].append(notification)
    week_names = list(by_week)
    previous = set(_cause_counts(by_week[week_names[-2]]))
    current = set(_cause_counts(by_week[week_names[-1]]))

    causes: dict[str, Any] = {}
    for cause in CAUSES:
        matching = [n.timestamp for n in sample.notifications if n.cause == cause]
        if matching:
            causes[cause] = {
                "count": len(matching),
                "first_seen": min(matching).isoformat(),
                "last_seen": max(matching).isoformat(),
            }

    creators = Counter(notification.creator for notification in sample.notifications)
    return {
        "generator": {"weeks": weeks, "seed": seed, "start": start.isoformat()},
        "totals": {
            "notifications": len(sample.notifications),
            "failures": sum(1 for n in sample.notifications if n.type == NOTIFICATION_TYPE),
            "requests": len(sample.requests),
            "lines": sample.text.count("\n"),
            "bytes": len(sample.text.encode("utf-8")),
        },
        "causes": causes,
        "weeks": {
            week: {"total": len(items), "causes": _cause_counts(items)}
            for week, items in by_week.items()
        },
        "creators": dict(sorted(creators.items())),
        "requests": dict(sorted(Counter(request.action for request in sample.requests).items())),
        "layout": dict(sorted(sample.layout.items())),
        "week_over_week": {
            "previous": week_names[-2],
            "current": week_names[-1],
            "new": sorted(current - previous),
            "gone": sorted(previous - current),
            "quiet_week": week_names[quiet_week_index(weeks)],
        },
    }


def _parse_start(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}, expected YYYY-MM-DD") from None


def _expected_path(output: str) -> Path | None:
    if output == "-":
        return None
    path = Path(output)
    return path.with_name(f"{path.stem}.expected.json")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = argparse.ArgumentParser(
        description="Generate a realistic sample of Sunstone error notifications.",
    )
    parser.add_argument(
        "--weeks", type=int, default=DEFAULT_WEEKS, help="number of weeks (default: %(default)s)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="random seed (default: %(default)s)"
    )
    parser.add_argument(
        "--start",
        type=_parse_start,
        default=DEFAULT_START,
        help="Monday of the first week, YYYY-MM-DD (default: %(default)s)",
    )
    parser.add_argument(
        "-o", "--output", default="-", help="sample file to write, - for stdout (default: -)"
    )
    parser.add_argument(
        "--expected",
        help="expected-counts JSON file to write (default: OUTPUT with .expected.json; "
        "none when writing to stdout)",
    )
    args = parser.parse_args(argv)
    if not MIN_WEEKS <= args.weeks <= MAX_WEEKS:
        parser.error(f"--weeks must be between {MIN_WEEKS} and {MAX_WEEKS}, got {args.weeks}")
    if args.start.weekday() != 0:
        parser.error(f"--start {args.start} is a {args.start:%A}, but it must be a Monday")

    sample = build_sample(args.weeks, args.seed, args.start)
    if args.output == "-":
        sys.stdout.write(sample.text)
    else:
        Path(args.output).write_text(sample.text, encoding="utf-8", newline="\n")

    expected_path = Path(args.expected) if args.expected else _expected_path(args.output)
    if expected_path is not None:
        expected = summarize(sample, args.weeks, args.seed, args.start)
        expected_path.write_text(
            json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
