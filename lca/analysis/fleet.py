"""Fleet scale: the annual black-carbon and alumina emissions a fleet of orbital compute implies, beside today's
global rocket totals, and a flag where the linear per-kg characterisation is stretched.

A fleet of installed IT power P delivers ``P x availability x 1 year / (IT power x accelerator time)`` PFLOP-days a
year (the orbital model's sizing of one PFLOP-day, :mod:`lca.models.orbit`); the comparison's emissions per
PFLOP-day already amortise launches, replacements and re-entries, so their product with that rate is the fleet's
steady-state emission rate. The climate and ozone factors per kg were derived at about today's loads (Ryan et al.
2022; Brown et al. 2024), so a rate above ``fleet.linear_limit_multiple`` x today's global total of the same
species and band is flagged (``inventories/parameters/fleet.yaml``).

The fleet's ozone loss is its chlorine-equivalent emission rate, every flow weighted by its ozone depletion
potential relative to chlorine's (method ``ODP-launch``, :mod:`lca.core.ozone`), times the steady-state loss of
global column ozone per emission rate of rocket chlorine that chemistry models give (``fleet.ozone_loss_per_
chlorine``: Prather et al. 1990; Li et al. 2026).
"""
from __future__ import annotations

import pint

from lca.core.flows import OUR_BIOSPHERE
from lca.core.units import Q_
from lca.inventory import Inventory
from lca.models import SystemModel

#: Species reported, by biosphere flow name.
SPECIES = {"black carbon": "Black carbon", "alumina": "Aluminium oxide, particulate"}
#: Altitude bands (flow categories' last part), lowest first.
BANDS = ("troposphere", "stratosphere", "mesosphere", "re-entry ablation")
#: The ozone method whose factors weight the flows, and its chlorine flow (kg CFC-11-eq per kg of Cl).
OZONE_METHOD, CHLORINE = "ODP-launch", ("Chlorine, reactive", "stratosphere")
#: Today's global rocket totals (parameter names) by (species, band).
GLOBAL_TOTALS = {("black carbon", "stratosphere"): "fleet.global_bc_stratosphere",
                 ("alumina", "stratosphere"): "fleet.global_alumina_stratosphere",
                 ("alumina", "re-entry ablation"): "fleet.global_alumina_reentry"}


def pflop_days_per_year(model: SystemModel, fleet_power: pint.Quantity) -> float:
    """PFLOP-days a year delivered by an orbital fleet of installed IT power ``fleet_power`` [PFLOP-day/year].

    ``model.sizing`` gives the IT power of one slot [kW], the accelerator time of one PFLOP-day [h] and the mean
    availability [-].
    """
    sizing = model.sizing
    energy = sizing["IT power"] * sizing["accelerator time"]          # IT energy per PFLOP-day
    return (fleet_power * sizing["mean availability"] * Q_(1, "year") / energy).m_as("")


def fleet_scale(inventory: Inventory, parameters: dict[str, pint.Quantity], model: SystemModel,
                flows: dict[tuple[str, str], float]) -> dict:
    """Implied annual emission rates [t/year] of black carbon and alumina by band for the fleet size
    ``fleet.orbital_compute_power``, from the orbital system's inventory ``flows`` [kg per PFLOP-day], beside
    today's global totals where published; ``stretched`` when a rate exceeds ``fleet.linear_limit_multiple`` x
    its global total."""
    power = parameters["fleet.orbital_compute_power"]
    limit = parameters["fleet.linear_limit_multiple"].m_as("")
    per_year = pflop_days_per_year(model, power)
    by_band = {(flow.name, flow.categories[-1]): key for key, flow in inventory.flows.items()
               if key[0] == OUR_BIOSPHERE}
    rates = []
    for species, flow_name in SPECIES.items():
        for band in BANDS:
            key = by_band.get((flow_name, band))
            if key is None:
                continue
            rate = flows.get(key, 0.0) * per_year / 1000.0                  # t/year
            row = {"species": species, "band": band, "t_per_year": rate, "global_t_per_year": None,
                   "global_source": None, "multiple_of_global": None, "stretched": False}
            total = GLOBAL_TOTALS.get((species, band))
            if total is not None:
                global_rate = parameters[total].m_as("t/year")
                row |= {"global_t_per_year": global_rate, "global_source": inventory.parameters[total].source,
                        "multiple_of_global": rate / global_rate, "stretched": rate > limit * global_rate}
            rates.append(row)
    stretched = [f"{r['species']} ({r['band']}) {r['multiple_of_global']:.3g} x today's global total"
                 for r in rates if r["stretched"]]
    return {"fleet_power": {"value": power.m_as("GW"), "unit": "GW"}, "pflop_days_per_year": per_year,
            "linear_limit_multiple": limit, "rates": rates, "stretched": bool(stretched),
            "ozone": ozone_loss(inventory, parameters, flows, per_year, by_band),
            "note": ("linear per-kg factors stretched: " + "; ".join(stretched) if stretched else
                     f"every implied rate is within {limit:g} x today's global totals")}


def ozone_loss(inventory: Inventory, parameters: dict[str, pint.Quantity], flows: dict[tuple[str, str], float],
               per_year: float, by_band: dict) -> dict:
    """The fleet's chlorine-equivalent emission rate above the tropopause [t/year] (each flow [kg per PFLOP-day]
    weighted by its ODP-launch factor over chlorine's) and the steady-state global column ozone loss it implies
    [%] (central values; ``fleet.ozone_loss_per_chlorine`` [% per Gg/yr])."""
    factors = {f.flow: f.amount for f in inventory.methods[OZONE_METHOD].factors}
    chlorine = factors[by_band[CHLORINE]]
    equivalent = sum(amount * factors.get(key, 0.0) for key, amount in flows.items()) / chlorine * per_year
    coefficient = parameters["fleet.ozone_loss_per_chlorine"].m_as("percent*year/Gg")
    return {"chlorine_equivalent_t_per_year": equivalent / 1000.0,
            "column_loss_percent": equivalent / 1e6 * coefficient,
            "loss_per_chlorine": {"value": coefficient, "unit": "% per Gg/yr",
                                  "source": inventory.parameters["fleet.ozone_loss_per_chlorine"].source}}
