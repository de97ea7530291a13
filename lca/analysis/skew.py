"""Why the Monte Carlo median sits away from the central (deterministic) result: each input at its own median.

The central result puts every uncertain input at its configured value: the mode of a triangular range, the
median of a lognormal. Where ranges are right-skewed (a long upper tail above the most likely value) the
sampled median and mean of a total lie above it. This module shows by how much each input moves a system's
total when that input alone goes to the median (and to the mean) of its distribution, every other input at
its configured value. With one input varying, the total is a monotonic function of it, so "the total at the
input's median" is exactly the median of the total when only that input is sampled.

All the points are solved in one batched pass of the Monte Carlo engine (:mod:`lca.analysis.engine`): point
0 is the central configuration, then two points per input group (its median, its mean). Inputs are grouped as
for the Sobol indices (:func:`lca.analysis.sobol.candidate_inputs`: each parameter and factor on its own, the
literal exchanges of a database together). The one-at-a-time shifts need not add up to the gap between the
central result and the Monte Carlo median: the median of a sum of right-skewed terms exceeds the sum of their
medians, and products of inputs (lifetime x failure rates) compound; ``frame.attrs['summary']`` says how much
of the gap the shifts explain.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lca.analysis import engine, sampling
from lca.analysis.compare import Comparison
from lca.analysis.sobol import candidate_inputs
from lca.core import distributions
from lca.core.units import GRAMS_PER_KG
from lca.inventory import Inventory
from lca.inventory.overrides import normalise

COLUMNS = ["method", "system", "input", "distribution", "configured", "input median", "input mean", "central",
           "at input median", "shift at median", "at input mean", "shift at mean"]


def _specs(inventory: Inventory, orbit: str | None, methods) -> dict[str, tuple[dict, float, str]]:
    """Input name -> (distribution, configured value, unit) of every uncertain input."""
    out = {name: (p.uncertainty, float(p.value), p.unit)
           for name, p in sampling.uncertain_parameters(inventory, orbit).items()}
    out |= {name: (e.uncertainty, float(e.amount), e.unit)
            for name, (_, _, e) in sampling.uncertain_exchanges(inventory).items()}
    out |= {name: (f.uncertainty, float(f.amount), "") for name, (_, f) in sampling.uncertain_factors(
        inventory, methods).items()}
    return out


def _described(spec: dict, central: float, unit: str) -> str:
    kind = spec["distribution"]
    unit = f" {unit}" if unit and unit != "dimensionless" else ""
    if kind == "triangular":
        return f"triangular {spec['low']:.4g} / {central:.4g} / {spec['high']:.4g}{unit}"
    if kind == "uniform":
        return f"uniform {spec['low']:.4g}-{spec['high']:.4g}{unit}"
    if kind == "lognormal":
        return f"lognormal, median {central:.4g}{unit}, GSD {spec['gsd']:.4g}"
    return f"normal {central:.4g}{unit}, sd {spec['sd']:.4g}"


def median_shifts(inventory: Inventory, bd, comparison: Comparison, methods=None) -> pd.DataFrame:
    """Each input group at its distribution's median, then its mean, all others as configured: every system's
    total and its shift from the central total [the method's result unit: g CO2e per PFLOP-day for the climate
    methods] (columns :data:`COLUMNS`; one row per
    method x system x input group, largest shift at the median first).

    ``input median`` and ``input mean`` are given for single inputs (empty for a group of exchanges).
    ``frame.attrs['summary']`` holds, per (method, system): the central total, the sum of the shifts at the
    median and at the mean, and (when ``comparison`` carries a Monte Carlo) its median and mean.
    """
    chosen, overrides = comparison.choices, dict(comparison.overrides)
    methods = list(methods or dict.fromkeys(comparison.table["method"]))
    fixed = normalise(inventory, overrides)
    inputs = candidate_inputs(inventory, chosen, methods, fixed)
    specs = _specs(inventory, chosen.orbit, methods)
    inputs = {name: group for name, group in inputs.items() if name in specs}
    groups = sorted(set(inputs.values()))
    column = {group: 1 + 2 * i for i, group in enumerate(groups)}       # median point; mean point = + 1
    central_u, mean_u = {}, {}                  # probabilities of the configured value and of the mean
    for name in inputs:
        spec, central, _ = specs[name]
        central_u[name] = distributions.cdf(spec, central, central)
        mean_u[name] = distributions.cdf(spec, central, distributions.mean(spec, central))
    n = 1 + 2 * len(groups)

    def u(name, count):
        if name not in inputs:
            return None                                    # not reachable by these systems: stays central
        point = np.full(count, central_u[name])
        point[column[inputs[name]]] = 0.5
        point[column[inputs[name]] + 1] = mean_u[name]
        return point

    samples = sampling.draw(inventory, n, None, chosen.orbit, methods, fixed, u=u)
    model = engine.assemble(inventory, bd, chosen, overrides, samples, methods)
    scores = engine.batched_scores(model, methods)
    members = {group: [name for name, g in inputs.items() if g == group] for group in groups}
    rows, summary = [], {}
    mc = comparison.extra.get("monte_carlo")
    for method in methods:
        for system in model.systems:
            totals = scores[(system, method)] * GRAMS_PER_KG
            central = float(totals[0])
            block = []
            for group in groups:
                at_median, at_mean = (float(totals[column[group] + k]) for k in (0, 1))
                single = members[group][0] if len(members[group]) == 1 else None
                spec, value, unit = specs[single] if single else ({}, None, "")
                block.append({"method": method, "system": system, "input": group,
                              "distribution": _described(spec, value, unit) if single else
                              f"{len(members[group])} exchanges",
                              "configured": value,
                              "input median": float(distributions.ppf(spec, value, 0.5)) if single else None,
                              "input mean": distributions.mean(spec, value) if single else None,
                              "central": central, "at input median": at_median,
                              "shift at median": at_median - central, "at input mean": at_mean,
                              "shift at mean": at_mean - central})
            block.sort(key=lambda r: -abs(r["shift at median"]))
            rows += block
            entry = {"central": central, "sum of shifts at median": sum(r["shift at median"] for r in block),
                     "sum of shifts at mean": sum(r["shift at mean"] for r in block)}
            if isinstance(mc, pd.DataFrame) and len(mc):
                row = mc[(mc["system"] == system) & (mc["method"] == method)]
                if len(row):
                    entry |= {"mc median": float(row["median"].iloc[0]), "mc mean": float(row["mean"].iloc[0])}
            summary[(method, system)] = entry
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs["summary"] = summary
    return frame


#: Inputs listed per system and method in the JSON form (all of them are in the DataFrame).
LISTED = 10


def to_dict(frame: pd.DataFrame, units: dict[str, str], listed: int = LISTED) -> dict:
    """Plain data for JSON: per (method, system) its summary, in the method's result unit (``units``: method ->
    unit, e.g. ``Comparison.units``), and the ``listed`` inputs that move it most."""
    out = []
    for (method, system), entry in frame.attrs["summary"].items():
        rows = frame[(frame["method"] == method) & (frame["system"] == system)].head(listed)
        out.append({"method": method, "system": system, "unit": units[method], **entry,
                    "inputs": [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()
                                if k not in ("method", "system")} for r in rows.to_dict("records")]})
    return {"meaning": SUMMARY_MEANING, "systems": out}


#: What the shifts are, in words (JSON, CLI, report).
SUMMARY_MEANING = ("central: every input at its configured value (the mode of a triangular range, the median of a "
                   "lognormal); shift at median: the change of the total when that input alone is at the median of "
                   "its distribution (exactly the median of the total with only that input sampled); the shifts of "
                   "single inputs need not add up to the Monte Carlo median's distance from the central value, "
                   "since skewed terms summed and multiplied compound")
