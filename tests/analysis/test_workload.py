"""Workloads in publications' terms (accelerator-hours, power per accelerator, PUE, grid intensity) and the replay
of published training runs (inventories/workloads.yaml) against each publication's own figure.

Hand calculations: energy = hours x power x node overhead x PUE; CO2e = energy x intensity. Brightway stores
matrices in float32, so identities hold to about 1e-6 relative (REL below).
"""
import json

import pytest

from lca.errors import InputError
from tests.conftest import INVENTORIES, run_cli

REL = 1e-5


@pytest.fixture(scope="module")
def api(bw_project):
    return bw_project


def workload(api, *args, **kwargs):
    """``api.workload`` deterministic only (Monte Carlo has its own test)."""
    return api.workload(*args, mc=kwargs.pop("mc", 0), **kwargs)


def stage(result, name):
    rows = result["stages"].set_index("stage")
    return rows.loc[name]


def test_tdp_basis_applies_node_overhead_and_pue(api):
    overhead = api.inventory().parameters["terrestrial.node_power_overhead"].value
    result = workload(api, gpu_hours=1e6, accelerator="H100-SXM", power_per_accelerator="700 W", pue=1.2,
                          grid_intensity="120 g/kWh")
    energy_mwh = 1e6 * 0.700 * overhead * 1.2 / 1e3          # h x kW x [-] x [-] -> MWh
    electricity = stage(result, "operational electricity")
    assert electricity["energy_MWh"] == pytest.approx(energy_mwh, rel=1e-12)
    assert electricity["tCO2e"] == pytest.approx(energy_mwh * 0.120, rel=REL)     # MWh x t/MWh
    totals = result["totals"].iloc[0]
    assert totals["accelerator_hours"] == 1e6 and totals["grid_intensity_gCO2e_per_kWh"] == pytest.approx(120)
    assert totals["tCO2e"] == pytest.approx(result["stages"]["tCO2e"].sum(), rel=1e-12)   # every stage counted
    assert set(result["stages"]["stage"]) == {"operational electricity", "accelerator and host embodied",
                                              "data-centre building"}


def test_measured_basis_is_the_node_share(api):
    result = workload(api, gpu_hours=1000, accelerator="A100", power_per_accelerator=500, power_basis="measured",
                          pue=1.5, grid="FR")
    electricity = stage(result, "operational electricity")
    assert electricity["energy_MWh"] == pytest.approx(1000 * 0.5 * 1.5 / 1e3, rel=1e-12)
    france = api.grids().set_index("code").loc["FR", "intensity_kgCO2e_per_kWh"]
    loss = api.inventory().parameters["terrestrial.grid_loss"].value     # a named grid's kWh are generated
    assert electricity["tCO2e"] == pytest.approx(1000 * 0.5 * 1.5 * france / (1 - loss) / 1e3, rel=REL)   # -> t


def test_every_stage_scales_with_accelerator_hours(api):
    one = workload(api, gpu_hours=1000, accelerator="B200", grid="US")["stages"].set_index("stage")["tCO2e"]
    three = workload(api, gpu_hours=3000, accelerator="B200", grid="US")["stages"].set_index("stage")["tCO2e"]
    assert (three / one).to_numpy() == pytest.approx([3.0] * len(one), rel=1e-9)


def test_monte_carlo_samples_do_not_depend_on_mfu(api):
    """Accelerator-hours are given, so MFU cancels sample by sample (held fixed, the per-PFLOP-day time is one
    constant); the samples are the total over every stage."""
    runs = [workload(api, gpu_hours=1e4, accelerator="H100-SXM", grid="US", mc=200, overrides={"compute.mfu": mfu})
            for mfu in (0.3, 0.5)]
    first, second = (run["samples"].to_numpy() for run in runs)
    assert len(first) == 200 and first == pytest.approx(second, rel=1e-6)
    totals = runs[0]["totals"].iloc[0]
    assert totals["mc_p5_tCO2e_every_stage"] < totals["mc_median_tCO2e_every_stage"] < totals[
        "mc_p95_tCO2e_every_stage"]
    assert workload(api, gpu_hours=1e4, accelerator="H100-SXM", grid="US")["samples"] is None


def test_stated_energy_is_used_as_given(api):
    for pue in (1.0, 1.4):
        result = workload(api, gpu_hours=5000, accelerator="A100", energy="2 MWh", pue=pue, grid_intensity=0.3)
        electricity = stage(result, "operational electricity")
        assert electricity["energy_MWh"] == pytest.approx(2.0, rel=1e-12)
        assert electricity["tCO2e"] == pytest.approx(2.0 * 0.3, rel=REL)


#: Replays that do not reach the published figure, and why (strict: a fix that closes the gap must say so).
GAPS = {
    "llama2-7b": "Touvron et al. state no grid intensity; their 31.22 t / 73.7 MWh implies 423 g/kWh, this tool's US "
                 "grid (Ember 2024) is 384 g/kWh: replay about -9 %",
    "llama2-70b": "as llama2-7b: 291.42 t / 688 MWh implies 423 g/kWh against the US grid's 384 g/kWh (-9 %)",
    "llama3.1-405b": "the model card states no grid intensity; 8,930 t / 21,588 MWh implies 414 g/kWh against the US "
                     "grid's 384 g/kWh: replay about -7 %",
}
RUNS = ["bloom-176b", "gpt-3", "llama2-7b", "llama2-70b", "llama3.1-405b"]


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=GAPS[n], strict=True))
                                  if n in GAPS else n for n in RUNS])
def test_replay_reproduces_the_published_figure(api, name):
    totals = workload(api, name)["totals"].iloc[0]
    assert abs(totals["difference_percent"]) <= totals["tolerance_percent"]


def test_replay_with_the_implied_intensity_closes_the_llama_gap(api):
    """The gap above is the grid intensity alone: at the intensity the published figures imply, the replay lands
    within 0.1 % (31.22 t / (184,320 h x 0.4 kW) = 423.5 g/kWh)."""
    implied = 31.22e6 / (184320 * 0.4)                       # g / kWh
    totals = workload(api, "llama2-7b", grid_intensity=f"{implied} g/kWh")["totals"].iloc[0]
    assert totals["tCO2e"] == pytest.approx(31.22, rel=1e-3)
    assert totals["energy_MWh"] == pytest.approx(184320 * 0.4 / 1e3, rel=1e-12)


def test_catalogue_lists_every_run_with_sources(api):
    table = api.workloads().set_index("name")
    assert sorted(table.index) == sorted(RUNS)
    sources = set(api.inventory().sources)
    for ids in table["sources"]:
        assert set(ids.split(", ")) <= sources


def test_bad_workload_arguments_are_input_errors(api):
    with pytest.raises(InputError, match="unknown workload 'gpt3'"):
        workload(api, "gpt3")
    with pytest.raises(InputError, match="not both"):
        workload(api, gpu_hours=10, grid="US", grid_intensity="50 g/kWh")
    with pytest.raises(InputError, match="--pue"):
        workload(api, gpu_hours=10, pue="1.2 W")
    with pytest.raises(InputError, match="terrestrial.pue"):
        workload(api, gpu_hours=10, pue=0.5)                   # below the parameter's limit of 1


def test_custom_grid_label_carries_the_intensity(api):
    result = api.compare(grids=["custom"], overrides={"background.custom_grid_intensity": "120 g/kWh"}, mc=0)
    labels = [s["label"] for s in result.to_dict()["systems"] if s["kind"] == "terrestrial"]
    assert labels == ["terrestrial, custom 120 g/kWh"]


def test_cli_workload_end_to_end(api, bw_dir):
    common = ["--brightway-dir", str(bw_dir), "--inventories", str(INVENTORIES), "--quiet"]
    common += ["--mc", "0"]
    result = run_cli("workload", "gpt-3", "--json", *common)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["totals"]["tCO2e"] == pytest.approx(1287 * 0.429, rel=REL)      # MWh x t/MWh, Table 4
    assert data["totals"]["energy_MWh"] == pytest.approx(1287, rel=1e-12)
    screen = run_cli("workload", "--gpu-hours", "1000", "--accelerator", "A100", "--power-per-accelerator", "400",
                     "--power-basis", "measured", "--pue", "1", "--grid-intensity", "100 g/kWh", *common)
    assert screen.returncode == 0, screen.stderr
    assert "0.4 MWh" in screen.stdout and "operational electricity" in screen.stdout
    refused = run_cli("workload", *common)
    assert refused.returncode == 2 and "--gpu-hours" in refused.stderr
    shown = run_cli("compare", "--grid", "custom", "--set", "background.custom_grid_intensity=120 g/kWh", *common)
    assert shown.returncode == 0, shown.stderr
    assert "terrestrial, custom 120 g/kWh" in shown.stdout


GOOD = """workloads:
  run:
    model: M
    description: d
    accelerator: A100
    accelerator_hours: {value: 10, unit: hour, uncertainty: {distribution: none}, source: luccioni2023_bloom,
                        locator: p. 1}
    power_per_accelerator: {value: 400, unit: W, uncertainty: {distribution: none}, source: luccioni2023_bloom,
                            locator: p. 1}
    grid: FR
    scope: [operational electricity]
    published: {value: 1, unit: tCO2e, source: luccioni2023_bloom, locator: p. 1}
"""


@pytest.mark.parametrize("edit, field", [
    (("source: luccioni2023_bloom,\n                        locator", "source: nowhere,\n                        locator"),
     "workloads.run.accelerator_hours.source"),
    (("grid: FR", "grid: FR\n    energy: {value: 1, unit: kWh, uncertainty: {distribution: none}, source: "
                  "luccioni2023_bloom, locator: p}"), "exactly one of power_per_accelerator and energy"),
    (("scope: [operational electricity]", "scope: [electricity]"), "workloads.run.scope"),
    (("unit: W,", "unit: kg,"), "workloads.run.power_per_accelerator"),
    (("accelerator: A100", "accelerator: A1000"), "workloads.run.accelerator"),
])
def test_catalogue_errors_name_the_file_and_field(api, tmp_path, edit, field):
    from lca.inventory.workloads import catalogue

    (tmp_path / "workloads.yaml").write_text(GOOD)
    assert list(catalogue(api.inventory(), tmp_path)) == ["run"]
    (tmp_path / "workloads.yaml").write_text(GOOD.replace(*edit))
    with pytest.raises(InputError, match=field) as err:
        catalogue(api.inventory(), tmp_path)
    assert "workloads.yaml" in str(err.value)
