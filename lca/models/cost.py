"""Levelised cost of compute per PFLOP-day, by cost stage, from the sizing of the carbon models.

The cost model does not size anything: it prices the quantities that :mod:`lca.models.orbit` and
:mod:`lca.models.terrestrial` put in a :class:`~lca.models.SystemModel`'s ``sizing`` (kg launched, W of array,
m^2 of radiator, accelerators per PFLOP-day, kWh of electricity...), so cost and carbon always describe the same
system, sample by sample.

Capital spent once (hardware, launch, insurance, building) is recovered over its life L with the capital
recovery factor at the discount rate r [1]_:

    CRF(r, L) = r / (1 - (1 + r)^-L)            (1 / L when r = 0)

the constant yearly payment that repays one dollar over L years. With the output delivered at a constant rate
over the life, the levelised capital cost per PFLOP-day is C x CRF / (PFLOP-days per year) = C x s x L x CRF,
where s = 1 / (PFLOP-days over the life) is the straight-line share the carbon model uses for embodied
emissions (slots or accelerators per PFLOP-day). ``L x CRF`` (:func:`levelising_factor`) is 1 at r = 0 and
grows with r. Operating costs paid as the compute is delivered (electricity, operations, downlink) levelise to
themselves [1]_.

All prices are in US dollars of 2024 (``USD_2024``, a dimension of its own in ``lca/core/units.txt``).

References
----------
.. [1] Short, W.; Packey, D.J.; Holt, T. (1995). A Manual for the Economic Evaluation of Energy Efficiency
   and Renewable Energy Technologies. NREL/TP-462-5173, sect. 4 (capital recovery factor, levelised cost).
   doi:10.2172/35391.
"""
from __future__ import annotations

import numpy as np
import pint

from lca.core.units import Q_

#: Unit of a levelised cost.
COST_UNIT = "USD_2024/PFLOP_day"
#: Parameter groups only the cost and outlook calculations read (``cost.*``, ``outlook.*``).
ECONOMIC_GROUPS = ("cost", "outlook")
#: Cost stages, orbit then ground.
ORBIT_STAGES = ("accelerators and hosts", "solar array", "radiators", "batteries", "bus and integration",
                "launch", "insurance", "ground segment and operations")
TERRESTRIAL_STAGES = ("accelerators and hosts", "data-centre building", "data-centre operations", "electricity")
COST_STAGES = tuple(dict.fromkeys(ORBIT_STAGES + TERRESTRIAL_STAGES))
#: The unit each price parameter must convert to, by name prefix (checked by :func:`unit_problems`).
EXPECTED_UNITS = {
    "cost.launch_price_": "USD_2024/kg", "cost.accelerator_price_": "USD_2024/item", "cost.host_price": "USD_2024/item",
    "cost.electricity_price_": "USD_2024/kWh", "cost.ppa_price": "USD_2024/kWh",
    "cost.onsite_generation_price": "USD_2024/kWh", "cost.space_array_price": "USD_2024/W",
    "cost.radiator_price": "USD_2024/m^2", "cost.battery_price": "USD_2024/kWh", "cost.bus_price": "USD_2024/kg",
    "cost.integration_price": "USD_2024/kg", "cost.ground_operations_price": "USD_2024/year",
    "cost.downlink_price": "USD_2024/TB", "cost.datacentre_capex": "USD_2024/kW",
    "cost.datacentre_opex": "USD_2024/kW/year", "cost.insurance_rate": "dimensionless",
    "cost.discount_rate": "1/year", "cost.price_base_year": "year", "outlook.launch_price_decline": "1/year",
    "outlook.launch_price_floor": "USD_2024/kg", "outlook.launch_emissions_decline": "1/year",
    "outlook.accelerator_efficiency_gain": "1/year",
}


def is_economic(name: str) -> bool:
    """Whether parameter ``name`` belongs to a group only cost and outlook read (:data:`ECONOMIC_GROUPS`)."""
    return name.split(".", 1)[0] in ECONOMIC_GROUPS


def expected_unit(name: str) -> str | None:
    """The unit a cost or outlook parameter must convert to (None for names the cost model does not know)."""
    return next((unit for prefix, unit in EXPECTED_UNITS.items() if name.startswith(prefix)), None)


def capital_recovery_factor(rate: pint.Quantity, life: pint.Quantity):
    """Capital recovery factor CRF = r / (1 - (1 + r)^-L) [1/year]; 1 / L at r = 0 [1]_.

    Parameters
    ----------
    rate : Quantity
        Discount rate r [1/year].
    life : Quantity
        Recovery period L [year].
    """
    r = np.asarray(rate.m_as("1/year"), dtype=float)
    years = np.asarray(life.m_as("year"), dtype=float)
    safe = np.where(r == 0, 1.0, r)
    crf = np.where(r == 0, 1.0 / years, safe / -np.expm1(-years * np.log1p(safe)))
    return Q_(float(crf) if crf.ndim == 0 else crf, "1/year")


def levelising_factor(rate: pint.Quantity, life: pint.Quantity):
    """L x CRF(r, L) [-]: levelised over straight-line capital cost per unit of output (1 at r = 0)."""
    value = (life * capital_recovery_factor(rate, life)).m_as("")
    return value


def _usd(quantity: pint.Quantity):
    return quantity.m_as("USD_2024")


def orbit_cost(sizing: dict[str, pint.Quantity], p: dict[str, pint.Quantity], accelerator_price: pint.Quantity,
               launch_price: pint.Quantity) -> dict[str, object]:
    """Levelised cost of one orbital PFLOP-day by stage [USD_2024 per PFLOP-day].

    With s slots per PFLOP-day, n replacement modules per slot, service life L and k = L x CRF(r, L):
    accelerators and hosts (P_acc + P_host) s (1 + n) k; array P_W W_BOL s k; radiators P_m2 A s k; batteries
    P_kWh E s k; bus and integration (P_bus m_bus + P_AIT (m_dry + m_resupplied)) s k; launch
    P_kg (m_launched + m_resupplied) s k; insurance = rate x (the capital stages above); ground segment and
    operations P_year x spacecraft-time + P_TB x data (paid as delivered, not levelised). Replacement modules
    are counted as capital at launch (they fly over the life: slightly conservative).

    Parameters
    ----------
    sizing : dict
        ``sizing`` of the orbital :class:`~lca.models.SystemModel` (:func:`lca.models.orbit.system`).
    p : dict
        Parameter quantities (``cost.*``).
    accelerator_price : Quantity
        Price of the accelerator [USD_2024/item].
    launch_price : Quantity
        Launch price per kg of payload to the orbit [USD_2024/kg].
    """
    s = sizing["slots per PFLOP-day"].m_as("")
    spares = sizing["replacement modules per slot"].m_as("")
    k = levelising_factor(p["cost.discount_rate"], sizing["service life"])
    per_slot = s * k
    bus_kg = sum(sizing[f"mass: {part}"] for part in ("bus structure", "avionics and communications", "shielding"))
    resupplied = sizing["mass: resupplied per slot"]
    capital = {
        "accelerators and hosts": _usd((accelerator_price + p["cost.host_price"]) * Q_(1, "item")) * (1 + spares),
        "solar array": _usd(p["cost.space_array_price"] * sizing["solar array (BOL)"]),
        "radiators": _usd(p["cost.radiator_price"] * sizing["radiator area"]),
        "batteries": _usd(p["cost.battery_price"] * sizing["battery capacity"]),
        "bus and integration": _usd(p["cost.bus_price"] * bus_kg
                                    + p["cost.integration_price"] * (sizing["mass: total"] + resupplied)),
        "launch": _usd(launch_price * (sizing["mass: launched"] + resupplied)),
    }
    out = {stage: value * per_slot for stage, value in capital.items()}
    out["insurance"] = p["cost.insurance_rate"].m_as("") * sum(out.values())
    out["ground segment and operations"] = _usd(p["cost.ground_operations_price"] * sizing["spacecraft time"]
                                                + p["cost.downlink_price"] * sizing["data downlinked"])
    return out


def terrestrial_cost(sizing: dict[str, pint.Quantity], p: dict[str, pint.Quantity], accelerator_price: pint.Quantity,
                     electricity_price: pint.Quantity) -> dict[str, object]:
    """Levelised cost of one terrestrial PFLOP-day by stage [USD_2024 per PFLOP-day].

    With h accelerators per PFLOP-day (time / hardware life L_hw), provisioned IT capacity K [kW], accelerator
    time t and building life L_b: accelerators and hosts (P_acc + P_host) h L_hw CRF(r, L_hw); building
    P_kW K t / L_b x L_b CRF(r, L_b); data-centre operations P_kW-year K t; electricity = the delivered grid
    kWh x the tariff + PPA kWh x the PPA price + on-site kWh x its price (delivered = generated x (1 - grid
    loss); the tariff is a delivered price).

    Parameters
    ----------
    sizing : dict
        ``sizing`` of a terrestrial :class:`~lca.models.SystemModel` (:func:`lca.models.terrestrial.system`).
    p : dict
        Parameter quantities (``cost.*``, ``terrestrial.*``).
    accelerator_price : Quantity
        Price of the accelerator [USD_2024/item].
    electricity_price : Quantity
        Industrial electricity price of the grid [USD_2024/kWh].
    """
    rate = p["cost.discount_rate"]
    hardware_life, building_life = p["terrestrial.hardware_lifetime"], p["terrestrial.building_lifetime"]
    share = sizing["hardware share"].m_as("")
    capacity_time = sizing["IT capacity"] * sizing["accelerator time"]          # kW x h per PFLOP-day
    delivered = 1 - p["terrestrial.grid_loss"].m_as("")
    electricity = (electricity_price * sizing["electricity generated: grid"] * delivered
                   + p["cost.ppa_price"] * sizing["electricity generated: ppa"] * delivered
                   + p["cost.onsite_generation_price"] * sizing["electricity generated: onsite"])
    return {
        "accelerators and hosts": _usd((accelerator_price + p["cost.host_price"]) * Q_(1, "item")) * share
        * levelising_factor(rate, hardware_life),
        "data-centre building": _usd(p["cost.datacentre_capex"] * capacity_time / building_life)
        * levelising_factor(rate, building_life),
        "data-centre operations": _usd(p["cost.datacentre_opex"] * capacity_time),
        "electricity": _usd(electricity),
    }
