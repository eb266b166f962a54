"""Tests that the example notebook runs top to bottom and is committed clean."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO

NOTEBOOK = REPO / "notebooks" / "explore_failures.ipynb"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_committed_without_outputs(notebook) -> None:
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]

    assert code_cells
    assert [cell.outputs for cell in code_cells if cell.outputs] == []
    assert [cell.execution_count for cell in code_cells if cell.execution_count] == []


def test_notebook_runs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel imports logparse from this checkout even when it is not installed. A cell
    # that raises makes execute raise CellExecutionError, which fails the test.
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    executed = client.execute(env={**os.environ, "PYTHONPATH": path})
    report_cell = next(
        cell for cell in executed.cells if cell.source.startswith("report = weekly.build")
    )
    report_outputs = [
        output for output in report_cell.outputs if "text/html" in output.get("data", {})
    ]

    assert report_outputs
    assert 'class="logparse-weekly"' in report_outputs[0]["data"]["text/html"]
