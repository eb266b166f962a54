"""Build large inputs for the benchmarks: realistic records and hostile shapes.

The realistic corpus reuses the record generator of ``samples/generate.py``, so
it has the same causes, bursts, wrap styles, noise and request bodies as the
committed weekly sample, only more of it. The hostile shapes are the inputs a
parser must survive without super-linear time: a huge content on one line,
tens of thousands of near-key fragments, a million ``{`` characters, a file
with no newline and random bytes.

Every builder is deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import importlib.util
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType

GENERATOR_PATH = Path(__file__).resolve().parents[1] / "samples" / "generate.py"
GENERATOR_MODULE = "sunstone_sample_generator"

# Notifications per generated week of the weekly sample, an estimate used only to
# decide how many weeks to plan before truncating to the requested count.
NOTIFICATIONS_PER_WEEK_ESTIMATE = 400


def load_generator() -> ModuleType:
    """Import ``samples/generate.py``, which is a script and not part of a package."""
    if GENERATOR_MODULE in sys.modules:
        return sys.modules[GENERATOR_MODULE]
    spec = importlib.util.spec_from_file_location(GENERATOR_MODULE, GENERATOR_PATH)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the sample generator from {GENERATOR_PATH}")
    module = importlib.util.module_from_spec(spec)
    # dataclasses looks the module up in sys.modules while the classes are built.
    sys.modules[GENERATOR_MODULE] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True, slots=True)
class Corpus:
    """Generated input text with the number of notifications and requests in it."""

    text: str
    notifications: int
    requests: int

    def write(self, path: Path) -> Path:
        """Write the text as UTF-8 with ``\\n`` line ends and return ``path``."""
        path.write_text(self.text, encoding="utf-8", newline="\n")
        return path


def build_records(count: int, seed: int = 7) -> Corpus:
    """Build a realistic corpus of exactly ``count`` notifications.

    Weeks are planned with the sample generator until there are enough
    notifications. The list is then cut to ``count`` and rendered day by day,
    with headings, request bodies, banners, noise lines and footers.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    generator = load_generator()
    rng = random.Random(seed)
    weeks = max(generator.MIN_WEEKS, math.ceil(count / NOTIFICATIONS_PER_WEEK_ESTIMATE) + 1)
    notifications = []
    start = generator.DEFAULT_START
    while len(notifications) < count:
        notifications.extend(generator.generate_notifications(rng, start, weeks))
        start += timedelta(weeks=weeks)
    notifications = notifications[:count]

    by_day: dict[date, list] = {}
    for notification in notifications:
        by_day.setdefault(notification.timestamp.date(), []).append(notification)
    posts = []
    requests = 0
    for day in sorted(by_day):
        post, day_requests, _ = generator.render_day(rng, day, by_day[day])
        posts.append(post)
        requests += len(day_requests)
    return Corpus("".join(posts), len(notifications), requests)


def _filler(size: int) -> str:
    """Return ``size`` characters of message text with commas, colons and brackets."""
    unit = (
        "[VirtualMachineSaveDisk] Error allocating a new image. NAME is already taken by "
        "IMAGE 265., DISK 0: ID: 1 [creator] {hot} "
    )
    return (unit * (size // len(unit) + 1))[:size]


def _record_tail(creator: str = "ops1") -> str:
    return f",creator: {creator},date: 2014-09-18,time: 01:54:27,type: ERROR_MSG }}"


def long_content(size: int) -> Corpus:
    """Build one record whose content is ``size`` characters on a single line."""
    text = f"{{ id: -1,content: {_filler(size)}{_record_tail()}\n"
    return Corpus(text, notifications=1, requests=0)


def unterminated_content(size: int) -> Corpus:
    """Build one record that opens and never ends: ``size`` characters, no newline.

    There is no ``creator`` key and no closing brace, so a parser that looks for
    the end of the content from every position would scan the rest of the input
    each time.
    """
    return Corpus(f"{{ id: -1,content: {_filler(size)}", notifications=0, requests=0)


def creator_fragments(count: int) -> Corpus:
    """Build one record whose content contains ``count`` ``, creator`` fragments.

    Each fragment looks like the start of the ``creator`` key but has no colon,
    so only the real key at the end may close the content. All of it is on one
    line.
    """
    fragments = ", creator x" * count
    text = f"{{ id: -1,content: [VirtualMachineSaveDisk] x{fragments}{_record_tail()}\n"
    return Corpus(text, notifications=1, requests=0)


def open_braces(count: int) -> Corpus:
    """Build ``count`` ``{`` characters and nothing else: no record, no newline."""
    return Corpus("{" * count, notifications=0, requests=0)


def no_newline(count: int, seed: int = 7) -> Corpus:
    """Build ``count`` realistic records on a single line, without any newline."""
    generator = load_generator()
    rng = random.Random(seed)
    records = []
    moment = datetime(2014, 9, 1, 9, 0, 0)
    creators = list(generator.CREATORS)
    causes = generator.CAUSES
    for index in range(count):
        moment += timedelta(seconds=rng.randint(0, 40))
        creator = creators[index % len(creators)]
        cause = causes[rng.randrange(len(causes))]
        content = generator.make_message(rng, cause, creator)
        notification = generator.Notification(moment, creator, cause, content)
        records.append(generator.render_record(notification, generator.ONE_LINE))
    return Corpus(",".join(records), notifications=count, requests=0)


def binary_data(size: int, seed: int = 7) -> bytes:
    """Return ``size`` random bytes.

    With the default seed the bytes are invalid UTF-8 from offset 1 and invalid
    GB18030 from offset 10, so a reader has to replace bytes and report them.
    """
    return random.Random(seed).randbytes(size)


@dataclass(frozen=True, slots=True)
class Shape:
    """An input shape for the scaling benchmark: a builder and its size at 1x."""

    name: str
    description: str
    unit: str
    base: int
    build: Callable[[int], Corpus | bytes]


#: Shapes of the scaling benchmark. At 8x each hostile shape reaches the size
#: that the parser must handle: a 1 MiB content, 80,000 fragments, a million
#: braces, and 100,000 records on the one-line and the normal inputs.
SHAPES: dict[str, Shape] = {
    shape.name: shape
    for shape in (
        Shape(
            "records", "realistic records, wrapped, with noise", "records", 12_500, build_records
        ),
        Shape("long_content", "one record, content on one line", "chars", 131_072, long_content),
        Shape(
            "unterminated",
            "an unterminated record, no newline",
            "chars",
            131_072,
            unterminated_content,
        ),
        Shape(
            "creator_fragments",
            "one record with ', creator' fragments",
            "fragments",
            10_000,
            creator_fragments,
        ),
        Shape("open_braces", "'{' characters only", "braces", 125_000, open_braces),
        Shape("no_newline", "records on one line, no newline", "records", 12_500, no_newline),
        Shape("binary", "random bytes", "bytes", 131_072, binary_data),
    )
}


def write_shape(shape: Shape, size: int, directory: Path) -> tuple[Path, int]:
    """Build ``shape`` at ``size`` units into ``directory``.

    Returns the path and the number of notifications written, 0 for shapes
    that contain no complete record.
    """
    path = directory / f"{shape.name}-{size}.txt"
    built = shape.build(size)
    if isinstance(built, bytes):
        path.write_bytes(built)
        return path, 0
    built.write(path)
    return path, built.notifications
