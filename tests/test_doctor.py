"""`lca doctor`: each check passes on a good setup and fails, with a fix, on a broken one."""
import json
import subprocess
import sys

import pytest
from conftest import REPO, make_mini_inventory, run_cli

from lca import doctor


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A mini inventory built into a fresh Brightway directory."""
    base = tmp_path_factory.mktemp("doctor")
    root = make_mini_inventory(base / "inventories")
    bw = base / "bw"
    result = run_cli("setup", "--quiet", env={"LCA_INVENTORIES": str(root), "LCA_BRIGHTWAY_DIR": str(bw)})
    assert result.returncode == 0, result.stderr
    return root, bw


def test_python_check(monkeypatch):
    assert doctor.check_python().ok
    monkeypatch.setattr(doctor, "MINIMUM_PYTHON", (4, 0))
    check = doctor.check_python()
    assert not check.ok and check.fix == "use Python >= 4.0"


def test_package_checks():
    checks = {c.name: c for c in (doctor.check_package(*spec) for spec in doctor.REQUIRED_PACKAGES)}
    assert set(checks) == {"package bw2data", "package bw2calc", "package bw2io", "package pint", "package pandas",
                           "package numpy", "package openpyxl", "package ruamel.yaml", "package scipy",
                           "package dask", "package distributed", "package SALib", "package matplotlib"}
    assert all(c.ok for c in checks.values()), checks
    assert checks["package bw2data"].message.endswith("(>= 4.8)")
    missing = doctor.check_package("no-such-package-lca", "no_such_package_lca", None)
    assert not missing.ok and missing.message == "not installed" and "pip install" in missing.fix
    old = doctor.check_package("numpy", "numpy", "999.0")
    assert not old.ok and "older than the required 999.0" in old.message and old.fix == "pip install -U 'numpy>=999.0'"


def test_doctor_does_not_import_bw2data():
    """Importing bw2data before BRIGHTWAY2_DIR is set would open Brightway's default directory."""
    code = ("import sys; from lca import doctor; "
            "[doctor.check_package(*spec) for spec in doctor.REQUIRED_PACKAGES]; print('bw2data' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.stdout.strip() == "False", result.stderr


def test_brightway_directory_check(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIGHTWAY2_DIR", str(tmp_path / "bw"))
    check = doctor.check_brightway_dir(tmp_path / "bw")
    assert check.ok and check.message == f"{tmp_path / 'bw'} exists and is writable; BRIGHTWAY2_DIR points at it"
    assert list((tmp_path / "bw").iterdir()) == []          # the probe file is gone
    blocker = tmp_path / "file"
    blocker.write_text("")
    check = doctor.check_brightway_dir(blocker / "bw")
    assert not check.ok and "cannot create the Brightway directory" in check.message
    assert "--brightway-dir" in check.fix


def test_brightway_directory_check_catches_bw2data_pointing_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "bw2data", sys.modules.get("bw2data", object()))
    monkeypatch.setenv("BRIGHTWAY2_DIR", str(tmp_path / "elsewhere"))
    check = doctor.check_brightway_dir(tmp_path / "bw")
    assert not check.ok and f"BRIGHTWAY2_DIR={tmp_path / 'elsewhere'}" in check.message


def test_bw2io_data_check(monkeypatch):
    check = doctor.check_bw2io_data()
    assert check.ok and check.message == "ecoinvent elementary flows 3.9.xml, lcia_39_ecoinvent.zip"
    monkeypatch.setattr(doctor, "BW2IO_DATA_FILES", doctor.BW2IO_DATA_FILES + ("data/lcia/missing.zip",))
    check = doctor.check_bw2io_data()
    assert not check.ok and "data/lcia/missing.zip" in check.message and "reinstall bw2io" in check.fix


def test_inventory_check_reports_unresolved_sources(mini_root):
    assert doctor.check_inventories(mini_root).ok
    grid = mini_root / "background/grid.yaml"
    grid.write_text(grid.read_text().replace("source: demo_grid", "source: demo_gird"))
    check = doctor.check_inventories(mini_root)
    assert not check.ok and check.message.startswith("2 problem(s): background/grid.yaml:")
    assert "field 'source': unknown source id 'demo_gird' (did you mean 'demo_grid'?)" in check.message
    assert "lca inventory validate" in check.fix
    missing = doctor.check_inventories(mini_root / "nowhere")
    assert not missing.ok and "inventories folder not found" in missing.message


def test_project_state_check(project, tmp_path):
    root, bw = project
    assert doctor.check_project_state(bw, root).ok
    fresh = doctor.check_project_state(tmp_path / "empty", root)
    assert not fresh.ok and fresh.message.startswith("no Brightway project") and fresh.fix == "run `lca setup`"
    changed = make_mini_inventory(tmp_path / "changed")
    lox = changed / "demo/lox.yaml"
    lox.write_text(lox.read_text().replace("value: 0.8", "value: 0.9"))
    stale = doctor.check_project_state(bw, changed)
    assert not stale.ok and stale.message == "out of date or incomplete: demo"
    assert stale.fix == "run `lca setup` (it rebuilds only these)"


def test_a_check_that_crashes_is_reported_not_raised(monkeypatch, project):
    root, bw = project

    def broken():
        raise OSError("disk on fire")

    monkeypatch.setattr(doctor, "check_bw2io_data", broken)
    checks = {c.name: c for c in doctor.run_checks(bw, root)}
    assert not checks["bw2io data files"].ok
    assert checks["bw2io data files"].message == "the check itself failed: OSError: disk on fire"


def test_doctor_command(project, tmp_path):
    root, bw = project
    result = run_cli("doctor", env={"LCA_INVENTORIES": str(root), "LCA_BRIGHTWAY_DIR": str(bw)})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "all checks passed" and all(line.startswith("ok  ") for line in lines[:-1])
    assert [line.split()[1] for line in lines[:-1]] == ["python"] + ["package"] * len(doctor.REQUIRED_PACKAGES) + [
        "brightway", "bw2io", "inventories", "cited", "project"]
    result = run_cli("doctor", "--json", env={"LCA_INVENTORIES": str(root), "LCA_BRIGHTWAY_DIR": str(tmp_path / "new")})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    failed = [c for c in data["checks"] if not c["ok"]]
    assert data["ok"] is False and [c["name"] for c in failed] == ["project state"]
    assert failed[0]["fix"] == "run `lca setup`"


def test_cited_documents_check_fails_when_a_document_is_missing(tmp_path):
    from lca.core.shipped import shipped_path

    assert (shipped_path("docs") / "methods" / "high-altitude.md").is_file()
    good = doctor.check_documents(REPO / "inventories")
    assert good.ok and "all present" in good.message, good.message
    root = make_mini_inventory(tmp_path / "inventories")
    sources = root / "sources" / "methods.yaml"
    text = sources.read_text()
    assert "document: docs/methods/high-altitude.md" in text
    sources.write_text(text.replace("document: docs/methods/high-altitude.md", "document: docs/methods/gone.md", 1))
    check = doctor.check_documents(root)
    assert not check.ok
    assert "docs/methods/gone.md (cited by lca_ha_method)" in check.message and "document:" in check.fix
