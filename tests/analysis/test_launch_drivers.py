"""Why Falcon 9 comes out lower than Starship V3 per kg launched (GWP100): the drivers, against the YAML by hand.

Issue 19, item 5. Propellant per kg payload = (sum of the stages' propellant loads) / payload, read from
inventories/launch/vehicles.yaml; CO2 per kg of LOX/CH4 burned = 44.01/16.043 (kg CO2 per kg methane, molar masses
from inventories/launch/combustion.yaml) / (1 + O/F); the stage scores add up to the footprint.
"""
import pytest
import yaml
from conftest import INVENTORIES


def _parameters(relative: str) -> dict:
    data = yaml.safe_load((INVENTORIES / relative).read_text())
    return {p["name"]: p["value"] for p in data["parameters"]}


@pytest.fixture(scope="module")
def drivers(bw_project):
    return bw_project.launch_drivers("leo", "GWP100").set_index("launcher")


def test_propellant_per_kg_payload_and_reuse_counts_are_the_yaml_values(drivers):
    vehicles = _parameters("launch/vehicles.yaml")
    f9, ss = drivers.loc["falcon9"], drivers.loc["starship-v3"]
    # Falcon 9: (395,700 + 92,670) kg / 17,500 kg = 27.91 kg per kg payload
    assert f9["propellant_per_kg_payload"] == pytest.approx(
        (vehicles["prop_f9_s1"] + vehicles["prop_f9_s2"]) / vehicles["payload_leo_f9"], rel=1e-12)
    # Starship V3: (3,700,000 + 1,600,000) kg / 100,000 kg = 53 kg per kg payload
    assert ss["propellant_per_kg_payload"] == pytest.approx(
        (vehicles["prop_ssv3_booster"] + vehicles["prop_ssv3_ship"]) / vehicles["payload_leo_ssv3"], rel=1e-12)
    assert f9["reuses"] == (f"launch.reuses_f9_booster = {vehicles['reuses_f9_booster']:g}, "
                            f"launch.reuses_fairing_f9 = {vehicles['reuses_fairing_f9']:g}")
    assert ss["reuses"] == (f"launch.reuses_ss_booster = {vehicles['reuses_ss_booster']:g}, "
                            f"launch.reuses_ss_ship = {vehicles['reuses_ss_ship']:g}")
    assert drivers.loc["electron", "reuses"] == "none (expended)"


def test_methane_combustion_co2_per_kg_propellant_is_the_carbon_balance(drivers):
    combustion = _parameters("launch/combustion.yaml")
    m_ch4 = combustion["m_c"] + 4 * combustion["m_h"]
    co2_per_kg_fuel = (combustion["m_c"] + 2 * combustion["m_o"]) / m_ch4          # 44.01 / 16.043 = 2.743
    by_hand = co2_per_kg_fuel / (1 + combustion["of_raptor"])                       # 0.596 kg CO2 / kg propellant
    # the soot index of methane (median 0.5 g/kg) takes a little carbon from CO2: within 1 %
    assert drivers.loc["starship-v3", "combustion_per_kg_propellant"] == pytest.approx(by_hand, rel=0.01)


def test_stage_scores_add_up_and_the_explanation_gives_the_numbers(bw_project, drivers):
    from lca.analysis.launch import explain

    for name, row in drivers.iterrows():
        parts = row["combustion"] + row["propellant production"] + row["manufacture"] + row["other stages"]
        assert parts == pytest.approx(row["total"], rel=1e-9), name
    f9, ss = drivers.loc["falcon9"], drivers.loc["starship-v3"]
    footprint = bw_project.footprint("launch:leo_per_kg_f9", method="GWP100")
    assert f9["total"] == pytest.approx(footprint.score.magnitude, rel=1e-9)
    assert f9["total"] < ss["total"]
    sentence = explain(drivers.reset_index(), "falcon9", "starship-v3")
    assert sentence.startswith(f"Per kg of payload under GWP100, falcon9 ({f9['total']:.3g} kg CO2e) comes out lower "
                               f"than starship-v3 ({ss['total']:.3g})")
    assert f"It burns {f9['propellant_per_kg_payload']:.3g} kg of LOX/RP-1 per kg payload" in sentence
    assert f"against {ss['propellant_per_kg_payload']:.3g} kg of LOX/CH4" in sentence
    # the biggest stage difference is named first
    differences = {c: f9[c] - ss[c] for c in ("combustion", "propellant production", "manufacture")}
    first = max(differences, key=lambda c: abs(differences[c]))
    assert sentence.split("the difference by stage: ")[1].startswith(f"{first} {differences[first]:+.3g}")


def test_footprint_of_a_per_kg_launch_explains_it(bw_project):
    drivers, sentence = bw_project.launch_explanation("launch to LEO, Falcon 9, per kg payload")
    assert "starship-v3" in sentence and set(drivers["launcher"]) >= {"falcon9", "starship-v3", "electron"}
    assert bw_project.launch_explanation("background:electricity_FR") is None
