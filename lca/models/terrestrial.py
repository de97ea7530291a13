"""Terrestrial data-centre compute per PFLOP-day.

Accelerator time follows from the functional unit and the throughput actually
achieved; electricity from node power, PUE and time; hardware and building
are amortised over their lifetimes in proportion to the time used, and the
hardware's mass is treated as electronic waste at its end of life [4]_. The
electricity comes from the grid, a PPA (hourly matched or not) and on-site gas
turbines; what travels over the grid is grossed up for its transmission and
distribution losses [3]_.

References
----------
.. [1] Patterson, D. et al. (2021). Carbon Emissions and Large Neural Network
   Training. arXiv:2104.10350 (energy = time x power x PUE).
.. [2] Faiz, A. et al. (2024). LLMCarbon: Modeling the end-to-end carbon
   footprint of large language models. ICLR 2024 (embodied share = time /
   lifetime).
.. [3] U.S. EIA (2023). How much electricity is lost in electricity transmission
   and distribution in the United States? (about 5 % in 2018-2022).
.. [4] Boavizta (2025). BoaviztAPI impact factors, data/factors.yml (GPU end of
   life: 1.51 kg CO2e per kg of equipment).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pint

from lca.core.units import Q_
from lca.models import Link, ModelError, SystemModel

#: One PFLOP-day of delivered compute [FLOP].
FUNCTIONAL_UNIT = Q_(1, "PFLOP_day")


def accelerator_time(peak: pint.Quantity, mfu: float, goodput: float,
                     work: pint.Quantity = FUNCTIONAL_UNIT) -> pint.Quantity:
    """Wall-clock accelerator time to deliver ``work``.

    Parameters
    ----------
    peak : Quantity
        Dense peak throughput at the chosen precision [FLOP/s].
    mfu : float
        Model FLOPs utilisation: achieved / peak during work [-].
    goodput : float
        Fraction of wall-clock time doing useful work [-].
    work : Quantity
        Delivered compute [FLOP]; default one PFLOP-day.

    Returns
    -------
    Quantity
        Accelerator time [hour].
    """
    return (work / (peak * mfu * goodput)).to("hour")


def node_power(tdp: pint.Quantity, node_power_overhead: float) -> pint.Quantity:
    """Power of the node share of one accelerator [kW]: TDP [W] x node overhead [-]."""
    return (tdp * node_power_overhead).to("kW")


def grid_trajectory_factor(rate: pint.Quantity, lifetime: pint.Quantity):
    """Mean of (1 - rate)^t over ``lifetime`` [-]: average grid intensity relative to today.

    Parameters
    ----------
    rate : Quantity
        Relative decline of the grid intensity per year [1/year].
    lifetime : Quantity
        Period over which the electricity is used [year].
    """
    k_years = np.asarray(np.log1p(-rate.m_as("1/year")) * lifetime.m_as("year"), dtype=float)
    safe = np.where(k_years == 0, 1.0, k_years)
    factor = np.where(k_years == 0, 1.0, np.expm1(safe) / safe)    # continuous mean of (1-r)^t, t in [0, L]
    return float(factor) if factor.ndim == 0 else factor


def electricity_supply(energy: pint.Quantity, ppa_share: float, hourly_matching: float, onsite_share: float,
                       grid_loss: float) -> dict[str, pint.Quantity]:
    """Electricity drawn from each supply for ``energy`` used at the site [kWh].

    On-site generation covers ``onsite_share`` behind the meter; the PPA covers ``ppa_share``, of
    which only ``hourly_matching`` is delivered when consumed (24/7 carbon-free energy), the rest of
    those hours falling back on the grid; the grid supplies the remainder. Grid and PPA energy is
    generated = delivered / (1 - loss) [3]_.

    Parameters
    ----------
    energy : Quantity
        Electricity used at the site [kWh].
    ppa_share, hourly_matching, onsite_share : float
        Shares of the site's electricity [-]; ppa_share + onsite_share <= 1.
    grid_loss : float
        Transmission and distribution losses, share of electricity put onto the grid [-].

    Returns
    -------
    dict
        ``grid``, ``ppa`` and ``onsite`` electricity generated [kWh].
    """
    if np.any(np.asarray(ppa_share) + np.asarray(onsite_share) > 1 + 1e-12):
        raise ModelError("terrestrial.ppa_share + terrestrial.onsite_gas_share must not exceed 1")
    matched = ppa_share * hourly_matching
    gross = 1 / (1 - grid_loss)
    return {"grid": (energy * (1 - matched - onsite_share) * gross).to("kWh"),
            "ppa": (energy * matched * gross).to("kWh"),
            "onsite": (energy * onsite_share).to("kWh")}


def system(p: dict[str, pint.Quantity], accelerator: tuple[str, str], host: tuple[str, str], peak: pint.Quantity,
           tdp: pint.Quantity, grid: tuple[str, str], grid_code: str, support: dict[str, tuple[str, str]],
           ppa: tuple[str, str] | None = None, trajectory: bool = False, year: int | None = None) -> SystemModel:
    """Exchanges of one terrestrial PFLOP-day.

    Parameters
    ----------
    p : dict
        Parameter quantities by dotted name (``compute.*``, ``terrestrial.*``).
    accelerator, host : (database, code)
        Accelerator product and its host-server share [item].
    peak : Quantity
        Dense peak throughput [FLOP/s].
    tdp : Quantity
        Accelerator thermal design power [W].
    grid : (database, code)
        Grid electricity activity [kWh].
    support : dict
        (database, code) by role of ``terrestrial_support`` in ``inventories/systems.yaml``: building [kW of
        IT capacity], onsite_generation [kWh], hardware_end_of_life [kg of hardware treated].
    ppa : (database, code), optional
        Electricity bought under a power purchase agreement [kWh], for ``terrestrial.ppa_share``.
    trajectory : bool
        Scale grid electricity by the mean decarbonisation factor over the hardware lifetime.
    year : int, optional
        Calendar year of use: grid electricity scaled by (1 - rate)^(year - terrestrial.grid_base_year).
    """
    hours = accelerator_time(peak, p["compute.mfu"].m_as(""), p["compute.goodput"].m_as(""))
    power = node_power(tdp, p["terrestrial.node_power_overhead"].m_as(""))
    energy = (power * p["terrestrial.pue"] * hours).to("kWh")
    share = (hours / p["terrestrial.hardware_lifetime"]).m_as("")
    capacity = (power / p["terrestrial.it_load_factor"]).to("kW")
    building = (capacity * hours / p["terrestrial.building_lifetime"]).to("kW")
    ppa_share = p["terrestrial.ppa_share"].m_as("")
    onsite_share = p["terrestrial.onsite_gas_share"].m_as("")
    supply = electricity_supply(energy, ppa_share, p["terrestrial.ppa_hourly_matching"].m_as(""), onsite_share,
                                p["terrestrial.grid_loss"].m_as(""))
    rate = p["terrestrial.grid_decarbonisation_rate"]
    factor = grid_trajectory_factor(rate, p["terrestrial.hardware_lifetime"]) if trajectory else 1.0
    if year is not None:
        elapsed = year - p["terrestrial.grid_base_year"].m_as("year")
        factor = factor * (1 - rate.m_as("1/year")) ** elapsed
    links = [Link(grid, supply["grid"].m_as("kWh") * factor, "operational electricity",
                  "grid electricity", role="grid")]
    if np.any(ppa_share > 0):
        if ppa is None:
            raise ModelError("terrestrial.ppa_share > 0 needs a PPA electricity source")
        links.append(Link(ppa, supply["ppa"].m_as("kWh"), "operational electricity", "PPA electricity"))
    if np.any(onsite_share > 0):
        links.append(Link(support["onsite_generation"], supply["onsite"].m_as("kWh"),
                          "operational electricity", "on-site gas turbine electricity"))
    links += [Link(accelerator, share, "accelerator and host embodied", "accelerator"),
              Link(host, share, "accelerator and host embodied", "host server share"),
              Link(support["hardware_end_of_life"], share * p["terrestrial.hardware_mass_per_accelerator"].m_as("kg"),
                   "accelerator and host embodied", "hardware end of life (WEEE treatment)"),
              Link(support["building"], building.m_as("kW"), "data-centre building",
                   "data-centre building and MEP plant")]
    sizing = {"accelerator time": hours, "node power": power, "IT capacity": capacity, "electricity": energy,
              **{f"electricity generated: {k}": v for k, v in supply.items()},
              "hardware share": Q_(share, ""), "grid trajectory factor": Q_(factor, "")}
    return SystemModel(f"terrestrial, {grid_code}", "terrestrial", links, sizing, grid=grid_code)


def on_grid(model: SystemModel, grid: tuple[str, str], grid_code: str) -> SystemModel:
    """The terrestrial system ``model`` drawing its grid electricity from ``grid`` [kWh] instead.

    Every other link and the sizing do not depend on the grid, so a comparison against many grids builds the
    system once and swaps this one provider.
    """
    links = [dataclasses.replace(link, provider=grid) if link.role == "grid" else link for link in model.links]
    return SystemModel(f"terrestrial, {grid_code}", "terrestrial", links, dict(model.sizing), grid=grid_code)
