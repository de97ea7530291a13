"""Worst-season eclipse geometry (lca.models.eclipse) against hand calculations."""
import math

import numpy as np
import pytest

from lca.core.units import Q_
from lca.inventory import read_inventory
from lca.models.eclipse import eclipse_fraction, orbital_period

R = Q_(6378.137, "km")
GM = Q_(398600.4418, "km^3/s^2")


def test_period_of_a_650_km_orbit_by_hand():
    """T = 2 pi sqrt(7028.137^3 / 398600.4418) s = 5863.69 s = 97.728 min."""
    assert orbital_period(Q_(650, "km"), R, GM).m_as("minute") == pytest.approx(97.728, abs=0.001)


def test_dawn_dusk_worst_season_eclipse_by_hand():
    """h = 650 km, beta = 58.6 deg: sqrt(650^2 + 2 x 6378.137 x 650) = 2951.96 km;
    (R + h) cos beta = 7028.137 x 0.52101 = 3661.73 km; arccos(0.80617) = 0.63315 rad; / pi = 0.20154.
    Longest eclipse 0.20154 x 97.728 min = 19.70 min."""
    f = eclipse_fraction(Q_(650, "km"), Q_(58.6, "degree"), R)
    assert f == pytest.approx(0.20154, abs=2e-5)
    assert f * orbital_period(Q_(650, "km"), R, GM).m_as("minute") == pytest.approx(19.70, abs=0.01)


def test_no_eclipse_above_the_critical_beta_and_the_beta_zero_identity():
    """beta* = arcsin(6378.137 / 7028.137) = 65.16 deg; at beta = 0, f = arcsin(R / (R + h)) / pi."""
    assert eclipse_fraction(Q_(650, "km"), Q_(65.2, "degree"), R) == 0.0
    assert eclipse_fraction(Q_(650, "km"), Q_(65.1, "degree"), R) > 0.0
    assert eclipse_fraction(Q_(550, "km"), Q_(0, "degree"), R) == pytest.approx(
        math.asin(6378.137 / 6928.137) / math.pi, rel=1e-12)            # 0.37337 rad / pi = 0.11885
    betas = Q_(np.array([0.0, 30.0, 58.6, 80.0]), "degree")
    f = eclipse_fraction(Q_(650, "km"), betas, R)
    assert f[0] > f[1] > f[2] > f[3] == 0.0                             # array input, monotone in |beta|


def test_each_orbit_option_reports_the_eclipse_its_worst_beta_gives():
    """The option's longest-eclipse figure (checked against the full-year geometry in
    tests/inventories) equals f_e(worst_season_beta) x period within 0.2 min."""
    inv = read_inventory()
    for name, option in inv.options["orbit"].items():
        p = {k: v.quantity for k, v in option.parameters.items()}
        f = eclipse_fraction(p["orbit.altitude"], p["orbit.worst_season_beta"], R)
        minutes = f * orbital_period(p["orbit.altitude"], R, GM).m_as("minute")
        assert minutes == pytest.approx(p["orbit.eclipse_max_duration"].m_as("minute"), abs=0.2), name
