"""The ``logparse`` command line: a thin layer over the Python API.

Data goes to standard output. Diagnostics, the closing summary, warnings
of the ``logparse`` loggers and the progress bar go to standard error. Exit
status: 0 when the input was read, 1 when ``--strict`` met a malformed record,
2 for usage errors, unreadable input and output that cannot be written, 130
when Ctrl-C (SIGINT) interrupted the command.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import io
import logging
import os
import select
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import IO, Any

EXIT_MALFORMED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

try:
    import click
    import pandas as pd
    from tqdm import tqdm

    from logparse import __version__
    from logparse.analytics import GROUP_KEYS, iso_week_bounds, iso_week_of, summarize_failures
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
    from logparse.sources import is_live_input, source_name
    from logparse.weekly import REPORT_FILE_NAME, write_weekly_report
except KeyboardInterrupt:
    # The imports of pandas, matplotlib and the rest run before main() can
    # catch Ctrl-C, so an interrupt here ends the command as one in main() does.
    # The package itself loads pandas only on first use of read_log, so its
    # own imports before this module are short.
    if sys.stderr is not None:
        sys.stderr.write("logparse: interrupted\n")
    sys.exit(EXIT_INTERRUPTED)

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

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
            message = f"logparse: {record.levelname.lower()}: {_printable(record.getMessage())}"
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


def _printable(text: str) -> str:
    """Escape the characters of ``text`` that a terminal would act on or not show, as repr() does.

    File names may contain escape sequences and line breaks, which would
    change the terminal or forge lines of output.
    """
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _named_error(error: OSError, path: str) -> OSError:
    """Return ``error`` with ``path`` as its file name, for errors of writes that name no file."""
    if error.filename is not None:
        return error
    return OSError(error.errno, error.strerror or str(error), path)


class _RejectsFile:
    """The ``--rejects`` file: each rejected piece of input under a ``#`` line naming it.

    Write errors, which a buffered file raises with no file name, are raised
    with the path, so that the error message names the rejects file.
    """

    def __init__(self, path: str, flush_each: bool) -> None:
        self.path = path
        # Flushed after each piece for live input, so that each rejected record
        # is in the file while logparse still waits for more input.
        self.flush_each = flush_each
        try:
            self.file = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by close()
        except OSError as error:
            message = (
                f"{_printable(path)}: cannot write rejects: {error.strerror}; "
                f"{_write_advice(error)}"
            )
            raise SourceError(message) from error

    def write(self, diagnostic: Diagnostic) -> None:
        span = f"{_printable(diagnostic.source)}:{diagnostic.line}-{diagnostic.end_line}"
        text = diagnostic.text if diagnostic.text.endswith("\n") else diagnostic.text + "\n"
        try:
            self.file.write(f"# {span}: {diagnostic.message}\n{text}")
            if self.flush_each:
                self.file.flush()
        except OSError as error:
            raise _named_error(error, self.path) from error

    def close(self) -> None:
        try:
            self.file.close()
        except OSError as error:
            raise _named_error(error, self.path) from error


class Diagnostics:
    """Writes diagnostics to stderr and rejected text to the ``--rejects`` file."""

    def __init__(self, quiet: bool, rejects: _RejectsFile | None) -> None:
        self.quiet = quiet
        self.rejects = rejects
        self.stats = ParseStats()
        self.files = 0
        self.printed: dict[str, int] = {}
        # The lines that skipped spans touch, each counted once. ParseStats
        # counts a line that also contains part of a record with the record, so
        # these can be more than stats.skipped_lines.
        self.span_lines = 0
        # The number of the file being read and the last line counted in it,
        # because line numbers start again in each file.
        self._last_span_line = (0, 0)

    def __call__(self, diagnostic: Diagnostic) -> None:
        if diagnostic.kind == "skipped":
            self._count_span_lines(diagnostic)
        # With standard error closed, the diagnostics are not shown, but the data
        # on standard output and the --rejects file are still written.
        if not self.quiet and sys.stderr is not None:
            self._print(diagnostic)
        if self.rejects is not None and diagnostic.kind in ("malformed", "skipped"):
            self.rejects.write(diagnostic)

    def _count_span_lines(self, diagnostic: Diagnostic) -> None:
        file, last = self._last_span_line
        if file != self.files:
            last = 0
        first = max(diagnostic.line, last + 1)
        self.span_lines += max(diagnostic.end_line - first + 1, 0)
        self._last_span_line = (self.files, max(last, diagnostic.end_line))

    def _print(self, diagnostic: Diagnostic) -> None:
        printed = self.printed.get(diagnostic.kind, 0)
        self.printed[diagnostic.kind] = printed + 1
        if printed < MAX_PRINTED:
            tqdm.write(_printable(str(diagnostic)), file=sys.stderr)
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
        # Skipped text on the line of a record, as in "junk { ... }".
        shared = self.span_lines - stats.skipped_lines
        if shared > 0:
            text += f" (and skipped text on {_count(shared, 'line')} of records)"
        if stats.invalid_values:
            text += f", {_count(stats.invalid_values, 'invalid value')}"
        if stats.encoding_errors:
            text += f", {_count(stats.encoding_errors, 'line')} with undecodable bytes"
        return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _validate_encoding(
    context: click.Context, parameter: click.Parameter, value: str | None
) -> str | None:
    """Reject an empty --encoding, which would otherwise select the default silently."""
    if value is not None and not value.strip():
        raise click.BadParameter(
            "the codec name is empty: name one, such as utf-8 or gb18030, or leave out "
            "--encoding to decode UTF-8 with the per-line fallback"
        )
    return value


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
            callback=_validate_encoding,
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
            "and lines, to this file. From a pipe or terminal, each is written as "
            "soon as it is rejected.",
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
            f"{_printable(rejects)} is also an input and would be overwritten; name another file",
            param_hint="--rejects",
        )
    if any((stat.st_dev, stat.st_ino) == same for stat in _stream_stat(sys.stdout)):
        raise click.BadParameter(
            f"{_printable(rejects)} is standard output, which carries the events; "
            "name another file",
            param_hint="--rejects",
        )


def _check_report_clash(
    output_dir: str, week: str | None, files: Sequence[str], rejects: str | None
) -> None:
    """Reject an input or --rejects file that a file of the weekly report would replace.

    Runs before any input is read. Without --week the week is known only after
    reading, so the report file names of every week count.
    """
    if week is not None:
        week = iso_week_of(iso_week_bounds(week)[0])
    for name in files:
        if name == "-":
            report = _report_file_of_stream(sys.stdin, output_dir, week)
            named_input = "standard input"
        else:
            report = _report_file_at(name, output_dir, week)
            named_input = f"the input {_printable(name)}"
        if report is not None:
            raise click.BadParameter(
                f"the report would replace {named_input} with its file "
                f"{_printable(report)}: name another output directory, or move or rename "
                "the input",
                param_hint="--output-dir",
            )
    if rejects is not None and rejects != "-":
        report = _report_file_at(rejects, output_dir, week)
        if report is not None:
            raise click.BadParameter(
                f"the report would replace {_printable(rejects)} with its file "
                f"{_printable(report)}: name another rejects file, or another output directory",
                param_hint="--rejects",
            )


def _report_file_at(path: str, output_dir: str, week: str | None) -> str | None:
    """Return the path of the report file that would replace the file at ``path``, or None.

    Writing the report replaces directory entries. So ``path`` counts as the
    file that its symbolic links lead to, and a hard link under another name
    keeps the data of a replaced file.
    """
    folder, name = os.path.split(os.path.realpath(path))
    match = REPORT_FILE_NAME.fullmatch(name)
    if match is None or (week is not None and match["week"] != week):
        return None
    try:
        if not os.path.samefile(folder, output_dir):
            return None
    except OSError:
        return None
    return os.path.join(output_dir, name)


def _report_file_of_stream(stream: IO[Any] | None, output_dir: str, week: str | None) -> str | None:
    """Return the path of the report file that would replace the file redirected to ``stream``."""
    statuses = [] if stream is None else _stream_stat(stream)
    if not statuses or not stat.S_ISREG(statuses[0].st_mode):
        return None
    same = (statuses[0].st_dev, statuses[0].st_ino)
    try:
        with os.scandir(output_dir) as entries:
            for entry in entries:
                match = REPORT_FILE_NAME.fullmatch(entry.name)
                if match is None or (week is not None and match["week"] != week):
                    continue
                status = entry.stat(follow_symlinks=False)
                if (status.st_dev, status.st_ino) == same:
                    return entry.path
    except OSError:
        # A directory that cannot be listed hides its entries, so nothing is found.
        return None
    return None


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


def _file_kind(path: str) -> str:
    """Name the kind of file at ``path`` for a message, such as "a character device"."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "a file"
    kinds = (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a file")


def _create_output_dir(context: click.Context, parameter: click.Parameter, path: str) -> str:
    """Create the --output-dir and check that files can be created in it.

    Both happen before any input is read, so that a bad path fails at once
    instead of after a long input.
    """
    if not path:
        raise click.BadParameter("the directory name is empty: name a directory, such as reports")
    printable_path = _printable(path)
    if os.path.exists(path) and not os.path.isdir(path):
        raise click.BadParameter(
            f"{printable_path} is {_file_kind(path)}, not a directory: name a directory, "
            "or a path where one can be created"
        )
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:
        raise click.BadParameter(
            f"cannot create directory {printable_path}: {error.strerror}; {_write_advice(error)}"
        ) from error
    try:
        # The temporary file is removed when closed. Creating a file is the first
        # step of writing the report, so a directory without write permission or
        # on a read-only file system fails here. A full disk can still fail later.
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise click.BadParameter(
            f"cannot create files in directory {printable_path}: {error.strerror}; "
            f"{_write_advice(error)}"
        ) from error
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


def _write_advice(error: OSError, *, stdout: bool = False) -> str:
    """Return what to do about an error writing a file, or standard output with ``stdout``."""
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "free some space, or write to another file system"
    if error.errno == errno.EROFS:
        return "the file system is read-only, so write to another one"
    if stdout:
        return "redirect standard output to a file or pipe that can be written"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "check its permissions, or name another path"
    return "check the path, or name another one"


def _write_error_message(error: OSError) -> str:
    """Describe an error writing the output: the file, the reason and what to do."""
    # Only writes to standard output raise without a file name, because the
    # report and --rejects files raise with their paths.
    stdout = error.filename is None
    target = "standard output" if stdout else _printable(str(error.filename))
    reason = error.strerror or str(error)
    advice = _write_advice(error, stdout=stdout)
    return f"logparse: error: cannot write {target}: {reason}; {advice}"


def _require_stdout(command: Callable[..., Any]) -> Callable[..., Any]:
    """Stop a command that writes its data to standard output when stdout is closed."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        if sys.stdout is None:
            # Python sets sys.stdout to None when descriptor 1 is closed, as by
            # ">&-". Fail before reading, because the output could go nowhere.
            click.echo("logparse: error: cannot write standard output: it is closed", err=True)
            sys.exit(EXIT_USAGE)
        return command(*args, **kwargs)

    return run


def _handle_write_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn errors writing the output into exit statuses.

    The reader of stdout going away, as in ``logparse parse | head``, is
    success: exit status 0. Click would turn the broken pipe into status 1,
    which the exit status table keeps for --strict, so the command handles it
    first. A full disk or a path that cannot be written is exit status 2.
    """

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OSError as error:
            if isinstance(error, BrokenPipeError) and error.filename is None and sys.stdout:
                # Point stdout at /dev/null so that the flush at exit raises no second error.
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                sys.exit(0)
            # A full disk or a path that cannot be written, for the output or --rejects.
            click.echo(_write_error_message(error), err=True)
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
@_require_stdout
def parse(output_format: str, **options: Any) -> None:
    """Write one event per line: notifications and request bodies.

    From a pipe or terminal, JSON Lines and CSV output is written as each
    record arrives, so `tail -f capture.txt | logparse parse` follows a log.
    Ctrl-C then ends the input: a record that was still arriving counts as
    malformed, and the exit status is 130.

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
@_require_stdout
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
    with _Reading(options, unwritten="report") as events:
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
    _check_report_clash(output_dir, week, options["files"] or ("-",), options["rejects"])
    reading = _Reading(options, unwritten="weekly report")
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

    # Standard output carries only the paths, so the files are written even
    # when it is closed or full, and the exit status then reports that.
    written = f"report files are written to {_printable(output_dir)}"
    if sys.stdout is None:
        click.echo(
            f"logparse: error: cannot write standard output: it is closed; the {written}", err=True
        )
        sys.exit(EXIT_USAGE)
    try:
        for path in (paths.html, paths.markdown, paths.csv, *paths.charts):
            click.echo(str(path))
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            raise
        click.echo(f"{_write_error_message(error)}. The {written}", err=True)
        sys.exit(EXIT_USAGE)


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
@_require_stdout
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


class _InputInterrupted(Exception):
    """Raised by the SIGINT handler to end a wait for live input."""


class _LiveInput(io.RawIOBase):
    """A pipe, terminal or socket whose input ends when Ctrl-C interrupts the command.

    After the interrupt, reads return no bytes, as at the end of the input.
    The parser then reports the record that was still arriving as malformed, so
    it is counted and written to --rejects instead of being lost.
    """

    def __init__(self, fd: int, name: str) -> None:
        super().__init__()
        self.fd = fd
        self.name = name
        # Set by the SIGINT handler.
        self.interrupted = False
        # True once a read returned the end of the input because of the interrupt.
        self.cut = False
        self._waiting = False

    def interrupt(self) -> None:
        """End the input; called by the SIGINT handler."""
        self.interrupted = True
        if self._waiting:
            raise _InputInterrupted

    def fileno(self) -> int:
        return self.fd

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def read(self, size: int | None = -1) -> bytes:
        # The wait for input is separate from the read, so the SIGINT handler
        # raises only while nothing has been read. Bytes that a read returned
        # are kept, and bytes that arrive after the interrupt are not read.
        try:
            self._waiting = True
            if not self.interrupted:
                select.select([self.fd], [], [])
        except _InputInterrupted:
            pass
        except (OSError, ValueError):
            # select() raises ValueError for a descriptor above FD_SETSIZE (1024 on
            # Linux). os.read then waits instead, so Ctrl-C ends the input only
            # after more bytes arrive, and a second Ctrl-C stops the command at once.
            pass
        finally:
            self._waiting = False
        if self.interrupted:
            self.cut = True
            return b""
        return os.read(self.fd, size if size is not None and size > 0 else 1 << 16)


class _Reading:
    """Reads every input named on the command line as one stream of events.

    Used as a context manager: entering returns the events, and leaving prints
    the summary line and turns a --strict stop, an unreadable input or an
    interrupt into its exit status.

    ``unwritten`` names the output that an interrupt leaves unwritten, such as
    "report", for commands that write their output after reading all input.
    """

    def __init__(self, options: dict[str, Any], unwritten: str | None = None) -> None:
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
        self.unwritten = unwritten
        self.stack = ExitStack()
        self.events: Iterator[NotificationEvent | RequestEvent] | None = None
        # The input being read, and the same input as a _LiveInput, which
        # Ctrl-C ends, while it is a pipe or terminal.
        self.current: str | None = None
        self.live_input: _LiveInput | None = None
        # The live input that Ctrl-C ended, its last line read, and the
        # malformed record its interrupt cut short.
        self.interrupted: _LiveInput | None = None
        self.interrupted_lines = 0
        self.unfinished: Diagnostic | None = None

    def __enter__(self) -> Iterator[NotificationEvent | RequestEvent]:
        self.events = self._events()
        return self.events

    def __exit__(self, exc_type: type | None, error: BaseException | None, tb: Any) -> bool:
        if self.events is not None:
            # Runs the finally blocks of a reader that an exception left open,
            # so that the summary counts its lines.
            self.events.close()
        self.stack.close()
        unfinished_stop = (
            isinstance(error, MalformedRecordError)
            and self.unfinished is not None
            and error.diagnostic.line == self.unfinished.line
        )
        if isinstance(error, KeyboardInterrupt) or (
            self.interrupted is not None and (error is None or unfinished_stop)
        ):
            self._report_interrupt()
            click.echo(self.diagnostics.summary(), err=True)
            sys.exit(EXIT_INTERRUPTED)
        if isinstance(error, MalformedRecordError):
            click.echo(self.diagnostics.summary(), err=True)
            click.echo(
                "logparse: error: stopped at a malformed record because of --strict; "
                "fix the record or drop --strict to skip it",
                err=True,
            )
            sys.exit(EXIT_MALFORMED)
        if isinstance(error, SourceError | UnicodeError):
            click.echo(f"logparse: error: {_printable(str(error))}", err=True)
            sys.exit(EXIT_USAGE)
        if error is None or isinstance(error, OSError):
            # An OSError here is a failed write of the output, which
            # _handle_write_errors reports after the summary, as it does for
            # commands that write after reading.
            click.echo(self.diagnostics.summary(), err=True)
        return False

    def _report_interrupt(self) -> None:
        """Print what the interrupt left unread or unfinished, and what it left unwritten."""
        if _is_terminal(sys.stderr):
            # Ends the line on which the terminal echoed ^C.
            click.echo(err=True)
        if self.interrupted is not None and self.unfinished is not None:
            where = "" if self.rejects_path is None else f", and it is in {self.rejects_path}"
            message = (
                f"logparse: interrupted while reading {self.interrupted.name}: the record "
                f"that starts at line {self.unfinished.line} is unfinished, so it counts as "
                f"malformed{where}"
            )
        elif self.interrupted is not None:
            message = (
                f"logparse: interrupted while reading {self.interrupted.name}, "
                f"after line {self.interrupted_lines}"
            )
        elif self.current is not None:
            message = f"logparse: interrupted while reading {source_name(self.current)}"
        else:
            message = "logparse: interrupted"
        if self.unwritten is not None:
            message += f". No {self.unwritten} is written from incomplete input"
        if self.unwritten is not None and self.interrupted is not None:
            message += (
                ": to get one, end the input with Ctrl-D at a terminal, or stop the program "
                "that writes to the pipe"
            )
        click.echo(_printable(message), err=True)

    def _on_interrupt(self, signum: int, frame: Any) -> None:
        """End the live input being read at the first Ctrl-C; stop at once at any other."""
        live = self.live_input
        if live is None or live.interrupted:
            raise KeyboardInterrupt
        live.interrupt()

    def _catch_interrupts(self) -> None:
        """Let Ctrl-C end live input instead of stopping the command.

        Only the main thread can set signal handlers, and a handler other
        than Python's default, such as SIG_IGN, is left in place.
        """
        if threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGINT)
        if previous is not signal.default_int_handler:
            return
        signal.signal(signal.SIGINT, self._on_interrupt)
        self.stack.callback(signal.signal, signal.SIGINT, previous)

    def _open_live(self, name: str) -> _LiveInput | None:
        """Open ``name`` as a _LiveInput when it is a pipe, terminal or socket."""
        # On Windows, select() waits for sockets only, so Ctrl-C stops the
        # command there as it stops any other.
        if sys.platform == "win32" or not _is_live_file(name):
            return None
        if name == "-":
            fd = sys.stdin.fileno()
        else:
            try:
                fd = os.open(name, os.O_RDONLY)
            except OSError as error:
                raise SourceError(f"{name}: cannot open file: {error.strerror}") from error
            self.stack.callback(os.close, fd)
        return _LiveInput(fd, source_name(name))

    def _on_diagnostic(self, diagnostic: Diagnostic) -> None:
        live = self.live_input
        if live is not None and live.cut and diagnostic.kind == "malformed":
            # The interrupt ended the input inside this record.
            diagnostic = dataclasses.replace(
                diagnostic, message=f"{diagnostic.message}; the input was interrupted here"
            )
            self.unfinished = diagnostic
        self.diagnostics(diagnostic)

    def _events(self) -> Iterator[NotificationEvent | RequestEvent]:
        if self.rejects_path is not None:
            # Opened, and so emptied, even when nothing is rejected, so that a
            # stale file from an earlier run is never fed back.
            rejects = _RejectsFile(self.rejects_path, flush_each=self.live)
            self.stack.callback(rejects.close)
            self.diagnostics.rejects = rejects
        if self.live:
            self._catch_interrupts()
        progress = self.stack.enter_context(
            tqdm(
                unit=" events",
                file=sys.stderr,
                disable=not _is_terminal(sys.stderr),
                leave=False,
            )
        )
        for name in self.files:
            self.current = name
            live = self._open_live(name)
            reader = parse_events(
                name if live is None else live,
                encoding=self.encoding,
                on_bad_lines="error" if self.strict else "skip",
                rules=self.classifier,
                on_diagnostic=self._on_diagnostic,
                name=source_name(name),
            )
            self.live_input = live
            try:
                with reader:
                    for event in reader:
                        progress.update()
                        yield event
            finally:
                self.live_input = None
                # Counted even when --strict stops inside the file.
                self.diagnostics.files += 1
                self.diagnostics.stats.add(reader.stats)
                if live is not None and live.interrupted:
                    self.interrupted = live
                    self.interrupted_lines = reader.stats.lines
            if self.interrupted is not None:
                break
        self.current = None


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
