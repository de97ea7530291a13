"""Ozone depletion potentials of launch emissions: the derivation by hand, and the shipped method is that derivation."""
from __future__ import annotations

import pytest

from lca.core.ozone import direct_injection_odp, launch_odp_factors
from lca.core.units import Q_
from lca.inventory import read_inventory


@pytest.fixture(scope="module")
def inventory():
    return read_inventory()


def test_direct_injection_odp_by_hand():
    # HCl: (1/3) x (137.37 / 36.46) x 3 yr / (0.47 x 52 yr x 0.15) = 1.2559 x 0.81833 = 1.0277
    value = direct_injection_odp(1, Q_(36.46, "g/mol"), Q_(3, "year"), 0.47, Q_(52, "year"), 0.15,
                                 Q_(137.37, "g/mol"))
    assert value == pytest.approx(1.0277, rel=1e-4)
    # CFC-11 itself, injected with its own lifetime and f = s = 1 and 3 Cl: ODP 1 by construction
    assert direct_injection_odp(3, Q_(137.37, "g/mol"), Q_(52, "year"), 1.0, Q_(52, "year"), 1.0,
                                Q_(137.37, "g/mol")) == pytest.approx(1.0)
    # units are converted, not assumed: months against years
    assert direct_injection_odp(1, Q_(36.46, "g/mol"), Q_(36, "month"), 0.47, Q_(52, "year"), 0.15,
                                Q_(137.37, "g/mol")) == pytest.approx(1.0277, rel=1e-4)


def test_chlorine_range_by_hand(inventory):
    factors = launch_odp_factors(inventory.parameters)
    hcl = factors[("Hydrogen chloride", "air::stratosphere")]
    # low: 1 yr residence, f 0.6, 67 yr, s 0.2; high: 5 yr, f 0.35, 43 yr, s 0.1
    assert hcl.low == pytest.approx(1.2559 * 1 / (0.6 * 67 * 0.2), rel=1e-3)
    assert hcl.high == pytest.approx(1.2559 * 5 / (0.35 * 43 * 0.1), rel=1e-3)
    assert hcl.central == pytest.approx(1.0277, rel=1e-3)
    # NOx above 50 km: relative efficiency 0.3 x survival 0.5 x HCl ODP
    assert factors[("Nitrogen oxides", "air::re-entry ablation")].central == pytest.approx(0.15 * 1.0277, rel=1e-3)


def test_method_factors_are_the_derivation(inventory):
    """Every launch factor of ODP-launch (numbers in methods.yaml) equals lca.core.ozone's computation to the
    three significant figures written there, central value and range."""
    method = inventory.methods["ODP-launch"]
    by_flow = {(inventory.flows[f.flow].name, "::".join(inventory.flows[f.flow].categories)): f
               for f in method.factors}
    derived = launch_odp_factors(inventory.parameters)
    assert set(by_flow) == set(derived)
    for key, expected in derived.items():
        factor = by_flow[key]
        assert factor.amount == pytest.approx(expected.central, rel=5e-3, abs=1e-6), key
        assert factor.uncertainty["low"] == pytest.approx(expected.low, rel=5e-3, abs=1e-6), key
        assert factor.uncertainty["high"] == pytest.approx(expected.high, rel=5e-3, abs=1e-6), key
    assert method.unit == "kg CFC-11-Eq"


def test_alumina_share_of_a_solid_motor_is_jackman_1998s_third(inventory):
    """Jackman et al. 1998 (GRL 25:907, as summarised by Finlayson-Pitts and Pitts 2000, ch. 12): of the global
    ozone loss from Shuttle and Titan solid motors, two-thirds is from the HCl and one-third from the alumina.
    Per kg of our AP/Al/HTPB propellant burnt above the tropopause (inventories/launch/combustion.yaml), the
    ODP-launch factors must split the same way: alumina share 1/3, tolerance 0.04 absolute (the Al fraction's
    range 0.16-0.19 moves the share 0.31-0.35; the factor was derived from a Shuttle-family composition).
    Fails if the alumina factor, the chlorine factor or the propellant composition drift apart."""
    launch = inventory.databases["launch"].parameters
    m = {k: launch[f"m_{k}"].value for k in ("n", "h", "cl", "o", "al")}
    ap = launch["solid_ap_frac"].value
    al = launch["solid_al_frac"].value
    cl_per_kg = ap * m["cl"] / (m["n"] + 4 * m["h"] + m["cl"] + 4 * m["o"])      # kg Cl per kg propellant
    al2o3_per_kg = al * (2 * m["al"] + 3 * m["o"]) / (2 * m["al"])                # kg Al2O3 per kg propellant
    assert 0.20 < cl_per_kg < 0.22 and 0.30 < al2o3_per_kg < 0.36
    factors = launch_odp_factors(inventory.parameters)
    chlorine = cl_per_kg * factors[("Chlorine, reactive", "air::stratosphere")].central
    alumina = al2o3_per_kg * factors[("Aluminium oxide, particulate", "air::stratosphere")].central
    assert alumina / (alumina + chlorine) == pytest.approx(1 / 3, abs=0.04)
