"""Levelised cost per PFLOP-day (lca.models.cost) against hand calculations."""
from __future__ import annotations

import pytest

from lca.core.units import Q_
from lca.models import cost


def test_capital_recovery_factor_matches_the_annuity_table():
    # CRF(8 %, 5 years) = 0.08 / (1 - 1.08^-5) = 0.08 / (1 - 0.680583) = 0.250456 (annuity tables: 0.25046)
    assert cost.capital_recovery_factor(Q_(0.08, "1/year"), Q_(5, "year")).m_as("1/year") == pytest.approx(0.250456,
                                                                                                           abs=1e-6)
    # r = 0: straight line, 1 / L; the levelising factor L x CRF is then exactly 1
    assert cost.capital_recovery_factor(Q_(0, "1/year"), Q_(4, "year")).m_as("1/year") == pytest.approx(0.25)
    assert cost.levelising_factor(Q_(0, "1/year"), Q_(4, "year")) == pytest.approx(1.0)


def _prices():
    return {"cost.discount_rate": Q_(0.08, "1/year"), "cost.host_price": Q_(20_000, "USD_2024/item"),
            "cost.space_array_price": Q_(100, "USD_2024/W"), "cost.radiator_price": Q_(4_000, "USD_2024/m^2"),
            "cost.battery_price": Q_(1_000, "USD_2024/kWh"), "cost.bus_price": Q_(5_000, "USD_2024/kg"),
            "cost.integration_price": Q_(1_000, "USD_2024/kg"), "cost.insurance_rate": Q_(0.05, ""),
            "cost.ground_operations_price": Q_(500_000, "USD_2024/year"), "cost.downlink_price": Q_(50, "USD_2024/TB"),
            "cost.datacentre_capex": Q_(10_000, "USD_2024/kW"), "cost.datacentre_opex": Q_(500, "USD_2024/kW/year"),
            "cost.ppa_price": Q_(0.06, "USD_2024/kWh"), "cost.onsite_generation_price": Q_(0.09, "USD_2024/kWh"),
            "terrestrial.hardware_lifetime": Q_(4, "year"), "terrestrial.building_lifetime": Q_(20, "year"),
            "terrestrial.grid_loss": Q_(0.05, "")}


def test_orbit_levelised_cost_by_hand():
    sizing = {"slots per PFLOP-day": Q_(0.002, ""), "replacement modules per slot": Q_(0.5, ""),
              "service life": Q_(5, "year"), "mass: bus structure": Q_(6, "kg"),
              "mass: avionics and communications": Q_(2, "kg"), "mass: shielding": Q_(3, "kg"),
              "mass: total": Q_(50, "kg"), "mass: resupplied per slot": Q_(4, "kg"), "mass: launched": Q_(52, "kg"),
              "solar array (BOL)": Q_(1800, "W"), "radiator area": Q_(1.5, "m^2"), "battery capacity": Q_(1.0, "kWh"),
              "spacecraft time": Q_(0.0008, "year"), "data downlinked": Q_(2, "TB")}
    got = cost.orbit_cost(sizing, _prices(), Q_(30_000, "USD_2024/item"), Q_(1_000, "USD_2024/kg"))
    # capital per slot is recovered over the 5-year service life at 8 %: k = 5 x 0.250456 = 1.252282,
    # so each dollar per slot costs s x k = 0.002 x 1.252282 = 0.00250456 dollars per PFLOP-day
    per_slot = 0.002 * 5 * 0.08 / (1 - 1.08 ** -5)
    assert per_slot == pytest.approx(0.00250456, rel=1e-5)
    expected = {
        "accelerators and hosts": (30_000 + 20_000) * (1 + 0.5) * per_slot,     # 75,000 $ per slot -> 187.84
        "solar array": 100 * 1800 * per_slot,                                     # 180,000 -> 450.82
        "radiators": 4_000 * 1.5 * per_slot,                                      # 6,000 -> 15.03
        "batteries": 1_000 * 1.0 * per_slot,                                      # 1,000 -> 2.50
        "bus and integration": (5_000 * (6 + 2 + 3) + 1_000 * (50 + 4)) * per_slot,  # 109,000 -> 273.00
        "launch": 1_000 * (52 + 4) * per_slot,                                    # 56,000 -> 140.26
    }
    expected["insurance"] = 0.05 * sum(expected.values())                         # 0.05 x 1,069.45 = 53.47
    expected["ground segment and operations"] = 500_000 * 0.0008 + 50 * 2         # 400 + 100, paid as delivered
    assert set(got) == set(cost.ORBIT_STAGES)
    for stage, value in expected.items():
        assert got[stage] == pytest.approx(value, rel=1e-9), stage
    assert sum(got.values()) == pytest.approx(1622.92, abs=0.01)                   # 1,069.45 + 53.47 + 500


def test_terrestrial_levelised_cost_by_hand():
    sizing = {"hardware share": Q_(0.0015, ""), "accelerator time": Q_(60, "hour"), "IT capacity": Q_(1.6, "kW"),
              "electricity generated: grid": Q_(100, "kWh"), "electricity generated: ppa": Q_(0, "kWh"),
              "electricity generated: onsite": Q_(0, "kWh")}
    got = cost.terrestrial_cost(sizing, _prices(), Q_(30_000, "USD_2024/item"), Q_(0.10, "USD_2024/kWh"))
    year_hours = 365.25 * 24                                                       # pint's year: 8,766 h
    crf4, crf20 = 0.08 / (1 - 1.08 ** -4), 0.08 / (1 - 1.08 ** -20)               # 0.301921, 0.101852
    expected = {
        # 50,000 $ of accelerator and host x 0.0015 accelerators per PFLOP-day x 4 years x CRF(8 %, 4) = 90.58
        "accelerators and hosts": 50_000 * 0.0015 * 4 * crf4,
        # 10,000 $/kW x 1.6 kW x 60 h / (20 x 8,766 h) = 5.476, x 20 x CRF(8 %, 20) = 2.037 -> 11.15
        "data-centre building": 10_000 * 1.6 * 60 / (20 * year_hours) * 20 * crf20,
        "data-centre operations": 500 * 1.6 * 60 / year_hours,                     # 5.48
        "electricity": 0.10 * 100 * (1 - 0.05),                                     # delivered kWh x tariff = 9.50
    }
    assert crf4 == pytest.approx(0.301921, abs=1e-6) and crf20 == pytest.approx(0.101852, abs=1e-6)
    assert set(got) == set(cost.TERRESTRIAL_STAGES)
    for stage, value in expected.items():
        assert got[stage] == pytest.approx(value, rel=1e-9), stage
    assert sum(got.values()) == pytest.approx(90.576 + 11.154 + 5.476 + 9.5, abs=0.002)


def test_every_cost_stage_is_named_once():
    assert len(cost.COST_STAGES) == len(set(cost.COST_STAGES))
    assert set(cost.ORBIT_STAGES) | set(cost.TERRESTRIAL_STAGES) == set(cost.COST_STAGES)
