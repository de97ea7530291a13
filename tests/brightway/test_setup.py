"""Brightway project setup: offline, idempotent, incremental, confined to its directory."""
import json

import pytest
from conftest import make_mini_inventory, run_cli


def setup(env):
    result = run_cli("setup", "--json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def env(tmp_path):
    root = make_mini_inventory(tmp_path / "inventories")
    return {"LCA_INVENTORIES": str(root), "LCA_BRIGHTWAY_DIR": str(tmp_path / "bw")}


def test_second_setup_is_a_no_op_and_a_change_rebuilds_only_dependents(env, tmp_path):
    first = setup(env)
    assert first["built"] == ["biosphere3", "lca biosphere", "background", "demo", "methods"]
    assert setup(env)["built"] == []
    lox = tmp_path / "inventories/demo/lox.yaml"
    lox.write_text(lox.read_text().replace("value: 0.8", "value: 0.9"))
    assert setup(env)["built"] == ["demo"]
    grid = tmp_path / "inventories/background/grid.yaml"
    grid.write_text(grid.read_text().replace("amount: 400", "amount: 410"))
    assert setup(env)["built"] == ["background", "demo"]
    methods = tmp_path / "inventories/methods.yaml"
    methods.write_text(methods.read_text().replace("Black carbon emitted between", "Soot emitted between"))
    assert setup(env)["built"] == ["methods"]
    climate = tmp_path / "inventories/parameters/climate.yaml"     # an input of the derived factors
    climate.write_text(climate.read_text().replace("    value: 4.0\n", "    value: 4.5\n", 1))
    # the methods are rebuilt (their factors change); databases too, as after any change of a shared parameter file
    assert setup(env)["built"] == ["background", "demo", "methods"]


def test_removed_database_is_dropped(env, tmp_path):
    setup(env)
    (tmp_path / "inventories/demo/lox.yaml").unlink()
    (tmp_path / "inventories/demo").rmdir()
    assert setup(env)["removed"] == ["demo"]


def test_nothing_is_written_outside_the_configured_directory(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    root = make_mini_inventory(tmp_path / "inventories")
    bw = tmp_path / "bw"
    env = {"HOME": str(home), "LCA_INVENTORIES": str(root)}
    for command in (["setup"], ["footprint", "demo:stage", "--json"], ["list", "sources"]):
        result = run_cli(*command, "--brightway-dir", str(bw), env=env)
        assert result.returncode == 0, result.stderr
    assert list(home.rglob("*")) == []
    assert (bw / "lca-toolkit-state.json").exists()


def test_the_report_writes_nothing_in_the_home_directory(tmp_path, bw_dir):
    """Charts (matplotlib) keep their cache in the tool's directory, not in ~/.cache or ~/.config."""
    from conftest import INVENTORIES

    home = tmp_path / "home"
    home.mkdir()
    result = run_cli("compare", "--grid", "FR", "--out", str(tmp_path / "r.xlsx"), "--brightway-dir", str(bw_dir),
                     "--inventories", str(INVENTORIES), env={"HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "r.xlsx").exists()
    assert list(home.rglob("*")) == []


def test_default_directory_is_a_user_data_dir_not_brightways(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    root = make_mini_inventory(tmp_path / "inventories")
    result = run_cli("setup", "--json", env={"HOME": str(home), "LCA_INVENTORIES": str(root)})
    assert result.returncode == 0, result.stderr
    directory = json.loads(result.stdout)["directory"]
    assert directory.startswith(str(home)) and "lca-orbit-compute" in directory
    assert not (home / ".local/share/Brightway3").exists()


def test_unwritable_directory_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_cli("setup", "--brightway-dir", str(blocker / "bw"), env={"LCA_INVENTORIES": str(tmp_path)})
    assert result.returncode == 2 and "cannot create the Brightway directory" in result.stderr


def test_deleted_project_folder_is_rebuilt(env, tmp_path):
    import shutil

    setup(env)
    for folder in (tmp_path / "bw").glob("lca-toolkit.*"):
        if folder.is_dir():
            shutil.rmtree(folder)
    assert setup(env)["built"] == ["biosphere3", "lca biosphere", "background", "demo", "methods"]


def test_a_project_built_by_another_process_is_seen_by_one_already_active(env, tmp_path):
    """This process activates the project, another builds it, then this one reads it: its metadata is reloaded."""
    import os
    import subprocess
    import sys

    script = (
        "import json, subprocess, sys\n"
        "from lca.brightway import project\n"
        "bd = project.activate(sys.argv[1])\n"
        "build = subprocess.run([sys.executable, '-m', 'lca', 'setup'], capture_output=True, text=True)\n"
        "assert build.returncode == 0, build.stderr\n"
        "bd = project.ready(sys.argv[1], sys.argv[2])\n"
        "print(json.dumps(sorted(bd.databases)))\n")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("LCA_", "BRIGHTWAY"))} | env
    result = subprocess.run([sys.executable, "-c", script, env["LCA_BRIGHTWAY_DIR"], env["LCA_INVENTORIES"]],
                            capture_output=True, text=True, env=full_env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["background", "biosphere3", "demo", "lca biosphere"]
