"""Database `launch`: mass balances, stoichiometric CO2, altitude split and reuse amortisation.

Every expected value is a hand calculation written out here (stoichiometry with IUPAC 2021 conventional
atomic weights, source id `iupac_ciaaw_2021`) or a published figure with its source; tolerances are stated.
"""
from __future__ import annotations

import pytest

from lca.core.flows import BIOSPHERE3, biosphere3_by_code
from lca.inventory import read_inventory

# IUPAC 2021 conventional atomic weights (g/mol), source iupac_ciaaw_2021
C, H, O, N, AL, CL = 12.011, 1.008, 15.999, 14.007, 26.982, 35.45
M_CO2, M_CO, M_H2O = C + 2 * O, C + O, 2 * H + O
M_AP = N + 4 * H + CL + 4 * O                     # NH4ClO4


@pytest.fixture(scope="module")
def inv():
    return read_inventory()


@pytest.fixture(scope="module")
def db(inv):
    return inv.databases["launch"]


def par(db, name: str) -> float:
    return db.parameters[name].value


def flow_of(inv, key) -> tuple[str, str]:
    """(name, categories) of a biosphere flow key."""
    if key[0] == BIOSPHERE3:
        flow = biosphere3_by_code()[key[1]]
    else:
        flow = inv.flows[key]
    return flow.name, "::".join(flow.categories)


def emissions(inv, activity, overrides=None) -> dict[tuple[str, str], float]:
    """kg per reference unit, by (flow name, categories), optionally with parameter overrides."""
    out: dict[tuple[str, str], float] = {}
    for e in activity.exchanges:
        if e.kind != "biosphere":
            continue
        amount = inv.evaluate(activity, e, overrides) if (overrides and e.is_formula) else e.amount
        key = flow_of(inv, e.input)
        out[key] = out.get(key, 0.0) + amount
    return out


def total(em: dict, name: str) -> float:
    return sum(v for (n, _), v in em.items() if n == name)


def combustion_activities(db):
    acts = [a for a in db.activities.values() if a.code.startswith("combustion_")]
    assert len(acts) >= 10, "expected one combustion activity per stage family"
    return acts


def fuel_fractions(db, activity) -> tuple[float, float, float, float]:
    """Hand calculation: (C, H, Cl, Al) mass per kg propellant from the composition parameters."""
    family = activity.properties["propellant_family"].value
    of_name = activity.properties["mixture_ratio_parameter"].value
    of = par(db, of_name) if of_name != "none" else None
    if family == "kerosene":                                      # RP-1 = CH_x, x = rp1_h_to_c
        x = par(db, "rp1_h_to_c")
        return C / (C + x * H) / (1 + of), x * H / (C + x * H) / (1 + of), 0.0, 0.0
    if family == "methane":                                       # CH4
        return C / (C + 4 * H) / (1 + of), 4 * H / (C + 4 * H) / (1 + of), 0.0, 0.0
    if family == "hydrogen":                                      # H2
        return 0.0, 1 / (1 + of), 0.0, 0.0
    if family == "hypergolic":                                    # UDMH C2H8N2 with N2O4
        m = 2 * C + 8 * H + 2 * N
        return 2 * C / m / (1 + of), 8 * H / m / (1 + of), 0.0, 0.0
    if family == "solid":                                         # AP + Al + HTPB C7.075H10.65O0.223N0.063
        hc, hh, ho, hn = (par(db, k) for k in ("htpb_c", "htpb_h", "htpb_o", "htpb_n"))
        m_htpb = hc * C + hh * H + ho * O + hn * N
        binder, ap, al = par(db, "solid_binder_frac"), par(db, "solid_ap_frac"), par(db, "solid_al_frac")
        return (binder * hc * C / m_htpb, ap * 4 * H / M_AP + binder * hh * H / m_htpb, ap * CL / M_AP, al)
    raise AssertionError(f"unknown family {family}")


# ----------------------------------------------------------------------------------- mass balances

def test_carbon_balance_closes_for_every_combustion_activity(inv, db):
    for activity in combustion_activities(db):
        fuel_c = fuel_fractions(db, activity)[0]
        em = emissions(inv, activity)
        emitted_c = (total(em, "Carbon dioxide, fossil") * C / M_CO2
                     + total(em, "Carbon monoxide, fossil") * C / M_CO + total(em, "Black carbon"))
        if fuel_c == 0:
            assert emitted_c == 0, activity.code
        else:
            assert emitted_c == pytest.approx(fuel_c, rel=0.01), activity.code


def test_hydrogen_balance_closes_for_every_combustion_activity(inv, db):
    for activity in combustion_activities(db):
        fuel_h = fuel_fractions(db, activity)[1]
        em = emissions(inv, activity)
        emitted_h = (total(em, "Water vapour") * 2 * H / M_H2O
                     + (total(em, "Hydrogen chloride") + total(em, "Hydrochloric acid")) * H / (H + CL))
        assert emitted_h == pytest.approx(fuel_h, rel=0.01), activity.code


def test_chlorine_and_aluminium_balance_of_solid_motor(inv, db):
    activity = db.activities["combustion_a6_p120c"]
    _, _, cl, al = fuel_fractions(db, activity)
    em = emissions(inv, activity)
    emitted_cl = ((total(em, "Hydrogen chloride") + total(em, "Hydrochloric acid")) * CL / (H + CL)
                  + total(em, "Chlorine, reactive") + total(em, "Chlorine"))
    assert emitted_cl == pytest.approx(cl, rel=0.01)
    assert total(em, "Aluminium oxide, particulate") * 2 * AL / (2 * AL + 3 * O) == pytest.approx(al, rel=0.01)
    # cross-check with Barker et al. 2024 primary indices (barker2024_pei): Al2O3 328 g/kg, Cly 217 g/kg as HCl;
    # our composition (18 % Al, 69 % AP) must land within 15 %
    assert total(em, "Aluminium oxide, particulate") == pytest.approx(0.328, rel=0.15)
    assert cl * (H + CL) / CL == pytest.approx(0.217, rel=0.15)


def test_complete_oxidation_factors_match_oracle(inv, db):
    """ORACLE propellant_emissions_factors.csv (oracle2025_propellant): kerosene 0.8841 kg CO2/kg at O/F 2.56,
    methane 0.5966 at 3.6. With no soot, our carbon balance must reproduce them within 0.2 %."""
    cases = [("combustion_f9_s1", {"launch.of_merlin": 2.56, "launch.bc_pei_kerosene": 0}, 0.8841),
             ("combustion_ss_booster", {"launch.of_raptor": 3.6, "launch.bc_pei_methane": 0}, 0.5966)]
    for code, overrides, expected in cases:
        em = emissions(inv, db.activities[code], overrides)
        assert total(em, "Carbon dioxide, fossil") == pytest.approx(expected, rel=0.002), code


# ----------------------------------------------------------------------------------- per-launch CO2

def per_launch(inv, db, code):
    """Summed combustion emissions of one launch (kg by flow) from the vehicle's combustion inputs."""
    vehicle = db.activities[code]
    out: dict[tuple[str, str], float] = {}
    for e in vehicle.exchanges:
        if e.kind == "technosphere" and e.input[1].startswith("combustion_"):
            for key, value in emissions(inv, db.activities[e.input[1]]).items():
                out[key] = out.get(key, 0.0) + value * e.amount
    return out


def test_falcon9_combustion_co2_is_stoichiometric(inv, db):
    # hand calculation: 395,700 + 92,670 kg = 488,370 kg LOX/RP-1 (spaceflightinsider_falcon; ORACLE 488,370),
    # RP-1 = CH1.953, O/F 2.36 -> carbon 0.85918 / 3.36 = 0.25571 kg/kg -> 457,550 kg CO2 if fully oxidised
    w_c = C / (C + 1.953 * H)
    stoich = 488_370 * w_c / (1 + 2.36) * M_CO2 / C
    assert stoich == pytest.approx(457_550, rel=1e-3)
    em = per_launch(inv, db, "launch_f9")
    co2 = total(em, "Carbon dioxide, fossil")
    carbon_as_co2 = co2 + total(em, "Carbon monoxide, fossil") * M_CO2 / M_CO + total(em, "Black carbon") * M_CO2 / C
    assert carbon_as_co2 == pytest.approx(stoich, rel=0.005)
    # soot takes 2-9 % of the carbon (22 g/kg primary BC, 4-100 % surviving), so CO2 alone is 90-99 % of stoichiometric
    assert 0.90 * stoich < co2 < 0.99 * stoich


def test_starship_v3_combustion_co2_is_stoichiometric(inv, db):
    # hand calculation: 3,700 t + 1,600 t LOX/CH4 (assumption_launch_starship_v3) at O/F 3.6 (faa2021_starship_pea):
    # CH4 carbon 0.74868 / 4.6 = 0.16276 kg/kg -> 0.59636 kg CO2/kg -> 3.1607e6 kg CO2
    stoich = 5_300_000 * C / (C + 4 * H) / 4.6 * M_CO2 / C
    assert stoich == pytest.approx(3.1607e6, rel=1e-3)
    em = per_launch(inv, db, "launch_starship_v3")
    carbon_as_co2 = total(em, "Carbon dioxide, fossil") + total(em, "Black carbon") * M_CO2 / C
    assert carbon_as_co2 == pytest.approx(stoich, rel=0.005)


def test_propellant_supply_matches_propellant_burned(inv, db):
    """Fuel + oxidiser bought (less LOX losses) equals propellant burned, for every liquid-only vehicle."""
    loss = par(db, "lox_loading_loss")
    for code in ("launch_f9", "launch_f9_expendable", "launch_fh", "launch_starship_v2", "launch_starship_v3",
                 "launch_electron"):
        vehicle = db.activities[code]
        burned = sum(e.amount for e in vehicle.exchanges if e.input[1].startswith("combustion_"))
        lox = sum(e.amount for e in vehicle.exchanges if e.input[1].startswith("liquid_oxygen_"))
        fuel = sum(e.amount for e in vehicle.exchanges if e.input[1] in ("rp1", "liquid_methane_US"))
        assert lox / (1 + loss) + fuel == pytest.approx(burned, rel=1e-9), code


# ----------------------------------------------------------------------------------- altitude split

# Hand numbers of the sqrt law (h = h_burnout u^2, share above z = 1 - sqrt(z / h_burnout)) for the Falcon 9
# first stage, MECO 66.9 km (Barker et al. 2024 launch_event_altitudes.csv), stratopause 50 km:
# tropopause 12 km: above 1 - sqrt(12/66.9) = 0.576476, stratosphere band sqrt(50/66.9) - sqrt(12/66.9) = 0.440990
# tropopause 15 km: above 0.526486, stratosphere band 0.391000
# tropopause 17 km: above 0.495906, stratosphere band 0.360420; above 50 km 1 - sqrt(50/66.9) = 0.135486
F9_S1_BY_HAND = {12.0: (0.576476, 0.440990), 15.0: (0.526486, 0.391000), 17.0: (0.495906, 0.360420)}
F9_S1_MESO = 0.135486


@pytest.mark.parametrize("tropopause", sorted(F9_S1_BY_HAND))
def test_stratospheric_share_follows_tropopause_and_burnout(inv, db, tropopause):
    """Stratosphere band share of the Falcon 9 first stage = sqrt law at the given tropopause and MECO altitude."""
    assert par(db, "h_burnout_f9_s1") == 66.9 and par(db, "stratopause_height") == 50
    above, strat = F9_S1_BY_HAND[tropopause]
    activity = db.activities["combustion_f9_s1"]
    em = emissions(inv, activity, {"launch.tropopause_height": tropopause})
    h2o = {band: em[("Water vapour", f"air::{band}")] for band in ("troposphere", "stratosphere", "mesosphere")}
    total_h2o = sum(h2o.values())
    assert h2o["stratosphere"] / total_h2o == pytest.approx(strat, abs=2e-6)
    assert h2o["mesosphere"] / total_h2o == pytest.approx(F9_S1_MESO, abs=2e-6)
    assert h2o["troposphere"] / total_h2o == pytest.approx(1 - above, abs=2e-6)
    # BC: below the tropopause (1 - above) x index x 0.04; above it the survival of the part above 15 km
    # (bc_surv_strat_f9_s1, NASEM relation averaged over 15 km-MECO) plus 0.04 for the slice 15 km-tropopause
    pei, s_trop = par(db, "bc_pei_kerosene") / 1000, par(db, "bc_survival_troposphere")
    above_15 = 1 - (15 / 66.9) ** 0.5
    bc_above = above_15 * par(db, "bc_surv_strat_f9_s1") + s_trop * (above - above_15)
    assert em[("Black carbon", "air::troposphere")] == pytest.approx((1 - above) * pei * s_trop, rel=1e-5)
    assert em[("Black carbon", "air::stratosphere")] == pytest.approx((bc_above - F9_S1_MESO) * pei, rel=1e-5)
    assert em[("Black carbon", "air::mesosphere")] == pytest.approx(F9_S1_MESO * pei, rel=1e-5)  # survival 1 > 42 km
    # CO2 above the tropopause: that share of the fuel carbon less the soot carbon above the tropopause
    c_fuel = C / (C + par(db, "rp1_h_to_c") * H) / (1 + par(db, "of_merlin"))
    strat_co2 = (above * c_fuel - pei * bc_above) * M_CO2 / C
    assert em[("Carbon dioxide, fossil", "air::lower stratosphere + upper troposphere")] == pytest.approx(strat_co2,
                                                                                                          rel=1e-5)


def test_raising_the_tropopause_moves_emissions_down(inv, db):
    """12 -> 17 km: the stratosphere band of water vapour shrinks from 0.440990 to 0.360420 of the stage's H2O
    (hand numbers above) and the troposphere share grows from 0.423524 to 0.504094; soot moves the same way."""
    activity = db.activities["combustion_f9_s1"]
    low, high = (emissions(inv, activity, {"launch.tropopause_height": h}) for h in (12.0, 17.0))
    for em, (above, strat) in ((low, F9_S1_BY_HAND[12.0]), (high, F9_S1_BY_HAND[17.0])):
        h2o = sum(em[("Water vapour", f"air::{b}")] for b in ("troposphere", "stratosphere", "mesosphere"))
        assert em[("Water vapour", "air::stratosphere")] / h2o == pytest.approx(strat, abs=2e-6)
        assert em[("Water vapour", "air::troposphere")] / h2o == pytest.approx(1 - above, abs=2e-6)
    for species in ("Water vapour", "Black carbon"):
        assert high[(species, "air::stratosphere")] < low[(species, "air::stratosphere")], species
        assert high[(species, "air::troposphere")] > low[(species, "air::troposphere")], species
        assert high[(species, "air::mesosphere")] == pytest.approx(low[(species, "air::mesosphere")], rel=1e-12)


def test_tropopause_is_a_sampled_shared_parameter(db):
    p = db.parameters["tropopause_height"]
    assert p.value == 15 and p.unit == "km" and p.source == "seidel_randel_2006_tropopause"
    assert p.uncertainty["distribution"] == "triangular" and (p.uncertainty["low"], p.uncertainty["high"]) == (10, 17)


def test_upper_stages_emit_only_above_the_stratopause(inv, db):
    """Upper stages ignite at 65-75 km (Barker launch_event_altitudes.csv), above the 50 km stratopause."""
    for code in ("combustion_f9_s2", "combustion_ss_ship", "combustion_electron_s2", "combustion_a6_upper",
                 "combustion_hypergolic_upper"):
        for (name, categories) in emissions(inv, db.activities[code]):
            assert categories in ("air::mesosphere", "air::lower stratosphere + upper troposphere"), (code, name)


# species -> its flow names in every band (HCl and Cl below the tropopause are the biosphere3 flows)
BAND_SPECIES = {"BC": ("Black carbon",), "H2O": ("Water vapour",), "Al2O3": ("Aluminium oxide, particulate",),
                "NOx": ("Nitrogen oxides",), "CO2": ("Carbon dioxide, fossil",),
                "HCl": ("Hydrochloric acid", "Hydrogen chloride"), "Cl": ("Chlorine", "Chlorine, reactive")}
BURNOUT_KM = {"f9_s1": 66.9, "fh_side": 55.9, "fh_centre": 115, "electron_s1": 74.9}   # Barker event altitudes


@pytest.mark.parametrize("code", ["f9_s1", "fh_side", "fh_centre", "electron_s1"])
def test_mesospheric_fraction_follows_the_trajectory(inv, db, code):
    # h = h_burnout u^2 (u burnt fraction) is above 50 km for u > sqrt(50 / h_burnout)
    assert par(db, f"h_burnout_{code}") == BURNOUT_KM[code]
    em = emissions(inv, db.activities[f"combustion_{code}"], {"launch.tropopause_height": 15.0})
    h2o = sum(em[("Water vapour", f"air::{b}")] for b in ("troposphere", "stratosphere", "mesosphere"))
    assert em[("Water vapour", "air::mesosphere")] / h2o == pytest.approx(1 - (50 / BURNOUT_KM[code]) ** 0.5,
                                                                          abs=1e-9)


# Hydrogen core stages lit at lift-off climb on their boosters' sqrt-law profile until booster burnout, so the
# share of the core burned below altitude z is (T_booster / T_core) sqrt(z / h_booster_burnout), by hand:
# Ariane 6 (P120C 130 s to 70 km, Vulcain 2.1 470 s): below 15 km 0.276596 x 0.462910 = 0.128039; below 50 km
#   0.276596 x 0.845154 = 0.233766; below 17 km 0.276596 x 0.492805 = 0.136308
# Long March 5B (boosters 180 s to 60 km, YF-77 480 s): below 15 km 0.375 x 0.5 = 0.1875; below 50 km
#   0.375 x 0.912871 = 0.342327; below 17 km 0.375 x 0.532291 = 0.199609
CORE_BELOW_BY_HAND = {"a6_core": {15.0: 0.128039, 17.0: 0.136308, 50.0: 0.233766},
                      "lm5_core": {15.0: 0.1875, 17.0: 0.199609, 50.0: 0.342327}}


@pytest.mark.parametrize("code", sorted(CORE_BELOW_BY_HAND))
@pytest.mark.parametrize("tropopause", [15.0, 17.0])
def test_core_stage_bands_follow_the_booster_ascent(inv, db, code, tropopause):
    """Water vapour of a hydrogen core stage by band = the booster-phase profile at the given tropopause; NOx moves
    the slice between the tropopause and 15 km at the tropopause index, like the boosters."""
    below = CORE_BELOW_BY_HAND[code]
    em = emissions(inv, db.activities[f"combustion_{code}"], {"launch.tropopause_height": tropopause})
    h2o = {band: em[("Water vapour", f"air::{band}")] for band in ("troposphere", "stratosphere", "mesosphere")}
    total_h2o = sum(h2o.values())
    assert h2o["troposphere"] / total_h2o == pytest.approx(below[tropopause], abs=2e-6)
    assert h2o["stratosphere"] / total_h2o == pytest.approx(below[50.0] - below[tropopause], abs=2e-6)
    assert h2o["mesosphere"] / total_h2o == pytest.approx(1 - below[50.0], abs=2e-6)
    slice_ = below[tropopause] - below[15.0]
    nox_trop = (below[15.0] * par(db, "nox_sec_ei_troposphere") + slice_ * par(db, "nox_sec_ei_tropopause")) / 1000
    nox_strat = ((1 - below[15.0]) * par(db, "nox_sec_ei_stratosphere")
                 - slice_ * par(db, "nox_sec_ei_tropopause")) / 1000
    assert em[("Nitrogen oxides", "air")] == pytest.approx(nox_trop, rel=2e-5)
    assert em[("Nitrogen oxides", "air::stratosphere")] == pytest.approx(nox_strat, rel=2e-5)


LAUNCHES = ("launch_f9", "launch_f9_expendable", "launch_fh", "launch_starship_v2", "launch_starship_v3",
            "launch_electron", "launch_ariane_62", "launch_ariane_64", "launch_long_march_5")


def per_launch_with(inv, db, code, overrides):
    vehicle = db.activities[code]
    out: dict[tuple[str, str], float] = {}
    for e in vehicle.exchanges:
        if e.kind == "technosphere" and e.input[1].startswith("combustion_"):
            for key, value in emissions(inv, db.activities[e.input[1]], overrides).items():
                out[key] = out.get(key, 0.0) + value * e.amount
    return out


@pytest.mark.parametrize("code", LAUNCHES)
def test_band_split_conserves_each_species_per_launch(inv, db, code):
    """Moving the tropopause (10-17 km) or the stratopause (45-55 km) moves mass between bands, never creates or
    loses it: each species' total per launch is the same, and no band goes negative."""
    base = per_launch_with(inv, db, code, {"launch.tropopause_height": 15.0})
    assert any(c == "air::mesosphere" and v > 0 for (_, c), v in base.items())
    for overrides in ({"launch.tropopause_height": 10.0}, {"launch.tropopause_height": 17.0},
                      {"launch.stratopause_height": 45.0}, {"launch.stratopause_height": 55.0},
                      {"launch.tropopause_height": 12.0, "launch.stratopause_height": 55.0}):
        moved = per_launch_with(inv, db, code, overrides)
        assert moved != base, overrides
        for species, names in BAND_SPECIES.items():
            amount = sum(total(moved, name) for name in names)
            assert amount == pytest.approx(sum(total(base, name) for name in names), rel=1e-9), (overrides, species)
            assert min((v for (n, _), v in moved.items() if n in names), default=0.0) >= 0, (overrides, species)
    solid = per_launch_with(inv, db, "launch_ariane_64", {})
    assert total(solid, "Hydrogen chloride") > 0 and total(solid, "Hydrochloric acid") > 0   # the Cly case is tested


def test_band_split_per_launch_by_hand(inv, db):
    """Falcon 9 first-stage soot above 50 km by hand: 411 t propellant burned x 0.135486 x 22 g/kg x survival 1."""
    launch = per_launch(inv, db, "launch_f9")
    s1 = next(e.amount for e in db.activities["launch_f9"].exchanges if e.input[1] == "combustion_f9_s1")
    s2 = next(e.amount for e in db.activities["launch_f9"].exchanges if e.input[1] == "combustion_f9_s2")
    pei = par(db, "bc_pei_kerosene") / 1000
    by_hand = s1 * F9_S1_MESO * pei + s2 * pei * par(db, "bc_surv_strat_f9_s2")
    assert launch[("Black carbon", "air::mesosphere")] == pytest.approx(by_hand, rel=1e-5)


# ----------------------------------------------------------------------------------- catalogue data

def test_payload_properties_match_parameters_and_per_kg_activities(inv, db):
    vehicles = [a for a in db.activities.values() if a.code.startswith("launch_")]
    assert {a.name for a in vehicles} >= {"launch, Falcon 9", "launch, Falcon 9 expendable", "launch, Falcon Heavy",
                                          "launch, Starship V2", "launch, Starship V3", "launch, Electron",
                                          "launch, Ariane 62", "launch, Ariane 64", "launch, Long March 5"}
    for vehicle in vehicles:
        name = vehicle.properties["payload_parameter"].value
        payload = par(db, name)
        assert vehicle.properties["payload_leo"].value == payload
        key = vehicle.code.removeprefix("launch_")
        (leo,) = db.activities[f"leo_per_kg_{key}"].exchanges
        assert leo.amount == pytest.approx(1 / payload)
        (sso,) = db.activities[f"sso_per_kg_{key}"].exchanges
        assert sso.amount == pytest.approx(1 / (payload * par(db, "sso_payload_ratio")))


# ----------------------------------------------------------------------------------- Brightway results

@pytest.fixture(scope="module")
def api(bw_project):
    return bw_project


def stage_score(fp, stage: str) -> float:
    rows = fp.by_stage[fp.by_stage["stage"] == stage]
    return float(rows["score"].sum())


def test_falcon9_footprint_by_stage(api, inv, db):
    fp = api.footprint("launch, Falcon 9")
    stages = set(fp.by_stage.loc[fp.by_stage["score"] > 0, "stage"])
    assert {"launch propellant production", "launch combustion CO2", "launcher manufacture"} <= stages
    # GWP100 of the combustion stage = the CO2 flows (factor 1), computed above from the inventory alone
    co2 = total(per_launch(inv, db, "launch_f9"), "Carbon dioxide, fossil")
    assert stage_score(fp, "launch combustion CO2") == pytest.approx(co2, rel=1e-6)
    # GWP100 holds no high-altitude non-CO2 terms
    assert "Black carbon" not in set(fp.by_flow["flow"])
    ha = api.footprint("launch, Falcon 9", method="HA-nonCO2")
    assert ha.score.magnitude > 0
    assert stage_score(ha, "launch non-CO2 at altitude") > 0
    assert stage_score(ha, "launch combustion CO2") == 0
    assert ha.method == "HA-nonCO2" and fp.method == "GWP100"


def test_more_reuses_lower_manufacturing_but_never_below_refurbishment(api, db):
    """ORACLE Eq. 5-6 (oracle2025_factors): booster burden per launch = M (1/R + f (R - 1)/R), with M the
    burden of one new first stage and f the refurbishment fraction. Hand calculation against the LCA."""
    m = api.footprint("launch:manufacture_f9_s1").score.magnitude
    f = par(db, "refurbishment_fraction")
    results = {r: api.footprint("launch, Falcon 9", overrides={"launch.reuses_f9_booster": r}) for r in (1, 5, 20, 100, 1e4)}
    manufacture = {r: stage_score(fp, "launcher manufacture") for r, fp in results.items()}
    values = [manufacture[r] for r in sorted(manufacture)]
    assert all(a > b for a, b in zip(values, values[1:])), "manufacturing must fall with more reuses"
    rest = manufacture[1] - m                      # everything but the first stage (R = 1: one new stage)
    for r, value in manufacture.items():
        booster = value - rest
        assert booster == pytest.approx(m * (1 / r + f * (r - 1) / r), rel=1e-6)
        assert booster >= f * m * (1 - 1e-9)       # never below refurbishment
    # the total score moves by the same amount
    assert (results[5].score - results[100].score).magnitude == pytest.approx(m * (1 - f) * (1 / 5 - 1 / 100), rel=1e-6)
