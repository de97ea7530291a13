"""Scenario files and study presets: named sets of parameter values, each with its source.

A scenario (``inventories/scenarios/NAME.yaml``) or a study preset (``inventories/presets/NAME.yaml``) is
the same edit an analyst makes on the Assumptions sheet or with ``--set``, written down for review::

    scenario: demonstrated
    description: what has flown to date
    choices: {launcher: falcon9}              # optional: accelerator, precision, grids, launcher, orbit
    parameters:
      launch.reuses_f9_booster:
        value: 30                              # a number, or text with a unit: "30 year"
        unit: dimensionless                    # the unit of value (converted to the parameter's own)
        source: spacex_b1067_30th_flight       # an id in inventories/sources/
        description: record booster flights (B1067, August 2025)
        group: launcher                        # presets: the assumption group (reconciliation)
        low: 20                                # optional: the range of an assumed value, in unit
        high: 30

A preset also has ``published:`` (the study's own headline: value, unit, functional unit, scope counted,
source and page or table). Every file is read through :func:`lca.inventory.read.load_document` (YAML limits,
duplicate keys, the :data:`lca.inventory.schema.SCENARIO` schema) and each value is checked like a ``--set``
override (known name, unit of the right dimension, within the parameter's limits); every problem names the
file and the field.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lca.core.stages import STAGES
from lca.inventory import schema
from lca.inventory.model import Inventory
from lca.inventory.overrides import OverrideError, normalise
from lca.inventory.read import InventoryError, inventory_root, load_document

#: Folder of ``inventories/`` for each kind of file.
KINDS = {"scenario": "scenarios", "preset": "presets"}
CHOICE_KEYS = ("accelerator", "precision", "grids", "launcher", "orbit")
#: Assumption groups a preset's values belong to (swapped one at a time by the reconciliation).
GROUPS = ("launcher", "specific_mass", "lifetime", "array", "hardware", "grid", "high_altitude", "other")
PUBLISHED_REQUIRED = ("value", "unit", "functional_unit", "scope", "source", "locator")
#: Units a published headline can be given in (converted by :mod:`lca.analysis.reconcile`).
PUBLISHED_UNITS = ("ratio", "kgCO2e/kg")


class ScenarioError(OverrideError):
    """A scenario or preset file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Entry:
    """One value of a scenario file, as written (``value`` in ``unit``) and in the parameter's unit."""

    name: str
    value: object
    unit: str
    magnitude: float
    source: str
    description: str
    group: str = "other"
    low: float | None = None          # the range of an assumed value, in ``unit`` (documentation)
    high: float | None = None


@dataclass(frozen=True)
class Scenario:
    """A validated scenario or preset."""

    name: str
    kind: str
    path: str
    description: str
    choices: dict = field(default_factory=dict)
    entries: tuple[Entry, ...] = ()
    published: dict | None = None

    @property
    def overrides(self) -> dict[str, float]:
        """Parameter name -> value in the parameter's own unit (as :func:`lca.inventory.overrides.normalise`)."""
        return {e.name: e.magnitude for e in self.entries}

    def group(self, name: str) -> dict[str, float]:
        """The overrides of one assumption group."""
        return {e.name: e.magnitude for e in self.entries if e.group == name}

    @property
    def sources(self) -> list[str]:
        """Every source id the file cites."""
        ids = [e.source for e in self.entries] + ([self.published["source"]] if self.published else [])
        return list(dict.fromkeys(ids))


def folder(kind: str, root: str | os.PathLike | None = None) -> Path:
    """The folder of ``kind`` ('scenario' or 'preset') in the inventories folder ``root``."""
    return inventory_root(root) / KINDS[kind]


def available(kind: str, root: str | os.PathLike | None = None) -> dict[str, Path]:
    """Shipped files of ``kind``: name (file stem) -> path."""
    where = folder(kind, root)
    return {p.stem: p for p in sorted(where.glob("*.yaml"))} if where.is_dir() else {}


def resolve(name_or_path: str | os.PathLike, kind: str, root: str | os.PathLike | None = None) -> Path:
    """A shipped name, or the path of a user's own file."""
    shipped = available(kind, root)
    if str(name_or_path) in shipped:
        return shipped[str(name_or_path)]
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return path
    raise ScenarioError(f"unknown {kind} '{name_or_path}': not a file and not one of "
                        f"{', '.join(shipped) or '(none shipped)'} (see `lca list {KINDS[kind]}`)")


def _fail(path: Path, where: str, message: str):
    raise ScenarioError(f"{path}: {where}: {message}")


def read_scenario(name_or_path: str | os.PathLike, inventory: Inventory, kind: str = "scenario",
                  root: str | os.PathLike | None = None) -> Scenario:
    """Read and validate one scenario (or preset) file against ``inventory``.

    Raises :class:`ScenarioError` (an :class:`lca.errors.InputError`) naming the file and the field.
    """
    path = resolve(name_or_path, kind, root)
    try:
        data = load_document(path, schema.SCENARIO)
    except InventoryError as err:
        raise ScenarioError(str(err.problems[0]) if err.problems else str(err)) from None
    if not isinstance(data, dict):
        _fail(path, "file", "expected a mapping with 'scenario', 'description' and 'parameters'")
    unknown = sorted(set(data) - set(schema.SCENARIO.fields))
    if unknown:
        _fail(path, f"field '{unknown[0]}'", f"unknown field; expected {', '.join(schema.SCENARIO.fields)}")
    for required in ("scenario", "description", "parameters"):
        if not data.get(required):
            _fail(path, f"field '{required}'", "missing")
    name = str(data["scenario"])
    if name != path.stem and path.parent == folder(kind, root):
        _fail(path, "field 'scenario'", f"'{name}' differs from the file name '{path.stem}'")
    choices = dict(data.get("choices") or {})
    unknown = sorted(set(choices) - set(CHOICE_KEYS))
    if unknown:
        _fail(path, f"choices.{unknown[0]}", f"unknown choice; expected one of {', '.join(CHOICE_KEYS)}")
    entries = []
    for parameter, spec in data["parameters"].items():
        where = f"parameters.{parameter}"
        for required in ("value", "unit", "source", "description"):
            if spec.get(required) is None or spec.get(required) == "" and required != "unit":
                _fail(path, f"{where}.{required}", "missing; every value needs value, unit, source and description")
        unknown = sorted(set(spec) - set(schema.SCENARIO_VALUE.fields))
        if unknown:
            _fail(path, f"{where}.{unknown[0]}", f"unknown field; expected {', '.join(schema.SCENARIO_VALUE.fields)}")
        if spec["source"] not in inventory.sources:
            _fail(path, f"{where}.source", f"unknown source id '{spec['source']}' (add it to inventories/sources/)")
        group = spec.get("group", "other")
        if group not in GROUPS:
            _fail(path, f"{where}.group", f"unknown group '{group}'; expected one of {', '.join(GROUPS)}")
        value = spec["value"]
        given = f"{value} {spec['unit']}" if isinstance(value, (int, float)) and spec["unit"] else value
        try:
            magnitude = normalise(inventory, {parameter: given})[parameter]
        except OverrideError as err:
            _fail(path, where, str(err).removeprefix(f"{parameter}: "))
        if spec.get("low") is not None and spec.get("high") is not None and not spec["low"] <= spec["high"]:
            _fail(path, f"{where}.low", f"low {spec['low']} is above high {spec['high']}")
        entries.append(Entry(parameter, value, spec["unit"], magnitude, spec["source"],
                             " ".join(str(spec["description"]).split()), group, spec.get("low"), spec.get("high")))
    published = data.get("published")
    if published is not None:
        if kind != "preset":
            _fail(path, "field 'published'", "only a study preset (inventories/presets/) records a published result")
        for required in PUBLISHED_REQUIRED:
            if published.get(required) in (None, "", []):
                _fail(path, f"published.{required}", "missing")
        if published["source"] not in inventory.sources:
            _fail(path, "published.source", f"unknown source id '{published['source']}'")
        if published["unit"] not in PUBLISHED_UNITS:
            _fail(path, "published.unit", f"'{published['unit']}' cannot be converted; expected one of "
                  f"{', '.join(PUBLISHED_UNITS)} (orbit/ground, or break-even launcher emissions per kg)")
        unknown = [stage for stage in published["scope"] if stage not in STAGES]
        if unknown:
            _fail(path, "published.scope", f"unknown stage '{unknown[0]}'; expected stages of {', '.join(STAGES)}")
        published = dict(published)
    return Scenario(name, kind, str(path), " ".join(str(data["description"]).split()), choices, tuple(entries),
                    published)
