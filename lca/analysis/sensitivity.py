"""One-at-a-time sensitivity (tornado) of a comparison to its main parameters.

Each main parameter is set to the low and then the high end of its
uncertainty distribution (:meth:`lca.core.parameters.Parameter.bounds`: the range
of a triangular or uniform distribution, the central 95 % of a normal or
lognormal one, clipped to the parameter's limits), all others as configured,
and every system is solved again.

A parameter that no inventory formula uses changes only the system models
(sizing, masses, energy), not the Brightway matrices; the systems are then
rebuilt and scored with the unit scores of their providers, which is exact
because the results are linear in the exchange amounts of the system
activities. A parameter used by inventory formulas (launcher reuse counts,
radiator areal mass, ...) is run through :func:`lca.analysis.compare.compare` with
the override.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from lca.analysis import sampling
from lca.analysis.compare import Choices, Comparison, build_systems, compare, linear_score
from lca.brightway.calculation import Calculator
from lca.core.parameters import Parameter, formula_name, names_in
from lca.core.units import GRAMS_PER_KG
from lca.inventory import Inventory
from lca.inventory.overrides import qualified_parameters
from lca.models import ModelError
from lca.models.cost import is_economic

COLUMNS = ["parameter", "label", "unit", "value", "low", "high", "system", "kind", "method", "base", "at_low", "at_high",
           "delta_low", "delta_high", "swing", "path", "note"]


def main_parameters(inventory: Inventory, chosen: Choices) -> list[str]:
    """The shared parameters that carry an uncertainty (anchors excluded), the chosen launcher's reuse
    counts, the material drivers of the catalogue (``defaults: drivers`` in ``systems.yaml``: database
    parameters whose Sobol total index exceeds 0.05), and the custom grid intensity when the ``custom`` grid is
    compared."""
    names = [name for name, p in inventory.parameters.items()
             if p.is_numeric and p.uncertainty.get("distribution", "none") != "none" and "anchor" not in name
             and not is_economic(name)]
    names += list(inventory.catalogue.launchers[chosen.launcher].reuse_parameters)
    names += [name for name in inventory.catalogue.defaults.drivers if name not in names]
    if "custom" in chosen.grids:
        names.append("background.custom_grid_intensity")
    return names


#: Characters of a parameter's description kept in its label, and the fewest before a second sentence is added.
LABEL_WORDS = 70
MIN_LABEL = 20


def label(p: Parameter, low: float, high: float, name: str = "") -> str:
    """A parameter in words, with unit and range: the first sentence of its description without asides in
    brackets (shortened; ``name`` where there is none), then '[unit], low to high' ('Flights per Starship ship
    [dimensionless], 5 to 100')."""
    text = re.sub(r"\s*\([^()]*\)", "", " ".join(str(p.description).split()))
    sentences = text.split(". ")
    words = sentences[0] if len(sentences[0]) >= MIN_LABEL or len(sentences) == 1 else ". ".join(sentences[:2])
    words = words.rstrip(".") or name
    if len(words) > LABEL_WORDS:
        words = words[:LABEL_WORDS].rsplit(" ", 1)[0] + " ..."

    def number(x: float) -> str:
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"
    return f"{words} [{p.unit or 'dimensionless'}], {number(low)} to {number(high)}"


def parameter(inventory: Inventory, chosen: Choices, name: str) -> Parameter:
    """The parameter as the configuration sees it (the chosen orbit's option replaces a shared default)."""
    option = inventory.options.get("orbit", {}).get(chosen.orbit)
    if option is not None and name in option.parameters:
        return option.parameters[name]
    return qualified_parameters(inventory)[name]


def default_value(inventory: Inventory, chosen: Choices, name: str) -> float:
    """Value of ``name`` under the configuration, before overrides [its unit]."""
    return float(parameter(inventory, chosen, name).value)


def bounds(inventory: Inventory, chosen: Choices, name: str) -> tuple[float, float]:
    """Low and high value of ``name`` from its distribution, within its limits [its unit]."""
    p = parameter(inventory, chosen, name)
    low, high = (float(v) for v in p.bounds())
    lower, upper = qualified_parameters(inventory)[name].limits
    if lower is not None:
        low, high = max(low, lower), max(high, lower)
    if upper is not None:
        low, high = min(low, upper), min(high, upper)
    return low, high


def _matrix_names(inventory: Inventory) -> set[str]:
    """Formula names that some inventory formula uses (changing them changes the matrices)."""
    used: set[str] = set()
    for activity in inventory.activities():
        used |= {n for e in activity.exchanges if e.is_formula for n in names_in(e.formula)}
        used |= {n for p in activity.properties.values() if not p.is_numeric for n in _names(p.value)}
    for database in inventory.databases.values():
        used |= {n for p in database.parameters.values() if not p.is_numeric for n in _names(p.value)}
    used |= {n for p in inventory.parameters.values() if not p.is_numeric for n in _names(p.value)}
    return used


def _names(text: str) -> frozenset[str]:
    try:
        return names_in(text)
    except Exception:       # a text property that is not a formula (a name, a location)
        return frozenset()


def tornado(inventory: Inventory, bd, comparison: Comparison, names: list[str] | None = None,
            methods=None) -> pd.DataFrame:
    """Totals of every system at the low and high value of each parameter [g CO2e per PFLOP-day].

    One row per parameter x system x method (columns :data:`COLUMNS`);
    ``delta_low``/``delta_high`` are changes from the configured result,
    ``swing`` is ``|at_high - at_low|``; ``path`` says how the point was
    solved (``system model`` or ``full``); rows are sorted by method, system
    and decreasing swing.
    """
    chosen, values = comparison.choices, dict(comparison.overrides)
    methods = tuple(methods or dict.fromkeys(comparison.table["method"]))
    names = list(dict.fromkeys(names if names is not None else main_parameters(inventory, chosen)))
    climate = sampling.derived_inputs(inventory, inventory.methods)   # inputs of derived factors: they change
    names = [n for n in names if n not in climate - sampling.derived_inputs(inventory, methods)]   # the factors
    matrix = _matrix_names(inventory) | {formula_name(n) for n in climate}
    known = qualified_parameters(inventory)
    base = {m: comparison.totals(m) for m in methods}
    kinds = {model.name: model.kind for model in comparison.systems}
    points: dict[str, dict] = {}
    for name in names:
        low, high = bounds(inventory, chosen, name)
        value = values.get(name, default_value(inventory, chosen, name))
        if low == high:
            continue
        linear = name in inventory.parameters and formula_name(name) not in matrix
        points[name] = {"value": value, "low": low, "high": high, "unit": known[name].unit,
                        "label": label(parameter(inventory, chosen, name), low, high, name),
                        "path": "system model" if linear else "full", "totals": {}, "note": ""}
    full = {}
    for name, point in points.items():
        if point["path"] == "full":
            for end in ("low", "high"):
                try:
                    result = compare(inventory, bd, chosen, values | {name: point[end]}, methods=methods)
                    full[(name, end)] = {m: result.totals(m) for m in methods}
                except ModelError as err:
                    full[(name, end)] = None
                    point["note"] = f"{end} value: {err}"
    calculator = Calculator(inventory, bd, methods[0], values, []) if any(
        p["path"] == "system model" for p in points.values()) else None
    rows = []
    for method in methods:
        unit: dict[tuple[str, str], float] = {}
        if calculator is not None:
            calculator.switch_method(method)

        def totals(extra: dict[str, float]) -> dict[str, float] | None:
            try:
                models = build_systems(inventory, chosen, values | extra)
            except ModelError as err:
                return err
            out = {}
            for model in models:
                for link in model.links:
                    if link.provider not in unit:
                        unit[link.provider] = calculator.unit_score(link.provider)
                out[model.name] = linear_score(model, unit) * GRAMS_PER_KG
            return out

        for name, point in points.items():
            at = {}
            for end in ("low", "high"):
                if point["path"] == "full":
                    result = full[(name, end)]
                    at[end] = None if result is None else result[method].to_dict()
                else:
                    result = totals({name: point[end]})
                    if isinstance(result, ModelError):
                        point["note"] = f"{end} value: {result}"
                        result = None
                    at[end] = result
            for system, reference in base[method].items():
                low_total = at["low"][system] if at["low"] else math.nan
                high_total = at["high"][system] if at["high"] else math.nan
                noise = 1e-9 * abs(reference)          # rounding of the float sums, not an effect
                low_total = reference if abs(low_total - reference) <= noise else low_total
                high_total = reference if abs(high_total - reference) <= noise else high_total
                rows.append({"parameter": name, "label": point["label"], "unit": point["unit"], "value": point["value"],
                             "low": point["low"],
                             "high": point["high"], "system": system, "kind": kinds[system], "method": method,
                             "base": reference, "at_low": low_total, "at_high": high_total,
                             "delta_low": low_total - reference, "delta_high": high_total - reference,
                             "swing": abs(high_total - low_total), "path": point["path"], "note": point["note"]})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if frame.empty:
        return frame
    order = {name: i for i, name in enumerate(base[methods[0]].index)}
    frame["_m"] = frame["method"].map({m: i for i, m in enumerate(methods)})
    frame["_s"] = frame["system"].map(order)
    frame = frame.sort_values(["_m", "_s", "swing"], ascending=[True, True, False], kind="stable",
                              na_position="last").drop(columns=["_m", "_s"])
    return frame.reset_index(drop=True)
