"""Unit registry of the toolkit: pint with the definitions in ``units.txt``.

Every quantity crossing a public function is a :class:`pint.Quantity` from
:data:`ureg`, or a float whose unit is named in brackets in the docstring.
Brightway stores units as words (``kilogram``, ``kilowatt hour``); the helpers
here translate between the two spellings.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import pint

from lca.errors import InputError

# "ignore" lets units.txt redefine pint's dimensionless bit (and applies the new definition).
ureg = pint.UnitRegistry(on_redefinition="ignore", cache_folder=None)
ureg.load_definitions(str(Path(__file__).with_name("units.txt")))
Q_ = ureg.Quantity

#: Brightway unit words for the units the inventories use (pint unit -> word).
_BRIGHTWAY_WORDS = {
    "kilogram": "kilogram",
    "kilowatt_hour": "kilowatt hour",
    "megajoule": "megajoule",
    "meter ** 3": "cubic meter",
    "meter ** 2": "square meter",
    "item": "unit",
    "kilometer * metric_ton": "ton kilometer",
    "watt_peak": "watt peak",
    "watt": "watt",
    "gigabyte": "gigabyte",
    "centimeter ** 2": "square centimeter",
}
_WORDS_TO_PINT = {word: pint_name for pint_name, word in _BRIGHTWAY_WORDS.items()}


class UnitError(InputError):
    """A unit string that the registry cannot read, or a dimension mismatch."""


class AmbiguousUnitError(UnitError):
    """A unit string that pint reads, but not as people who write it usually mean it (``ton``)."""


#: ``ton`` or ``tons`` as a whole word (``ton^2``, ``(ton)``, ``kg/ton``), not ``short_ton`` or ``tonne``.
_TON = re.compile(r"(?<![\w.])tons?(?!\w)")


@functools.lru_cache(maxsize=4096)   # pure; errors are not cached
def parse_unit(text: str) -> pint.Unit:
    """Read a unit string such as ``'kWh'``, ``'t*km'`` or ``'kgCO2e/kg'``.

    ``t`` is the metric tonne; pint's ``ton`` (short ton) is refused with
    :class:`AmbiguousUnitError` because it is a common slip. Every path that
    reads a unit (the loader, ``--set``, the Assumptions sheet) goes through
    here, so all refuse it with the same message.
    """
    if not isinstance(text, str) or not text.strip():
        raise UnitError(f"expected a unit string, got {text!r}")
    if _TON.search(text):
        raise AmbiguousUnitError(f"'{text}': 'ton' is ambiguous; write 't' (metric tonne) or 'short_ton'")
    try:
        unit = ureg.parse_units(text.strip())
    except Exception as err:   # pint's parser raises many types on odd text ('kg/0', '(' ...)
        raise UnitError(f"unknown unit '{text}'") from err
    return unit


def brightway_word(unit: pint.Unit | str) -> str:
    """Brightway's word for a unit (``kWh`` -> ``'kilowatt hour'``)."""
    unit = parse_unit(unit) if isinstance(unit, str) else unit
    canonical = f"{ureg.Unit(unit):D}"
    return _BRIGHTWAY_WORDS.get(canonical, canonical.replace("_", " "))


def from_brightway_word(word: str) -> pint.Unit:
    """pint unit for a Brightway unit word (``'cubic meter'`` -> m**3)."""
    return parse_unit(_WORDS_TO_PINT.get(word, word))


@functools.lru_cache(maxsize=4096)
def conversion_factor(source: pint.Unit | str, target: pint.Unit | str) -> float:
    """Multiplier taking a magnitude in ``source`` units to ``target`` units.

    Raises :class:`UnitError` when the dimensions differ (``kWh`` to ``kg``).
    """
    source_unit = parse_unit(source) if isinstance(source, str) else source
    target_unit = parse_unit(target) if isinstance(target, str) else target
    try:
        factor = Q_(1.0, source_unit).to(target_unit).magnitude
    except pint.errors.DimensionalityError as err:
        raise UnitError(
            f"'{source_unit:~}' has dimension {source_unit.dimensionality}, "
            f"expected {target_unit.dimensionality} (like '{target_unit:~}')"
        ) from err
    if not math.isfinite(factor):
        raise UnitError(f"no finite conversion from '{source_unit}' to '{target_unit}'")
    return float(factor)


#: Brightway scores are in kg CO2e; comparison results (per PFLOP-day, or per kWh for intensities) in g CO2e.
GRAMS_PER_KG = Q_(1, "kgCO2e").m_as("gCO2e")
