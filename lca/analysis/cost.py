"""Cost per PFLOP-day of each system of a comparison, and the cost of the carbon avoided by going to orbit.

The prices are parameters (``inventories/parameters/cost.yaml``); :mod:`lca.models.cost` prices the sizing of
the very system models the carbon comparison solved. In a Monte Carlo run the systems are rebuilt from the same
sampled parameter vectors as the carbon run (:class:`lca.analysis.sampling.Samples`) and the prices are drawn
from their own seeded streams (:func:`lca.analysis.sampling.draw_economic`), so sample i of a cost and sample i
of an emission describe the same system: the differences and ratios below are taken sample by sample.

Cost of carbon avoided, per grid and method [USD_2024 per t CO2e]::

    (cost orbit - cost ground) / (emissions ground - emissions orbit)

Its sign alone does not say what happened; :data:`QUADRANTS` puts it in words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lca.analysis import sampling
from lca.analysis.compare import Choices, Comparison, build_systems, parameter_values
from lca.analysis.montecarlo import INTERVAL
from lca.core.units import UnitError, conversion_factor
from lca.errors import InputError
from lca.inventory import Inventory
from lca.models import SystemModel
from lca.models import cost as model
from lca.models.cost import COST_UNIT

#: Unit of the cost of carbon avoided.
ABATEMENT_UNIT = "USD_2024/tCO2e"
#: Grams of CO2e per tonne (the comparison's results are in g CO2e per PFLOP-day).
GRAMS_PER_TONNE = 1e6

#: (orbit dearer?, orbit lower-carbon?) -> the sign of the cost of carbon avoided in words.
QUADRANTS = {
    (False, True): "orbit cheaper and cleaner: the carbon is avoided at a saving (a negative cost per tonne)",
    (True, True): "orbit dearer and cleaner: the cost per tonne of CO2e avoided (compare with a carbon price)",
    (False, False): "orbit cheaper and dirtier: a saving per tonne of CO2e added, not an abatement cost",
    (True, False): "orbit dearer and dirtier: nothing is avoided (a negative ratio; the ground is better on both)",
}
#: Short names of the quadrants, for tables.
QUADRANT_NAMES = {(False, True): "cheaper and cleaner", (True, True): "dearer and cleaner",
                  (False, False): "cheaper and dirtier", (True, False): "dearer and dirtier"}


class CostError(InputError):
    """A missing price, or a price whose unit is not a currency per what it prices."""


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", name)


def check_units(inventory: Inventory) -> None:
    """Every cost and outlook parameter converts to its expected unit (:data:`lca.models.cost.EXPECTED_UNITS`);
    raises :class:`CostError` naming the file, the parameter and the field."""
    problems = []
    for name, parameter in inventory.parameters.items():
        expected = model.expected_unit(name)
        if expected is None or not parameter.is_numeric:
            continue
        try:
            conversion_factor(parameter.unit or "dimensionless", expected)
        except UnitError as err:
            problems.append(f"{parameter.file}: parameter '{name}': field 'unit': '{parameter.unit}' does not "
                            f"convert to '{expected}' ({err}); a price is a currency such as USD_2024 per what it "
                            "prices")
    if problems:
        raise CostError("\n".join(problems))


def price_names(inventory: Inventory, chosen: Choices) -> dict[str, str]:
    """The parameters that price the choices: ``accelerator``, ``launch`` and ``electricity <GRID>`` -> name.

    A grid without its own ``cost.electricity_price_<GRID>`` takes ``cost.electricity_price_default``; an
    accelerator or launcher without a price is a :class:`CostError` saying which parameter to add.
    """
    names = {"accelerator": f"cost.accelerator_price_{_slug(chosen.accelerator)}",
             "launch": f"cost.launch_price_{_slug(chosen.launcher)}"}
    for kind, name in names.items():
        if name not in inventory.parameters:
            what = chosen.accelerator if kind == "accelerator" else chosen.launcher
            unit = "USD_2024/item" if kind == "accelerator" else "USD_2024/kg"
            raise CostError(f"no price for {kind} '{what}': add parameter '{name}' [{unit}] with a source to "
                            "inventories/parameters/cost.yaml")
    for grid in chosen.grids:
        own = f"cost.electricity_price_{_slug(grid)}"
        names[f"electricity {grid}"] = own if own in inventory.parameters else "cost.electricity_price_default"
    return names


def cost_parameters(inventory: Inventory, chosen: Choices) -> set[str]:
    """Names of the parameters the cost of ``chosen`` reads (for the unused-override check)."""
    chosen_prices = set(price_names(inventory, chosen).values())
    specific = ("cost.launch_price_", "cost.accelerator_price_", "cost.electricity_price_")
    return {name for name in inventory.parameters if name.startswith("cost.")
            and (name in chosen_prices or not name.startswith(specific))}


def system_costs(inventory: Inventory, chosen: Choices, values: dict, systems: list[SystemModel]) -> dict:
    """Cost by stage of each system [USD_2024 per PFLOP-day]: system name -> stage -> value (float, or an array
    when ``values`` holds samples); ``systems`` are the models built from the same ``values``."""
    check_units(inventory)
    names = price_names(inventory, chosen)
    p = parameter_values(inventory, chosen, values)
    out = {}
    for system in systems:
        if system.kind == "orbit":
            out[system.name] = model.orbit_cost(system.sizing, p, p[names["accelerator"]], p[names["launch"]])
        else:
            out[system.name] = model.terrestrial_cost(system.sizing, p, p[names["accelerator"]],
                                                      p[names[f"electricity {system.grid}"]])
    return out


def abatement_cost(cost_orbit, cost_ground, emissions_orbit, emissions_ground):
    """Cost of the carbon avoided by orbit [USD_2024 per t CO2e]; NaN where the emissions are equal.

    Parameters
    ----------
    cost_orbit, cost_ground : float or array
        Levelised cost per PFLOP-day [USD_2024].
    emissions_orbit, emissions_ground : float or array
        Emissions per PFLOP-day [g CO2e].
    """
    avoided = (np.asarray(emissions_ground, dtype=float) - np.asarray(emissions_orbit, dtype=float)) / GRAMS_PER_TONNE
    extra = np.asarray(cost_orbit, dtype=float) - np.asarray(cost_ground, dtype=float)
    ratio = np.divide(extra, avoided, out=np.full(np.broadcast(extra, avoided).shape, np.nan), where=avoided != 0)
    return float(ratio) if ratio.ndim == 0 else ratio


def quadrant(cost_orbit: float, cost_ground: float, emissions_orbit: float, emissions_ground: float) -> tuple:
    """(orbit dearer?, orbit lower-carbon?): the key of :data:`QUADRANTS`."""
    return bool(cost_orbit > cost_ground), bool(emissions_orbit < emissions_ground)


@dataclass
class CostResult:
    """Levelised cost per PFLOP-day of each system of a comparison and the cost of the carbon avoided."""

    table: pd.DataFrame                         # system, kind, grid, stage, value, unit (central values)
    abatement: pd.DataFrame                     # one row per grid and method
    samples: dict[str, np.ndarray] | None = None   # system -> Monte Carlo totals [USD_2024/PFLOP-day]
    n: int | None = None
    seed: int | None = None
    orbit: str = ""
    extra: dict = field(default_factory=dict)

    def totals(self) -> pd.Series:
        """Central total per system [USD_2024 per PFLOP-day]."""
        return self.table.groupby("system", sort=False)["value"].sum()

    def stage_matrix(self) -> pd.DataFrame:
        """Central cost by stage, one row per system, one column per stage [USD_2024 per PFLOP-day]."""
        matrix = self.table.pivot_table(index="system", columns="stage", values="value", aggfunc="sum", sort=False)
        stages = [s for s in model.COST_STAGES if s in matrix.columns]
        return matrix[stages].fillna(0.0)

    def summary(self) -> pd.DataFrame:
        """One row per system: central total, Monte Carlo median and 5-95 % interval, P(orbit cheaper)."""
        totals = self.totals()
        kinds = self.table.drop_duplicates("system").set_index("system")
        rows = []
        for system, central in totals.items():
            row = {"system": system, "kind": kinds.loc[system, "kind"], "grid": kinds.loc[system, "grid"],
                   "central": float(central), "median": None, "p5": None, "p95": None, "p_orbit_cheaper": None,
                   "unit": COST_UNIT}
            if self.samples is not None:
                values = self.samples[system]
                row |= {"median": float(np.median(values)), "p5": float(np.percentile(values, INTERVAL[0])),
                        "p95": float(np.percentile(values, INTERVAL[1]))}
                if system != self.orbit:
                    row["p_orbit_cheaper"] = float(np.mean(self.samples[self.orbit] < values))
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        import json

        return {"unit": COST_UNIT, "abatement_unit": ABATEMENT_UNIT, "n": self.n, "seed": self.seed,
                "systems": json.loads(self.summary().to_json(orient="records")),
                "by_stage": {system: {stage: float(v) for stage, v in row.items()}
                             for system, row in self.stage_matrix().iterrows()},
                "abatement": json.loads(self.abatement.to_json(orient="records"))}


def cost_samples(inventory: Inventory, chosen: Choices, fixed: dict, samples: sampling.Samples) -> dict:
    """Total cost of each system for every sample [USD_2024 per PFLOP-day]: system name -> (n,) array.

    The systems are rebuilt from the carbon run's sampled parameters (``samples``, drawn by
    :func:`lca.analysis.sampling.draw`), so sample i is the system whose emissions are sample i of that run; the
    prices come from :func:`lca.analysis.sampling.draw_economic` with the same seed; ``fixed`` overrides apply to
    every sample.
    """
    values = {**fixed, **samples.parameters, **sampling.draw_economic(inventory, samples.n, samples.seed, fixed)}
    sampled = system_costs(inventory, chosen, values, build_systems(inventory, chosen, values))
    return {name: np.broadcast_to(sum(stages.values()), (samples.n,)).astype(float) for name, stages in sampled.items()}


def _abatement_rows(comparison: Comparison, costs: dict, cost_samples: dict | None, methods) -> list[dict]:
    run = comparison.extra.get("monte_carlo_run")
    orbit = comparison.orbit.name
    rows = []
    for method in methods:
        totals = comparison.totals(method)
        for ground in comparison.terrestrial:
            c_o, c_g = sum(costs[orbit].values()), sum(costs[ground.name].values())
            e_o, e_g = totals[orbit], totals[ground.name]
            key = quadrant(c_o, c_g, e_o, e_g)
            row = {"grid": ground.grid, "system": ground.name, "method": method,
                   "cost_difference": c_o - c_g, "emissions_avoided": (e_g - e_o) / GRAMS_PER_TONNE,
                   "central": abatement_cost(c_o, c_g, e_o, e_g), "sign": QUADRANT_NAMES[key],
                   "meaning": QUADRANTS[key], "median": None, "p5": None, "p95": None, "median_where_cleaner": None,
                   **{f"share {name}": None for name in QUADRANT_NAMES.values()}, "unit": ABATEMENT_UNIT}
            if cost_samples is not None and run is not None and (orbit, method) in run.scores:
                s_o, s_g = cost_samples[orbit], cost_samples[ground.name]
                m_o, m_g = run.scores[(orbit, method)], run.scores[(ground.name, method)]
                ratio = abatement_cost(s_o, s_g, m_o, m_g)
                finite = ratio[np.isfinite(ratio)]
                if len(finite):
                    row |= {"median": float(np.median(finite)), "p5": float(np.percentile(finite, INTERVAL[0])),
                            "p95": float(np.percentile(finite, INTERVAL[1]))}
                dearer, cleaner = s_o > s_g, m_o < m_g
                if np.any(cleaner := (m_o < m_g) & np.isfinite(ratio)):    # the abatement cost where there is one
                    row["median_where_cleaner"] = float(np.median(ratio[cleaner]))
                for (d, c), name in QUADRANT_NAMES.items():
                    row[f"share {name}"] = float(np.mean((dearer == d) & (cleaner == c)))
            rows.append(row)
    return rows


def cost_of(inventory: Inventory, comparison: Comparison) -> CostResult:
    """Cost of every system of ``comparison`` (central, and Monte Carlo when the comparison has a run) and the
    cost of the carbon avoided for each grid and method of the comparison."""
    chosen = comparison.choices
    costs = system_costs(inventory, chosen, comparison.overrides, comparison.systems)
    rows = [{"system": system.name, "kind": system.kind, "grid": system.grid, "stage": stage, "value": float(value),
             "unit": COST_UNIT}
            for system in comparison.systems for stage, value in costs[system.name].items()]
    run = comparison.extra.get("monte_carlo_run")
    samples = None
    if run is not None and run.inputs is not None:
        samples = cost_samples(inventory, chosen, comparison.overrides, run.inputs)
    methods = list(dict.fromkeys(comparison.table["method"]))
    abatement = pd.DataFrame(_abatement_rows(comparison, costs, samples, methods))
    return CostResult(pd.DataFrame(rows), abatement, samples, run.n if run else None, run.seed if run else None,
                      comparison.orbit.name)
