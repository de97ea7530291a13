"""``pip install .`` (not editable) ships the inventories, the unit definitions and the docs, and the installed
``lca`` works from another directory.

The fresh virtual environment borrows this one's site-packages for the dependencies (a ``.pth`` line, so the
editable install of this checkout is not seen there) and installs only this package, without the network.
"""
import json
import os
import shutil
import site
import subprocess
import venv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import REPO

#: What a build needs from the checkout (the tracked top-level files and folders it reads).
BUILD_INPUTS = ("lca", "inventories", "docs", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")


def _run(command, cwd, env, timeout=300):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{command} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_installed_package_ships_its_data_and_runs_elsewhere(tmp_path):
    pytest.importorskip("setuptools", reason="the build runs without isolation, with this environment's setuptools")
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILD_INPUTS:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                            if (REPO / name).is_dir() else {}))
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    purelib = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path,
                        None).strip())
    (purelib / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LCA_", "BRIGHTWAY", "PYTHON"))}
    env["LCA_BRIGHTWAY_DIR"] = str(tmp_path / "brightway")
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index", "."], source, env)
    shutil.rmtree(source)                        # nothing may be read from the source tree after the install

    where = tmp_path / "elsewhere"
    where.mkdir()
    located = json.loads(_run([python, "-c", "import json, lca, lca.inventory, lca.core.shipped as s; print(json.dumps("
                               "[lca.__file__, str(lca.inventory.inventory_root()), str(s.shipped_path('docs'))]))"],
                              where, env))
    package = Path(located[0]).parent
    assert package.is_relative_to(purelib), located
    assert Path(located[1]) == package / "_shipped" / "inventories" and Path(located[2]) == package / "_shipped" / "docs"
    shipped_yaml = {p.relative_to(Path(located[1])) for p in Path(located[1]).rglob("*.yaml")}
    assert shipped_yaml == {p.relative_to(REPO / "inventories") for p in (REPO / "inventories").rglob("*.yaml")}
    assert (package / "core" / "units.txt").is_file() and (Path(located[2]) / "inventory-format.md").is_file()

    out = _run([fresh / "bin" / "lca", "compare", "--mc", "0", "--json", "--out", "answer.xlsx"], where, env, 600)
    totals = {s["name"]: s["total"]["GWP100"] for s in json.loads(out[out.index("{"):])["systems"]}
    assert len(totals) >= 2 and all(value > 0 for value in totals.values()), totals
    assert "Assumptions" in load_workbook(where / "answer.xlsx", read_only=True).sheetnames
