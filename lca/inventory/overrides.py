"""Parameter overrides (``--set NAME=VALUE``): names, units and limits checked.

Names are qualified:

- shared parameters by their dotted name: ``orbit.lifetime``;
- database parameters as ``<database>.<name>``: ``launch.reuses_f9_booster``;
- activity properties as ``<database>:<code>.<property>``: ``gpu:accelerator_h100_sxm.tdp``;
- the tool's own characterisation factors as ``cf:<method alias>:<flow database>:<flow code>``, the name Sobol
  prints: ``cf:GWP100+HA:lca biosphere:black_carbon_stratosphere`` [kg CO2e per unit of the flow].

A value may be a number (in the parameter's own unit), a string with a unit
(``"7 year"``) or a pint quantity.
"""
from __future__ import annotations

import difflib
import math
import re

import pint

from lca.core.parameters import Parameter
from lca.core.units import Q_, AmbiguousUnitError, UnitError, parse_unit
from lca.errors import InputError
from lca.inventory import Inventory


class OverrideError(InputError):
    """An override naming an unknown parameter or giving an unusable value."""


#: Prefix of a characterisation factor's name.
FACTOR_PREFIX = "cf:"


def factor_name(alias: str, flow: tuple[str, str]) -> str:
    """Name of the factor of ``flow`` in the method ``alias``: ``cf:<alias>:<database>:<code>``."""
    return f"{FACTOR_PREFIX}{alias}:{flow[0]}:{flow[1]}"


def is_factor(name: str) -> bool:
    return name.startswith(FACTOR_PREFIX)


def factor_parameters(inventory: Inventory) -> dict[str, Parameter]:
    """The tool's own characterisation factors as parameters (value, unit, distribution, source), by
    :func:`factor_name`: overridable with ``--set`` and shown with the other inputs."""
    out = {}
    for method in inventory.methods.values():
        for factor in method.factors:
            flow = inventory.flows.get(factor.flow)
            flow_unit = parse_unit(flow.unit) if flow is not None else "kg"
            label = flow.name if flow is not None else ":".join(factor.flow)
            out[factor_name(method.alias, factor.flow)] = Parameter(
                factor_name(method.alias, factor.flow), factor.amount, f"kgCO2e/{flow_unit}", factor.uncertainty,
                factor.source, f"Characterisation factor of {label} in {method.alias}"
                + (f" (derived: {factor.derived.name}, {method.metric}; sampled from its inputs)" if factor.derived
                   else ""), scope="methods", file="methods.yaml",
                limits=(None, None) if factor.derived else (0.0, None))
    return out


def qualified_parameters(inventory: Inventory) -> dict[str, Parameter]:
    """Every overridable numeric parameter by qualified name, characterisation factors included."""
    names = dict(inventory.parameters) | factor_parameters(inventory)
    for database in inventory.databases.values():
        for name, parameter in database.parameters.items():
            names[f"{database.name}.{name}"] = parameter
        for activity in database.activities.values():
            for name, parameter in activity.properties.items():
                if parameter.is_numeric:
                    names[f"{database.name}:{activity.code}.{name}"] = parameter
    return names


#: A value as text: a plain number (no arithmetic: ``9**9**9`` is not a number), then an optional unit.
_NUMBER_AND_UNIT = re.compile(r"^\s*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity))\s*(.*?)\s*$",
                              re.IGNORECASE)
MAX_VALUE_LENGTH = 100


def _as_quantity(name: str, value, unit: str) -> pint.Quantity:
    if isinstance(value, pint.Quantity):
        return value
    if isinstance(value, bool):
        raise OverrideError(f"{name}: expected a number or a quantity like '7 year', got {value!r}")
    if isinstance(value, (int, float)):
        return Q_(value, unit)
    if isinstance(value, str):
        match = _NUMBER_AND_UNIT.match(value) if len(value) <= MAX_VALUE_LENGTH else None
        if match is None:
            raise OverrideError(f"{name}: cannot read '{value}' as a number with a unit, like '7 year'")
        number, unit_text = float(match.group(1)), match.group(2)
        if not unit_text:
            return Q_(number, unit)
        try:
            return Q_(number, parse_unit(unit_text))
        except AmbiguousUnitError as err:
            raise OverrideError(f"{name}: {err}") from None
        except UnitError:
            raise OverrideError(f"{name}: cannot read '{value}' as a number with a unit, like '7 year'") from None
    raise OverrideError(f"{name}: expected a number or a quantity like '7 year', got {value!r}")


def normalise(inventory: Inventory, overrides: dict | None) -> dict[str, float]:
    """Check ``overrides`` and return them as magnitudes in each parameter's own unit."""
    known = qualified_parameters(inventory)
    result = {}
    for name, value in (overrides or {}).items():
        if name not in known:
            hint = difflib.get_close_matches(name, known, n=3)
            raise OverrideError(f"unknown parameter '{name}'" + (f"; did you mean {', '.join(hint)}?" if hint else
                                                                 "; see `lca list parameters`"))
        parameter = known[name]
        quantity = _as_quantity(name, value, parameter.unit)
        try:
            magnitude = float(quantity.to(parameter.unit).magnitude)
        except pint.errors.DimensionalityError:
            raise OverrideError(f"{name}: '{value}' has the wrong dimension; expected a value in "
                                f"{parameter.unit} ({parse_unit(parameter.unit).dimensionality})") from None
        except UnitError as err:
            raise OverrideError(f"{name}: {err}") from None
        if not math.isfinite(magnitude):
            raise OverrideError(f"{name}: value must be finite, got {value!r}")
        if not parameter.within_limits(magnitude):
            raise OverrideError(f"{name}: {magnitude:g} {parameter.unit or 'dimensionless'} is outside the allowed "
                                f"range {parameter.limits_text()}")
        result[name] = magnitude
    return result
