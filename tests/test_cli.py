"""The logparse command line, through standard input and through files."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from logparse import parse_events
from logparse.cli import cli
from logparse.output import write_events

from .conftest import SAMPLES
from .test_redact import LEAK_INPUTS, SECRET_KEYS, leak_input, leaked

SEED = SAMPLES / "sunstone-notifications.txt"
SEED_TEXT = SEED.read_text("utf-8")


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


# parse


@pytest.mark.parametrize("how", ["stdin", "dash", "file"])
def test_parse_seed_counts(how):
    if how == "file":
        result = run("parse", str(SEED))
    else:
        result = run("parse", *(["-"] if how == "dash" else []), input=SEED_TEXT)
    records = jsonl(result.stdout)
    assert result.exit_code == 0
    assert sum(record["kind"] == "notification" for record in records) == 12
    assert sum(record["kind"] == "request" for record in records) == 3


def test_parse_jsonl_keys():
    records = jsonl(run("parse", str(SEED)).stdout)
    notification = next(record for record in records if record["kind"] == "notification")
    request = next(record for record in records if record["kind"] == "request")
    assert list(notification)[:15] == [
        "kind",
        "id",
        "timestamp",
        "creator",
        "type",
        "method",
        "message",
        "cause",
        "object_type",
        "object_id",
        "vm_state",
        "required_states",
        "operation",
        "action",
        "template",
    ]
    assert notification["timestamp"] == "2014-09-18T01:54:27"
    assert notification["required_states"] == []
    assert notification["line"] == 22
    assert notification["end_line"] == 23
    assert list(request) == ["kind", "action", "params", "extra", "source", "line", "end_line"]


def test_parse_no_csrftoken_anywhere():
    result = run("parse", "--format", "jsonl", input=SEED_TEXT)
    assert "csrftoken" not in result.output
    assert "0f1e2d3c4b5a" not in result.output


@pytest.mark.parametrize("output_format", ["jsonl", "csv", "table"])
def test_parse_formats_hide_token(output_format):
    result = run("parse", "--format", output_format, str(SEED))
    assert result.exit_code == 0
    assert "0f1e2d3c4b5a" not in result.output


def test_parse_csv_rows():
    result = run("parse", "--format", "csv", str(SEED))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 15
    assert rows[3]["cause"] == "name_collision"
    assert rows[3]["required_states"] == ""


def test_parse_csv_neutralises_formula():
    record = '{ content: =HYPERLINK("http://x"), creator: @evil, type: ERROR_MSG }\n'
    rows = list(csv.DictReader(io.StringIO(run("parse", "-f", "csv", input=record).stdout)))
    assert rows[0]["message"].startswith("'=HYPERLINK")
    assert rows[0]["creator"] == "'@evil"


def test_parse_table_has_chinese_aligned():
    record = "{ content: [ImageAllocate] 名称已被占用, creator: 张三, type: ERROR_MSG }\n"
    lines = run("parse", "-f", "table", input=record).stdout.splitlines()
    assert "张三" in lines[1]


def test_diagnostics_on_stderr_only():
    result = run("parse", str(SEED))
    assert "skipped" not in result.stdout
    assert f"{SEED}:1: skipped 3 lines" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("logparse: read 47 lines from 1 file")


def test_quiet_keeps_summary():
    result = run("parse", "--quiet", str(SEED))
    assert result.stderr.splitlines() == [result.stderr.splitlines()[-1]]
    assert result.stderr == (
        "logparse: read 47 lines from 1 file: 15 events (12 notifications, 3 requests), "
        "0 malformed records, 8 skipped lines in 4 spans\n"
    )


def test_several_files_read_in_order(tmp_path):
    second = tmp_path / "second.txt"
    second.write_text("{ content: [ImageClone] x, type: ERROR_MSG }\n")
    records = jsonl(run("parse", str(SEED), str(second)).stdout)
    assert records[-1]["source"] == str(second)
    assert len(records) == 16


MALFORMED = (
    "{ content: [ImageAllocate] a, type: ERROR_MSG }\n"
    "{ type: ERROR_MSG, creator ops1, content: b }\n"
    "{ content: [ImageDelete] c, type: ERROR_MSG }\n"
)


def test_malformed_reported_and_skipped():
    result = run("parse", "-", input=MALFORMED)
    assert result.exit_code == 0
    assert len(jsonl(result.stdout)) == 2
    assert "<stdin>:2:28: malformed record: expected \":\", found 'ops1'" in result.stderr


def test_strict_stops_with_status_1():
    result = run("parse", "--strict", input=MALFORMED)
    assert result.exit_code == 1
    assert len(jsonl(result.stdout)) == 1
    assert "--strict" in result.stderr
    assert "1 event (1 notification, 0 requests), 1 malformed record" in result.stderr


def test_rejects_file(tmp_path):
    rejects = tmp_path / "rejects.txt"
    run("parse", "--rejects", str(rejects), str(SEED))
    text = rejects.read_text("utf-8")
    assert f"# {SEED}:1-3: skipped 3 lines" in text
    assert "虚拟机快照" in text


def test_rejects_refeed(tmp_path):
    rejects = tmp_path / "rejects.txt"
    run("parse", "--rejects", str(rejects), input=MALFORMED)
    fixed = rejects.read_text("utf-8").replace("creator ops1", "creator: ops1")
    records = jsonl(run("parse", input=fixed).stdout)
    assert [record["message"] for record in records] == ["b"]


# A record whose quoted content is cut off, between complete records.
CUT_QUOTE = (
    "{ id: -1,content: [A] ok,creator: ops,date: 2014-09-18,time: 01:54:27,type: ERROR_MSG },\n"
    '{ id: 2,content: "[VirtualMachineDeploy] Cannot dep\n'
    + "".join(
        f"{{ id: -1,content: [B{index}] next,creator: ops,date: 2014-09-18,"
        "time: 01:55:00,type: ERROR_MSG },\n"
        for index in range(200)
    )
)


def test_open_quote_reported_once(tmp_path):
    path = tmp_path / "cut-quote.txt"
    path.write_text(CUT_QUOTE, "utf-8")
    rejects = tmp_path / "rejects.txt"
    result = run("parse", "--rejects", str(rejects), str(path))
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    assert [record["line"] for record in records] == [1, *range(3, 203)]
    malformed = [line for line in result.stderr.splitlines() if "malformed record:" in line]
    assert len(malformed) == 1
    assert malformed[0].startswith(f"{path}:2:")
    assert "not closed before the next record starts" in malformed[0]
    assert "201 events" in result.stderr
    assert "1 malformed record," in result.stderr
    entries = [line for line in rejects.read_text("utf-8").splitlines() if line.startswith("# ")]
    assert entries == [f"# {path}:2-2: {malformed[0].split(': ', 1)[1]}"]


def test_missing_file_exit_2(tmp_path):
    result = run("parse", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "nope.txt' does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_exit_2():
    result = run("parse", "--format", "xml", input="")
    assert result.exit_code == 2
    assert "Invalid value for '-f' / '--format'" in result.stderr


# report


def test_report_seed_groups():
    result = run("report", str(SEED))
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0].split() == ["cause", "vm_state", "count", "first_seen", "last_seen", "example"]
    assert lines[1].startswith("name_collision")
    assert " 7 " in lines[1]
    assert "2014-09-18 01:54:27  2014-09-18 02:01:29" in lines[1]
    assert lines[2].startswith("invalid_vm_state  not RUNNING/POWEROFF/SUSPENDED  5")
    assert lines[2].count("2014-09-18 01:55:11") == 2
    assert len(lines) == 3


def test_report_json_through_stdin():
    groups = json.loads(run("report", "--format", "json", input=SEED_TEXT).stdout)
    assert [(group["cause"], group["count"]) for group in groups] == [
        ("name_collision", 7),
        ("invalid_vm_state", 5),
    ]
    assert groups[1]["vm_state"] == "not RUNNING/POWEROFF/SUSPENDED"
    assert groups[0]["first_seen"] == "2014-09-18T01:54:27"


def test_report_markdown():
    lines = run("report", "-f", "markdown", str(SEED)).stdout.splitlines()
    assert lines[0] == "| cause | vm_state | count | first_seen | last_seen | example |"
    assert lines[2].startswith("| name_collision |  | 7 |")


def test_report_csv():
    rows = list(csv.DictReader(io.StringIO(run("report", "-f", "csv", str(SEED)).stdout)))
    assert rows[0]["count"] == "7"


def test_report_by_object():
    result = run("report", "--by", "cause,object", str(SEED))
    assert "IMAGE 265" in result.stdout


def test_report_by_unknown_key():
    result = run("report", "--by", "cause,colour", str(SEED))
    assert result.exit_code == 2
    assert "unknown group key 'colour'" in result.stderr


# causes


def test_causes_lists_catalog():
    result = run("causes")
    assert result.exit_code == 0
    assert "name_collision" in result.stdout
    assert "quota_exceeded" in result.stdout


def test_causes_shows_named_cause_in_full():
    result = run("causes", "transfer_failed")
    assert result.exit_code == 0
    assert result.stdout.startswith("transfer_failed\n")
    # The table shortens descriptions, but the full view keeps every word.
    text = " ".join(result.stdout.split())
    assert "other than monitor (cp, mkfs, clone, stat, restore and others)." in text
    assert "rules: transfer_script," in text
    assert "name_collision" not in result.stdout


def test_causes_filters_other_formats():
    result = run("causes", "lease_unavailable", "quota_exceeded", "--format", "json")
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert ids == ["lease_unavailable", "quota_exceeded"]


def test_causes_rejects_unknown_id():
    result = run("causes", "no_such_cause")
    assert result.exit_code == 2
    assert "unknown cause 'no_such_cause'" in result.stderr


# The installed entry points


def test_python_dash_m_reads_stdin():
    completed = subprocess.run(
        [sys.executable, "-m", "logparse", "report", "--format", "json"],
        input=SEED_TEXT.encode(),
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 0
    assert json.loads(completed.stdout)[0]["count"] == 7
    assert b"Traceback" not in completed.stderr


# Following a pipe: `tail -f capture.txt | logparse parse`


def follow(*args):
    """Start ``python -m logparse`` on a pipe and return it with a queue of its output lines.

    A thread puts each output line on the queue, then None at the end of output.
    """
    # Without PYTHONUNBUFFERED, so that output arrives only when logparse flushes it.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    process = subprocess.Popen(
        [sys.executable, "-m", "logparse", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    lines = queue.Queue()

    def pump():
        for line in process.stdout:
            lines.put(line.decode("utf-8"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return process, lines


def next_line(lines, seconds=20):
    try:
        return lines.get(timeout=seconds)
    except queue.Empty:
        pytest.fail(f"no output line within {seconds} s: output waits for more input")


def send(process, data: bytes) -> None:
    process.stdin.write(data)
    process.stdin.flush()


FIRST = b"heading\n{ id: 1, content: [ImageAllocate] one, type: ERROR_MSG }\n"
SECOND = (b"{ id: 2,\n", b"  content: [ImageAllocate] two, type: ERROR_MSG }\nfooter\n")


def test_parse_follows_pipe_jsonl():
    process, lines = follow("parse")
    try:
        send(process, FIRST)
        first = json.loads(next_line(lines))
        assert (first["id"], first["line"]) == (1, 2)

        for piece in SECOND:
            send(process, piece)
        second = json.loads(next_line(lines))
        assert (second["id"], second["line"], second["end_line"]) == (2, 3, 4)

        process.stdin.close()
        assert next_line(lines) is None
        assert process.wait(timeout=20) == 0
        assert "2 events" in process.stderr.read().decode("utf-8")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_parse_follows_pipe_csv():
    process, lines = follow("parse", "-q", "--format", "csv")
    try:
        send(process, FIRST)
        header = next_line(lines)
        assert header.startswith("kind,id,timestamp,")
        first = next(csv.DictReader(io.StringIO(header + next_line(lines))))
        assert (first["id"], first["line"]) == ("1", "2")

        for piece in SECOND:
            send(process, piece)
        second = next(csv.DictReader(io.StringIO(header + next_line(lines))))
        assert (second["id"], second["end_line"]) == ("2", "4")

        process.stdin.close()
        assert next_line(lines) is None
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_parse_follows_pipe_after_open_quote():
    process, lines = follow("parse", "-q")
    try:
        send(process, CUT_QUOTE.encode("utf-8"))
        output = [json.loads(next_line(lines)) for _ in range(201)]
        assert [record["line"] for record in output] == [1, *range(3, 203)]

        process.stdin.close()
        assert next_line(lines) is None
        assert process.wait(timeout=20) == 0
        assert "1 malformed record," in process.stderr.read().decode("utf-8")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# Text that CSV cells treat specially: formulas, control characters, line
# breaks, empty and nested values, and a number too large for a float.
AWKWARD_RECORDS = (
    '{ id: 7, content: "=HYPERLINK(\\"http://example.invalid\\", \\"x\\")", creator: -ops, '
    "type: ERROR_MSG }\n"
    "{ id: 8, content: [ImageAllocate] bad\x1b[31m name\n  over two lines, creator: @root, "
    "type: ERROR_MSG }\n"
    '{"action":{"perform":"resize","params":{"size":"1e999","ratio":1e999,"vm":{"id":"5"}}}}\n'
    "{ id: 9, content: [VirtualMachineAction] 虚拟机 12 不存在, type: ERROR_MSG, zone: }\n"
)


@pytest.mark.parametrize("output_format", ["jsonl", "csv"])
def test_each_event_output_same_as_batch(output_format):
    text = SEED_TEXT + AWKWARD_RECORDS
    batch = io.StringIO()
    write_events(parse_events(io.StringIO(text)), batch, output_format)
    one_by_one = io.StringIO()
    write_events(parse_events(io.StringIO(text)), one_by_one, output_format, flush_each=True)
    assert one_by_one.getvalue() == batch.getvalue()


def test_help_lists_commands():
    result = run("--help")
    for command in ("parse", "report", "causes"):
        assert command in result.stdout


# weekly


def test_weekly_writes_files(tmp_path):
    sample = SAMPLES / "sunstone-weeks.txt"
    result = run("weekly", str(sample), "--week", "2014-W41", "-o", str(tmp_path), "-q")
    assert result.exit_code == 0
    written = result.stdout.splitlines()
    assert written[0] == str(tmp_path / "failures-2014-W41.html")
    for path in written:
        assert (tmp_path / path.rsplit("/", 1)[-1]).is_file()


def test_weekly_bad_week_rejected_before_reading():
    result = run("weekly", "--week", "2014-W60", "-o", "unused", input="never read")
    assert result.exit_code == 2
    assert "2014 has no week 60" in result.stderr
    assert "logparse: read" not in result.stderr


def test_weekly_without_notifications(tmp_path):
    result = run("weekly", "-o", str(tmp_path), input="just some notes\n")
    assert result.exit_code == 2
    assert "no notification records" in result.stderr
    assert "Traceback" not in result.output


def test_rejects_same_as_input_refused(tmp_path):
    copy = tmp_path / "capture.txt"
    copy.write_text(SEED_TEXT, "utf-8")
    result = run("parse", "--rejects", str(copy), str(copy))
    assert result.exit_code == 2
    assert "is also an input and would be overwritten" in result.stderr
    assert copy.read_text("utf-8") == SEED_TEXT


def test_rejects_stdout_refused():
    result = run("parse", "--rejects", "-", input=MALFORMED)
    assert result.exit_code == 2
    assert "standard output carries the events" in result.stderr


def test_rejects_emptied_when_clean(tmp_path):
    rejects = tmp_path / "rejects.txt"
    rejects.write_text("stale\n")
    run("parse", "--rejects", str(rejects), input="{ content: x, type: E }\n")
    assert rejects.read_text() == ""


def test_rejects_directory_refused(tmp_path):
    result = run("parse", "--rejects", str(tmp_path), input=MALFORMED)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_report_by_repeated_key():
    result = run("report", "--by", "cause,cause", str(SEED))
    assert result.exit_code == 2
    assert "named twice" in result.stderr


def test_weekly_output_dir_under_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run("weekly", "-o", str(blocker / "sub"), input=SEED_TEXT)
    assert result.exit_code == 2
    assert "cannot create directory" in result.stderr
    assert "logparse: read" not in result.stderr


def test_weekly_week_outside_pandas_range():
    result = run("weekly", "--week", "9999-W01", "-o", "unused", input="")
    assert result.exit_code == 2
    assert "outside the dates pandas can represent" in result.stderr


def test_missing_second_file_before_output(tmp_path):
    result = run("parse", str(SEED), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert result.stdout == ""


def test_diagnostics_limited_per_kind():
    noise = "".join(f"noise {index}\n{{ content: x, type: E }}\n" for index in range(150))
    lines = run("parse", input=noise).stderr.splitlines()
    skipped = [line for line in lines if ": skipped 1 line" in line]
    assert len(skipped) == 100
    assert "more skipped diagnostics are not printed" in lines[100]
    assert "150 skipped lines in 150 spans" in lines[-1]


def test_deep_nesting_is_one_malformed_record():
    deep = "{ type: E, a: " + "{a:" * 500 + "1" + "}" * 500 + ", content: x }\n"
    result = run("parse", input=deep + "{ content: y, type: E }\n")
    assert result.exit_code == 0
    assert "nests objects and arrays deeper than 32 levels" in result.stderr
    assert "1 malformed record" in result.stderr
    assert [record["message"] for record in jsonl(result.stdout)] == ["y"]


def test_broken_pipe_exits_0():
    big = SEED_TEXT * 2000
    completed = subprocess.run(
        f"{sys.executable} -m logparse parse -q | head -1",
        shell=True,
        input=big.encode(),
        capture_output=True,
        check=False,
        executable="/bin/bash",
    )
    assert completed.stdout.count(b"\n") == 1
    assert b"Traceback" not in completed.stderr
    pipe_status = subprocess.run(
        f"set -o pipefail; {sys.executable} -m logparse parse -q | head -1 > /dev/null",
        shell=True,
        input=big.encode(),
        capture_output=True,
        check=False,
        executable="/bin/bash",
    )
    assert pipe_status.returncode == 0


def test_no_progress_bar_in_pipes():
    completed = subprocess.run(
        [sys.executable, "-m", "logparse", "report", str(SAMPLES / "sunstone-weeks.txt")],
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 0
    assert b"events/s" not in completed.stderr
    assert b"\r" not in completed.stderr


def test_parse_csv_ids_are_integers():
    rows = list(csv.DictReader(io.StringIO(run("parse", "-q", "-f", "csv", str(SEED)).stdout)))
    assert rows[3]["id"] == "-1"
    assert rows[3]["object_id"] == "265"


def test_rejects_hard_link_refused(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text(SEED_TEXT, "utf-8")
    link = tmp_path / "link.txt"
    link.hardlink_to(source)
    result = run("parse", "--rejects", str(link), str(source))
    assert result.exit_code == 2
    assert source.read_text("utf-8") == SEED_TEXT


def test_write_error_exit_2():
    completed = subprocess.run(
        f"{sys.executable} -m logparse parse -q {SEED} > /dev/full",
        shell=True,
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 2
    assert b"cannot write" in completed.stderr
    assert b"Traceback" not in completed.stderr


def test_markdown_report_escapes_syntax():
    record = "{ content: [ImageAllocate] see [x](http://e) *now* `code`, type: ERROR_MSG }\n"
    lines = run("report", "-q", "-f", "markdown", "--by", "template", input=record).stdout
    assert "\\[x\\]\\(http://e\\)" in lines
    assert "\\*now\\*" in lines


# Secrets whose values are hard to delimit, in every output


@pytest.mark.parametrize("output", ["jsonl", "csv", "table", "report"])
@pytest.mark.parametrize("key", SECRET_KEYS)
def test_hard_secrets_in_no_output(tmp_path, key, output):
    files = []
    for number, shape in enumerate(LEAK_INPUTS):
        path = tmp_path / f"input-{number}.txt"
        path.write_text(leak_input(shape, key), "utf-8")
        files.append(str(path))
    rejects = tmp_path / "rejects.txt"
    command = ["report"] if output == "report" else ["parse", "--format", output]
    result = run(*command, "--rejects", str(rejects), *files)
    assert result.exit_code == 0
    assert leaked(result.stdout) == []
    assert leaked(result.stderr) == []
    assert leaked(rejects.read_text("utf-8")) == []
    assert "read 9 lines from 7 files: 3 events" in result.stderr
    assert "3 malformed records, 2 skipped lines" in result.stderr


# A request body cut short by the next record

CUT_BODY = (
    '{"action":{"perform":"saveas","params":{"disk_id":"1"\n'
    "{ id: -1, content: [ImageAllocate] boom, type: ERROR_MSG }\n"
)


def test_cut_body_reported_once(tmp_path):
    rejects = tmp_path / "rejects.txt"
    result = run("parse", "--rejects", str(rejects), input=CUT_BODY)
    diagnostics = result.stderr.splitlines()[:-1]
    assert diagnostics == [
        "<stdin>:1:54: malformed record: record is not closed before the next record starts: "
        'add the missing "}"'
    ]
    assert "1 event (1 notification, 0 requests), 1 malformed record," in result.stderr
    assert rejects.read_text("utf-8") == (
        "# <stdin>:1-1: malformed record: record is not closed before the next record "
        'starts: add the missing "}"\n' + CUT_BODY.splitlines(keepends=True)[0]
    )


def test_cut_body_counted_once_in_weekly(tmp_path):
    text = SEED_TEXT + CUT_BODY
    result = run("weekly", "-q", "--week", "2014-W38", "-o", str(tmp_path), input=text)
    assert result.exit_code == 0
    markdown = (tmp_path / "failures-2014-W38.md").read_text("utf-8")
    assert "| Malformed records | 1 |" in markdown
    assert "| Lines in malformed records | 1 |" in markdown


# Closed standard streams


def run_shell(command: str, **options) -> subprocess.CompletedProcess:
    """Run ``python -m logparse`` through bash, for redirections such as ``>&-``."""
    return subprocess.run(
        f"{sys.executable} -m logparse {command}",
        shell=True,
        capture_output=True,
        check=False,
        executable="/bin/bash",
        **options,
    )


@pytest.mark.parametrize(
    "command",
    [
        "parse SEED",
        "parse --format table SEED",
        "parse --format csv SEED",
        "report SEED",
        "causes",
        "weekly -o OUTPUT SEED",
    ],
)
def test_closed_stdout_is_write_error(tmp_path, command):
    command = command.replace("SEED", str(SEED)).replace("OUTPUT", str(tmp_path))
    completed = run_shell(command + " >&-")
    assert completed.returncode == 2
    assert b"logparse: error: cannot write standard output: it is closed" in completed.stderr
    assert b"Traceback" not in completed.stderr


@pytest.mark.parametrize(
    "command", ["parse", "parse --format csv", "parse --format table", "report"]
)
def test_closed_stderr_keeps_data(command):
    expected = run(*command.split(), str(SEED)).stdout
    completed = run_shell(f"{command} {SEED} 2>&-")
    assert completed.returncode == 0
    assert completed.stdout.decode("utf-8") == expected
    assert len(expected) > 100


def test_closed_stderr_hides_usage_error():
    completed = run_shell("parse --no-such-option 2>&-")
    assert completed.returncode == 2
    assert completed.stdout == b""


def test_closed_stdin_is_error():
    completed = run_shell("parse <&-")
    assert completed.returncode == 2
    assert b"cannot read standard input: it is closed" in completed.stderr
    assert b"Traceback" not in completed.stderr


# Warnings of the library's loggers

OUTLIER_INPUT = (
    "{ content: [ImageAllocate] a, date: 2014-09-15, time: 01:00:00, type: ERROR_MSG }\n"
    "{ content: [ImageAllocate] b, date: 2014-09-16, time: 01:00:00, type: ERROR_MSG }\n"
    "{ content: [ImageAllocate] c, date: 2099-01-05, time: 01:00:00, type: ERROR_MSG }\n"
)
OUTLIER_WARNING = "logparse: warning: 1 notification dated in the future or long after the rest"


def test_weekly_outlier_warning_shown_once(tmp_path):
    for _ in range(2):
        result = run("weekly", "-o", str(tmp_path), input=OUTLIER_INPUT)
        assert result.exit_code == 0
        assert result.stderr.count(OUTLIER_WARNING) == 1
        assert OUTLIER_WARNING not in result.stdout


def test_quiet_hides_library_warnings(tmp_path):
    loud = run("weekly", "-o", str(tmp_path), input=OUTLIER_INPUT)
    quiet = run("weekly", "-q", "-o", str(tmp_path), input=OUTLIER_INPUT)
    assert OUTLIER_WARNING in loud.stderr
    assert OUTLIER_WARNING not in quiet.stderr
    assert quiet.stderr.startswith("logparse: read 3 lines")


def test_weekly_warning_with_closed_stderr(tmp_path):
    completed = run_shell(f"weekly -o {tmp_path} 2>&-", input=OUTLIER_INPUT.encode())
    assert completed.returncode == 0
    assert completed.stdout.decode().splitlines()[0].endswith(".html")
    assert b"logparse: warning" not in completed.stdout


# Decoding


def test_encoding_help_names_both_fallbacks():
    help_text = " ".join(run("parse", "--help").stdout.split())
    assert "fallback to GB18030 or Windows-1252 for lines" in help_text


def test_fallback_codec_named_on_stderr(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("{ content: [ImageAllocate] Müller, type: ERROR_MSG }\n".encode("cp1252"))
    result = run("parse", str(path))
    assert "is decoded as Windows-1252 (Latin-1)" in result.stderr
    assert jsonl(result.stdout)[0]["message"] == "Müller"


# Output paths that cannot be written


def test_weekly_output_dir_device_named():
    result = run("weekly", "-o", "/dev/full", input=SEED_TEXT)
    assert result.exit_code == 2
    assert "/dev/full is a character device, not a directory: name a directory" in result.stderr
    assert "File exists" not in result.stderr
    assert "logparse: read" not in result.stderr


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_weekly_output_dir_unwritable_before_reading():
    # Not even root can create files in /proc.
    result = run("weekly", "-o", "/proc", input=SEED_TEXT)
    assert result.exit_code == 2
    assert "cannot create files in directory /proc: No such file or directory" in result.stderr
    assert "name another one" in result.stderr
    assert "logparse: read" not in result.stderr


def test_weekly_full_disk_names_file(tmp_path, monkeypatch):
    import logparse.weekly

    def full_disk(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(logparse.weekly, "open", full_disk, raising=False)
    result = run("weekly", "-q", "--week", "2014-W38", "-o", str(tmp_path), input=SEED_TEXT)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        f"logparse: error: cannot write {tmp_path / 'failures-2014-W38-daily.png'}: "
        "No space left on device; free some space" in result.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_rejects_full_device_named():
    result = run("parse", "-q", "--rejects", "/dev/full", input=MALFORMED)
    assert result.exit_code == 2
    assert (
        "logparse: error: cannot write /dev/full: No space left on device; free some space"
        in result.stderr
    )


def test_rejects_missing_directory_advice(tmp_path):
    rejects = tmp_path / "missing" / "rejects.txt"
    result = run("parse", "--rejects", str(rejects), input=MALFORMED)
    assert result.exit_code == 2
    assert f"{rejects}: cannot write rejects: No such file or directory; check the path" in (
        result.stderr
    )
    assert result.stdout == ""


def test_write_error_names_stdout():
    completed = run_shell(f"parse -q {SEED} > /dev/full")
    assert completed.returncode == 2
    stderr = completed.stderr.decode()
    assert stderr.startswith("logparse: read 47 lines from 1 file: ")
    assert stderr.endswith(
        "\nlogparse: error: cannot write standard output: No space left on device; "
        "free some space, or write to another file system\n"
    )
    assert stderr.count("\n") == 2


# weekly writes its files even when standard output, which carries only their paths, fails


def test_weekly_closed_stdout_writes_files(tmp_path):
    completed = run_shell(f"weekly -q --week 2014-W38 -o {tmp_path} {SEED} >&-")
    assert completed.returncode == 2
    stderr = completed.stderr.decode()
    assert "cannot write standard output: it is closed" in stderr
    assert f"the report files are written to {tmp_path}" in stderr
    assert (tmp_path / "failures-2014-W38.html").is_file()
    assert (tmp_path / "failures-2014-W38.csv").is_file()


def test_weekly_full_stdout_writes_files(tmp_path):
    completed = run_shell(f"weekly -q --week 2014-W38 -o {tmp_path} {SEED} > /dev/full")
    assert completed.returncode == 2
    stderr = completed.stderr.decode()
    assert "cannot write standard output: No space left on device" in stderr
    assert f"The report files are written to {tmp_path}" in stderr
    assert (tmp_path / "failures-2014-W38.md").is_file()
    assert b"Traceback" not in completed.stderr


# Ctrl-C while following a pipe

CUT_RECORD = FIRST + b"{ id: 2,\n  content: [ImageAllocate] two,\n"


def interrupt(process, lines, data: bytes, records: int) -> tuple[int, str]:
    """Send ``data`` in one write, wait for ``records`` output lines, then send SIGINT.

    One write of less than 4,096 bytes arrives in one read, so once the first
    records are written the rest of ``data`` has been read too.
    """
    try:
        send(process, data)
        for _ in range(records):
            assert next_line(lines) is not None
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=20)
        return status, process.stderr.read().decode("utf-8")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_interrupt_keeps_unfinished_record(tmp_path):
    rejects = tmp_path / "rejects.txt"
    process, lines = follow("parse", "--rejects", str(rejects))
    status, stderr = interrupt(process, lines, CUT_RECORD, records=1)
    assert status == 130
    assert (
        "logparse: interrupted while reading <stdin>: the record that starts at line 3 "
        f"is unfinished, so it counts as malformed, and it is in {rejects}\n"
    ) in stderr
    assert "the input was interrupted here" in stderr
    assert stderr.splitlines()[-1] == (
        "logparse: read 4 lines from 1 file: 1 event (1 notification, 0 requests), "
        "1 malformed record, 1 skipped line in 1 span"
    )
    text = rejects.read_text("utf-8")
    assert text.startswith("# <stdin>:1-1: skipped 1 line")
    assert "# <stdin>:3-4: malformed record:" in text
    assert text.endswith("{ id: 2,\n  content: [ImageAllocate] two,\n")
    assert "Traceback" not in stderr


def test_interrupt_between_records():
    process, lines = follow("parse", "-q")
    status, stderr = interrupt(process, lines, FIRST, records=1)
    assert status == 130
    assert stderr.splitlines() == [
        "logparse: interrupted while reading <stdin>, after line 2",
        "logparse: read 2 lines from 1 file: 1 event (1 notification, 0 requests), "
        "0 malformed records, 1 skipped line in 1 span",
    ]


def test_interrupt_with_strict_exit_130():
    process, lines = follow("parse", "-q", "--strict")
    status, stderr = interrupt(process, lines, CUT_RECORD, records=1)
    assert status == 130
    assert "the record that starts at line 3 is unfinished" in stderr
    assert "because of --strict" not in stderr


def queued_lines(stream) -> queue.Queue:
    """Return a queue that a thread fills with the decoded lines of ``stream``, then None."""
    lines = queue.Queue()

    def pump():
        for line in stream:
            lines.put(line.decode("utf-8"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.mark.parametrize("command", ["report", "weekly"])
def test_interrupt_writes_no_report(tmp_path, command):
    arguments = ["weekly", "-o", str(tmp_path)] if command == "weekly" else ["report"]
    process, lines = follow(*arguments)
    diagnostics = queued_lines(process.stderr)
    try:
        send(process, CUT_RECORD)
        # The skipped heading is reported once the record after it is read,
        # and the one write that sent them arrives in one read.
        assert next_line(diagnostics).startswith("<stdin>:1: skipped 1 line")
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = "".join(iter(diagnostics.get, None))
    assert status == 130
    assert next_line(lines) is None
    assert "the record that starts at line 3 is unfinished" in stderr
    assert "from incomplete input: to get one, end the input with Ctrl-D" in stderr
    assert "1 event (1 notification, 0 requests), 1 malformed record" in stderr
    assert list(tmp_path.iterdir()) == []


def test_rejects_written_while_following(tmp_path):
    rejects = tmp_path / "rejects.txt"
    process, lines = follow("parse", "-q", "--rejects", str(rejects))
    try:
        send(process, MALFORMED.encode("utf-8"))
        assert json.loads(next_line(lines))["message"] == "a"
        assert json.loads(next_line(lines))["message"] == "c"
        # The malformed record on line 2 is in the file while logparse still waits for input.
        assert rejects.read_text("utf-8") == (
            "# <stdin>:2-2: malformed record: expected \":\", found 'ops1'\n"
            + MALFORMED.splitlines(keepends=True)[1]
        )

        process.stdin.close()
        assert next_line(lines) is None
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


class InterruptedReader:
    """An EventReader that returns its first event, then raises KeyboardInterrupt as Ctrl-C does."""

    def __init__(self, reader):
        self.reader = reader
        self.stats = reader.stats

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.reader.close()

    def __iter__(self):
        yield next(self.reader)
        raise KeyboardInterrupt


@pytest.mark.parametrize("command", ["parse", "report"])
def test_interrupt_reading_file_prints_summary(monkeypatch, command):
    import logparse.cli

    real_parse_events = logparse.cli.parse_events
    monkeypatch.setattr(
        logparse.cli,
        "parse_events",
        lambda *args, **kwargs: InterruptedReader(real_parse_events(*args, **kwargs)),
    )
    result = run(command, "-q", str(SEED))
    assert result.exit_code == 130
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"logparse: interrupted while reading {SEED}")
    assert ("No report is written from incomplete input" in lines[0]) == (command == "report")
    assert "Ctrl-D" not in result.stderr
    assert lines[1].startswith("logparse: read 47 lines from 1 file: 1 event")
    assert len(lines) == 2


# The weekly report never replaces its own input


@pytest.mark.parametrize("week", [None, "2014-W38", "2014W38"])
def test_weekly_input_named_as_report_rejected(tmp_path, week):
    capture = tmp_path / "failures-2014-W38.csv"
    capture.write_text(SEED_TEXT, "utf-8")
    week_options = [] if week is None else ["--week", week]
    result = run("weekly", "-q", *week_options, "-o", str(tmp_path), str(capture))
    assert result.exit_code == 2
    assert capture.read_text("utf-8") == SEED_TEXT
    assert sorted(path.name for path in tmp_path.iterdir()) == [capture.name]
    message = " ".join(result.stderr.split())
    assert f"the report would replace the input {capture} with its file {capture}" in message
    assert "name another output directory, or move or rename the input" in message
    assert "logparse: read" not in result.stderr


def test_weekly_input_link_to_report_rejected(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    capture = reports / "failures-2014-W38.md"
    capture.write_text(SEED_TEXT, "utf-8")
    link = tmp_path / "capture.txt"
    link.symlink_to(capture)
    result = run("weekly", "-q", "-o", str(reports), str(link))
    assert result.exit_code == 2
    assert capture.read_text("utf-8") == SEED_TEXT
    assert f"the input {link} with its file {capture}" in " ".join(result.stderr.split())


def test_weekly_stdin_from_report_rejected(tmp_path):
    capture = tmp_path / "failures-2014-W38.html"
    capture.write_text(SEED_TEXT, "utf-8")
    completed = run_shell(f"weekly -q -o {tmp_path} < {capture}")
    assert completed.returncode == 2
    assert capture.read_text("utf-8") == SEED_TEXT
    assert "the report would replace standard input with its file" in completed.stderr.decode()


def test_weekly_rejects_named_as_report_rejected(tmp_path):
    rejects = tmp_path / "failures-2014-W38-daily.png"
    rejects.write_bytes(b"kept")
    result = run("weekly", "-q", "--rejects", str(rejects), "-o", str(tmp_path), str(SEED))
    assert result.exit_code == 2
    assert rejects.read_bytes() == b"kept"
    message = " ".join(result.stderr.split())
    assert f"the report would replace {rejects} with its file {rejects}" in message
    assert "name another rejects file, or another output directory" in message


def test_weekly_report_name_of_other_week_read(tmp_path):
    capture = tmp_path / "failures-2014-W37.csv"
    capture.write_text(SEED_TEXT, "utf-8")
    result = run("weekly", "-q", "--week", "2014-W38", "-o", str(tmp_path), str(capture))
    assert result.exit_code == 0
    assert capture.read_text("utf-8") == SEED_TEXT
    assert (tmp_path / "failures-2014-W38.csv").is_file()


def test_weekly_replaces_link_not_target(tmp_path):
    # Replacing a link in the output directory leaves the file it points to.
    capture = tmp_path / "capture.txt"
    capture.write_text(SEED_TEXT, "utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "failures-2014-W38.csv").symlink_to(capture)
    result = run("weekly", "-q", "-o", str(reports), str(reports / "failures-2014-W38.csv"))
    assert result.exit_code == 0
    assert capture.read_text("utf-8") == SEED_TEXT


# File names that look like log text, or that contain control characters


@pytest.mark.parametrize("name", ["notes{1}.txt", "notes\n1.txt"])
def test_parse_file_name_like_text(tmp_path, name):
    path = tmp_path / name
    path.write_text(SEED_TEXT, "utf-8")
    result = run("parse", str(path))
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    assert len(records) == 15
    assert records[0]["source"] == str(path)


def test_parse_path_over_1024_characters(tmp_path):
    folder = tmp_path
    while len(str(folder)) < 1100:
        folder = folder / ("d" * 200)
    folder.mkdir(parents=True)
    path = folder / "capture.txt"
    path.write_text(SEED_TEXT, "utf-8")
    result = run("parse", str(path))
    assert result.exit_code == 0
    assert len(jsonl(result.stdout)) == 15
    assert f"{path}:1: skipped 3 lines" in result.stderr


def test_file_name_controls_escaped_on_stderr(tmp_path):
    path = tmp_path / "a\x1b[31mb\nc.txt"
    path.write_text(SEED_TEXT, "utf-8")
    rejects = tmp_path / "rejects.txt"
    result = run("parse", "--rejects", str(rejects), str(path))
    assert result.exit_code == 0
    escaped = str(path).replace("\x1b", "\\x1b").replace("\n", "\\n")
    assert f"{escaped}:1: skipped 3 lines" in result.stderr
    assert "\x1b" not in result.stderr
    assert len(result.stderr.splitlines()) == 5
    assert rejects.read_text("utf-8").startswith(f"# {escaped}:1-3: skipped 3 lines")
    assert jsonl(result.stdout)[0]["source"] == str(path)


def test_file_name_controls_escaped_in_errors(tmp_path):
    path = tmp_path / "a\x1b[2Jb.txt"
    path.write_bytes(b"x\n")
    result = run("parse", "--encoding", "no-such-codec", str(path))
    assert result.exit_code == 2
    assert "a\\x1b[2Jb.txt: unknown encoding 'no-such-codec'" in result.stderr
    assert "\x1b" not in result.stderr
    blocked = tmp_path / "file\x1b"
    blocked.write_text("")
    result = run("weekly", "-o", str(blocked / "reports"), str(SEED))
    assert result.exit_code == 2
    assert "file\\x1b/reports: Not a directory" in result.stderr
    assert "\x1b" not in result.stderr


# Empty option values


def test_empty_output_dir_rejected():
    result = run("weekly", "-o", "", str(SEED))
    assert result.exit_code == 2
    assert "the directory name is empty: name a directory" in result.stderr
    assert "cannot create directory" not in result.stderr


@pytest.mark.parametrize("value", ["", " "])
def test_empty_encoding_rejected(value):
    result = run("parse", "--encoding", value, str(SEED))
    assert result.exit_code == 2
    assert "Invalid value for '--encoding': the codec name is empty" in result.stderr
    assert result.stdout == ""


# Summaries


@pytest.mark.parametrize("command", ["parse", "report"])
def test_full_disk_prints_summary(command):
    # parse stops at its first write, report writes after reading all input.
    completed = run_shell(f"{command} -q {SEED} > /dev/full")
    assert completed.returncode == 2
    lines = completed.stderr.decode().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("logparse: read 47 lines from 1 file: ")
    assert lines[1] == (
        "logparse: error: cannot write standard output: No space left on device; "
        "free some space, or write to another file system"
    )


def test_summary_skipped_text_on_record_lines(tmp_path):
    path = tmp_path / "capture.txt"
    path.write_text(
        "junk { content: [ImageAllocate] one, type: ERROR_MSG }\n"
        "{ content: [ImageAllocate] two, type: ERROR_MSG } tail\n"
        "heading\n",
        "utf-8",
    )
    result = run("parse", "-q", str(path), str(path))
    assert result.stderr == (
        "logparse: read 6 lines from 2 files: 4 events (4 notifications, 0 requests), "
        "0 malformed records, 2 skipped lines in 4 spans "
        "(and skipped text on 4 lines of records)\n"
    )


# Ctrl-C while the command line starts


def test_interrupt_during_imports_exit_130():
    # A finder that raises KeyboardInterrupt when cli.py imports matplotlib, as
    # Ctrl-C would while that import runs.
    code = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'matplotlib':\n"
        "            raise KeyboardInterrupt\n"
        "import logparse\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from logparse.cli import main\n"
        "main()\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, "parse", str(SEED)],
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 130
    assert completed.stderr.decode() == "logparse: interrupted\n"
    assert completed.stdout == b""
