"""Orbit vs terrestrial: grams of CO2e per PFLOP-day, by stage, and the break-even conditions.

Functional unit: one PFLOP-day of delivered compute (8.64e19 FLOP) at a stated
precision on a stated accelerator at a stated utilisation. Both systems are
built by the domain models (:mod:`lca.models.terrestrial`,
:mod:`lca.models.orbit`) from the named parameters, added to the Brightway
matrices as system activities and solved with bw2calc.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pint

from lca.analysis.fleet import fleet_scale
from lca.analysis.sampling import exchange_name
from lca.brightway.calculation import Calculator
from lca.core.units import GRAMS_PER_KG, Q_
from lca.errors import CalculationError, InputError
from lca.inventory import Inventory
from lca.inventory.overrides import OverrideError, factor_name, normalise, qualified_parameters
from lca.models import Link, SystemModel, orbit, orbital, terrestrial

#: Methods reported for every comparison (default).
COMPARE_METHODS = ("GWP100", "GWP100+HA")


def compare_methods(inventory: Inventory, methods) -> tuple[str, ...]:
    """The methods of a comparison for ``--method`` choices: the defaults (:data:`COMPARE_METHODS`) first, then each
    chosen one beside them (aliases or full names, resolved; an unknown one is a
    :class:`lca.brightway.methods.MethodError` listing the known ones)."""
    from lca.brightway.methods import resolve

    return tuple(dict.fromkeys([*COMPARE_METHODS, *(resolve(inventory, name).alias for name in methods or [])]))


RESULT_UNIT = "gCO2e/PFLOP_day"
#: Per-PFLOP-day result unit of each method unit (methods.yaml ``unit``): grams of the method's equivalent.
RESULT_UNITS = {"kg CO2-Eq": RESULT_UNIT, "kg CFC-11-Eq": "gCFC11e/PFLOP_day"}
GRID_PREFIX = "electricity_"
CUSTOM_GRID_PARAMETER = "background.custom_grid_intensity"


class ChoiceError(InputError):
    """An unknown accelerator, precision, grid, launcher or orbit."""


def _choose(kind: str, value: str, known) -> str:
    if value in known:
        return value
    lowered = {k.lower(): k for k in known}
    if str(value).lower() in lowered:
        return lowered[str(value).lower()]
    hint = difflib.get_close_matches(str(value), list(known), n=3, cutoff=0.4)
    raise ChoiceError(f"unknown {kind} '{value}'" + (f"; did you mean {', '.join(hint)}?" if hint else
                                                     f"; known: {', '.join(sorted(known))}"))


def result_unit(inventory: Inventory, method: str) -> str:
    """Unit of a method's results per PFLOP-day (``gCO2e/PFLOP_day``, ``gCFC11e/PFLOP_day`` for ozone)."""
    from lca.brightway.methods import resolve

    unit = resolve(inventory, method).unit
    if unit not in RESULT_UNITS:
        raise InputError(f"method '{method}' has unit '{unit}'; comparisons know {', '.join(RESULT_UNITS)}")
    return RESULT_UNITS[unit]


def per_launch_unit(result: str) -> str:
    """The per-launch unit of a per-PFLOP-day result unit: ``gCO2e/PFLOP_day`` -> ``kgCO2e/launch``."""
    return "kg" + result.split("/")[0][1:] + "/launch"


def launch_activity(inventory: Inventory, per_kg: tuple[str, str]) -> tuple[str, str]:
    """The one-launch activity (unit item) that a per-kg-payload launch activity draws on."""
    activity = inventory.activity(":".join(per_kg))
    for exchange in activity.exchanges:
        if exchange.kind == "technosphere" and exchange.unit == "item":
            return tuple(exchange.input)
    raise InputError(f"launch activity '{activity.name}' draws on no launch (an input of unit item)")


def grid_codes(inventory: Inventory) -> dict[str, tuple[str, str]]:
    """Grid code -> electricity activity key (every ``background:electricity_<CODE>``)."""
    return {a.code[len(GRID_PREFIX):]: a.key for a in inventory.databases["background"].activities.values()
            if a.code.startswith(GRID_PREFIX)}


def grid_intensities(inventory: Inventory) -> dict[str, float]:
    """Intensity of every grid that states one in the data [kg CO2e/kWh] (custom and formula grids left out)."""
    out = {}
    for code, key in grid_codes(inventory).items():
        exchange = inventory.activity(":".join(key)).exchanges[0]
        if not exchange.is_formula:
            out[code] = exchange.amount
    return out


@dataclass
class Choices:
    """A configuration of the comparison."""

    accelerator: str
    precision: str
    grids: list[str]
    launcher: str
    orbit: str
    trajectory: bool = False
    year: int | None = None             # evaluate the grids in this year (decarbonisation path)


def choices(inventory: Inventory, accelerator=None, precision=None, grids=None, launcher=None, orbit=None,
            trajectory: bool = False, year: int | None = None) -> Choices:
    """Validated choices, defaults from ``inventories/systems.yaml``."""
    catalogue = inventory.catalogue
    defaults = catalogue.defaults
    given = [("accelerator", accelerator), ("precision", precision), ("launcher", launcher), ("orbit", orbit),
             *(("grid code", g) for g in (grids or []))]
    for kind, value in given:
        if value is not None and not str(value).strip():
            raise ChoiceError(f"empty {kind}; leave the option out for the default ({kind}s: see `lca list`)")
    accelerator = _choose("accelerator", accelerator or defaults.accelerator, catalogue.accelerators)
    product = inventory.activity(catalogue.accelerators[accelerator])
    precisions = sorted(n[len("peak_"):] for n in product.properties if n.startswith("peak_"))
    precision = _choose(f"precision for {accelerator}", (precision or defaults.precision).lower(), precisions)
    codes = grid_codes(inventory)
    grid_list = [_choose("grid code", g, codes) for g in (grids or defaults.grids)]
    launcher = _choose("launcher", launcher or defaults.launcher, catalogue.launchers)
    orbit_name = _choose("orbit", orbit or defaults.orbit, inventory.options.get("orbit", {}))
    if orbit_name not in catalogue.orbits:
        raise ChoiceError(f"orbit '{orbit_name}' has no launch inventory (systems.yaml 'orbits'); "
                          f"available: {', '.join(catalogue.orbits)}")
    launch_class = catalogue.orbits[orbit_name]
    if not catalogue.launchers[launcher].launch(launch_class):
        raise ChoiceError(f"launcher '{launcher}' has no inventory for launches to {launch_class.upper()}")
    base = inventory.parameters["terrestrial.grid_base_year"].value
    if year is not None and not (isinstance(year, int) and base <= year <= base + 100):
        raise ChoiceError(f"year must be a whole year from {base:g} (the grid data year) to {base + 100:g}, got {year}")
    return Choices(accelerator, precision, grid_list, launcher, orbit_name, trajectory, year)


def parameter_values(inventory: Inventory, chosen: Choices, values: dict[str, float]) -> dict[str, pint.Quantity]:
    """Shared parameters as quantities: data, then the chosen orbit's option, then overrides."""
    quantities = {name: p.quantity for name, p in inventory.parameters.items()}
    for name, parameter in inventory.options["orbit"][chosen.orbit].parameters.items():
        quantities[name] = parameter.quantity
    for name, value in values.items():
        if name in inventory.parameters:
            quantities[name] = Q_(value, inventory.parameters[name].unit)
    return quantities


def build_systems(inventory: Inventory, chosen: Choices, values: dict[str, float],
                  reads: set | None = None) -> list[SystemModel]:
    """The orbital system and one terrestrial system per grid; ``reads`` (optional) collects the qualified names
    of the parameters and properties the models read."""
    p = parameter_values(inventory, chosen, values)
    if reads is not None:
        p = _Recording(p, reads)
    catalogue = inventory.catalogue
    product = inventory.activity(catalogue.accelerators[chosen.accelerator])
    host = (product.database, product.properties["host_platform"].value)
    if host[1] not in inventory.databases[host[0]].activities:
        raise ChoiceError(f"accelerator '{chosen.accelerator}': host share '{host[1]}' not in database '{host[0]}'")
    tdp = _property(product, "tdp", values, reads)
    peak = _property(product, f"peak_{chosen.precision}", values, reads)
    array = inventory.activity(catalogue.defaults.space_array)
    launch = inventory.activity(catalogue.launchers[chosen.launcher].launch(catalogue.orbits[chosen.orbit])).key
    ppa = inventory.activity(catalogue.defaults.ppa).key
    grids = grid_codes(inventory)
    orbit_model = orbit.system(p, product.key, host, peak, tdp, array.key, _property(array, "specific_power", values, reads),
                               launch, chosen.launcher, chosen.orbit,
                               {role: inventory.activity(ref).key for role, ref in catalogue.orbit_support.items()})
    models = [orbit_model]
    ground_support = {role: inventory.activity(ref).key for role, ref in catalogue.terrestrial_support.items()}
    # parts of the accelerator product that the orbital system replaces (air cooling -> cold plate)
    share = orbit_model.sizing["slots per PFLOP-day"].m_as("")
    for reference in catalogue.defaults.orbit_removes:
        key = tuple(reference.split(":", 1))
        for exchange in product.exchanges:
            if exchange.input == key:
                amount = inventory.evaluate(product, exchange, values) if exchange.is_formula else exchange.amount
                orbit_model.links.append(Link(key, -amount * share, "accelerator and host embodied",
                                              f"{key[1]} removed from the accelerator (replaced in orbit)"))
    first = None
    for code in chosen.grids:
        if first is None:
            first = terrestrial.system(p, product.key, host, peak, tdp, grids[code], code, ground_support, ppa,
                                       chosen.trajectory, chosen.year)
            models.append(first)
        else:                          # the same system on another grid (only the grid link differs)
            models.append(terrestrial.on_grid(first, grids[code], code))
        if code == "custom":           # the label carries the analyst's intensity
            intensity = inventory_value(inventory, CUSTOM_GRID_PARAMETER, values) * GRAMS_PER_KG
            if np.ndim(intensity) == 0:    # a central value (Monte Carlo samples keep the plain name)
                models[-1].label = f"{models[-1].name} {intensity:g} g/kWh"
    return models


def _property(activity, name: str, values: dict[str, float], reads: set | None = None) -> pint.Quantity:
    parameter = activity.properties[name]
    qualified = f"{activity.database}:{activity.code}.{name}"
    if reads is not None:
        reads.add(qualified)
    override = values.get(qualified)
    return Q_(parameter.value if override is None else override, parameter.unit)


class _Recording(dict):
    """A parameter mapping that notes the names read from it (see :func:`build_systems`' ``reads``)."""

    def __init__(self, values: dict, reads: set):
        super().__init__(values)
        self.reads = reads

    def __getitem__(self, name):
        self.reads.add(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self.reads.add(name)
        return super().get(name, default)


#: Monte Carlo statistics carried per system and method in :meth:`Comparison.to_dict`.
MC_FIELDS = ("median", "p5", "p95", "p2_5", "p97_5", "mean", "p_orbit_lower", "n", "seed")


@dataclass
class Comparison:
    """Results of one comparison: a tidy table and the system models behind it."""

    choices: Choices
    systems: list[SystemModel]
    table: pd.DataFrame                 # system, kind, grid, method, stage, value, unit
    overrides: dict[str, float]
    workload_flop: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def orbit(self) -> SystemModel:
        """The orbital system."""
        return orbital(self.systems)

    @property
    def terrestrial(self) -> list[SystemModel]:
        """The terrestrial systems, one per grid, in the order of the chosen grids."""
        return [model for model in self.systems if model.kind == "terrestrial"]

    def totals(self, method: str = "GWP100") -> pd.Series:
        """Total per system [g CO2e per PFLOP-day]."""
        rows = self.table[(self.table["method"] == method) & (self.table["stage"] == "total")]
        return rows.set_index("system")["value"]

    @property
    def stages(self) -> pd.DataFrame:
        """The tidy table of stage rows only (no ``total`` rows, so ``groupby().sum()`` gives the totals)
        [g CO2e per PFLOP-day]."""
        return self.table[self.table["stage"] != "total"].reset_index(drop=True)

    @property
    def totals_frame(self) -> pd.DataFrame:
        """Central totals, one row per system and method: system, kind, grid, method, value, unit."""
        rows = self.table[self.table["stage"] == "total"]
        return rows.drop(columns="stage").reset_index(drop=True)

    @property
    def samples(self) -> pd.DataFrame | None:
        """Monte Carlo samples of the totals [g CO2e per PFLOP-day]: one row per sample, one column per
        (system, method); None without Monte Carlo."""
        run = self.extra.get("monte_carlo_run")
        if run is None:
            return None
        frame = pd.DataFrame({key: values for key, values in run.scores.items()})
        frame.columns = pd.MultiIndex.from_tuples(frame.columns, names=["system", "method"])
        frame.index.name = "sample"
        return frame

    @property
    def input_samples(self) -> pd.DataFrame | None:
        """The sampled inputs behind :attr:`samples`, one row per sample, one column per input named as
        ``--set`` takes it (parameters in their own unit, exchanges ``database:code#n`` in the provider's
        unit, factors ``cf:method:database:code`` [kg CO2e per unit]); None without Monte Carlo."""
        run = self.extra.get("monte_carlo_run")
        if run is None or run.inputs is None:
            return None
        inputs = run.inputs
        columns = dict(inputs.parameters)
        columns |= {exchange_name(key, index): values for (key, index), values in inputs.exchanges.items()}
        columns |= {factor_name(alias, flow): values for (alias, flow), values in inputs.factors.items()}
        frame = pd.DataFrame({name: np.broadcast_to(values, (run.n,)) for name, values in columns.items()})
        frame.index.name = "sample"
        return frame

    def to_dict(self) -> dict:
        """Plain data for JSON: ``total`` and ``by_stage`` hold the central (deterministic) values; with Monte Carlo,
        each system's ``monte_carlo`` maps a method to its median, 5-95 % interval and P(orbit lower)."""
        out = {"functional_unit": "1 PFLOP-day = 8.64e19 FLOP", "unit": RESULT_UNIT,
               "units": self.units,
               "accelerator": self.choices.accelerator, "precision": self.choices.precision,
               "launcher": self.choices.launcher, "orbit": self.choices.orbit, "overrides": self.overrides,
               "systems": []}
        totals, stages = {}, {}                         # system -> method -> value; system -> method -> stage -> value
        table = self.table
        for system, method, stage, value in zip(table["system"], table["method"], table["stage"], table["value"]):
            by_stage = stages.setdefault(system, {}).setdefault(method, {})
            if stage == "total":
                totals.setdefault(system, {})[method] = float(value)
            else:
                by_stage[stage] = float(value)
        for model in self.systems:
            entry = {"name": model.name, "label": model.label or model.name, "kind": model.kind, "grid": model.grid,
                     "total": {m: totals[model.name][m] for m in stages.get(model.name, {})},
                     "by_stage": stages.get(model.name, {}),
                     "sizing": {k: {"value": float(v.magnitude), "unit": f"{v.units:~}"} for k, v in model.sizing.items()}}
            if self.workload_flop:
                per = Q_(self.workload_flop, "FLOP").m_as("PFLOP_day")
                entry["workload"] = {"flop": self.workload_flop, "unit": "tCO2e",
                                     "units": {m: "t" + u.split("/")[0][1:] for m, u in self.units.items()},
                                     "total": {m: v * per / 1e6 for m, v in entry["total"].items()}}
            out["systems"].append(entry)
        if "monte_carlo" in self.extra:
            records = json.loads(self.extra["monte_carlo"].to_json(orient="records"))   # NaN -> null
            out["monte_carlo"] = records
            for entry in out["systems"]:
                entry["monte_carlo"] = {r["method"]: {k: r.get(k) for k in MC_FIELDS}
                                        for r in records if r["system"] == entry["name"]}
        if "cost" in self.extra:                         # lca.analysis.cost.CostResult
            out["cost"] = self.extra["cost"].to_dict()
        for name in ("per_launch", "fleet", "central_vs_median"):
            if name in self.extra:
                out[name] = self.extra[name]
        out["central_label"] = "central (deterministic)"
        return out

    @property
    def units(self) -> dict[str, str]:
        """Result unit of each method of the comparison (``gCO2e/PFLOP_day``; ozone ``gCFC11e/PFLOP_day``)."""
        return dict(zip(self.table["method"], self.table["unit"]))

    @property
    def climate_methods(self) -> list[str]:
        """The methods reported in g CO2e per PFLOP-day (:data:`RESULT_UNIT`), in order; ozone and other units
        left out."""
        return [m for m, unit in self.units.items() if unit == RESULT_UNIT]


def compare(inventory: Inventory, bd, chosen: Choices, overrides: dict | None = None,
            methods=COMPARE_METHODS, workload_flop: float | None = None) -> Comparison:
    """Solve both systems for each method; scores in g CO2e per PFLOP-day."""
    values = normalise(inventory, overrides)
    if workload_flop is not None and not (workload_flop > 0 and workload_flop != float("inf")):
        raise OverrideError(f"--workload-flop must be a positive number of FLOP, got {workload_flop}")
    systems = build_systems(inventory, chosen, values)
    rows = []
    calculator = Calculator(inventory, bd, methods[0], values, systems)
    launch = launch_activity(inventory, orbital(systems).link("launch").provider)
    per_launch = {"launcher": chosen.launcher, "activity": inventory.activity(":".join(launch)).name, "values": {}}
    for method in methods:
        calculator.switch_method(method)
        unit = result_unit(inventory, method)
        per_launch["values"][method] = {"value": calculator.unit_score(launch), "unit": per_launch_unit(unit)}
        for model in systems:
            score, stages = calculator.system_scores(model.name)
            base = {"system": model.name, "kind": model.kind, "grid": model.grid, "method": method,
                    "unit": unit}
            rows.append(base | {"stage": "total", "value": score * GRAMS_PER_KG})
            rows += [base | {"stage": stage, "value": value * GRAMS_PER_KG} for stage, value in stages.items()]
    order = {m.name: i for i, m in enumerate(systems)}
    table = pd.DataFrame(rows).sort_values(by=["system"], key=lambda c: c.map(order), kind="stable",
                                           ignore_index=True)
    result = Comparison(chosen, systems, table, values, workload_flop)
    result.extra["per_launch"] = per_launch
    result.extra["fleet"] = fleet_scale(inventory, parameter_values(inventory, chosen, values), orbital(systems),
                                        calculator.system_flows(orbital(systems).name))
    return result


@dataclass
class BreakEven:
    """Parity conditions between the orbital system and one terrestrial system (one method)."""

    grid: str
    method: str
    orbit_total: float                       # [g CO2e / PFLOP-day]
    terrestrial_total: float                 # [g CO2e / PFLOP-day]
    values: dict[str, dict]                  # name -> {current, parity, unit, note}

    def to_dict(self) -> dict:
        return {"grid": self.grid, "method": self.method, "unit": RESULT_UNIT, "orbit_total": self.orbit_total,
                "terrestrial_total": self.terrestrial_total, "parity": self.values}


def _entry(current: float, parity: float, unit: str, note: str) -> dict:
    """A parity value; a negative one is physically out of reach and reported as None."""
    if parity < 0:
        return {"current": current, "parity": None, "unit": unit,
                "note": f"{note}; not reachable: it would need a negative value ({parity:.4g})"}
    return {"current": current, "parity": parity, "unit": unit, "note": note}


def linear_score(model: SystemModel, unit: dict[tuple[str, str], float]) -> float:
    """Score of a system from the unit scores of its providers [kg CO2e per PFLOP-day].

    Exact for changes of shared parameters, which move link amounts but not
    the inventory matrices.
    """
    return sum(link.amount * unit[link.provider] for link in model.links)


def _orbit_score(models_for, values: dict[str, float], unit: dict) -> float:
    return linear_score(orbital(models_for(values)), unit)


def _root(function, low: float, high: float):
    from scipy.optimize import brentq

    f_low, f_high = function(low), function(high)
    if f_low == 0:
        return low
    if f_low * f_high > 0:
        return None
    return brentq(function, low, high, xtol=1e-12, rtol=1e-10, maxiter=200)


def breakeven(inventory: Inventory, bd, chosen: Choices, overrides: dict | None = None,
              method: str = "GWP100") -> list[BreakEven]:
    """For each grid: the grid intensity, launch emissions per kg, specific mass, lifetime and launcher
    reuse count at which orbit and ground are equal (all else as configured).

    The orbital result is linear in its exchange amounts, so parity in grid
    intensity and launch emissions per kg is exact algebra on the solved unit
    scores; lifetime and specific mass are found by root finding on the
    system model with the same unit scores; the reuse count needs new matrices
    (it changes the launch inventory) and is solved from two of them, checked
    on a third.
    """
    values = normalise(inventory, overrides)
    result = compare(inventory, bd, chosen, overrides, methods=(method,))
    orbit_model, terrestrial_models = result.orbit, result.terrestrial
    totals = result.totals(method)
    orbit_total = totals[orbit_model.name] / GRAMS_PER_KG      # kg CO2e / PFLOP-day
    providers = {link.provider for model in result.systems for link in model.links}
    calculator = Calculator(inventory, bd, method, values, [])
    unit = {key: calculator.unit_score(key) for key in providers}

    def models_for(extra: dict[str, float]):
        return build_systems(inventory, chosen, values | extra)

    launch_link = orbit_model.link("launch")
    launch_kg = launch_link.amount
    reuse_names = list(inventory.catalogue.launchers[chosen.launcher].reuse_parameters)
    reuse_curve = _reuse_curve(inventory, bd, method, values, launch_link.provider,
                               reuse_names) if reuse_names else None
    real = grid_intensities(inventory)
    dirtiest = max(real, key=real.get)
    out = []
    for model in terrestrial_models:
        target = totals[model.name] / GRAMS_PER_KG
        grid_link = model.link("grid")
        intensity = unit[grid_link.provider]
        parity = {}
        grid_parity = (intensity + (orbit_total - target) / grid_link.amount) * GRAMS_PER_KG
        note = "terrestrial grid intensity at which ground equals orbit"
        if grid_parity > real[dirtiest] * GRAMS_PER_KG:
            note += (f"; above every grid in the data (the most carbon-intensive, {dirtiest}, is "
                     f"{real[dirtiest] * GRAMS_PER_KG:.0f} gCO2e/kWh): no real grid comes close")
        parity["grid_intensity"] = _entry(intensity * GRAMS_PER_KG, grid_parity, "gCO2e/kWh", note)
        per_kg = unit[launch_link.provider]
        parity["launch_emissions_per_kg"] = _entry(
            per_kg, per_kg + (target - orbit_total) / launch_kg, "kgCO2e/kg",
            f"emissions per kg launched ({chosen.launcher}) at which orbit equals ground")
        bus = "orbit.bus_structure_specific_mass"
        current_bus = parameter_values(inventory, chosen, values)[bus].m_as("kg/kW")
        bus_parity = _root(lambda b: _orbit_score(models_for, {bus: b}, unit) - target, 0.0, 1e5)
        current_mass = orbit_model.sizing["specific mass"].m_as("kg/kW")
        parity["specific_mass"] = {
            "current": current_mass, "unit": "kg/kW",
            "parity": None if bus_parity is None else current_mass + (bus_parity - current_bus),
            "note": "whole-spacecraft mass per kW of IT at parity (varying structure mass)"
                    + ("; not reachable: orbit stays higher even with no structure" if bus_parity is None else "")}
        lifetime = _root(lambda years: _orbit_score(models_for, {"orbit.lifetime": years}, unit) - target, 0.05, 100.0)
        parity["lifetime"] = {
            "current": parameter_values(inventory, chosen, values)["orbit.lifetime"].m_as("year"),
            "parity": lifetime, "unit": "year",
            "note": "orbital lifetime at parity" + ("; not reachable within 0.05-100 years" if lifetime is None else "")}
        if reuse_curve:
            a, b, current_n = reuse_curve
            needed = per_kg + (target - orbit_total) / launch_kg
            reuses = b / (needed - a) if needed > a else None
            note = f"reuses of {', '.join(reuse_names)} at parity"
            if reuses is None:
                note += "; not reachable: even unlimited reuse leaves orbit higher"
            elif reuses < (minimum_reuses := qualified_parameters(inventory)[reuse_names[0]].limits[0] or 0):
                note += f"; orbit is lower even at {minimum_reuses:g} flight(s) ({reuses:.3g} would be parity)"
                reuses = None
            parity["launcher_reuses"] = {"current": current_n, "parity": reuses, "unit": "flights", "note": note}
        out.append(BreakEven(model.grid, method, orbit_total * GRAMS_PER_KG, target * GRAMS_PER_KG, parity))
    return out


def _reuse_curve(inventory, bd, method, values, launch_key, names):
    """Launch score per kg as a + b / n in the reuse count n [kg CO2e / kg]; checked at a third n."""
    current = inventory_value(inventory, names[0], values)

    def per_kg(n):
        calc = Calculator(inventory, bd, method, values | {name: n for name in names}, [])
        return calc.unit_score(launch_key)

    n1, n2, n3 = current, current * 2, current * 4
    e1, e2, e3 = per_kg(n1), per_kg(n2), per_kg(n3)
    b = (e1 - e2) / (1 / n1 - 1 / n2)
    a = e1 - b / n1
    if abs(a + b / n3 - e3) > 1e-6 * max(abs(e3), 1e-12):
        raise ValueError("launch emissions are not of the form a + b / reuses; cannot solve for parity")
    return a, b, current


def inventory_value(inventory: Inventory, qualified: str, values: dict[str, float]) -> float:
    """Current value of a qualified parameter (override if given) [its unit]."""
    return values.get(qualified, qualified_parameters(inventory)[qualified].value)


def _provider_stages(inventory: Inventory, calculator: Calculator, key: tuple[str, str]) -> dict[str, float]:
    """Score of one unit of ``key`` split by stage [kg CO2e per provider unit], as a system link sees it.

    A staged provider keeps its own stages (and those of staged suppliers);
    what an unstaged provider's unstaged supply chain emits is booked, in a
    system, to the stage of the link, so it is returned under ``None`` here.
    """
    from lca.brightway.calculation import stage_scores
    from lca.core.stages import DEFAULT_STAGE

    score = calculator.unit_score(key)
    stages = stage_scores(inventory, calculator.lca, calculator.keys, score, calculator.links)
    activity = inventory.activity(f"{key[0]}:{key[1]}")
    if not activity.stage or activity.stage == DEFAULT_STAGE:
        stages = {(None if stage == DEFAULT_STAGE else stage): value for stage, value in stages.items()}
    return stages


def link_contributions(inventory: Inventory, bd, comparison: Comparison, methods=None) -> pd.DataFrame:
    """Contribution of every exchange of every system, by stage [g CO2e per PFLOP-day].

    Each link of a system model (``amount`` of a provider per PFLOP-day)
    contributes ``amount`` x the life-cycle score of one unit of the
    provider, computed with the same overrides as the comparison. The score
    is split by stage as in the comparison, so the rows of one system add up
    to its total, and the rows of one system and stage to its stage value
    (checked here to 1e-5 relative: Brightway stores float32 matrices).

    Columns: system, kind, grid, method, label, provider, provider_name,
    amount, amount_unit, unit_score (g CO2e per provider unit), stage,
    score (g CO2e per PFLOP-day), unit.
    """

    methods = tuple(methods or dict.fromkeys(comparison.table["method"]))
    rows = []
    calculator = Calculator(inventory, bd, methods[0], comparison.overrides, [])
    providers = sorted({link.provider for model in comparison.systems for link in model.links})
    for method in methods:
        calculator.switch_method(method)
        split = {key: _provider_stages(inventory, calculator, key) for key in providers}
        for model in comparison.systems:
            for link in model.links:
                provider = inventory.activity(f"{link.provider[0]}:{link.provider[1]}")
                base = {"system": model.name, "kind": model.kind, "grid": model.grid, "method": method,
                        "label": link.label, "provider": f"{link.provider[0]}:{link.provider[1]}",
                        "provider_name": provider.name, "amount": link.amount, "amount_unit": provider.unit,
                        "unit_score": sum(split[link.provider].values()) * GRAMS_PER_KG}
                for stage, value in split[link.provider].items():
                    rows.append(base | {"stage": stage or link.stage, "score": link.amount * value * GRAMS_PER_KG,
                                        "unit": RESULT_UNIT})
    frame = pd.DataFrame(rows, columns=["system", "kind", "grid", "method", "label", "provider", "provider_name",
                                        "amount", "amount_unit", "unit_score", "stage", "score", "unit"])
    frame = frame[frame["score"] != 0].reset_index(drop=True)
    order = {m.name: i for i, m in enumerate(comparison.systems)}
    frame = frame.sort_values(by=["system", "method"], key=lambda c: c.map(order) if c.name == "system" else
                              c.map({m: i for i, m in enumerate(methods)}), kind="stable", ignore_index=True)
    table = comparison.table[comparison.table["method"].isin(methods)]
    expected = table[table["stage"] != "total"].groupby(["system", "method", "stage"])["value"].sum()
    totals = table[table["stage"] == "total"].set_index(["system", "method"])["value"]
    found = frame.groupby(["system", "method", "stage"])["score"].sum()
    for system, method, stage in expected.index.union(found.index):
        value, reference = found.get((system, method, stage), 0.0), expected.get((system, method, stage), 0.0)
        if abs(value - reference) > 1e-5 * max(abs(totals[(system, method)]), 1e-9):
            raise CalculationError(f"contributions of '{system}' ({method}, {stage}) add up to {value:.6g}, "
                                   f"not to the comparison's {reference:.6g} g CO2e per PFLOP-day")
    return frame
