"""An override that the configuration never reads is an error (or accepted with allow_unused / --allow-unused)."""
import pytest

from lca.analysis.compare import choices
from lca.analysis.usage import UnusedOverrideError, comparison_parameters, formula_parameters


@pytest.fixture(scope="module")
def inv(bw_project):
    return bw_project.inventory()


def test_the_parameters_a_comparison_reads_follow_its_choices(inv):
    starship = comparison_parameters(inv, choices(inv, launcher="starship-v3", grids=["US"]), {})
    falcon = comparison_parameters(inv, choices(inv, launcher="falcon9", grids=["custom"]), {})
    assert {"launch.reuses_ss_booster", "launch.reuses_ss_ship", "orbit.lifetime", "compute.mfu"} <= starship
    assert "launch.reuses_f9_booster" not in starship and "launch.reuses_f9_booster" in falcon
    assert "background.custom_grid_intensity" in falcon and "background.custom_grid_intensity" not in starship
    assert "gpu:accel_h100_sxm.tdp" in starship                # a property the models read


def test_formula_parameters_follow_the_supply_chain(inv):
    used = formula_parameters(inv, [("launch", "leo_per_kg_f9")])
    assert "launch.reuses_f9_booster" in used and "launch.reuses_ss_ship" not in used


def test_an_unused_override_is_refused_by_compare_and_breakeven_and_footprint(bw_project):
    api = bw_project
    with pytest.raises(UnusedOverrideError, match="launch.reuses_f9_booster: not used by this comparison"):
        api.compare(grids=["US"], overrides={"launch.reuses_f9_booster": 30})
    with pytest.raises(UnusedOverrideError, match="not used"):
        api.breakeven(grids=["US"], overrides={"launch.reuses_f9_booster": 30})
    with pytest.raises(UnusedOverrideError, match="not used by the supply chain of 'launch, Falcon 9'"):
        api.footprint("launch, Falcon 9", overrides={"launch.reuses_ss_ship": 5})
    accepted = api.compare(grids=["US"], overrides={"launch.reuses_f9_booster": 30}, allow_unused=True)
    assert accepted.totals().equals(api.compare(grids=["US"]).totals())      # it changed nothing, as said


def test_the_command_line_says_so_and_accepts_it_with_allow_unused(bw_dir, capsys):
    from lca import cli

    base = ["compare", "--grid", "US", "--set", "launch.reuses_f9_booster=30", "--brightway-dir", str(bw_dir), "--json"]
    assert cli.main(base) == 2
    assert capsys.readouterr().err.startswith("error: launch.reuses_f9_booster: not used by this comparison")
    assert cli.main([*base, "--allow-unused"]) == 0
