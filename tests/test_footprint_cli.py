"""File -> Brightway -> `lca footprint --json`, checked against hand calculations (mini inventory).

Hand calculation for one 'rocket stage use, test' (tests/data/mini):
  liquid oxygen 3 t x 0.8 MJ/kg = 2400 MJ = 666.67 kWh of test-grid electricity;
  grid: 0.4 kg CO2 + 0.001 kg CH4 per kWh; IPCC AR6 GWP100 of fossil CH4 = 29.8
  -> 666.67 x (0.4 + 0.001 x 29.8) = 286.53 kg CO2e  (stage: launch propellant production)
  stage manufacture: CO2 = dry mass / reuses = 2000 kg / 10 = 200 kg (stage: launcher manufacture)
  black carbon 0.5 kg in the stratosphere x 7.82e4 (our GWP100+HA factor: F = 7 mW m-2 per Gg/yr = 7e-9 W m-2 yr/kg
  over AGWP100(CO2) 8.94651e-14) = 3.91e4 kg CO2e (separate indicator)
"""
import json

import pytest
from conftest import run_cli

BC_GWP100 = 7e-9 / 8.94651e-14     # derived stratospheric black-carbon factor [kg CO2e/kg], by hand

# bw_processing stores matrix values as float32, so Brightway results carry a relative
# rounding of about 1e-7; tolerances below are 1e-6 relative.
REL = 1e-6
ELECTRICITY_KWH = 3000 * 0.8 / 3.6
PROPELLANT = ELECTRICITY_KWH * (0.4 + 0.001 * 29.8)
MANUFACTURE = 2000 / 10


@pytest.fixture(scope="module")
def mini_env(tmp_path_factory):
    from conftest import make_mini_inventory

    root = make_mini_inventory(tmp_path_factory.mktemp("mini") / "inventories")
    env = {"LCA_INVENTORIES": str(root), "LCA_BRIGHTWAY_DIR": str(tmp_path_factory.mktemp("bw"))}
    assert run_cli("setup", "--quiet", env=env).returncode == 0
    return env


def footprint(env, *args):
    result = run_cli("footprint", "rocket stage use, test", "--json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_footprint_matches_hand_calculation(mini_env):
    data = footprint(mini_env)
    gwp100, high_altitude = data["results"]
    assert gwp100["method"] == "GWP100" and gwp100["score_unit"] == "kgCO2e"
    assert gwp100["score"] == pytest.approx(PROPELLANT + MANUFACTURE, rel=REL)
    stages = {row["stage"]: row["score"] for row in gwp100["by_stage"]}
    assert stages == {"launch propellant production": pytest.approx(PROPELLANT, rel=REL),
                      "launcher manufacture": pytest.approx(MANUFACTURE, rel=REL)}
    assert sum(row["score"] for row in gwp100["by_flow"]) == pytest.approx(gwp100["score"], rel=1e-12)
    assert high_altitude["method"] == "HA-nonCO2"
    assert high_altitude["score"] == pytest.approx(0.5 * BC_GWP100, rel=REL)


def test_amount_scales_linearly_and_ha_method_adds_both(mini_env):
    data = footprint(mini_env, "--amount", "3", "--method", "GWP100+HA")
    assert data["results"][0]["score"] == pytest.approx(3 * (PROPELLANT + MANUFACTURE + 0.5 * BC_GWP100), rel=REL)


def test_override_changes_the_formula_amount(mini_env):
    data = footprint(mini_env, "--method", "GWP100", "--set", "demo.reuses=20",
                     "--set", "demo.asu_electricity=1 MJ/kg")
    propellant = 3000 * 1.0 / 3.6 * (0.4 + 0.001 * 29.8)
    assert data["results"][0]["score"] == pytest.approx(propellant + 2000 / 20, rel=REL)
    assert data["overrides"] == {"demo.reuses": 20.0, "demo.asu_electricity": 1.0}


@pytest.mark.parametrize("args, expected", [
    (["footprint", "rocket stage use"], "no activity 'rocket stage use'; did you mean: rocket stage use, test?"),
    (["footprint", "demo:stage", "--method", "GWP101"], "unknown method 'GWP101'"),
    (["footprint", "demo:stage", "--set", "demo.reuses=0.5"], "outside the allowed range"),
    (["footprint", "demo:stage", "--set", "demo.reuses=3 kg"], "wrong dimension"),
    (["footprint", "demo:stage", "--set", "demo.reuse=3"], "unknown parameter 'demo.reuse'; did you mean demo.reuses"),
])
def test_user_errors_exit_2_with_one_line_and_no_traceback(mini_env, args, expected):
    result = run_cli(*args, env=mini_env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert expected in result.stderr


def test_every_command_has_help():
    for command in (["--help"], ["setup", "--help"], ["list", "--help"], ["footprint", "--help"],
                    ["inventory", "--help"], ["inventory", "export", "--help"], ["report", "--help"]):
        result = run_cli(*command)
        assert result.returncode == 0 and "usage: lca" in result.stdout


def test_lists_as_json(mini_env):
    result = run_cli("list", "parameters", "--json", env=mini_env)
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert rows["demo.reuses"]["source"] == "demo_assumption"
    assert (rows["demo.reuses"]["low"], rows["demo.reuses"]["high"]) == (5, 20)
    methods = {row["alias"] for row in json.loads(run_cli("list", "methods", "--json", env=mini_env).stdout)}
    assert methods == {"GWP100", "GWP20", "GTP100", "GWP100+HA", "HA-nonCO2", "GWP20+HA", "GTP100+HA", "ODP-EF3.1",
                       "ODP-launch"}
