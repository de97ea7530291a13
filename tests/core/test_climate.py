"""High-altitude climate factors derived from their physics (lca.core.climate, lca.inventory.derivations)."""
import math

import numpy as np
import pytest

from lca.core import climate
from lca.inventory import derivations, read_inventory


@pytest.fixture(scope="module")
def real():
    return read_inventory()

# IPCC AR6 WG1 Table 7.15 / 7.SM (IPCC-WG1/Chapter-7, data_input/ghg_properties/metrics_supplement.csv)
AGWP_CO2_20, AGWP_CO2_100, AGTP_CO2_100 = 2.43362e-14, 8.94651e-14, 3.94597e-16   # W m-2 yr kg-1, K kg-1
Q, D = (0.443767728883447, 0.313998206372015), (3.424102092311, 285.003477841911)  # K (W m-2)-1, yr


def test_bc_stratosphere_gwp100_matches_the_hand_calculation(real):
    # F = 7 mW m-2 per Gg/yr = 7e-3 W m-2 / 1e6 kg yr-1 = 7e-9 W m-2 yr kg-1; tau = 4 yr; efficacy 1
    # AGWP(100) = 7e-9 * (1 - exp(-100/4)) = 7e-9 * (1 - 1.39e-11) = 7.0e-9 W m-2 yr kg-1
    # GWP100 = 7.0e-9 / 8.94651e-14 = 78,243 kg CO2e per kg
    hand = 7e-9 * (1 - math.exp(-25)) / 8.94651e-14
    assert hand == pytest.approx(78243, rel=1e-4)
    factor = next(f for f in real.methods["GWP100+HA"].factors if f.flow[1] == "black_carbon_stratosphere")
    assert factor.derived.name == "bc_stratosphere"
    assert factor.amount == pytest.approx(hand, rel=1e-9)


def test_bc_stratosphere_gwp20_and_gtp100_match_the_hand_calculation(real):
    # GWP20: 7e-9 * (1 - exp(-20/4)) / 2.43362e-14 = 7e-9 * 0.993262 / 2.43362e-14 = 2.857e5
    gwp20 = 7e-9 * (1 - math.exp(-5)) / 2.43362e-14
    assert gwp20 == pytest.approx(2.857e5, rel=1e-3)
    # GTP100: AGTP = F * sum_j q_j/(tau - d_j) * (exp(-H/tau) - exp(-H/d_j))
    #   j=1: 0.44377/(4 - 3.4241) * (exp(-25) - exp(-29.205)) = 0.77058 * (1.389e-11 - 2.07e-13) = 1.05e-11
    #   j=2: 0.31400/(4 - 285.003) * (exp(-25) - exp(-0.35087)) = -1.11743e-3 * (-0.70411) = 7.8679e-4
    #   AGTP = 7e-9 * 7.8679e-4 = 5.5075e-12 K/kg; GTP100 = 5.5075e-12 / 3.94597e-16 = 1.3957e4
    gtp100 = 7e-9 * 7.8679e-4 / 3.94597e-16
    assert gtp100 == pytest.approx(1.3957e4, rel=1e-3)
    factors = {m: next(f for f in real.methods[m].factors if f.flow[1] == "black_carbon_stratosphere").amount
               for m in ("GWP20+HA", "GTP100+HA")}
    assert factors["GWP20+HA"] == pytest.approx(gwp20, rel=1e-6)
    assert factors["GTP100+HA"] == pytest.approx(gtp100, rel=1e-4)


def test_the_formulas_reproduce_ar6_metrics_of_a_short_lived_gas():
    # HFC-152a in AR6 (metrics_supplement_cleaned.csv): lifetime 1.6 yr, AGWP100 1.47e-11, GWP20 591, GTP100 29.8.
    # AR6 adds the carbon-cycle response of the non-CO2 gas (a few per cent at these horizons), which the
    # short-lived formulas omit: tolerance 5 %.
    tau = 1.6
    forcing = 1.47e-11 / (1 - math.exp(-100 / tau))       # F = RE tau [W m-2 yr kg-1]
    assert climate.co2_equivalent("GWP100", forcing, tau, 1.0, AGWP_CO2_100) == pytest.approx(164, rel=0.01)
    assert climate.co2_equivalent("GWP20", forcing, tau, 1.0, AGWP_CO2_20) == pytest.approx(591, rel=0.05)
    assert climate.co2_equivalent("GTP100", forcing, tau, 1.0, AGTP_CO2_100, Q, D) == pytest.approx(29.8, rel=0.05)


def test_efficacy_scales_the_factor_and_reaches_negative_values():
    values = climate.co2_equivalent("GWP100", 7e-9, 4.0, np.array([-0.5, 0.0, 1.0]), AGWP_CO2_100)
    assert values[0] == pytest.approx(-0.5 * values[2]) and values[1] == 0.0
    with pytest.raises(ValueError, match="unknown metric"):
        climate.co2_equivalent("GWP50", 7e-9, 4.0, 1.0, AGWP_CO2_100)


def test_derivations_take_inputs_in_their_own_units(real):
    method = real.methods["GWP100+HA"]
    factor = next(f for f in method.factors if f.flow[1] == "black_carbon_stratosphere")
    # 14 mW m-2 per Gg/yr (the high end) doubles the factor; efficacy -0.5 makes it -0.5 x
    assert derivations.evaluate(real.parameters, factor.derived, "GWP100", {"climate.bc_strat_forcing": 14.0}) \
        == pytest.approx(2 * factor.amount)
    assert derivations.evaluate(real.parameters, factor.derived, "GWP100", {"climate.bc_efficacy": -0.5}) \
        == pytest.approx(-0.5 * factor.amount)
    assert set(derivations.inputs(factor.derived, "GTP100")) >= {"climate.agtp_co2_100", "climate.irf_d2"}
