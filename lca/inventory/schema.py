"""The shape of every data file: the type of each field, checked before any value is used.

A schema is nested Python data: a :class:`Fields` (a mapping with named fields, each with its type),
a :class:`MapOf` (a mapping from free names, like source ids, to entries), a :class:`ListOf`, or a
leaf type name from :data:`LEAVES`. :func:`check` walks a loaded document and returns the first
mismatch as ``(line, field path, message)``; the reader reports it as the one root-cause problem of
the file and does not read the file further (its dependents are then "not checked").

Required fields and meaning (known units, known source ids, limits) are the reader's business: the
schema only says what type a field has when it is present.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Fields:
    """A mapping with these fields (unknown fields are left to the reader, which names them)."""

    fields: dict
    what: str = "a mapping"


@dataclass(frozen=True)
class MapOf:
    """A mapping from free names to entries of one schema."""

    entry: object
    what: str = "a mapping of named entries"


@dataclass(frozen=True)
class ListOf:
    """A list of entries of one schema."""

    entry: object


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


#: Leaf types: name -> (test, what the message says was expected).
LEAVES = {
    "text": (lambda v: isinstance(v, str), "text"),
    "scalar": (lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool), "text or a number"),
    "number": (_number, "a number"),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "text list": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "a list of text"),
    "limits": (lambda v: isinstance(v, (list, str)), "[low, high] or an interval like '(0, 1]'"),
    "any": (lambda v: True, "anything"),
    "value": (lambda v: isinstance(v, str) or _number(v), "a number (or text, for a property)"),
}

UNCERTAINTY = Fields({"distribution": "text", "low": "number", "high": "number", "gsd": "number", "sd": "number"},
                     "a mapping like {distribution: triangular, low: .., high: ..}")
PARAMETER = Fields({"name": "text", "value": "value", "unit": "text", "uncertainty": UNCERTAINTY, "source": "text",
                    "description": "text", "limits": "limits"}, "a mapping with value, unit, uncertainty, source")
HISTORY = Fields({"date": "text", "input": "text", "flow": "text", "categories": "text", "amount": "number",
                  "formula": "text", "unit": "text", "uncertainty": UNCERTAINTY, "source": "text", "comment": "text"},
                 "a mapping (an earlier value: date, amount or formula, unit, source)")
EXCHANGE = Fields({"input": "text", "flow": "text", "categories": "text", "amount": "number", "formula": "text",
                   "unit": "text", "uncertainty": UNCERTAINTY, "source": "text", "stage": "text", "comment": "text",
                   "allow_negative": "bool", "history": ListOf(HISTORY)}, "a mapping (an exchange)")
ACTIVITY = Fields({"code": "text", "name": "text", "reference_product": "text", "unit": "text", "location": "text",
                   "stage": "text", "comment": "text", "properties": MapOf(PARAMETER), "exchanges": ListOf(EXCHANGE)},
                  "a mapping with code, name, unit, exchanges")
DATABASE = Fields({"database": "text", "description": "text", "parameters": ListOf(PARAMETER),
                   "activities": ListOf(ACTIVITY)}, "a mapping with 'database' and 'activities'")
SOURCES = Fields({"sources": MapOf(Fields({"authors": "text", "title": "text", "year": "any", "doi": "text",
                                           "url": "text", "publisher": "text", "locator": "text",
                                           "reliability": "text", "note": "text", "document": "text"}, "a mapping of fields"))},
                 "a mapping 'sources: {id: {...}}'")
PARAMETERS = Fields({"parameters": ListOf(PARAMETER),
                     "options": MapOf(MapOf(Fields({"description": "text", "parameters": MapOf(PARAMETER)},
                                                   "a mapping with 'description' and 'parameters: {...}'"),
                                            "a mapping of named options"))},
                    "a mapping with 'parameters:' and/or 'options:'")
FLOWS = Fields({"database": "text", "flows": ListOf(Fields({"code": "text", "name": "text", "categories": "text",
                                                            "unit": "text", "description": "text"}))},
               "a mapping with 'flows: [...]'")
METHODS = Fields({"derivations": MapOf(Fields({"forcing": "text", "lifetime": "text", "efficacy": "text",
                                                "description": "text"}, "a mapping with forcing, lifetime, efficacy"),
                                         "a mapping of derivation names to {forcing, lifetime, efficacy}"),
                  "methods": ListOf(Fields({
    "alias": "text", "name": "text list", "shipped": "bool", "unit": "text", "source": "text", "description": "text",
    "extends": "text list", "metric": "text",
    "factors": ListOf(Fields({"flow": "text", "categories": "text", "amount": "number", "derived": "text",
                              "uncertainty": UNCERTAINTY, "source": "text"},
                                                     "a mapping (a characterisation factor)"))}))},
    "a mapping with 'methods: [...]'")
SCENARIO_VALUE = Fields({"value": "value", "unit": "text", "source": "text", "description": "text",
                        "group": "text", "low": "number", "high": "number"}, "a mapping with value, unit, source, description")
PUBLISHED = Fields({"value": "number", "low": "number", "high": "number", "unit": "text", "functional_unit": "text",
                    "scope": "text list", "locator": "text", "source": "text", "note": "text",
                    "tolerance": "number"}, "a mapping with value, unit, functional_unit, scope, source, locator")
SCENARIO = Fields({"scenario": "text", "description": "text",
                   "choices": Fields({"accelerator": "text", "precision": "text", "grids": "text list",
                                      "launcher": "text", "orbit": "text"}, "a mapping of configuration choices"),
                   "parameters": MapOf(SCENARIO_VALUE, "a mapping of parameter names to {value, unit, source, "
                                                       "description}"),
                   "published": PUBLISHED},
                  "a mapping with 'scenario', 'description' and 'parameters: {name: {...}}'")
SYSTEMS = Fields({
    "defaults": Fields({"accelerator": "text", "precision": "text", "grids": "text list", "launcher": "text",
                        "orbit": "text", "space_array": "text", "ppa": "text", "orbit_removes": "text list",
                        "drivers": "text list"}),
    "accelerators": MapOf("text", "a mapping of accelerator names to database:code"),
    "launchers": MapOf(Fields({"leo": "text", "sso": "text", "reuse_parameters": "text list"},
                              "{leo: database:code, sso: database:code, reuse_parameters: [...]}")),
    "orbits": MapOf(Fields({"launch": "text"}, "{launch: leo} or {launch: sso}")),
    "orbit_support": MapOf("text", "a mapping of orbital support roles to database:code"),
    "terrestrial_support": MapOf("text", "a mapping of terrestrial support roles to database:code")},
    "a mapping with 'defaults', 'accelerators', 'launchers', 'orbits', 'orbit_support', 'terrestrial_support'")


def _kind(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value) if not isinstance(value, dict) else dict, type(value).__name__)


def check(data, schema, line: int = 0, path: str = ""):
    """The first place where ``data`` does not fit ``schema``: ``(line, field path, message)``, else None.

    ``line`` is that of the innermost mapping around the mismatch (mappings carry a ``line``).
    """
    line = getattr(data, "line", 0) or line
    if isinstance(schema, str):
        test, expected = LEAVES[schema]
        return None if data is None or test(data) else (line, path, f"expected {expected}, got {_kind(data)}")
    if isinstance(schema, ListOf):
        if not isinstance(data, list):
            return line, path, f"expected a list, got {_kind(data)}"
        for index, item in enumerate(data, start=1):
            found = check(item, schema.entry, line, f"{path}[{index}]")
            if found:
                return found
        return None
    if not isinstance(data, dict):
        return line, path, f"expected {schema.what}, got {_kind(data)}"
    for key, value in data.items():
        line = getattr(data, "lines", {}).get(key, line)
        if isinstance(schema, MapOf):
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                return line, path, f"expected names as keys, got {_kind(key)} {key!r}"
            found = check(value, schema.entry, line, f"{path}.{key}" if path else str(key))
        elif key in schema.fields and value is not None:
            found = check(value, schema.fields[key], line, f"{path}.{key}" if path else str(key))
        else:
            found = None
        if found:
            return found
    return None
WORKLOAD_VALUE = Fields({"value": "number", "unit": "text", "uncertainty": UNCERTAINTY, "source": "text",
                         "locator": "text", "basis": "text"},
                        "a mapping with value, unit, uncertainty, source, locator")
WORKLOADS = Fields({"workloads": MapOf(Fields({
    "model": "text", "description": "text", "accelerator": "text", "accelerator_hours": WORKLOAD_VALUE,
    "power_per_accelerator": WORKLOAD_VALUE, "energy": WORKLOAD_VALUE, "pue": WORKLOAD_VALUE,
    "grid_intensity": WORKLOAD_VALUE, "grid": "text", "scope": "text list",
    "parameters": MapOf(SCENARIO_VALUE, "a mapping of parameter names to {value, unit, source, description}"),
    "published": Fields({"value": "number", "unit": "text", "source": "text", "locator": "text",
                         "tolerance": "number", "note": "text"}, "a mapping with value, unit, source, locator")},
    "a mapping with model, description, accelerator, accelerator_hours, scope, published"))},
    "a mapping 'workloads: {name: {...}}'")
