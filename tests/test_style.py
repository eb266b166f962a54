"""The code stays clean under ruff, as the README promises."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_ruff_check_clean():
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
