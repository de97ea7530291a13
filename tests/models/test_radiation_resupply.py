"""Radiation life and the resupply option of the orbital node (lca.models.orbit) by hand."""
import pytest

from lca.core.units import Q_
from lca.inventory import read_inventory
from lca.models import orbit


def test_tid_life_shortens_service_only_when_below_the_mission():
    """150 Gy / 1.5 Gy/yr = 100 yr > 5 yr: 5 yr; 20 Gy / 10 Gy/yr = 2 yr < 5 yr: 2 yr."""
    assert orbit.service_life(Q_(5, "year"), Q_(150, "Gy"), Q_(1.5, "Gy/year")).m_as("year") == pytest.approx(5)
    assert orbit.service_life(Q_(5, "year"), Q_(20, "Gy"), Q_(10, "Gy/year")).m_as("year") == pytest.approx(2)


def test_replacements_by_hand():
    """r = 1, lambda = 0.10 /yr, 5 yr, A = 0.975412: 0.10 x 5 x 0.975412 = 0.487706 modules per slot; r = 0: none."""
    assert orbit.replacements(Q_(0.10, "1/year"), Q_(5, "year"), 0.975412, 1.0) == pytest.approx(0.487706, rel=1e-6)
    assert orbit.replacements(Q_(0.10, "1/year"), Q_(5, "year"), 0.975412, 0.0) == 0


def _node(overrides):
    inv = read_inventory()
    p = {name: parameter.quantity for name, parameter in inv.parameters.items()}
    p.update(overrides)
    return orbit.system(p, ("gpu", "a"), ("gpu", "host"), Q_(989e12, "FLOP/s"), Q_(700, "W"), ("pv", "array"),
                        Q_(150, "Wp/kg"), ("launch", "sso_per_kg"), "test", "sso-dawn-dusk",
                        {role: tuple(ref.split(":")) for role, ref in inv.catalogue.orbit_support.items()})


def test_full_resupply_against_no_repair_by_hand():
    """Defaults: module failures 0.09 + 0.01 (radiation) = 0.10 /yr, spacecraft 0.01 /yr, 5 yr, TID life 100 yr.
    No repair: A = (1 - e^-0.55) / 0.55 = 0.769182. Full resupply: only spacecraft losses stay,
    A = (1 - e^-0.05) / 0.05 = 0.975412, so slots per PFLOP-day fall by 0.769182 / 0.975412 = 0.788572;
    0.487706 replacement modules per slot, each (12.8 + 3) kg/kW x IT power x (1 + 1.0) launched."""
    dark = _node({})
    served = _node({"orbit.resupply_fraction": Q_(1, "")})
    assert dark.sizing["mean availability"].m_as("") == pytest.approx(0.769182, rel=1e-6)
    assert served.sizing["mean availability"].m_as("") == pytest.approx(0.975412, rel=1e-6)
    ratio = served.sizing["slots per PFLOP-day"] / dark.sizing["slots per PFLOP-day"]
    assert ratio.m_as("") == pytest.approx(0.788572, rel=1e-6)
    assert served.sizing["replacement modules per slot"].m_as("") == pytest.approx(0.487706, rel=1e-6)
    it_kw = served.sizing["IT power"].m_as("kW")
    assert served.sizing["mass: resupplied per slot"].m_as("kg") == pytest.approx(0.487706 * 15.8 * 2 * it_kw, rel=1e-6)
    launch = served.link("launch").amount / served.sizing["slots per PFLOP-day"].m_as("")
    assert launch == pytest.approx(served.sizing["mass: launched"].m_as("kg") + 0.487706 * 31.6 * it_kw, rel=1e-6)
    assert dark.sizing["replacement modules per slot"].m_as("") == 0


def test_tid_wear_out_raises_the_slots_needed():
    """Tolerance 20 Gy at 10 Gy/yr: 2-yr service life, A = (1 - e^-0.22) / 0.22 = 0.897642 against 0.769182
    over 5 yr; slots per PFLOP-day x (5 x 0.769182) / (2 x 0.897642) = 2.14223."""
    base = _node({})
    worn = _node({"orbit.accelerator_tid_tolerance": Q_(20, "Gy"), "orbit.radiation_dose_rate": Q_(10, "Gy/year")})
    ratio = worn.sizing["slots per PFLOP-day"] / base.sizing["slots per PFLOP-day"]
    assert ratio.m_as("") == pytest.approx(2.14223, rel=1e-5)
