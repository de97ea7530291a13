"""Tests of database `pv` (inventories/pv/*.yaml): terrestrial c-Si chain, tandem, space arrays.

Pure-data tests read the validated inventory (``read_inventory``) and compare the numbers with hand
calculations (mass balances, stoichiometry, silicon consumption) or published figures. Brightway tests
(fixture ``bw_project``) compare computed footprints with published ranges; the range and its source
are named next to each assertion (source ids resolve in inventories/sources/pv.yaml).
"""
from __future__ import annotations

import math

import pytest

from lca.inventory import read_inventory

M_CO2, M_SI = 44.01, 28.086          # g/mol


@pytest.fixture(scope="module")
def inv():
    return read_inventory()   # honours $LCA_INVENTORIES


def p(inv, name):
    """Central value of a pv parameter, as a float in its declared unit."""
    return float(inv.databases["pv"].parameters[name].value)


def inputs(inv, code):
    """{provider code: summed amount [provider unit]} of the technosphere inputs of pv:code."""
    out = {}
    for ex in inv.activity(f"pv:{code}").exchanges:
        if ex.kind == "technosphere":
            key = f"{ex.input[0]}:{ex.input[1]}"
            out[key] = out.get(key, 0.0) + ex.amount
    return out


# --------------------------------------------------------------------------- pure data: silicon chain
def test_mgsi_reductant_co2_above_stoichiometric_minimum(inv):
    """SiO2 + 2C -> Si + 2CO(->CO2): at least 2 x 44.01 / 28.086 = 3.134 kg CO2 per kg Si (100 % yield).

    The carried fossil CO2 of pv:mgsi_cn must equal mgsi_carbon_co2 x fossil share (pv_mgsi_co2_derivation).
    """
    stoich = 2 * M_CO2 / M_SI
    assert stoich == pytest.approx(3.134, abs=1e-3)
    param = inv.databases["pv"].parameters["mgsi_carbon_co2"]
    assert param.value >= stoich
    assert param.uncertainty["low"] >= stoich          # even the low end cannot beat stoichiometry
    fossil = [ex.amount for ex in inv.activity("pv:mgsi_cn").exchanges if ex.kind == "biosphere"]
    assert fossil == [pytest.approx(p(inv, "mgsi_carbon_co2") * p(inv, "mgsi_fossil_carbon_share"), rel=1e-9)]


def _poly_per_m2_module(inv, region="cn", tech="topcon"):
    """kg polysilicon per m2 module, multiplied down the chain from the exchange amounts."""
    cell = inputs(inv, f"module_{tech}_{region}")[f"pv:cell_{tech}_{region}"]           # m2 cell / m2 module
    wafer = cell * inputs(inv, f"cell_{tech}_{region}")[f"pv:wafer_{region}"]          # m2 wafer
    brick = wafer * inputs(inv, f"wafer_{region}")[f"pv:cz_brick_{region}"]            # kg brick
    return brick * inputs(inv, f"cz_brick_{region}")[f"pv:polysilicon_{region}"]      # kg poly


def test_polysilicon_consumption_per_wp_within_published_span(inv):
    """Polysilicon per Wp of a 2024 TOPCon module lies between the 2021 state of the art (2.59 g/Wp at
    20.9 %) and the 2032 ITRPV projection (1.96 g/Wp at 22.5 %): zubas2023_epjpv Table 2."""
    g_per_wp = _poly_per_m2_module(inv) * 1000 / (p(inv, "efficiency_topcon") * p(inv, "stc_irradiance"))
    assert 1.96 <= g_per_wp <= 2.59, g_per_wp


def test_polysilicon_per_brick_hand_calculation(inv):
    """(1/0.98 - 0.45 x 0.941) / 0.55 = 1.0853 kg virgin poly per kg brick (Zubas 2023 Table A4 yields)."""
    amount = inputs(inv, "cz_brick_cn")["pv:polysilicon_cn"]
    assert amount == pytest.approx((1 / 0.98 - 0.45 * 0.941) / 0.55, rel=1e-9)
    assert amount == pytest.approx(1.0853, abs=5e-4)


@pytest.mark.parametrize("code", ["module_topcon_cn", "module_topcon_gg_cn", "module_perc_eu"])
def test_module_mass_balance(inv, code):
    """Bill of materials per m2 (kg inputs + silicon in the cells) equals the datasheet areal mass within
    10 % (pv_module_datasheet_m10: 10.8 kg/m2 glass-backsheet, 12.4 kg/m2 glass-glass)."""
    act = inv.activity(f"pv:{code}")
    kg = sum(ex.amount for ex in act.exchanges if ex.kind == "technosphere" and ex.unit == "kg")
    cell_m2 = next(ex.amount for ex in act.exchanges if ex.input[1].startswith("cell_"))
    silicon = cell_m2 * p(inv, "wafer_thickness") * 1e-6 * p(inv, "silicon_density")   # kg, before etching
    datasheet = act.properties["areal_mass"].value
    assert kg + silicon == pytest.approx(datasheet, rel=0.10)
    # glass dominates: 3.2 mm x 2500 kg/m3 = 8.0 kg (backsheet) or 2 x 2.0 mm = 10.0 kg (glass-glass)
    glass = inputs(inv, code)["background:flat_glass"]
    assert glass == pytest.approx(10.0 if "_gg_" in code else 8.0, rel=1e-9)


def test_every_module_has_a_per_wp_twin(inv):
    pv = inv.databases["pv"].activities
    modules = [a for a in pv.values() if a.name.startswith("PV module, ") and a.unit == "m^2"]
    assert len(modules) >= 5 * 4            # 5 designs x at least CN, EU, US, IN
    for a in modules:
        twin = pv[a.code + "_wp"]
        assert twin.name == a.name + ", per Wp"
        assert twin.stage == a.stage == "PV manufacture"
    for region in ("cn", "eu", "us", "in"):
        grids = {k for k in inputs(inv, f"cell_topcon_{region}") if k.startswith("background:electricity_")}
        assert grids == {f"background:electricity_{'EU27' if region == 'eu' else region.upper()}"}


# --------------------------------------------------------------------------- pure data: space arrays
SPACE = ["space_array_iii_v_flex", "space_array_iii_v_rigid", "space_array_si_flex", "space_array_perovskite_flex"]


@pytest.mark.parametrize("code", SPACE)
def test_space_array_mass_properties(inv, code):
    """kg per W is exposed, and the bill-of-materials areal mass reproduces the cited specific power
    within 25 % (III-V flexible 150 W/kg mikulas2015_ntrs; rigid 60 W/kg nasa_sst_soa_power; others
    pv_space_perf_assumption)."""
    pr = inv.activity(f"pv:{code}").properties
    v = {k: float(x.value) for k, x in pr.items() if x.is_numeric}
    kg_per_w = 1 / v["specific_power"]
    assert 0.0005 < kg_per_w < 0.05
    panel = (v["packing_factor"] * (v["cell_areal_mass"] + v["coverglass_areal_mass"] + v["adhesive_areal_mass"]
                                    + v["interconnect_areal_mass"])
             + v["substrate_areal_mass"] + v.get("core_areal_mass", 0.0) + v["harness_areal_mass"])
    bom = panel * (1 + v["structure_mass_ratio"])
    assert v["areal_mass"] == pytest.approx(bom, rel=1e-3)
    w_per_m2 = v["efficiency"] * v["packing_factor"] * p(inv, "am0_irradiance")
    assert w_per_m2 / bom == pytest.approx(v["specific_power"], rel=0.25)
    assert 0 < v["degradation_rate"] < 0.2


def test_space_cell_area_per_w_uses_am0(inv):
    """III-V array: cell area per Wp = 1 / (0.30 x 1361 W/m2) = 2.449e-3 m2 (kopp2011_tsi, fetzer_xtj_pvsc)."""
    area = inputs(inv, "space_array_iii_v_flex")["pv:iii_v_cell_us"]
    assert area == pytest.approx(1 / (0.30 * 1361), rel=1e-9)


# --------------------------------------------------------------------------- Brightway footprints
def _score(api, name, amount=1.0):
    return api.footprint(name, amount=amount, method="GWP100").score.to("kgCO2e").magnitude


@pytest.mark.parametrize("tech,eff", [("TOPCon", "efficiency_topcon"), ("PERC", "efficiency_perc"),
                                      ("perovskite-silicon tandem", "efficiency_tandem")])
@pytest.mark.parametrize("region", ["CN", "EU"])
def test_per_m2_and_per_wp_agree(bw_project, inv, tech, eff, region):
    """footprint per m2 / (efficiency x 1000 Wp/m2) == footprint per Wp.

    The inventory coefficient is exact (1e-12). The Brightway scores agree to ~3e-8 relative, not 1e-9:
    the solver path (bw_processing/pypardiso) carries single-precision-level round-off, so the score
    comparison uses 1e-6.
    """
    code = next(a.code for a in inv.databases["pv"].activities.values() if a.name == f"PV module, {tech}, {region}")
    coefficient = inputs(inv, code + "_wp")[f"pv:{code}"]
    assert coefficient == pytest.approx(1 / (p(inv, eff) * 1000), rel=1e-12)
    per_m2 = _score(bw_project, f"PV module, {tech}, {region}")
    per_wp = _score(bw_project, f"PV module, {tech}, {region}, per Wp")
    assert per_m2 / (p(inv, eff) * 1000) == pytest.approx(per_wp, rel=1e-6)


@pytest.mark.parametrize("tech", ["TOPCon", "PERC", "HJT", "TOPCon, glass-glass"])
@pytest.mark.parametrize("region", ["CN", "CN-NORTHWEST", "CN-SOUTHWEST"])
def test_china_made_per_kwp_in_published_range(bw_project, region, tech):
    """China-made modules (average, coal-heavy and hydro-heavy grids), cradle-to-gate, per kWp: inside
    310-810 kgCO2e, the lowest and highest published values (pv_module_published_range: Li et al. 2025
    2023 production on provincial grids 310-390, li2025_isci; Müller et al. 2021 glass-backsheet 810,
    mueller2021_solmat; Willis et al. 2026 TOPCon 730, willis2026_natcomm, lies inside)."""
    score = _score(bw_project, f"PV module, {tech}, {region}, per Wp", amount=1000)
    assert 310 <= score <= 810, score


def _materials_per_kwp(api, inv, code, efficiency):
    """Module materials alone [kgCO2e/kWp]: glass, frame, encapsulant, backsheet, copper, plastics of
    ``pv:code`` times their background footprints (hand calculation)."""
    per_kwp = 1 / (p(inv, efficiency) * 1000) * 1000          # m2 per kWp
    return per_kwp * sum(amount * _score(api, key) for key, amount in inputs(inv, code).items()
                         if key.split(":")[1] in ("flat_glass", "aluminium_alloy_wrought", "plastics_generic", "copper"))


def test_eu_made_topcon_per_kwp_below_published_maximum(bw_project, inv):
    """EU-made TOPCon per kWp: above the module materials alone and at most 480 kgCO2e (Müller et al. 2021
    EU glass-backsheet, mueller2021_solmat), and below the China-made module ("EU-made about 40 % lower",
    same source)."""
    eu = _score(bw_project, "PV module, TOPCon, EU, per Wp", amount=1000)
    cn = _score(bw_project, "PV module, TOPCon, CN, per Wp", amount=1000)
    assert _materials_per_kwp(bw_project, inv, "module_topcon_eu", "efficiency_topcon") < eu <= 480
    assert eu < cn


@pytest.mark.xfail(strict=True, reason=(
    "known gap: the EU-average chain on Ember 2024 grids (EU27 0.213 kgCO2e/kWh) computes 297-323 kgCO2e/kWp; "
    "the lowest published European value found is 317 (CEA-INES 2023) and the others (400-480) use "
    "ecoinvent-era grids; see pv_module_published_range"))
@pytest.mark.parametrize("tech", ["TOPCon", "HJT"])
def test_eu_made_per_kwp_in_published_range(bw_project, tech):
    """EU-made modules per kWp inside 317-480 kgCO2e (pv_module_published_range: CEA-INES 2023 HJT 317,
    ceaines2023_hjt; Willis et al. 2026 TOPCon 400; Müller et al. 2021 EU 420-480). Fails today for TOPCon
    (304) and HJT (297); strict, so it reports when the chain or the data move inside."""
    score = _score(bw_project, f"PV module, {tech}, EU, per Wp", amount=1000)
    assert 317 <= score <= 480, score


def test_grid_difference_equals_chain_electricity(bw_project, inv):
    """Coal-heavy (CN-NORTHWEST) minus hydro-heavy (CN-SOUTHWEST) chain per m2 TOPCon module = total chain
    electricity (hand calculation from the parameters) x difference of the two grid factors."""
    c = p(inv, "cell_area_fraction") / p(inv, "module_yield")              # m2 cell
    w = c / p(inv, "cell_yield")                                            # m2 wafer
    b = w * p(inv, "wafer_thickness") * 1e-6 * p(inv, "silicon_density") / p(inv, "wafering_yield")  # kg brick
    cy = p(inv, "cropping_yield")
    poly = b * (1 / p(inv, "cz_pulling_yield") - (1 - cy) * p(inv, "crop_recovery")) / cy
    mgsi = poly / p(inv, "poly_yield")
    kwh = (mgsi * p(inv, "mgsi_electricity_cn") + poly * p(inv, "poly_electricity")
           + b * p(inv, "cz_electricity") / cy + b * p(inv, "wafering_electricity")
           + c * p(inv, "cell_electricity_topcon") + p(inv, "module_assembly_electricity"))
    assert 80 < kwh < 120                         # ~96 kWh per m2 module
    grid = {r: _score(bw_project, f"background:electricity_{r}") for r in ("CN-NORTHWEST", "CN-SOUTHWEST")}
    diff = _score(bw_project, "PV module, TOPCon, CN-NORTHWEST") - _score(bw_project, "PV module, TOPCon, CN-SOUTHWEST")
    assert diff == pytest.approx(kwh * (grid["CN-NORTHWEST"] - grid["CN-SOUTHWEST"]), rel=1e-6)


def test_contributions_by_process_step(bw_project, inv):
    """`lca footprint` splits a module by chain step. The steps add up to the total, and the polysilicon
    step of an EU TOPCon m2 equals (hand calculation) kg polysilicon x (poly_electricity x EU27 grid +
    poly_heat x natural-gas heat), its own inputs; MG-Si, brick and the rest are steps of their own."""
    result = bw_project.footprint("PV module, TOPCon, EU", method="GWP100")
    steps = dict(zip(result.by_step["step"], result.by_step["score"]))
    assert sum(steps.values()) == pytest.approx(result.score.magnitude, rel=1e-9)
    poly = _poly_per_m2_module(inv, region="eu")
    expected = poly * (p(inv, "poly_electricity") * _score(bw_project, "background:electricity_EU27")
                       + p(inv, "poly_heat") * _score(bw_project, "background:heat_natural_gas"))
    assert steps[inv.activity("pv:polysilicon_eu").name] == pytest.approx(expected, rel=1e-6)
    assert {inv.activity(f"pv:{c}").name for c in ("mgsi_eu", "cz_brick_eu", "cell_topcon_eu", "module_topcon_eu")
            } <= set(steps)


def test_space_arrays_kg_co2e_per_w(bw_project, inv):
    """kgCO2e per W BOL: III-V above its germanium alone (hand calculation: 140 um x 5323 kg/m3 / 0.35
    utilisation / 0.85 cell yield / (0.30 x 1361 W/m2) kg Ge per W x 170 kgCO2e/kg, nuss2014_metals) and
    above the silicon array; all finite and positive."""
    scores = {c: _score(bw_project, f"pv:{c}") for c in SPACE}
    assert all(math.isfinite(s) and s > 0 for s in scores.values())
    ge_kg_per_w = (140e-6 * 5323 / 0.35 / 0.85) / (0.30 * 1361)
    assert scores["space_array_iii_v_flex"] > ge_kg_per_w * 170
    assert scores["space_array_iii_v_flex"] > scores["space_array_si_flex"]
    assert scores["space_array_iii_v_rigid"] > scores["space_array_iii_v_flex"] * 0.9
