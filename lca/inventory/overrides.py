"""Parameter overrides (``--set NAME=VALUE``): names, units and limits checked.

Names are qualified:

- shared parameters by their dotted name: ``orbit.lifetime``;
- database parameters as ``<database>.<name>``: ``launch.reuses_f9_booster``;
- activity properties as ``<database>:<code>.<property>``: ``gpu:accelerator_h100_sxm.tdp``.

A value may be a number (in the parameter's own unit), a string with a unit
(``"7 year"``) or a pint quantity.
"""
from __future__ import annotations

import difflib
import math

import pint

from lca.core.parameters import Parameter
from lca.core.units import Q_, UnitError, ureg
from lca.errors import InputError
from lca.inventory import Inventory


class OverrideError(InputError):
    """An override naming an unknown parameter or giving an unusable value."""


def qualified_parameters(inventory: Inventory) -> dict[str, Parameter]:
    """Every overridable numeric parameter by qualified name."""
    names = dict(inventory.parameters)
    for database in inventory.databases.values():
        for name, parameter in database.parameters.items():
            names[f"{database.name}.{name}"] = parameter
        for activity in database.activities.values():
            for name, parameter in activity.properties.items():
                if parameter.is_numeric:
                    names[f"{database.name}:{activity.code}.{name}"] = parameter
    return names


def _as_quantity(name: str, value, unit: str) -> pint.Quantity:
    if isinstance(value, pint.Quantity):
        return value
    if isinstance(value, bool):
        raise OverrideError(f"{name}: expected a number or a quantity like '7 year', got {value!r}")
    if isinstance(value, (int, float)):
        return Q_(value, unit)
    if isinstance(value, str):
        try:
            parsed = ureg.Quantity(value.strip())
        except Exception as err:   # pint's parser raises many types on odd text ('1/0', '(' ...)
            raise OverrideError(f"{name}: cannot read '{value}' as a number with a unit, like '7 year'") from err
        if not isinstance(parsed, pint.Quantity):
            parsed = Q_(parsed, unit)
        elif parsed.dimensionless and parsed.units == ureg.dimensionless and unit not in ("", "dimensionless"):
            parsed = Q_(parsed.magnitude, unit)
        return parsed
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
                                f"{parameter.unit} ({ureg.parse_units(parameter.unit).dimensionality})") from None
        except UnitError as err:
            raise OverrideError(f"{name}: {err}") from None
        if not math.isfinite(magnitude):
            raise OverrideError(f"{name}: value must be finite, got {value!r}")
        low, high = parameter.limits
        if (low is not None and magnitude < low) or (high is not None and magnitude > high):
            raise OverrideError(f"{name}: {magnitude:g} {parameter.unit} is outside the allowed range "
                                f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]")
        result[name] = magnitude
    return result
