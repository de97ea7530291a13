"""Tests of database `gpu` (inventories/gpu/*.yaml): logic wafers, die yield, memory, catalogue, host shares.

Pure-data tests read the validated inventory (``read_inventory``) and compare exchange amounts with hand
calculations written out independently here (ACT per-area terms, 3D-Carbon dies-per-wafer and negative-binomial
yield). Brightway tests (fixture ``bw_project``) compare computed footprints with the same hand calculations,
and the flagship result with published estimates (wide band, sources named at the assertion).
"""
from __future__ import annotations

import math

import pytest

from lca.inventory import read_inventory

ACCELERATORS = ["accel_v100_sxm2", "accel_a100_sxm4", "accel_h100_sxm", "accel_h200_sxm", "accel_b200_hgx",
                "accel_gb200_nvl72", "accel_mi300x", "accel_tpu_v5p", "accel_tpu_v6e", "accel_tpu_ironwood"]
NODES = ["n28", "n20", "n14", "n10", "n8", "n7", "n5", "n3"]
# ACT Table 1 (facebookresearch/ACT act/models/logic/*.yaml), g/cm2 and kWh/cm2, copied here as the reference
ACT_GPA95 = {"n28": 175, "n20": 190, "n14": 200, "n10": 240, "n8": 240, "n7": 350, "n5": 430, "n3": 470}
ACT_GPA99 = {"n28": 100, "n20": 110, "n14": 125, "n10": 150, "n8": 150, "n7": 200, "n5": 225, "n3": 275}
ACT_EPA = {"n28": 0.90, "n20": 1.2, "n14": 1.2, "n10": 1.475, "n8": 1.52, "n7": 2.15, "n5": 2.75, "n3": 3.25}


@pytest.fixture(scope="module")
def inv():
    return read_inventory()


def p(inv, name, unit=None):
    """Central value of a gpu parameter (in ``unit`` if given, else its declared unit)."""
    par = inv.databases["gpu"].parameters[name]
    return par.quantity.to(unit).magnitude if unit else float(par.value)


def prop(inv, code, name, unit):
    return inv.activity(f"gpu:{code}").properties[name].quantity.to(unit).magnitude


def exchange_to(inv, code, provider):
    found = [ex for ex in inv.activity(f"gpu:{code}").exchanges if f"{ex.input[0]}:{ex.input[1]}" == provider]
    assert len(found) == 1, f"{code}: expected one exchange to {provider}, found {len(found)}"
    return found[0]


def hand_wafer_area_per_good_die(area_mm2, d0_per_mm2, alpha, n_placed, bond_yield, diameter_mm=300.0):
    """mm2 of wafer per good die: 3D-Carbon die.py (DPW, negative-binomial yield) x assembly yield."""
    dies_per_wafer = math.pi * diameter_mm ** 2 / 4 / area_mm2 - math.pi * diameter_mm / math.sqrt(2 * area_mm2)
    die_yield = (1 + area_mm2 * d0_per_mm2 / alpha) ** (-alpha)
    return math.pi * diameter_mm ** 2 / 4 / (dies_per_wafer * die_yield * bond_yield ** n_placed)


# --------------------------------------------------------------------------- pure data: fab model
@pytest.mark.parametrize("node", NODES)
def test_gas_line_reproduces_act_gpa95_and_gpa99(inv, node):
    """The abatement line must return ACT's published GPA at 95 % and 99 % abatement, and GPA97 = their mean."""
    activity = inv.activity(f"gpu:logic_wafer_{node}_tw")
    gas = [ex for ex in activity.exchanges if ex.kind == "biosphere" and "fab_gas_abatement" in ex.formula]
    assert len(gas) == 1
    for abatement, expected_g in ((0.95, ACT_GPA95[node]), (0.99, ACT_GPA99[node]),
                                  (0.97, (ACT_GPA95[node] + ACT_GPA99[node]) / 2)):
        value = inv.evaluate(activity, gas[0], {"gpu.fab_gas_abatement": abatement})
        assert value * 1000 == pytest.approx(expected_g, rel=1e-9), (node, abatement)


@pytest.mark.parametrize("node", NODES)
def test_fab_electricity_is_act_epa_on_the_fab_grid(inv, node):
    for loc in ("tw", "kr", "us", "jp"):
        ex = exchange_to(inv, f"logic_wafer_{node}_{loc}", f"background:electricity_{loc.upper()}")
        assert ex.amount == pytest.approx(ACT_EPA[node], rel=1e-12)


def test_h100_die_wafer_area_against_hand_calculation(inv):
    """GH100: 814 mm2, D0(5nm) = 0.0011/mm2, alpha 10, 300 mm wafer, 1 die + 6 HBM sites placed.

    Hand: DPW = pi 300^2/4/814 - pi 300/sqrt(1628) = 86.84 - 23.36 = 63.48;
    Y = (1 + 0.8954/10)^-10 = 0.4242; wafer area per good die = 70686 mm2 / (63.49 x 0.4245 x 0.99^7).
    """
    bond = p(inv, "assembly_bond_yield")
    expected_mm2 = hand_wafer_area_per_good_die(814, 0.0011, 10, 7, bond)
    dpw = math.pi * 300 ** 2 / 4 / 814 - math.pi * 300 / math.sqrt(2 * 814)
    assert dpw == pytest.approx(63.48, abs=0.01)
    assert (1 + 814 * 0.0011 / 10) ** -10 == pytest.approx(0.4242, abs=1e-4)
    ex = exchange_to(inv, "accel_h100_sxm", "gpu:logic_wafer_n5_tw")
    assert ex.amount == pytest.approx(expected_mm2 / 100, rel=1e-9)          # cm2
    assert p(inv, "defect_density_n5", "1/mm**2") == 0.0011                  # 3D-Carbon die_yield.json
    assert prop(inv, "accel_h100_sxm", "die_area", "mm**2") == 814


def test_yield_falls_as_die_area_grows(inv):
    """Wafer area consumed per mm2 of good die rises with die area (yield and edge loss both worsen)."""
    activity = inv.activity("gpu:accel_h100_sxm")
    ex = exchange_to(inv, "accel_h100_sxm", "gpu:logic_wafer_n5_tw")
    per_mm2 = []
    for area in (100, 200, 400, 600, 814):
        amount_cm2 = inv.evaluate(activity, ex, {"gpu:accel_h100_sxm.die_area": area})
        per_mm2.append(amount_cm2 * 100 / area)
        # implied yield for this area from the hand formula: same result
        assert amount_cm2 * 100 == pytest.approx(
            hand_wafer_area_per_good_die(area, 0.0011, 10, 7, p(inv, "assembly_bond_yield")), rel=1e-9)
    assert all(b > a for a, b in zip(per_mm2, per_mm2[1:])), per_mm2
    # and a worse defect density costs more wafer for the same die
    worse = inv.evaluate(activity, ex, {"gpu.defect_density_n5": 0.0022})
    assert worse > ex.amount


def test_hbm_per_gb_hand_calculation(inv):
    """HBM3 per GB = DRAM 0.3 kg/GB x 1.4 (die area) x (1 + 1/8) (base die) / 0.75 (yield) = 0.63 kg."""
    ex = [e for e in inv.activity("gpu:hbm3_per_gb").exchanges if e.kind == "biosphere"]
    assert len(ex) == 1
    assert ex[0].amount == pytest.approx(0.3 * 1.4 * (1 + 1 / 8) / 0.75, rel=1e-9)
    assert ex[0].amount == pytest.approx(0.63, rel=1e-9)


def test_per_gb_activities_are_per_gb_not_per_byte(inv):
    """Guards the byte-is-dimensionless pitfall: DRAM per GB must carry 0.3 kg, not 0.3 kg / 8e9."""
    ex = [e for e in inv.activity("gpu:dram_per_gb").exchanges if e.kind == "biosphere"]
    assert ex[0].amount == pytest.approx(p(inv, "dram_gwp_per_gb"), rel=1e-12)
    assert exchange_to(inv, "host_share_hgx8", "gpu:dram_per_gb").amount == pytest.approx(256)   # 2 TB / 8


# --------------------------------------------------------------------------- pure data: catalogue
REQUIRED = {"tdp": "W", "die_area": "mm**2", "logic_die_count": "dimensionless", "hbm_capacity": "GB",
            "hbm_physical_capacity": "GB", "hbm_stacks": "dimensionless"}
STRINGS = ("node", "fab_node_class", "fab_location", "hbm_generation", "cooling", "host_platform", "scope")


@pytest.mark.parametrize("code", ACCELERATORS)
def test_catalogue_properties_complete_and_sourced(inv, code):
    activity = inv.activity(f"gpu:{code}")
    assert activity.name.startswith("accelerator, ") and activity.unit == "item"
    assert activity.stage == "accelerator and host embodied"
    props = activity.properties
    for name, unit in REQUIRED.items():
        assert props[name].quantity.to(unit).magnitude > 0, name
    for name in STRINGS:
        assert isinstance(props[name].value, str) and props[name].value, name
    peaks = {n: v for n, v in props.items() if n.startswith("peak_")}
    assert peaks, "no peak FLOP/s"
    for name, value in peaks.items():
        assert value.quantity.to("TFLOP/s").magnitude > 0, name
    assert any(n in peaks for n in ("peak_bf16", "peak_fp16"))
    for name, value in props.items():
        assert value.source in inv.sources, (name, value.source)
    assert props["host_platform"].value in inv.databases["gpu"].activities
    # physically mounted HBM can exceed but never undercut the usable capacity
    assert props["hbm_physical_capacity"].quantity >= props["hbm_capacity"].quantity


def test_undisclosed_die_areas_are_flagged_as_assumptions(inv):
    for code in ("accel_b200_hgx", "accel_gb200_nvl72", "accel_mi300x", "accel_tpu_v5p", "accel_tpu_v6e",
                 "accel_tpu_ironwood"):
        source = inv.activity(f"gpu:{code}").properties["die_area"].source
        assert inv.sources[source].reliability == "assumption", code
    for code in ("accel_tpu_v5p", "accel_tpu_v6e", "accel_tpu_ironwood"):
        assert inv.sources[inv.activity(f"gpu:{code}").properties["tdp"].source].reliability == "assumption"


def test_every_gpu_parameter_and_exchange_resolves_to_a_source(inv):
    database = inv.databases["gpu"]
    for parameter in database.parameters.values():
        assert parameter.source in inv.sources, parameter.name
    for activity in database.activities.values():
        for ex in activity.exchanges:
            assert ex.source in inv.sources, (activity.code, ex.input)


@pytest.mark.parametrize("code", ACCELERATORS)
def test_each_accelerator_has_its_part_exchanges(inv, code):
    activity = inv.activity(f"gpu:{code}")
    providers = {f"{ex.input[0]}:{ex.input[1]}" for ex in activity.exchanges}
    wafers = {x for x in providers if x.startswith("gpu:logic_wafer_") and x.endswith("_tw")}
    assert wafers, "no logic die"
    hbm = {"HBM2": "gpu:hbm2_per_gb", "HBM2e": "gpu:hbm2e_per_gb", "HBM3": "gpu:hbm3_per_gb",
           "HBM3e": "gpu:hbm3e_per_gb"}
    generation = activity.properties["hbm_generation"].value
    expected_hbm = next(v for k, v in sorted(hbm.items(), key=lambda kv: -len(kv[0])) if k in generation)
    assert expected_hbm in providers
    for part in ("gpu:silicon_interposer_tw", "gpu:package_substrate_assembly_tw", "gpu:pcb_layer_area",
                 "gpu:power_electronics"):
        assert part in providers, part
    cooling = activity.properties["cooling"].value
    assert ("gpu:air_cooled_heat_sink" if cooling == "air" else "gpu:liquid_cold_plate") in providers
    for ex in activity.exchanges:
        assert ex.amount > 0, ex.input
    # the HBM exchange carries the mounted capacity divided by the assembly yield
    n_placed = sum(activity.properties[n].value for n in ("logic_die_count", "hbm_stacks", "io_die_count")
                   if n in activity.properties)
    mounted = activity.properties["hbm_physical_capacity"].quantity.to("GB").magnitude
    assert exchange_to(inv, code, expected_hbm).amount == pytest.approx(
        mounted / p(inv, "assembly_bond_yield") ** n_placed, rel=1e-9)


# --------------------------------------------------------------------------- Brightway
def test_wafer_footprint_against_hand_calculation(bw_project, inv):
    """N5 wafer in Taiwan, per cm2: EPA x grid + GPA(0.97) + MPA.

    = 2.75 kWh x grid_TW + (0.17375 + 5.125 x 0.03) kg + 0.5 kg, grid_TW read from background:electricity_TW.
    """
    grid = sum(ex.amount for ex in inv.activity("background:electricity_TW").exchanges if ex.kind == "biosphere")
    gpa97 = (430 + 225) / 2 / 1000
    expected = 2.75 * grid + gpa97 + 0.5
    fp = bw_project.footprint("gpu:logic_wafer_n5_tw")
    assert fp.score.to("kgCO2e").magnitude == pytest.approx(expected, rel=1e-6)


def test_h100_die_contribution_against_hand_calculation(bw_project, inv):
    """Die part of H100 = wafer area per good die [cm2] x CPA(N5, TW) with the hand yield."""
    grid = sum(ex.amount for ex in inv.activity("background:electricity_TW").exchanges if ex.kind == "biosphere")
    cpa = 2.75 * grid + (430 + 225) / 2 / 1000 + 0.5
    area_cm2 = hand_wafer_area_per_good_die(814, 0.0011, 10, 7, p(inv, "assembly_bond_yield")) / 100
    fp = bw_project.footprint("gpu:logic_wafer_n5_tw", amount=area_cm2)
    assert fp.score.to("kgCO2e").magnitude == pytest.approx(area_cm2 * cpa, rel=1e-6)
    assert 60 < area_cm2 * cpa < 90           # about 73 kg at the central values


def test_h100_footprint_in_published_band_and_air_cooling_switch(bw_project, inv):
    """H100 SXM cradle-to-gate, accelerator only (no host).

    Published single-accelerator estimates span 127.6 kg (Falk et al. 2025, A100 teardown, a smaller-memory
    predecessor) to 575 kg (Boavizta default H100 SXM); a model outside [100, 700] kg would be out of line with
    all of them. Removing air cooling must subtract exactly tdp x heatsink_mass_per_watt x (heat-sink kg CO2e/kg).
    """
    full = bw_project.footprint("accelerator, H100 SXM").score.to("kgCO2e").magnitude
    assert 100 < full < 700
    no_air = bw_project.footprint("gpu:accel_h100_sxm", overrides={"gpu.air_cooling_included": 0})
    sink = bw_project.footprint("gpu:air_cooled_heat_sink").score.to("kgCO2e").magnitude
    mass = 700 * p(inv, "heatsink_mass_per_watt")
    assert full - no_air.score.to("kgCO2e").magnitude == pytest.approx(mass * sink, rel=1e-6)
    by_stage = bw_project.footprint("gpu:accel_h100_sxm").by_stage
    nonzero = set(by_stage.loc[by_stage["score"].abs() > 1e-9 * full, "stage"])
    assert nonzero == {"accelerator and host embodied"}      # fab electricity is attributed to the consumer


def test_cleaner_fab_grid_lowers_the_die(bw_project):
    """Same N5 wafer, US grid instead of Taiwan's: lower by EPA x (grid_TW - grid_US)."""
    tw = bw_project.footprint("gpu:logic_wafer_n5_tw").score.to("kgCO2e").magnitude
    us = bw_project.footprint("gpu:logic_wafer_n5_us").score.to("kgCO2e").magnitude
    grid_tw = bw_project.footprint("background:electricity_TW").score.to("kgCO2e").magnitude
    grid_us = bw_project.footprint("background:electricity_US").score.to("kgCO2e").magnitude
    assert tw - us == pytest.approx(2.75 * (grid_tw - grid_us), rel=1e-6)
