"""The README documents every command, and CI runs the README's test command."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from logparse.cli import cli

from .conftest import REPO

README = (REPO / "README.md").read_text("utf-8")
COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_in_readme(command):
    assert f"logparse {command}" in README


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_has_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_ci_runs_readme_test_command():
    commands = re.findall(r"```\n(pip install [^\n]+)\n```", README)
    assert len(commands) == 2
    ci_script = (REPO / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci_script


def test_readme_first_command_uses_a_sample():
    first = re.findall(r"```\n(pip install [^\n]+)\n```", README)[0]
    sample = first.rsplit(" ", 1)[-1]
    assert (REPO / sample).is_file()
