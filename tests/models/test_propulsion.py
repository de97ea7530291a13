"""Drag make-up, disposal and propellant (lca.models.propulsion, lca.models.orbit.mission_delta_v) by hand."""
import pytest

from lca.core.units import Q_
from lca.inventory import read_inventory
from lca.models.orbit import mission_delta_v
from lca.models.propulsion import disposal_delta_v, drag_makeup_delta_v, exponential_density, propellant_mass

R = Q_(6378.137, "km")
GM = Q_(398600.4418, "km^3/s^2")


def test_vallado_density_at_650_km_by_hand():
    """600-700 km band: 1.454e-13 x exp(-50 / 71.835) = 1.454e-13 x 0.498556 = 7.2490e-14 kg/m^3."""
    rho = exponential_density(Q_(650, "km"), Q_(600, "km"), Q_(1.454e-13, "kg/m^3"), Q_(71.835, "km"))
    assert rho.m_as("kg/m^3") == pytest.approx(7.2490e-14, rel=1e-4)


def test_drag_makeup_per_year_by_hand():
    """v^2 = 398600.4418 / 7028.137 km^2/s^2 = 5.67150e7 m^2/s^2; a = 7.2490e-14 x 5.67150e7 / (2 x 50)
    = 4.1113e-8 m/s^2; x 3.15576e7 s (one Julian year) = 1.2974 m/s per year."""
    dv = drag_makeup_delta_v(Q_(7.2490e-14, "kg/m^3"), Q_(650, "km"), Q_(50, "kg/m^2"), R, GM)
    assert dv.m_as("m/s/year") == pytest.approx(1.2974, rel=1e-4)


def test_disposal_burn_to_a_50_km_perigee_by_hand():
    """v_c = sqrt(398600.4418 / 7028.137) = 7.53093 km/s; at apogee of the 7028.137 x 6428.137 km ellipse
    v_a = sqrt(GM x 2 x 6428.137 / (7028.137 x 13456.274)) = 7.36112 km/s; dv = 169.81 m/s."""
    dv = disposal_delta_v(Q_(650, "km"), Q_(50, "km"), R, GM)
    assert dv.m_as("m/s") == pytest.approx(169.81, abs=0.01)
    assert disposal_delta_v(Q_(650, "km"), Q_(650, "km"), R, GM).m_as("m/s") == pytest.approx(0, abs=1e-9)


def test_rocket_equation_by_hand():
    """1000 kg dry, 176.30 m/s: at 1500 s, 1000 x (exp(176.30 / 14709.975) - 1) = 12.057 kg;
    at 220 s (hydrazine), 1000 x (exp(176.30 / 2157.463) - 1) = 85.148 kg."""
    g0 = Q_(9.80665, "m/s^2")
    assert propellant_mass(Q_(1000, "kg"), Q_(176.30, "m/s"), Q_(1500, "s"), g0).m_as("kg") == pytest.approx(12.057, abs=0.002)
    assert propellant_mass(Q_(1000, "kg"), Q_(176.30, "m/s"), Q_(220, "s"), g0).m_as("kg") == pytest.approx(85.148, abs=0.002)


def test_default_mission_delta_v_is_five_years_of_drag_plus_disposal():
    """Shipped defaults (SSO 650 km, B = 50 kg/m^2, factor 1, 5 years, perigee 50 km):
    5 x 1.2974 + 169.81 = 176.30 m/s."""
    inv = read_inventory()
    p = {name: parameter.quantity for name, parameter in inv.parameters.items()}
    assert mission_delta_v(p).m_as("m/s") == pytest.approx(176.30, abs=0.02)
