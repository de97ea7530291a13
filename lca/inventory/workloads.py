"""The catalogue of published training runs (``inventories/workloads.yaml``), each figure as its publication
states it, with its source and locator.

A run names the accelerator (a name under ``accelerators:`` in ``systems.yaml``), its accelerator-hours, its power
as ``power_per_accelerator`` (``basis: tdp`` or ``measured``) or as the facility ``energy`` it states, its ``pue``,
its grid as ``grid_intensity`` (the custom grid) or ``grid`` (a grid code), further ``parameters`` that switch off
what the publication leaves out (checked like ``--set`` values), the ``scope`` (stages the published figure counts)
and the ``published`` headline [tCO2e]. The file is read through :func:`lca.inventory.read.load_document` (YAML
limits, duplicate keys, the :data:`lca.inventory.schema.WORKLOADS` schema); every problem names the file and field.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import pint

from lca.core.distributions import STATS_ARRAYS_ID
from lca.core.stages import STAGES
from lca.core.units import Q_
from lca.inventory import schema
from lca.inventory.model import Inventory
from lca.inventory.overrides import OverrideError, normalise
from lca.inventory.read import InventoryError, inventory_root, load_document

FILE = "workloads.yaml"
#: Bases of a stated power per accelerator: the rated power (node overhead applied) or a measured node share.
POWER_BASES = ("tdp", "measured")
#: Value fields of a run and the unit each is converted to.
VALUE_UNITS = {"accelerator_hours": "hour", "power_per_accelerator": "W", "energy": "kWh", "pue": "dimensionless",
               "grid_intensity": "kg/kWh"}
REQUIRED = ("model", "description", "accelerator", "accelerator_hours", "scope", "published")
PUBLISHED_UNIT = "tCO2e"


class WorkloadError(OverrideError):
    """A catalogue entry or workload argument that cannot be used; the message names the file or option."""


@dataclass(frozen=True)
class Workload:
    """A terrestrial workload: magnitudes in the units of :data:`VALUE_UNITS` (None: the model's default)."""

    accelerator_hours: float                      # [h]
    accelerator: str | None = None
    power_per_accelerator: float | None = None    # [W]
    power_basis: str = "tdp"
    energy: float | None = None                   # facility energy, PUE included [kWh]
    pue: float | None = None                      # [-]
    grid: str | None = None
    grid_intensity: float | None = None           # [kg CO2e/kWh]
    scope: tuple[str, ...] | None = None          # stages counted (None: every stage)
    overrides: dict = field(default_factory=dict)
    name: str | None = None
    model: str | None = None
    published: dict | None = None
    sources: tuple[str, ...] = ()


def _fail(path, where: str, message: str):
    raise WorkloadError(f"{path}: {where}: {message}")


def magnitude(text_or_number, unit: str, where: str) -> float:
    """``text_or_number`` ('57 g/kWh', or a number, or text of a number, already in ``unit``) as a magnitude in
    ``unit``."""
    try:
        text_or_number = float(text_or_number)
    except (TypeError, ValueError):
        pass
    try:
        quantity = Q_(text_or_number) if isinstance(text_or_number, str) else Q_(text_or_number, unit)
        value = float(quantity.to(unit).magnitude)
    except (pint.errors.PintError, ValueError, TypeError, AttributeError) as err:
        raise WorkloadError(f"{where}: '{text_or_number}' is not a quantity in {unit} ({err})") from None
    if not value >= 0 or value == float("inf"):
        raise WorkloadError(f"{where}: expected a finite non-negative value in {unit}, got {text_or_number!r}")
    return value


def catalogue(inventory: Inventory, root: str | os.PathLike | None = None) -> dict[str, Workload]:
    """Every run of ``inventories/workloads.yaml``, validated against ``inventory``."""
    path = inventory_root(root) / FILE
    if not path.is_file():
        return {}
    try:
        data = load_document(path, schema.WORKLOADS)
    except InventoryError as err:
        raise WorkloadError(str(err.problems[0]) if err.problems else str(err)) from None
    runs = {}
    for name, entry in (data or {}).get("workloads", {}).items():
        runs[str(name)] = _entry(inventory, path, str(name), entry)
    return runs


def _entry(inventory: Inventory, path, name: str, entry: dict) -> Workload:
    where = f"workloads.{name}"
    unknown = sorted(set(entry) - set(schema.WORKLOADS.fields["workloads"].entry.fields))
    if unknown:
        _fail(path, f"{where}.{unknown[0]}", "unknown field")
    for required in REQUIRED:
        if entry.get(required) in (None, "", []):
            _fail(path, f"{where}.{required}", "missing")
    if entry["accelerator"] not in inventory.catalogue.accelerators:
        _fail(path, f"{where}.accelerator", f"unknown accelerator '{entry['accelerator']}' (systems.yaml)")
    if ("power_per_accelerator" in entry) == ("energy" in entry):
        _fail(path, where, "give exactly one of power_per_accelerator and energy")
    if "grid" in entry and "grid_intensity" in entry:
        _fail(path, where, "give grid or grid_intensity, not both")
    values, sources = {}, []
    for key, unit in VALUE_UNITS.items():
        spec = entry.get(key)
        if spec is None:
            continue
        for required in ("value", "unit", "uncertainty", "source", "locator"):
            if spec.get(required) in (None, ""):
                _fail(path, f"{where}.{key}.{required}", "missing; every value needs value, unit, uncertainty, "
                      "source and locator")
        if spec["source"] not in inventory.sources:
            _fail(path, f"{where}.{key}.source", f"unknown source id '{spec['source']}'")
        if spec["uncertainty"].get("distribution") not in STATS_ARRAYS_ID:
            _fail(path, f"{where}.{key}.uncertainty", f"expected a distribution of {', '.join(STATS_ARRAYS_ID)}")
        values[key] = magnitude(f"{spec['value']} {spec['unit']}", unit, f"{path}: {where}.{key}")
        sources.append(spec["source"])
    basis = entry.get("power_per_accelerator", {}).get("basis", "tdp")
    if basis not in POWER_BASES:
        _fail(path, f"{where}.power_per_accelerator.basis", f"'{basis}'; expected one of {', '.join(POWER_BASES)}")
    overrides = {}
    for parameter, spec in (entry.get("parameters") or {}).items():
        if spec.get("source") not in inventory.sources:
            _fail(path, f"{where}.parameters.{parameter}.source", f"unknown source id '{spec.get('source')}'")
        try:
            overrides |= normalise(inventory, {parameter: f"{spec['value']} {spec.get('unit', '')}".strip()})
        except OverrideError as err:
            _fail(path, f"{where}.parameters.{parameter}", str(err))
        sources.append(spec["source"])
    unknown_stages = [stage for stage in entry["scope"] if stage not in STAGES]
    if unknown_stages:
        _fail(path, f"{where}.scope", f"unknown stage '{unknown_stages[0]}'; expected stages of {', '.join(STAGES)}")
    published = dict(entry["published"])
    if published.get("unit") != PUBLISHED_UNIT or published.get("source") not in inventory.sources:
        _fail(path, f"{where}.published", f"needs unit {PUBLISHED_UNIT} and a known source id")
    sources.append(published["source"])
    return Workload(values["accelerator_hours"], entry["accelerator"], values.get("power_per_accelerator"), basis,
                    values.get("energy"), values.get("pue"), entry.get("grid"), values.get("grid_intensity"),
                    tuple(entry["scope"]), overrides, name, entry["model"], published,
                    tuple(dict.fromkeys(sources)))
