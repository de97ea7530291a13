"""In-memory inventory: validated sources, flows, parameters, activities, methods.

Produced by :func:`lca.inventory.read_inventory`; written to Brightway by
:mod:`lca.brightway.project`. Amounts are floats in the provider's unit (the unit of the
activity or flow an exchange points to), per one reference unit of the
consuming activity.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pint

from lca.core.flows import Flow
from lca.core.parameters import FormulaError, Parameter, evaluate, formula_name, quantity
from lca.core.units import Q_, conversion_factor, parse_unit
from lca.inventory.catalogue import Catalogue


@dataclass
class Exchange:
    """One input or emission of an activity."""

    kind: str                      # "technosphere" or "biosphere"
    input: tuple[str, str]         # provider key (database, code)
    amount: float                  # [unit] per reference unit of the activity
    unit: str                      # provider's unit (pint string)
    source: str
    uncertainty: dict | None       # in ``unit``; None when a formula gives the amount
    formula: str = ""
    given_unit: str = ""           # the unit written in the data
    stage: str = ""                # override of the activity's stage (biosphere only)
    comment: str = ""
    allow_negative: bool = False
    line: int = 0

    @property
    def is_formula(self) -> bool:
        return bool(self.formula)


@dataclass
class Activity:
    """A Brightway process with one reference product."""

    database: str
    code: str
    name: str
    reference_product: str
    unit: str
    location: str
    stage: str
    comment: str
    properties: dict[str, Parameter]
    exchanges: list[Exchange]
    file: str
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.database, self.code)


@dataclass
class Database:
    """The activities and parameters of one Brightway database (one folder)."""

    name: str
    description: str
    parameters: dict[str, Parameter]
    activities: dict[str, Activity]
    files: list[str]


@dataclass(frozen=True)
class Derivation:
    """How a characterisation factor is computed from physical inputs (``derivations:`` in ``methods.yaml``):
    the shared parameters holding its forcing per emission rate, lifetime and efficacy (see
    :mod:`lca.inventory.derivations`)."""

    name: str
    forcing: str                   # parameter name [power per area x time per mass]
    lifetime: str                  # parameter name [time]
    efficacy: str                  # parameter name [dimensionless]
    description: str = ""


@dataclass
class MethodFactor:
    flow: tuple[str, str]
    amount: float                  # [kg CO2e per flow unit]; for a derived factor, its value at the central inputs
    uncertainty: dict              # {distribution: none} for a derived factor: it is sampled from its inputs
    source: str
    derived: Derivation | None = None


@dataclass
class Method:
    """A climate method: shipped (IPCC 2021) or ours (``extends`` a shipped one)."""

    name: tuple[str, ...]
    alias: str
    unit: str
    description: str
    source: str
    shipped: bool
    extends: tuple[str, ...] | None = None
    factors: list[MethodFactor] = field(default_factory=list)
    metric: str = ""               # GWP20, GWP100 or GTP100: the metric of its derived factors


@dataclass
class Option:
    """A named alternative (an orbit, ...) that sets several parameters at once."""

    group: str
    name: str
    description: str
    parameters: dict[str, Parameter]


@dataclass
class Inventory:
    """Everything in ``inventories/``, validated."""

    root: str
    sources: dict
    flows: dict[tuple[str, str], Flow]
    databases: dict[str, Database]
    parameters: dict[str, Parameter]
    options: dict[str, dict[str, Option]]
    methods: dict[str, Method]
    file_hashes: dict[str, str]
    catalogue: Catalogue = field(default_factory=Catalogue)   # choices of `lca compare` (inventories/systems.yaml)
    _scopes: dict = field(default_factory=dict, repr=False, compare=False)

    def activity(self, reference: str) -> Activity:
        """Activity by ``database:code``."""
        database, _, code = reference.partition(":")
        try:
            return self.databases[database].activities[code]
        except KeyError:
            raise KeyError(f"no activity '{reference}'") from None

    def activities(self):
        for database in self.databases.values():
            yield from database.activities.values()

    def formula_scope(self, activity: Activity, overrides: dict | None = None, cache: dict | None = None) -> dict:
        """Quantities visible to the formulas of ``activity``.

        Shared parameters (``orbit__lifetime``), then the database's parameters,
        then the activity's numeric properties; ``overrides`` maps qualified
        names (see :mod:`lca.inventory.overrides`) to values in the parameter's own unit,
        floats or arrays of samples. ``cache`` keeps the per-database part of
        the scope between calls with the same array overrides.
        """
        overrides = overrides or {}
        arrays = any(isinstance(v, np.ndarray) for v in overrides.values())
        store = (cache if cache is not None else {}) if arrays else self._scopes
        cache_key = activity.database if arrays else (activity.database, tuple(sorted(overrides.items())))
        if cache_key not in store:
            base = {formula_name(name): _quantity(p, overrides.get(name)) for name, p in self.parameters.items()}
            for name, parameter in self.databases[activity.database].parameters.items():
                base[name] = _quantity(parameter, overrides.get(f"{activity.database}.{name}"))
            store[cache_key] = base
        scope = dict(store[cache_key])
        for name, parameter in activity.properties.items():
            if parameter.is_numeric:
                scope[name] = _quantity(parameter, overrides.get(f"{activity.database}:{activity.code}.{name}"))
        return scope

    def affected_names(self, activity: Activity, overrides: dict[str, float]) -> set[str]:
        """Formula names of ``activity`` whose value the qualified ``overrides`` change."""
        names = set()
        for name in overrides:
            if name in self.parameters:
                names.add(formula_name(name))
            elif name.startswith(f"{activity.database}.") and ":" not in name:
                names.add(name.split(".", 1)[1])
            elif name.startswith(f"{activity.database}:{activity.code}."):
                names.add(name.rsplit(".", 1)[1])
        return names

    def evaluate(self, activity: Activity, exchange: Exchange, overrides: dict | None = None,
                 cache: dict | None = None):
        """Amount of a formula exchange [provider unit] with ``overrides`` applied (float or samples)."""
        return formula_amount(exchange.formula, self.formula_scope(activity, overrides, cache), exchange.given_unit,
                              exchange.unit, activity.unit)


def _quantity(parameter: Parameter, override) -> pint.Quantity:
    if override is None:
        return parameter.quantity
    if isinstance(override, np.ndarray):
        return Q_(override, parameter.unit)
    return quantity(override, parameter.unit)


def formula_amount(formula: str, scope: dict, given_unit: str, provider_unit: str, activity_unit: str):
    """Evaluate ``formula`` and express it in ``provider_unit`` per one ``activity_unit``.

    A float, or an array when the scope holds arrays (Monte Carlo samples).

    The result may be an amount (dimension of ``given_unit``) or an intensity
    (``given_unit`` per ``activity_unit``), which is multiplied by one
    reference unit.
    """
    result = evaluate(formula, scope)
    for target in (f"{given_unit}", f"({given_unit}) / ({activity_unit})"):
        try:
            magnitude = result.to(parse_unit(target)).magnitude * conversion_factor(given_unit, provider_unit)
            return float(magnitude) if np.ndim(magnitude) == 0 else np.asarray(magnitude, dtype=float)
        except pint.errors.DimensionalityError:
            continue
    raise FormulaError(f"formula '{formula}' gives {result.units:~}, expected {given_unit} "
                       f"or {given_unit} per {activity_unit}")
