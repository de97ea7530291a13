"""The year orbit wins: P(orbit lower-carbon) and P(orbit cheaper) per grid and year (``lca when``).

For each year Y of a range and each Monte Carlo sample, both systems are rebuilt by the carbon models for that
year, with

- the grid intensity on its decarbonisation path, I(Y) = I0 (1 - rate)^(Y - grid base year)
  (``terrestrial.grid_decarbonisation_rate``, or a rate per grid given by the user),
- launcher learning: the launch price per kg falls by ``outlook.launch_price_decline`` a year (not below
  ``outlook.launch_price_floor``) and the launch emissions per kg by ``outlook.launch_emissions_decline``,
- accelerator efficiency by generation: the accelerator installed in year Y draws TDP / (1 + gain)^(Y - base)
  at the same peak, price and embodied inventory (``outlook.accelerator_efficiency_gain``),

from the price base year ``cost.price_base_year``. The background matrices do not change with the year, so
each provider's score per unit is solved once per sample (:func:`lca.analysis.engine.unit_scores`) and a
system's emissions in any year are the sum of its link amounts times those unit scores: vectorised over
years x samples. Costs come from :mod:`lca.analysis.cost` on the same rebuilt systems. Every sample pairs the
carbon and cost inputs of the same seed.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lca.analysis import engine, sampling
from lca.analysis.compare import COMPARE_METHODS, Choices, build_systems, inventory_value
from lca.analysis.cost import price_names, system_costs
from lca.core.units import GRAMS_PER_KG
from lca.errors import InputError
from lca.inventory import Inventory
from lca.inventory.overrides import normalise

#: Default Monte Carlo samples per year of ``lca when`` (years x samples systems are built at once).
DEFAULT_SAMPLES = 1000
#: The probability a year must exceed to count as the year orbit wins.
THRESHOLD = 0.5
RATE_PARAMETER = "terrestrial.grid_decarbonisation_rate"


class OutlookError(InputError):
    """A year range or a grid rate that cannot be used."""


def first_year(years, probabilities, threshold: float = THRESHOLD) -> int | None:
    """The first of ``years`` whose probability exceeds ``threshold`` (None if none does) [year]."""
    above = np.flatnonzero(np.asarray(probabilities, dtype=float) > threshold)
    return int(np.asarray(years)[above[0]]) if len(above) else None


def share_lower(orbit, ground) -> np.ndarray:
    """P(orbit < ground) per year: the share of samples (last axis) in which the orbit value is lower [-]."""
    return np.mean(np.asarray(orbit) < np.asarray(ground), axis=-1)


@dataclass
class Outlook:
    """P(orbit lower-carbon) and P(orbit cheaper) per grid, method and year, and the first year each exceeds 0.5."""

    table: pd.DataFrame           # grid, method, year, p_orbit_lower_carbon, p_orbit_cheaper, medians
    first_years: pd.DataFrame     # grid, method, first_year_lower_carbon, first_year_cheaper
    n: int
    seed: int
    years: list[int]
    choices: Choices
    rates: dict

    def to_dict(self) -> dict:
        import json

        return {"accelerator": self.choices.accelerator, "launcher": self.choices.launcher,
                "orbit": self.choices.orbit, "n": self.n, "seed": self.seed, "years": self.years,
                "threshold": THRESHOLD, "grid_rates": self.rates,
                "by_year": json.loads(self.table.to_json(orient="records")),
                "first_years": json.loads(self.first_years.to_json(orient="records"))}


def _value(inventory: Inventory, name: str, values: dict):
    return values[name] if name in values else inventory_value(inventory, name, values)


def year_values(inventory: Inventory, chosen: Choices, values: dict, years: np.ndarray) -> tuple[dict, np.ndarray]:
    """Parameter values of the systems installed in ``years`` (one entry per element): the accelerator's TDP
    and the launch price per kg on their learning curves; returns them and the years elapsed since
    ``cost.price_base_year``."""
    elapsed = years - _value(inventory, "cost.price_base_year", values)
    out = dict(values)
    product = inventory.activity(inventory.catalogue.accelerators[chosen.accelerator])
    tdp = f"{product.database}:{product.code}.tdp"
    gain = _value(inventory, "outlook.accelerator_efficiency_gain", values)
    out[tdp] = values.get(tdp, product.properties["tdp"].value) / (1 + gain) ** elapsed
    launch = price_names(inventory, chosen)["launch"]
    decline = _value(inventory, "outlook.launch_price_decline", values)
    out[launch] = np.maximum(_value(inventory, "outlook.launch_price_floor", values),
                             _value(inventory, launch, values) * (1 - decline) ** elapsed)
    return out, elapsed


def when(inventory: Inventory, bd, chosen: Choices, overrides: dict | None, years: list[int], n: int = DEFAULT_SAMPLES,
         seed: int = 1, methods=COMPARE_METHODS, rates: dict[str, float] | None = None) -> Outlook:
    """P(orbit lower-carbon) per method and P(orbit cheaper), per grid of ``chosen`` and year of ``years``.

    ``rates`` maps a grid code to its own decarbonisation rate [1/year] (instead of
    ``terrestrial.grid_decarbonisation_rate``, sampled from its distribution).
    """
    if n < 2:
        raise OutlookError(f"lca when needs at least 2 samples, got {n}")
    base = inventory.parameters["terrestrial.grid_base_year"].value
    if not years or min(years) < base or max(years) > base + 100:
        raise OutlookError(f"years must lie from {base:g} (the grid data year) to {base + 100:g}, got "
                           f"{min(years) if years else '-'}-{max(years) if years else '-'}")
    rates = dict(rates or {})
    unknown = sorted(set(rates) - set(chosen.grids))
    if unknown:
        raise OutlookError(f"--rate for grid(s) {', '.join(unknown)} not among the grids compared "
                           f"({', '.join(chosen.grids)})")
    for grid, rate in rates.items():
        if not 0 <= rate < 1:
            raise OutlookError(f"--rate {grid}: a decarbonisation rate is a fraction per year in [0, 1), got {rate}")
    fixed = normalise(inventory, overrides)
    samples = sampling.draw(inventory, n, seed, chosen.orbit, methods, fixed)
    prices = sampling.draw_economic(inventory, n, seed, fixed)
    central = build_systems(inventory, chosen, fixed)
    providers = sorted({link.provider for model in central for link in model.links})
    unit = engine.unit_scores(engine.assemble(inventory, bd, chosen, overrides, samples, methods), providers, methods)

    count = len(years)
    year_of = np.repeat(np.asarray(years, dtype=float), n)          # year-major: element y * n + i
    tiled = {name: np.tile(np.asarray(v, dtype=float), count) for name, v in {**samples.parameters, **prices}.items()}
    values, elapsed = year_values(inventory, chosen, {**fixed, **tiled}, year_of)
    emissions_decline = _value(inventory, "outlook.launch_emissions_decline", values)
    launch_factor = (1 - emissions_decline) ** elapsed
    unit_tiled = {key: np.tile(v, count) for key, v in unit.items()}
    rows = []
    for grid in chosen.grids:
        grid_values = values | ({RATE_PARAMETER: rates[grid]} if grid in rates else {})
        for_grid = dataclasses.replace(chosen, grids=[grid], year=year_of)
        models = build_systems(inventory, for_grid, grid_values)
        costs = {name: sum(stages.values()) for name, stages in system_costs(inventory, for_grid, grid_values,
                                                                             models).items()}
        orbit_model, ground_model = models[0], models[1]
        shape = (count, n)
        cost_orbit = np.broadcast_to(costs[orbit_model.name], year_of.shape).reshape(shape)
        cost_ground = np.broadcast_to(costs[ground_model.name], year_of.shape).reshape(shape)
        cheaper = share_lower(cost_orbit, cost_ground)
        for method in methods:
            scores = {}
            for model in (orbit_model, ground_model):
                total = np.zeros(year_of.shape)
                for link in model.links:
                    contribution = link.amount * unit_tiled[(link.provider, method)]
                    total += contribution * launch_factor if link.role == "launch" else contribution
                scores[model.kind] = (total * GRAMS_PER_KG).reshape(shape)
            lower = share_lower(scores["orbit"], scores["terrestrial"])
            for index, year in enumerate(years):
                rows.append({"grid": grid, "method": method, "year": int(year),
                             "p_orbit_lower_carbon": float(lower[index]), "p_orbit_cheaper": float(cheaper[index]),
                             "orbit_gCO2e_median": float(np.median(scores["orbit"][index])),
                             "ground_gCO2e_median": float(np.median(scores["terrestrial"][index])),
                             "orbit_USD_median": float(np.median(cost_orbit[index])),
                             "ground_USD_median": float(np.median(cost_ground[index]))})
    table = pd.DataFrame(rows)
    firsts = []
    for (grid, method), part in table.groupby(["grid", "method"], sort=False):
        firsts.append({"grid": grid, "method": method,
                       "first_year_lower_carbon": first_year(part["year"], part["p_orbit_lower_carbon"]),
                       "first_year_cheaper": first_year(part["year"], part["p_orbit_cheaper"])})
    return Outlook(table, pd.DataFrame(firsts), n, seed, list(years), chosen, rates)
