"""In-memory inventory: validated sources, flows, parameters, activities, methods.

Produced by :func:`lca.inventory.read_inventory`; written to Brightway by
:mod:`lca.project`. Amounts are floats in the provider's unit (the unit of the
activity or flow an exchange points to), per one reference unit of the
consuming activity.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pint

from ..flows import Flow
from ..parameters import FormulaError, Parameter, evaluate, formula_name, quantity
from ..units import Q_, conversion_factor


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


@dataclass
class MethodFactor:
    flow: tuple[str, str]
    amount: float                  # [kg CO2e per flow unit]
    uncertainty: dict
    source: str


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
    systems: dict = field(default_factory=dict)     # choices of `lca compare` (inventories/systems.yaml)
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

    def formula_scope(self, activity: Activity, overrides: dict[str, float] | None = None) -> dict:
        """Quantities visible to the formulas of ``activity``.

        Shared parameters (``orbit__lifetime``), then the database's parameters,
        then the activity's numeric properties; ``overrides`` maps qualified
        names (see :func:`lca.inventory.overrides.qualified_names`) to values in
        the parameter's own unit.
        """
        overrides = overrides or {}
        cache_key = (activity.database, tuple(sorted(overrides.items())))
        if cache_key not in self._scopes:
            base = {formula_name(name): _quantity(p, overrides.get(name)) for name, p in self.parameters.items()}
            for name, parameter in self.databases[activity.database].parameters.items():
                base[name] = _quantity(parameter, overrides.get(f"{activity.database}.{name}"))
            self._scopes[cache_key] = base
        scope = dict(self._scopes[cache_key])
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

    def evaluate(self, activity: Activity, exchange: Exchange, overrides: dict[str, float] | None = None) -> float:
        """Amount of a formula exchange [exchange unit] with ``overrides`` applied."""
        return formula_amount(exchange.formula, self.formula_scope(activity, overrides), exchange.given_unit,
                              exchange.unit, activity.unit)


def _quantity(parameter: Parameter, override: float | None) -> pint.Quantity:
    return parameter.quantity if override is None else quantity(override, parameter.unit)


def formula_amount(formula: str, scope: dict, given_unit: str, provider_unit: str, activity_unit: str) -> float:
    """Evaluate ``formula`` and express it in ``provider_unit`` per one ``activity_unit``.

    The result may be an amount (dimension of ``given_unit``) or an intensity
    (``given_unit`` per ``activity_unit``), which is multiplied by one
    reference unit.
    """
    result = evaluate(formula, scope)
    for target in (f"{given_unit}", f"({given_unit}) / ({activity_unit})"):
        try:
            return float(result.to(target).magnitude) * conversion_factor(given_unit, provider_unit)
        except pint.errors.DimensionalityError:
            continue
    raise FormulaError(f"formula '{formula}' gives {result.units:~}, expected {given_unit} "
                       f"or {given_unit} per {activity_unit}")
