"""Shared fixtures.

The Brightway directory of the test session is a temporary folder: ``lca``
sets ``BRIGHTWAY2_DIR`` to it before bw2data is imported, so the suite never
touches the user's own Brightway projects or home directory.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
INVENTORIES = REPO / "inventories"
MINI = Path(__file__).resolve().parent / "data" / "mini"


def make_mini_inventory(destination: Path) -> Path:
    """A small inventory (test grid, liquid oxygen, a rocket stage) plus the real flows and methods (with the
    climate inputs their derived factors read)."""
    shutil.copytree(MINI, destination)
    (destination / "parameters").mkdir(exist_ok=True)
    for name in ("biosphere.yaml", "methods.yaml", "sources/methods.yaml", "parameters/climate.yaml"):
        shutil.copy(INVENTORIES / name, destination / name)
    return destination


@pytest.fixture
def mini_root(tmp_path) -> Path:
    return make_mini_inventory(tmp_path / "inventories")


def run_cli(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m lca ARGS`` in a fresh process and capture its output."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("LCA_", "BRIGHTWAY"))}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "lca", *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd or REPO, timeout=600)


@pytest.fixture(autouse=True)
def _api_workspace_restored():
    """Each test leaves the API's workspace as it found it: a test that runs ``lca.cli.main`` in-process (which
    configures the API from its arguments) must not point later tests at its inventories or directory."""
    from lca import api

    saved = api.workspace()
    yield
    api.use(saved)


@pytest.fixture(scope="session")
def bw_dir(tmp_path_factory) -> Path:
    """The one Brightway directory this test process uses (bw2data allows one per process)."""
    from lca import api
    from lca.brightway import project

    directory = tmp_path_factory.mktemp("brightway")
    api.configure(brightway_dir=directory, inventories=INVENTORIES)
    project.activate(directory)
    return directory


@pytest.fixture(scope="session")
def bw_project(bw_dir):
    """The real inventories built into the session's temporary Brightway project; returns ``lca.api``."""
    from lca import api

    api.setup()
    return api


@pytest.fixture(scope="session")
def us_fr_comparison(bw_project):
    """The default comparison against the US and French grids (shared by several test modules)."""
    return bw_project.compare(grids=["US", "FR"])


@pytest.fixture(scope="session")
def us_fr_report_data(bw_project, us_fr_comparison):
    """The :class:`lca.report.ReportData` of the US/FR comparison (the slow part of a report), shared by the
    workbook and the HTML companion tests."""
    return bw_project.report_data(us_fr_comparison,
                                  argv=["lca", "compare", "--grid", "US", "--grid", "FR", "--out", "us-fr.xlsx"])
