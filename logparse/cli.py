"""The ``logparse`` command line: a thin layer over the Python API.

Data goes to standard output. Diagnostics, the closing summary, warnings
of the ``logparse`` loggers and the progress bar go to standard error. Exit
status: 0 when the input was read, 1 when ``--strict`` met a malformed record,
2 for usage errors, unreadable input and output that cannot be written.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import IO, Any

import click
import pandas as pd
from tqdm import tqdm

from logparse import __version__
from logparse.analytics import GROUP_KEYS, iso_week_bounds, summarize_failures
from logparse.causes import format_catalog, load_classifier
from logparse.errors import (
    LogparseError,
    MalformedRecordError,
    NoNotificationsError,
    SourceError,
)
from logparse.events import Diagnostic, NotificationEvent, ParseStats, RequestEvent
from logparse.output import describe_causes, write_events, write_table
from logparse.parse import parse_events
from logparse.read import events_to_frame
from logparse.sources import is_live_input
from logparse.weekly import write_weekly_report

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

EXIT_MALFORMED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

#: Diagnostics of one kind printed per run; the summary line counts the rest.
MAX_PRINTED = 100

# The key in click's Context.meta under which the group keeps its _WarningHandler.
_WARNING_HANDLER = "logparse.warning_handler"


class _WarningHandler(logging.Handler):
    """Logging handler that prints records of WARNING and above to stderr.

    The library's loggers have only a NullHandler, so without this handler the
    command line would drop warnings such as the weekly report's outlier dates.
    Diagnostics of the input do not come through here: the CLI receives them
    through ``on_diagnostic``, so no message is printed twice.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        if sys.stderr is None:
            return
        try:
            message = f"logparse: {record.levelname.lower()}: {record.getMessage()}"
            tqdm.write(message, file=sys.stderr)
        except Exception:
            # A handler must not raise, so handleError reports the failure as logging does.
            self.handleError(record)


def _silence_warnings() -> None:
    """Stop printing library warnings for the rest of the command, for --quiet."""
    context = click.get_current_context(silent=True)
    handler = None if context is None else context.meta.get(_WARNING_HANDLER)
    if handler is not None:
        handler.setLevel(logging.CRITICAL + 1)


def _is_terminal(stream: IO[Any] | None) -> bool:
    """Return True when ``stream`` is open and is a terminal."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


class Diagnostics:
    """Writes diagnostics to stderr and rejected text to the ``--rejects`` file."""

    def __init__(self, quiet: bool, rejects: IO[str] | None) -> None:
        self.quiet = quiet
        self.rejects = rejects
        self.stats = ParseStats()
        self.files = 0
        self.printed: dict[str, int] = {}

    def __call__(self, diagnostic: Diagnostic) -> None:
        # With standard error closed, the diagnostics are not shown, but the data
        # on standard output and the --rejects file are still written.
        if not self.quiet and sys.stderr is not None:
            self._print(diagnostic)
        if self.rejects is not None and diagnostic.kind in ("malformed", "skipped"):
            span = f"{diagnostic.source}:{diagnostic.line}-{diagnostic.end_line}"
            self.rejects.write(f"# {span}: {diagnostic.message}\n")
            self.rejects.write(diagnostic.text)
            if not diagnostic.text.endswith("\n"):
                self.rejects.write("\n")

    def _print(self, diagnostic: Diagnostic) -> None:
        printed = self.printed.get(diagnostic.kind, 0)
        self.printed[diagnostic.kind] = printed + 1
        if printed < MAX_PRINTED:
            tqdm.write(str(diagnostic), file=sys.stderr)
        elif printed == MAX_PRINTED:
            where = "" if self.rejects is None else "; --rejects collects every one"
            tqdm.write(
                f"logparse: more {diagnostic.kind.replace('_', ' ')} diagnostics are not "
                f"printed; the summary counts them{where}",
                file=sys.stderr,
            )

    def summary(self) -> str:
        stats = self.stats
        events = _count(stats.events, "event")
        text = (
            f"logparse: read {_count(stats.lines, 'line')} from {_count(self.files, 'file')}: "
            f"{events} ({_count(stats.notifications, 'notification')}, "
            f"{_count(stats.requests, 'request')}), "
            f"{_count(stats.malformed, 'malformed record')}, "
            f"{_count(stats.skipped_lines, 'skipped line')} "
            f"in {_count(stats.skipped_spans, 'span')}"
        )
        if stats.invalid_values:
            text += f", {_count(stats.invalid_values, 'invalid value')}"
        if stats.encoding_errors:
            text += f", {_count(stats.encoding_errors, 'line')} with undecodable bytes"
        return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that reads logs."""
    decorators = [
        click.argument(
            "files",
            nargs=-1,
            type=click.Path(exists=True, dir_okay=False, allow_dash=True),
        ),
        click.option(
            "--encoding",
            metavar="NAME",
            help="Codec of the input, such as gb18030. Default: UTF-8, with a "
            "fallback to GB18030 or Windows-1252 for lines that are not valid UTF-8, "
            "and GB18030 for GBK Chinese that reads as UTF-8.",
        ),
        click.option(
            "--rules",
            "rules",
            multiple=True,
            type=click.Path(exists=True, dir_okay=False),
            help="TOML file of cause rules that extend or override the built-in "
            "catalog. Repeat for several files.",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Stop with exit status 1 at the first malformed record.",
        ),
        click.option(
            "--rejects",
            type=click.Path(dir_okay=False, writable=True),
            help="Write each malformed record and skipped span, with its source "
            "and lines, to this file.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="Print only the summary line on stderr."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def _check_rejects_path(rejects: str | None, files: Sequence[str]) -> None:
    """Reject a --rejects path that is standard output or one of the inputs."""
    if rejects is None:
        return
    if rejects == "-":
        raise click.BadParameter(
            "standard output carries the events; name a file", param_hint="--rejects"
        )
    try:
        target = os.stat(rejects)
    except OSError:
        return
    # Compare files, not names: hard links, symbolic links and a file redirected
    # to stdin or from stdout are the same file under another name.
    same = (target.st_dev, target.st_ino)
    inputs = [os.stat(name) for name in files if name != "-"]
    if "-" in files or not files:
        inputs.extend(_stream_stat(sys.stdin))
    if any((stat.st_dev, stat.st_ino) == same for stat in inputs):
        raise click.BadParameter(
            f"{rejects} is also an input and would be overwritten; name another file",
            param_hint="--rejects",
        )
    if any((stat.st_dev, stat.st_ino) == same for stat in _stream_stat(sys.stdout)):
        raise click.BadParameter(
            f"{rejects} is standard output, which carries the events; name another file",
            param_hint="--rejects",
        )


def _is_live_file(name: str) -> bool:
    """Return True when the input ``name``, or standard input for ``-``, is a pipe or terminal."""
    if name != "-":
        return is_live_input(name)
    try:
        return is_live_input(sys.stdin.fileno())
    except (AttributeError, OSError, ValueError):
        # Standard input is closed, or replaced by an object without a file descriptor.
        return False


def _stream_stat(stream: IO[Any]) -> list[os.stat_result]:
    """Return the file status of a standard stream, or nothing when it has no file."""
    try:
        return [os.fstat(stream.fileno())]
    except (OSError, ValueError, io.UnsupportedOperation):
        return []


def _create_output_dir(context: click.Context, parameter: click.Parameter, path: str) -> str:
    """Create the --output-dir before any input is read, so that a bad path fails fast."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:
        raise click.BadParameter(f"cannot create directory {path}: {error.strerror}") from error
    return path


def _validate_week(week: str | None) -> str | None:
    """Reject a malformed --week before any input is read."""
    if week is not None:
        try:
            start, _ = iso_week_bounds(week)
            start.as_unit("ns")
        except (OverflowError, pd.errors.OutOfBoundsDatetime) as error:
            raise click.BadParameter(
                f"week {week!r} is outside the dates pandas can represent (1677 to 2262)"
            ) from error
        except ValueError as error:
            raise click.BadParameter(str(error)) from error
    return week


def _load_classifier(rules: Sequence[str]) -> Any:
    try:
        return load_classifier(list(rules) or None)
    except LogparseError as error:
        raise click.UsageError(str(error)) from error


def _handle_write_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn errors writing the output into exit statuses.

    The reader of stdout going away, as in ``logparse parse | head``, is
    success: exit status 0. Click would turn the broken pipe into status 1,
    which the exit status table keeps for --strict, so the command handles it
    first. A stdout that is closed, a full disk or a path that cannot be
    written is exit status 2.
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        if sys.stdout is None:
            # Python sets sys.stdout to None when descriptor 1 is closed, as by
            # ">&-". Fail before reading, because the output could go nowhere.
            click.echo("logparse: error: cannot write standard output: it is closed", err=True)
            sys.exit(EXIT_USAGE)
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            # Point stdout at /dev/null so that the flush at exit raises no second error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except OSError as error:
            # A full disk or a path that cannot be written, for the output or --rejects.
            where = f" {error.filename}" if error.filename else ""
            click.echo(f"logparse: error: cannot write{where}: {error.strerror or error}", err=True)
            sys.exit(EXIT_USAGE)

    return run


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="logparse")
@click.pass_context
def cli(context: click.Context) -> None:
    """Parse OpenNebula error notifications into events and failure reports.

    Each command reads the FILES named, or standard input when there are none
    or for "-".
    """
    logger = logging.getLogger("logparse")
    handler = _WarningHandler()
    logger.addHandler(handler)
    context.meta[_WARNING_HANDLER] = handler
    # Removed when the command ends, so that a program that runs the command
    # line several times, as the tests do, prints each warning once.
    context.call_on_close(lambda: logger.removeHandler(handler))


@cli.command()
@input_options
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "csv", "table"]),
    default="jsonl",
    show_default=True,
    help="Output format: one JSON object per line, CSV, or an aligned table.",
)
@_handle_write_errors
def parse(output_format: str, **options: Any) -> None:
    """Write one event per line: notifications and request bodies.

    From a pipe or terminal, JSON Lines and CSV output is written as each
    record arrives, so `tail -f capture.txt | logparse parse` follows a log.

    \b
    Example:
        logparse parse samples/sunstone-notifications.txt
        cat capture.txt | logparse parse --format csv > events.csv
    """
    reading = _Reading(options)
    with reading as events:
        write_events(events, sys.stdout, output_format, flush_each=reading.live)


@cli.command()
@input_options
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Output format of the report table.",
)
@click.option(
    "--by",
    default="cause,vm_state",
    show_default=True,
    help=f"Comma-separated group keys: {', '.join(GROUP_KEYS)}.",
)
@_handle_write_errors
def report(output_format: str, by: str, **options: Any) -> None:
    """Count failures (error notifications) by cause and VM state.

    The vm_state column is the state the VM was in when the message names it,
    else the states it had to be in, written "not RUNNING/POWEROFF/SUSPENDED".

    \b
    Example:
        logparse report samples/sunstone-notifications.txt
        logparse report --by cause,object --format markdown capture.txt
    """
    keys = [key.strip() for key in by.split(",") if key.strip()]
    unknown = [key for key in keys if key not in GROUP_KEYS]
    if len(set(keys)) != len(keys):
        raise click.BadParameter(f"a group key is named twice in {by!r}", param_hint="--by")
    if not keys or unknown:
        raise click.BadParameter(
            f"unknown group key {', '.join(unknown) or by!r}: use any of {', '.join(GROUP_KEYS)}",
            param_hint="--by",
        )
    with _Reading(options) as events:
        frame = events_to_frame(event for event in events if isinstance(event, NotificationEvent))
    table = summarize_failures(frame, by=keys)
    write_table(table, sys.stdout, output_format)


@cli.command()
@input_options
@click.option(
    "--week",
    metavar="YYYY-Www",
    callback=lambda context, parameter, value: _validate_week(value),
    help="ISO week to report, such as 2014-W38. Default: the last complete week in the "
    "data, or the week of the latest record when no week is complete.",
)
@click.option(
    "-o",
    "--output-dir",
    required=True,
    type=click.Path(file_okay=False),
    callback=_create_output_dir,
    help="Directory for the HTML, Markdown, CSV and PNG files; created if missing.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh-CN"]),
    default="en",
    show_default=True,
    help="Language of headings, labels, hints and chart text.",
)
@_handle_write_errors
def weekly(week: str | None, output_dir: str, lang: str, **options: Any) -> None:
    """Write the weekly failure report as HTML, Markdown and CSV.

    The report shows what failed in the week, what is new or grew against the
    week before, and what to fix first. It prints the paths it wrote.

    \b
    Example:
        logparse weekly samples/sunstone-weeks.txt --week 2014-W38 -o reports/
        logparse weekly --lang zh-CN -o reports/ capture.txt
    """
    reading = _Reading(options)
    with reading as events:
        notifications = [event for event in events if isinstance(event, NotificationEvent)]
    frame = events_to_frame(notifications, reading.diagnostics.stats)
    try:
        paths = write_weekly_report(
            frame,
            week=week,
            output_dir=output_dir,
            lang=lang,
            classifier=reading.classifier,
        )
    except NoNotificationsError as error:
        click.echo(f"logparse: error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    for path in (paths.html, paths.markdown, paths.csv, *paths.charts):
        click.echo(str(path))


@cli.command()
@click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="TOML file of cause rules to add to the catalog.",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
)
@click.argument("cause_ids", metavar="[CAUSE]...", nargs=-1)
@_handle_write_errors
def causes(cause_ids: Sequence[str], rules: Sequence[str], output_format: str) -> None:
    """List the cause catalog: id, description, example and hint.

    Name one or more causes to show them in full, with the rules that give
    them. The table of all causes shortens long text.

    \b
    Example:
        logparse causes
        logparse causes transfer_failed driver_command_failed
        logparse causes --format markdown
    """
    classifier = _load_classifier(rules)
    rows = format_catalog(classifier)
    if cause_ids:
        by_id = {row["id"]: row for row in rows}
        missing = [cause_id for cause_id in cause_ids if cause_id not in by_id]
        if missing:
            raise click.UsageError(
                f"unknown cause {missing[0]!r}. Run `logparse causes` to list the known ids."
            )
        rows = [by_id[cause_id] for cause_id in dict.fromkeys(cause_ids)]
        if output_format == "table":
            rule_ids: dict[str, list[str]] = {}
            for rule in classifier.rules:
                rule_ids.setdefault(rule.cause, []).append(rule.id)
            click.echo(describe_causes(rows, rule_ids), nl=False)
            return
    write_table(pd.DataFrame(rows), sys.stdout, output_format)


class _Reading:
    """Reads every input named on the command line as one stream of events.

    Used as a context manager: entering returns the events, and leaving prints
    the summary line and turns a --strict stop or an unreadable input into
    its exit status.
    """

    def __init__(self, options: dict[str, Any]) -> None:
        self.files: Sequence[str] = options["files"] or ("-",)
        if "-" in self.files and sys.stdin is None:
            # Python sets sys.stdin to None when descriptor 0 is closed, as by "<&-".
            click.echo("logparse: error: cannot read standard input: it is closed", err=True)
            sys.exit(EXIT_USAGE)
        # True when an input is a pipe or terminal, so that output should not
        # wait in a buffer for input that arrives later.
        self.live = any(_is_live_file(name) for name in self.files)
        self.encoding: str | None = options["encoding"]
        self.strict: bool = options["strict"]
        self.classifier = _load_classifier(options["rules"])
        self.rejects_path: str | None = options["rejects"]
        _check_rejects_path(self.rejects_path, self.files)
        self.diagnostics = Diagnostics(options["quiet"], None)
        if options["quiet"]:
            _silence_warnings()
        self.stack = ExitStack()

    def __enter__(self) -> Iterator[NotificationEvent | RequestEvent]:
        return self._events()

    def __exit__(self, exc_type: type | None, error: BaseException | None, tb: Any) -> bool:
        self.stack.close()
        if isinstance(error, MalformedRecordError):
            click.echo(self.diagnostics.summary(), err=True)
            click.echo(
                "logparse: error: stopped at a malformed record because of --strict; "
                "fix the record or drop --strict to skip it",
                err=True,
            )
            sys.exit(EXIT_MALFORMED)
        if isinstance(error, SourceError | UnicodeError):
            click.echo(f"logparse: error: {error}", err=True)
            sys.exit(EXIT_USAGE)
        if error is None:
            click.echo(self.diagnostics.summary(), err=True)
        return False

    def _events(self) -> Iterator[NotificationEvent | RequestEvent]:
        if self.rejects_path is not None:
            # Opened, and so emptied, even when nothing is rejected, so that a
            # stale file from an earlier run is never fed back.
            try:
                rejects = open(self.rejects_path, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as error:
                message = f"{self.rejects_path}: cannot write rejects: {error.strerror}"
                raise SourceError(message) from error
            self.diagnostics.rejects = self.stack.enter_context(rejects)
        progress = self.stack.enter_context(
            tqdm(
                unit=" events",
                file=sys.stderr,
                disable=not _is_terminal(sys.stderr),
                leave=False,
            )
        )
        for name in self.files:
            reader = parse_events(
                name,
                encoding=self.encoding,
                on_bad_lines="error" if self.strict else "skip",
                rules=self.classifier,
                on_diagnostic=self.diagnostics,
            )
            try:
                with reader:
                    for event in reader:
                        progress.update()
                        yield event
            finally:
                # Counted even when --strict stops inside the file.
                self.diagnostics.files += 1
                self.diagnostics.stats.add(reader.stats)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line; the console script's entry point."""
    try:
        cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="logparse",
            standalone_mode=False,
        )
    except click.ClickException as error:
        # Click writes the message to stdout when stderr is closed, where it
        # would mix with data, so it is not shown then.
        if sys.stderr is not None:
            error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("logparse: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
