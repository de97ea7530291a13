"""The one loader: read and validate every file in ``inventories/``.

All problems found are collected and reported together, each naming the file,
the line, the activity / exchange / parameter and the field, and what was
expected. See ``docs/inventory-format.md`` for the format.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from lca.core import distributions
from lca.core.flows import OUR_BIOSPHERE, Flow, biosphere3_flows, format_categories, parse_categories
from lca.core.parameters import FormulaError, Parameter, limits_text, names_in, parse_limits, within_limits
from lca.core.shipped import shipped_path
from lca.core.sources import RELIABILITY, USER_EDIT, Source
from lca.core.stages import DEFAULT_STAGE, STAGES
from lca.core.units import UnitError, brightway_word, conversion_factor, from_brightway_word, parse_unit
from lca.errors import InputError
from lca.inventory import cache, derivations, schema
from lca.inventory.catalogue import SUPPORT_SECTIONS, Catalogue, Defaults
from lca.inventory.model import Activity, Database, Derivation, Exchange, Inventory, Method, MethodFactor, Option, formula_amount
from lca.inventory.yaml_limits import LimitedSafeLoader, check_size

#: Files in ``inventories/`` that are not databases.
SPECIAL_FOLDERS = ("sources", "parameters", "scenarios", "presets")   # scenarios, presets: lca.inventory.scenarios
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+\-]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")


@dataclass(frozen=True)
class Problem:
    """One validation problem."""

    file: str
    line: int
    where: str
    message: str

    def __str__(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        return f"{location}: {self.where}: {self.message}" if self.where else f"{location}: {self.message}"


class InventoryError(InputError):
    """The inventory files have problems; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the inventory files:\n{shown}{more}")


def inventory_root(root: str | os.PathLike | None = None) -> Path:
    """The inventories folder: ``root``, else ``$LCA_INVENTORIES``, else the one shipped beside the package."""
    if root is None:
        root = os.environ.get("LCA_INVENTORIES") or shipped_path("inventories")
    path = Path(root)
    if not path.is_dir():
        raise FileNotFoundError(f"inventories folder not found: {path} (set --inventories or LCA_INVENTORIES)")
    return path


# --- YAML with line numbers and duplicate-key detection -------------------------------------------

class _Mapping(dict):
    line = 0
    lines: dict = {}          # key -> line of that key (set per mapping)


class _Loader(LimitedSafeLoader):
    pass


def _construct_mapping(loader, node):
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(node) -> int:
    return getattr(node, "line", 0)


def _guarded(kind: str):
    """Report a value of an unexpected type inside one entry as a problem (file, line) instead of crashing.

    The wrapped method takes ``rel`` first; the entry's line is that of its first YAML mapping argument.
    """
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, rel, *args, **kwargs):
            try:
                return method(self, rel, *args, **kwargs)
            except (TypeError, AttributeError, KeyError, IndexError, ValueError) as err:
                line = next((_line(a) for a in args if isinstance(a, _Mapping)), 0)
                self.problem(rel, line, kind, f"unexpected value ({type(err).__name__}: {err}); "
                             "see docs/inventory-format.md for the fields and their types")
                return None
        return wrapper
    return decorate


def file_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every data file under ``root`` (relative path -> hex digest)."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".csv"):
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


_CACHE: dict[str, tuple[dict, Inventory]] = {}


def read_inventory(root: str | os.PathLike | None = None, cache_dir: str | os.PathLike | None = None) -> Inventory:
    """Read and validate all of ``inventories/``; raise :class:`InventoryError` on any problem.

    The result is kept per folder in this process until a file changes, and, with ``cache_dir``, on disk
    under a key of the files' content, the reading code and the library versions (:mod:`lca.inventory.cache`),
    so later processes skip parsing.
    """
    path = inventory_root(root)
    hashes = file_hashes(path)
    cached = _CACHE.get(str(path))
    if cached and cached[0] == hashes:
        return cached[1]
    inventory = None
    if cache_dir is not None:
        wanted = cache.key(hashes)
        inventory = cache.load(Path(cache_dir), path, wanted)
    if inventory is None:
        inventory = _Reader(path, hashes).read()
        if cache_dir is not None:
            cache.store(Path(cache_dir), path, wanted, inventory)
    _CACHE[str(path)] = (hashes, inventory)
    return inventory


def load_document(path: str | os.PathLike, shape=None):
    """The YAML document at ``path`` read with the inventory's limits, line numbers and duplicate-key check, and
    checked against the schema ``shape``; raise :class:`InventoryError` naming the file, line and field."""
    path = Path(path)
    reader = _Reader(path.parent, {})
    data = reader.load(path, shape)
    if reader.problems:
        raise InventoryError([dataclasses.replace(p, file=str(path)) for p in reader.problems])
    return data


class _Reader:
    def __init__(self, root: Path, hashes: dict[str, str]):
        self.root = root
        self.hashes = hashes
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self.flows: dict[tuple[str, str], Flow] = {}
        self.flow_index: dict[tuple[str, tuple], Flow] = {}
        self.failed: list[str] = []                       # files that could not be read at all
        self.blocked: dict[str, str] = {}                 # file -> the failed file its references need
        self.failed_derivations: set[str] = set()         # derivations of methods.yaml with a problem

    # -- helpers --
    def problem(self, file: str, line: int, where: str, message: str) -> None:
        self.problems.append(Problem(file, line, where, message))

    def load(self, path: Path, shape=None):
        """The YAML document at ``path``, or None (problem reported) when it cannot be read or does not fit
        the schema ``shape`` (:mod:`lca.inventory.schema`); a file that failed is listed in ``failed``."""
        rel = path.relative_to(self.root).as_posix()
        try:
            check_size(path)
            with open(path, encoding="utf-8") as handle:
                data = yaml.load(handle, Loader=_Loader)
            if data is None:
                self.problem(rel, 0, "", "empty file; expected YAML content (see docs/inventory-format.md)")
            mismatch = schema.check(data, shape) if shape is not None and data is not None else None
            if mismatch is None:
                return data
            line, field, message = mismatch
            self.problem(rel, line, "", (f"field '{field}': " if field else "") + message
                         + " (see docs/inventory-format.md)")
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            column = f" (column {mark.column + 1})" if mark else ""
            self.problem(rel, mark.line + 1 if mark else 0, "",
                         f"not valid YAML: {getattr(err, 'problem', err)}{column}")
        except UnicodeDecodeError:
            self.problem(rel, 0, "", "not UTF-8 text")
        except OSError as err:
            self.problem(rel, 0, "", f"cannot read the file: {err.strerror or err}")
        self.failed.append(rel)
        return None

    def reference_problem(self, file, line, where, message, needs: str) -> None:
        """A reference that does not resolve: a problem, unless a file it may point into (``needs``, a folder
        prefix like ``sources/``) failed to load; then the file is reported once as not checked."""
        failed = next((f for f in self.failed if f.startswith(needs)), None)
        if failed is None:
            self.problem(file, line, where, message)
        elif file not in self.failed:
            self.blocked.setdefault(file, failed)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def listed(self, rel, data, field) -> list:
        """``data[field]`` when it is a list (absent: empty); anything else is a problem."""
        value = data.get(field)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(rel, _line(data), "", f"field '{field}': expected a list, got {type(value).__name__}")
            return []
        return value

    def check_source(self, file, line, where, value) -> str:
        if not isinstance(value, str) or not value:
            self.problem(file, line, where, "field 'source': missing; every number needs a source id")
            return ""
        if value not in self.sources:
            hint = difflib.get_close_matches(value, self.sources, n=1)
            self.reference_problem(file, line, where, f"field 'source': unknown source id '{value}'"
                                   + (f" (did you mean '{hint[0]}'?)" if hint else ""), "sources/")
        return value

    def number(self, file, line, where, field, value) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(file, line, where, f"field '{field}': expected a number, got {value!r}")
            return None
        if not math.isfinite(value):
            self.problem(file, line, where, f"field '{field}': must be finite, got {value}")
            return None
        return float(value)

    def unit(self, file, line, where, field, value) -> str | None:
        try:
            parse_unit(value)
        except UnitError as err:
            self.problem(file, line, where, f"field '{field}': {err}")
            return None
        return value.strip()

    def uncertainty(self, file, line, where, spec, central) -> dict | None:
        if spec is None:
            self.problem(file, line, where, "field 'uncertainty': missing; give a distribution or low/high "
                         "({distribution: none} only for exact values)")
            return None
        try:
            return distributions.validate(spec, central)
        except distributions.DistributionError as err:
            self.problem(file, line, where, f"field 'uncertainty': {err}")
            return None

    # -- reading --
    def read(self) -> Inventory:
        self.read_sources()
        self.read_flows()
        parameters, options = self.read_parameters()
        databases = self.read_databases(parameters)
        for group in {name.split(".")[0] for name in parameters} & set(databases):
            self.problem("parameters", 0, f"parameter group '{group}'", "has the name of a database; rename the group")
        methods = self.read_methods(parameters)
        systems = self.read_systems(databases, parameters, options, methods)
        for file, failed in self.blocked.items():
            self.problem(file, 0, "", f"references not checked because {failed} failed (fix that file first)")
        if self.problems:
            raise InventoryError(self.problems)
        return Inventory(str(self.root), self.sources, self.flows, databases, parameters, options, methods,
                         self.hashes, systems)

    def read_sources(self) -> None:
        folder = self.root / "sources"
        files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
        if not files:
            self.problem("sources", 0, "", "no source files (inventories/sources/*.yaml)")
        for path in files:
            rel = self.rel(path)
            data = self.load(path, schema.SOURCES)
            if data is None:
                continue
            if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
                self.problem(rel, _line(data), "", "expected a top-level mapping 'sources: {id: {...}}'")
                continue
            for sid, entry in data["sources"].items():
                where = f"source '{sid}'"
                line = _line(entry)
                if sid in self.sources:
                    self.problem(rel, line, where, f"duplicate source id (also in {self.sources[sid].file})")
                    continue
                if not isinstance(entry, dict):
                    self.problem(rel, line, where, "expected a mapping of fields")
                    continue
                unknown = set(entry) - {"authors", "title", "year", "doi", "url", "publisher", "locator",
                                        "reliability", "note", "document"}
                if unknown:
                    self.problem(rel, line, where, f"unknown field(s) {', '.join(sorted(unknown))}")
                missing = [f for f in ("authors", "title", "year", "reliability") if not entry.get(f)]
                if missing:
                    self.problem(rel, line, where, f"missing field(s) {', '.join(missing)}")
                    continue
                if entry["reliability"] not in RELIABILITY:
                    self.problem(rel, line, where, f"field 'reliability': '{entry['reliability']}' is not one of "
                                 f"{', '.join(RELIABILITY)}")
                if not isinstance(entry["year"], int):
                    self.problem(rel, line, where, f"field 'year': expected a year like 2024, got {entry['year']!r}")
                if entry["reliability"] != "assumption" and not (entry.get("doi") or entry.get("url")):
                    self.problem(rel, line, where, "needs a 'doi' or 'url' (only assumptions may have neither)")
                fields = {k: (v if k == "year" else str(v)) for k, v in entry.items() if k not in unknown}
                self.sources[sid] = Source(id=str(sid), **fields, file=rel)
        self.sources.setdefault(USER_EDIT.id, USER_EDIT)     # edits imported from a workbook (built in)

    def read_flows(self) -> None:
        for flow in biosphere3_flows().values():
            self.flow_index[(flow.name, flow.categories)] = flow
        path = self.root / "biosphere.yaml"
        if not path.exists():
            self.problem("biosphere.yaml", 0, "", "missing (the tool's own elementary flows)")
            return
        rel, data = self.rel(path), self.load(path, schema.FLOWS)
        if data is None:
            return
        if not isinstance(data, dict) or not isinstance(data.get("flows"), list):
            self.problem(rel, _line(data), "", "expected 'flows: [...]'")
            return
        for entry in data["flows"]:
            line = _line(entry)
            code = entry.get("code") if isinstance(entry, dict) else None
            where = f"flow '{code}'"
            if not code or not entry.get("name") or not entry.get("categories") or not entry.get("unit"):
                self.problem(rel, line, where, "needs code, name, categories and unit")
                continue
            unit = self.unit(rel, line, where, "unit", entry["unit"])
            if unit is None:
                continue
            flow = Flow(OUR_BIOSPHERE, code, entry["name"], parse_categories(entry["categories"]),
                        brightway_word(unit), entry.get("description", ""))
            if flow.key in self.flows:
                self.problem(rel, line, where, "duplicate code")
            if (flow.name, flow.categories) in self.flow_index:
                self.problem(rel, line, where, f"'{flow.name}' in {entry['categories']} already exists")
            self.flows[flow.key] = flow
            self.flow_index[(flow.name, flow.categories)] = flow

    @_guarded("parameter")
    def parameter(self, rel, entry, scope, name_pattern, name=None) -> Parameter | None:
        """One parameter or property entry."""
        line = _line(entry)
        name = name if name is not None else (entry.get("name") if isinstance(entry, dict) else None)
        where = f"parameter '{name}'" if scope != "property" else f"property '{name}'"
        if not isinstance(entry, dict):
            self.problem(rel, line, where, "expected a mapping with value, unit, uncertainty, source")
            return None
        if not isinstance(name, str) or not name_pattern.match(name):
            self.problem(rel, line, where, "field 'name': expected " +
                         ("a dotted name like 'orbit.lifetime'" if name_pattern is _DOTTED else "a Python identifier"))
            return None
        unknown = set(entry) - {"name", "value", "unit", "uncertainty", "source", "description", "limits"}
        if unknown:
            self.problem(rel, line, where, f"unknown field(s) {', '.join(sorted(unknown))}")
        source = self.check_source(rel, line, where, entry.get("source"))
        value = entry.get("value")
        if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[\d.,]+\s*(%|percent)\s*", value):
            self.problem(rel, line, where, f"field 'value': a percentage written as text ({value!r}); write the "
                         "number with 'unit: percent' (or the fraction with 'unit: dimensionless')")
            return None
        if isinstance(value, str) and scope == "property":
            return Parameter(name, value, "", {"distribution": "none"}, source, entry.get("description", ""),
                             scope, rel)
        value = self.number(rel, line, where, "value", value)
        unit = self.unit(rel, line, where, "unit", entry.get("unit", ""))
        if value is None or unit is None:
            return None
        spec = self.uncertainty(rel, line, where, entry.get("uncertainty"), value)
        try:
            limits, exclusive = parse_limits(entry.get("limits", [None, None]))
        except (ValueError, TypeError):
            self.problem(rel, line, where, f"field 'limits': expected [low, high] of finite numbers (null for "
                         f"open) or an interval like '(0, 1]', got {entry.get('limits')!r}")
            limits, exclusive = (None, None), (False, False)
        if not within_limits(value, limits, exclusive):
            self.problem(rel, line, where, f"value {value:g} {unit or 'dimensionless'} outside its limits "
                         f"{limits_text(limits, exclusive)}")
        for field, bound in (("low", "low"), ("high", "high")):
            if spec and field in spec and not within_limits(spec[field], limits, (False, False)):
                self.problem(rel, line, where, f"field 'uncertainty': '{bound}' {spec[field]:g} outside the "
                             f"limits {limits_text(limits, exclusive)}")
        return Parameter(name, value, unit, spec or {"distribution": "none"}, source,
                         entry.get("description", ""), scope, rel, limits, exclusive)

    def read_parameters(self):
        parameters, options = {}, {}
        folder = self.root / "parameters"
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            rel, data = self.rel(path), self.load(path, schema.PARAMETERS)
            if data is None:
                continue
            if not isinstance(data, dict):
                self.problem(rel, 0, "", "expected 'parameters:' and/or 'options:'")
                continue
            for entry in self.listed(rel, data, "parameters"):
                parameter = self.parameter(rel, entry, "global", _DOTTED)
                if parameter is None:
                    continue
                if parameter.name in parameters:
                    self.problem(rel, _line(entry), f"parameter '{parameter.name}'",
                                 f"duplicate name (also in {parameters[parameter.name].file})")
                parameters[parameter.name] = parameter
            for group, choices in (data.get("options") or {}).items():
                if not isinstance(choices, dict):
                    self.problem(rel, _line(data), f"option group '{group}'", "expected a mapping of named options")
                    continue
                for name, option in choices.items():
                    where = f"option '{group}: {name}'"
                    if not isinstance(option, dict) or not isinstance(option.get("parameters"), dict):
                        self.problem(rel, _line(option), where, "expected 'description' and 'parameters: {...}'")
                        continue
                    values = {}
                    for pname, entry in option["parameters"].items():
                        parameter = self.parameter(rel, entry, "global", _DOTTED, name=pname)
                        if parameter is not None:
                            values[pname] = parameter
                    options.setdefault(group, {})[name] = Option(group, name, option.get("description", ""), values)
        for group in options.values():
            for option in group.values():
                for pname in option.parameters:
                    if pname not in parameters:
                        self.problem("parameters", 0, f"option '{option.group}: {option.name}'",
                                     f"sets '{pname}', which is not a declared parameter")
        return parameters, options

    def read_databases(self, global_parameters) -> dict[str, Database]:
        raw: dict[str, list[tuple[str, dict]]] = {}
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and p.name not in SPECIAL_FOLDERS):
            for path in sorted(folder.glob("*.yaml")):
                data = self.load(path, schema.DATABASE)
                rel = self.rel(path)
                if data is None:
                    continue
                if not isinstance(data, dict) or data.get("database") != folder.name:
                    self.problem(rel, _line(data), "", f"field 'database': expected '{folder.name}' (the folder name)")
                    continue
                raw.setdefault(folder.name, []).append((rel, data))
        databases: dict[str, Database] = {}
        # pass 1: activities, units and parameters, so that providers can be resolved
        for name, files in raw.items():
            database = Database(name, "", {}, {}, [rel for rel, _ in files])
            for rel, data in files:
                database.description = database.description or data.get("description", "")
                for entry in self.listed(rel, data, "parameters"):
                    parameter = self.parameter(rel, entry, name, _IDENTIFIER)
                    if parameter is None:
                        continue
                    if parameter.name in database.parameters:
                        self.problem(rel, _line(entry), f"parameter '{parameter.name}'", "duplicate name in database")
                    database.parameters[parameter.name] = parameter
                for entry in self.listed(rel, data, "activities"):
                    activity = self.activity_header(rel, name, entry)
                    if activity is None:
                        continue
                    if activity.code in database.activities:
                        self.problem(rel, activity.line, f"activity '{activity.code}'",
                                     f"duplicate code (also in {database.activities[activity.code].file})")
                        continue
                    database.activities[activity.code] = activity
            databases[name] = database
        # pass 2: exchanges
        view = Inventory(str(self.root), {}, {}, databases, global_parameters, {}, {}, {})
        for name, files in raw.items():
            for rel, data in files:
                for entry in data["activities"] if isinstance(data.get("activities"), list) else []:
                    code = entry.get("code") if isinstance(entry, dict) else None
                    activity = databases[name].activities.get(code) if isinstance(code, str) else None
                    if activity is None or activity.file != rel:
                        continue
                    scope = view.formula_scope(activity)
                    for index, exchange in enumerate(self.listed(rel, entry, "exchanges"), start=1):
                        parsed = self.exchange(rel, activity, index, exchange, databases, scope)
                        if parsed is not None:
                            activity.exchanges.append(parsed)
        return databases

    @_guarded("activity")
    def activity_header(self, rel, database, entry) -> Activity | None:
        line = _line(entry)
        if not isinstance(entry, dict):
            self.problem(rel, line, "activity", "expected a mapping with code, name, unit, exchanges")
            return None
        code = entry.get("code")
        where = f"activity '{code}'"
        if not isinstance(code, str) or not _CODE.match(code):
            self.problem(rel, line, where, "field 'code': expected letters, digits, '_', '-', '.', '+'")
            return None
        unknown = set(entry) - {"code", "name", "reference_product", "unit", "location", "stage", "comment",
                                "properties", "exchanges"}
        if unknown:
            self.problem(rel, line, where, f"unknown field(s) {', '.join(sorted(unknown))}")
        if not entry.get("name"):
            self.problem(rel, line, where, "field 'name': missing")
            return None
        unit = self.unit(rel, line, where, "unit", entry.get("unit", ""))
        stage = entry.get("stage", DEFAULT_STAGE)
        if stage not in STAGES:
            self.problem(rel, line, where, f"field 'stage': '{stage}' is not one of: {', '.join(STAGES)}")
        properties = {}
        for pname, pentry in (entry.get("properties") or {}).items():
            parameter = self.parameter(rel, pentry, "property", _IDENTIFIER, name=pname)
            if parameter is not None:
                properties[pname] = parameter
        if unit is None:
            return None
        return Activity(database, code, str(entry["name"]), str(entry.get("reference_product", entry["name"])),
                        unit, str(entry.get("location", "GLO")), stage, str(entry.get("comment", "")), properties,
                        [], rel, line)

    def provider(self, rel, line, where, exchange, databases):
        """Resolve ``input``/``flow`` to (kind, key, unit)."""
        has_input, has_flow = "input" in exchange, "flow" in exchange
        if has_input == has_flow:
            self.problem(rel, line, where, "give exactly one of 'input' (database:code) or 'flow' (biosphere)")
            return None
        if has_input:
            reference = exchange["input"]
            database, sep, code = str(reference).partition(":")
            if not sep:
                self.problem(rel, line, where, f"field 'input': expected 'database:code', got '{reference}'")
                return None
            if database not in databases:
                self.reference_problem(rel, line, where, f"field 'input': missing provider: no database "
                                       f"'{database}'", f"{database}/")
                return None
            provider = databases[database].activities.get(code)
            if provider is None:
                hint = difflib.get_close_matches(code, databases[database].activities, n=1)
                self.reference_problem(rel, line, where, f"field 'input': missing provider: no activity '{code}' in "
                                       f"database '{database}'" + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                                       f"{database}/")
                return None
            return "technosphere", provider.key, provider.unit
        categories = parse_categories(exchange.get("categories", ""))
        flow = self.flow_index.get((exchange["flow"], categories))
        if flow is None:
            known = sorted(format_categories(c) for (n, c) in self.flow_index if n == exchange["flow"])
            detail = (f"known categories: {', '.join(known)}" if known else
                      "no flow of that name in biosphere3 or lca biosphere")
            self.problem(rel, line, where, f"field 'flow': unknown flow '{exchange['flow']}' in "
                         f"'{format_categories(categories)}' ({detail})")
            return None
        return "biosphere", flow.key, str(from_brightway_word(flow.unit))

    @_guarded("exchange")
    def exchange(self, rel, activity, index, exchange, databases, scope) -> Exchange | None:
        line = _line(exchange) or activity.line
        label = exchange.get("input") or exchange.get("flow") if isinstance(exchange, dict) else None
        where = f"activity '{activity.code}' exchange {index} ({label})"
        if not isinstance(exchange, dict):
            self.problem(rel, line, where, "expected a mapping")
            return None
        unknown = set(exchange) - {"input", "flow", "categories", "amount", "formula", "unit", "uncertainty",
                                   "source", "stage", "comment", "allow_negative", "history"}
        if unknown:
            self.problem(rel, line, where, f"unknown field(s) {', '.join(sorted(unknown))}")
        for number, earlier in enumerate(exchange.get("history") or [], start=1):
            if not isinstance(earlier, dict) or not earlier.get("date"):
                self.problem(rel, _line(earlier) or line, f"{where} history entry {number}",
                             "expected a mapping with a 'date' and the earlier value's 'source'")
                continue
            self.check_source(rel, _line(earlier) or line, f"{where} history entry {number}", earlier.get("source"))
        resolved = self.provider(rel, line, where, exchange, databases)
        source = self.check_source(rel, line, where, exchange.get("source"))
        given_unit = self.unit(rel, line, where, "unit", exchange.get("unit", ""))
        stage = exchange.get("stage", "")
        if stage and stage not in STAGES:
            self.problem(rel, line, where, f"field 'stage': '{stage}' is not one of: {', '.join(STAGES)}")
        if resolved is None or given_unit is None:
            return None
        kind, key, provider_unit = resolved
        try:
            factor = conversion_factor(given_unit, provider_unit)
        except UnitError as err:
            self.problem(rel, line, where, f"field 'unit': wrong dimension: {err}")
            return None
        if ("amount" in exchange) == ("formula" in exchange):
            self.problem(rel, line, where, "give exactly one of 'amount' or 'formula'")
            return None
        uncertainty, formula = None, ""
        if "formula" in exchange:
            formula = exchange["formula"]
            try:
                unknown_names = names_in(formula) - set(scope)
                failed = next((f for f in self.failed if f.startswith(("parameters/", f"{activity.database}/"))), None)
                if unknown_names and failed:
                    self.blocked.setdefault(rel, failed)
                    return None
                if unknown_names:
                    raise FormulaError(f"unknown parameter(s) {', '.join(sorted(unknown_names))} in formula "
                                       f"'{formula}'")
                amount = formula_amount(formula, scope, given_unit, provider_unit, activity.unit)
            except FormulaError as err:
                self.problem(rel, line, where, f"field 'formula': {err}")
                return None
            if not math.isfinite(amount):
                self.problem(rel, line, where, f"field 'formula': gives {amount}")
                return None
            if "uncertainty" in exchange:
                self.problem(rel, line, where, "field 'uncertainty': a formula's uncertainty comes from its "
                             "parameters; remove it")
        else:
            given = self.number(rel, line, where, "amount", exchange["amount"])
            if given is None:
                return None
            amount = given * factor
            spec = self.uncertainty(rel, line, where, exchange.get("uncertainty"), given)
            if spec is None:
                return None
            uncertainty = distributions.scaled(spec, factor)
        allow_negative = bool(exchange.get("allow_negative", False))
        if amount < 0 and not allow_negative:
            self.problem(rel, line, where, f"negative amount {amount:g} not allowed here "
                         "(set 'allow_negative: true' for a credit)")
            return None
        return Exchange(kind, key, amount, provider_unit, source, uncertainty, formula, given_unit, stage,
                        str(exchange.get("comment", "")), allow_negative, line)

    def read_systems(self, databases, parameters, options, methods=None) -> Catalogue:
        """``systems.yaml``: the accelerators, launchers and orbits `lca compare` offers (optional file)."""
        path = self.root / "systems.yaml"
        if not path.exists():
            return Catalogue()
        rel, data = self.rel(path), self.load(path, schema.SYSTEMS)
        if data is None:
            return Catalogue()
        if not isinstance(data, dict):
            self.problem(rel, 0, "", "expected 'defaults', 'accelerators', 'launchers', 'orbits', 'orbit_support', "
                         "'terrestrial_support'")
            return Catalogue()
        before = len(self.problems)

        def activity(where, line, reference):
            database, _, code = str(reference).partition(":")
            if code not in databases.get(database, Database("", "", {}, {}, [])).activities:
                self.reference_problem(rel, line, where, f"no activity '{reference}'", f"{database}/")
                return None
            return databases[database].activities[code]

        for section in ("defaults", "accelerators", "launchers", "orbits"):
            if not isinstance(data.get(section) or {}, dict):
                self.problem(rel, _line(data), f"section '{section}'",
                             f"expected a mapping, got {type(data[section]).__name__}")
                return Catalogue()
        for name, entry in (data.get("launchers") or {}).items():
            if not isinstance(entry, dict):
                self.problem(rel, _line(data.get("launchers")), f"launcher '{name}'",
                             "expected {leo: database:code, sso: database:code, reuse_parameters: [...]}")
                return Catalogue()
        qualified = set(parameters) | {f"{d.name}.{n}" for d in databases.values() for n in d.parameters}
        for name, reference in (data.get("accelerators") or {}).items():
            found = activity(f"accelerator '{name}'", _line(data.get("accelerators")), reference)
            if found is not None:
                for needed in ("tdp", "host_platform"):
                    if needed not in found.properties:
                        self.problem(rel, _line(data.get("accelerators")), f"accelerator '{name}'",
                                     f"activity '{reference}' has no property '{needed}'")
        for name, entry in (data.get("launchers") or {}).items():
            line = _line(entry)
            for orbit_class in ("leo", "sso"):
                if entry.get(orbit_class):
                    activity(f"launcher '{name}' {orbit_class}", line, entry[orbit_class])
            for parameter in entry.get("reuse_parameters") or []:
                if parameter not in qualified:
                    self.problem(rel, line, f"launcher '{name}'", f"unknown reuse parameter '{parameter}'")
        for name, entry in (data.get("orbits") or {}).items():
            if not isinstance(entry, dict) or entry.get("launch") not in ("leo", "sso"):
                self.problem(rel, _line(data.get("orbits")), f"orbit '{name}'", "expected {launch: leo} or {launch: sso}")
            if name not in options.get("orbit", {}):
                self.problem(rel, _line(entry), f"orbit '{name}'", "not an option of group 'orbit' in parameters/")
        defaults = data.get("defaults") or {}
        unknown = sorted(set(defaults) - {f.name for f in dataclasses.fields(Defaults)})
        if unknown:
            self.problem(rel, _line(defaults), "defaults", f"unknown key(s) {', '.join(map(str, unknown))}; expected "
                         f"{', '.join(f.name for f in dataclasses.fields(Defaults))}")
        for key, group in (("accelerator", "accelerators"), ("launcher", "launchers"), ("orbit", "orbits")):
            if defaults.get(key) not in (data.get(group) or {}):
                self.problem(rel, _line(defaults), f"defaults '{key}'", f"'{defaults.get(key)}' is not in '{group}'")
        for key in ("space_array", "ppa"):
            if defaults.get(key):
                activity(f"defaults '{key}'", _line(defaults), defaults[key])
        for reference in defaults.get("orbit_removes") or []:
            activity("defaults 'orbit_removes'", _line(defaults), reference)
        for section, roles in SUPPORT_SECTIONS.items():
            support = data.get(section) or {}
            if sorted(support) != sorted(roles):
                self.problem(rel, _line(support), section, f"roles {', '.join(sorted(map(str, support)))}; "
                             f"expected exactly {', '.join(roles)}")
            for role, reference in support.items():
                activity(f"{section} '{role}'", _line(support), reference)
        factors = {f"cf:{m.alias}:{f.flow[0]}:{f.flow[1]}" for m in (methods or {}).values() for f in m.factors}
        for name in defaults.get("drivers") or []:
            if name not in qualified | factors:
                self.problem(rel, _line(defaults), "defaults 'drivers'",
                             f"unknown parameter '{name}'; expected a shared or <database>.<name> parameter or a "
                             "factor cf:<method>:<flow database>:<flow code>")
        return Catalogue.from_yaml(data) if len(self.problems) == before else Catalogue()

    def read_derivations(self, rel, data, parameters) -> dict[str, Derivation]:
        """``derivations:`` of methods.yaml: each names existing shared parameters of the right dimension."""
        out = {}
        for name, entry in (data.get("derivations") or {}).items():
            where, line = f"derivation '{name}'", _line(entry)
            if not isinstance(entry, dict):
                self.problem(rel, line, where, "expected a mapping with forcing, lifetime, efficacy")
                continue
            unknown = set(entry) - {"forcing", "lifetime", "efficacy", "description"}
            if unknown:
                self.problem(rel, line, where, f"unknown field(s) {', '.join(sorted(unknown))}")
            good = True
            for field, unit in derivations.INPUT_UNITS.items():
                pname = entry.get(field)
                if not isinstance(pname, str) or pname not in parameters:
                    hint = difflib.get_close_matches(str(pname), parameters, n=1)
                    self.problem(rel, line, where, f"field '{field}': expected the name of a shared parameter "
                                 f"(inventories/parameters/*.yaml), got {pname!r}"
                                 + (f" (did you mean '{hint[0]}'?)" if hint else ""))
                    good = False
                    continue
                try:
                    conversion_factor(parameters[pname].unit or "dimensionless", unit)
                except UnitError:
                    self.problem(rel, line, where, f"field '{field}': parameter '{pname}' is in "
                                 f"'{parameters[pname].unit}', expected a unit convertible to '{unit}'")
                    good = False
            if not good:
                self.failed_derivations.add(name)
            else:
                out[name] = Derivation(name, entry["forcing"], entry["lifetime"], entry["efficacy"],
                                       entry.get("description", ""))
        return out

    def derived_factor(self, rel, line, where, metric, derivation, parameters) -> float | None:
        """The central value of a derived factor, or None (problem reported) when an input is missing."""
        if metric not in derivations.METRICS:
            if metric is None:        # an unknown metric is reported once, for the method
                self.problem(rel, line, where, f"field 'metric': a method with derived factors needs a metric, "
                             f"one of {', '.join(derivations.METRICS)}")
            return None
        missing = [name for name in derivations.inputs(derivation, metric) if name not in parameters]
        if missing:
            self.problem(rel, line, where, f"the {metric} derivation needs the parameter(s) {', '.join(missing)} "
                         "(inventories/parameters/climate.yaml)")
            return None
        try:
            amount = derivations.evaluate(parameters, derivation, metric)
        except (UnitError, ValueError, ZeroDivisionError) as err:
            self.problem(rel, line, where, f"derivation '{derivation.name}' cannot be evaluated: {err}")
            return None
        if not math.isfinite(amount):
            self.problem(rel, line, where, f"derivation '{derivation.name}' gives a non-finite factor ({amount})")
            return None
        return amount

    def read_methods(self, parameters=None) -> dict[str, Method]:
        parameters = parameters or {}
        path = self.root / "methods.yaml"
        if not path.exists():
            self.problem("methods.yaml", 0, "", "missing (climate methods)")
            return {}
        rel, data = self.rel(path), self.load(path, schema.METHODS)
        methods: dict[str, Method] = {}
        if data is None:
            return methods
        if not isinstance(data, dict) or not isinstance(data.get("methods"), list):
            self.problem(rel, _line(data), "", "expected 'methods: [...]'")
            return methods
        known_derivations = self.read_derivations(rel, data, parameters)
        for entry in data["methods"]:
            line = _line(entry)
            alias = entry.get("alias") if isinstance(entry, dict) else None
            where = f"method '{alias}'"
            if not alias or not isinstance(entry.get("name"), list):
                self.problem(rel, line, where, "needs 'alias' and 'name' (a list of strings)")
                continue
            if alias in methods:
                self.problem(rel, line, where, "duplicate alias")
                continue
            source = self.check_source(rel, line, where, entry.get("source"))
            factors = []
            for index, factor in enumerate(entry.get("factors") or [], start=1):
                fwhere = f"{where} factor {index} ({factor.get('flow')})"
                fline = _line(factor)
                flow = self.flow_index.get((factor.get("flow"), parse_categories(factor.get("categories", ""))))
                if flow is None:
                    self.problem(rel, fline, fwhere, "field 'flow': unknown flow/categories")
                    continue
                fsource = self.check_source(rel, fline, fwhere, factor.get("source"))
                if "derived" in factor:
                    if "amount" in factor or "uncertainty" in factor:
                        self.problem(rel, fline, fwhere, "a derived factor takes no 'amount' or 'uncertainty' (both "
                                     "come from its derivation's inputs)")
                        continue
                    derivation = known_derivations.get(factor["derived"])
                    if derivation is None and factor["derived"] in self.failed_derivations:
                        continue          # its problem is reported once, for the derivation
                    if derivation is None:
                        hint = difflib.get_close_matches(str(factor["derived"]), known_derivations, n=1)
                        self.problem(rel, fline, fwhere, f"field 'derived': unknown derivation {factor['derived']!r}; "
                                     f"known: {', '.join(known_derivations) or 'none'}"
                                     + (f" (did you mean '{hint[0]}'?)" if hint else ""))
                        continue
                    amount = self.derived_factor(rel, fline, fwhere, entry.get("metric"), derivation, parameters)
                    if amount is not None:
                        factors.append(MethodFactor(flow.key, amount, {"distribution": "none"}, fsource, derivation))
                    continue
                amount = self.number(rel, fline, fwhere, "amount", factor.get("amount"))
                if amount is None:
                    continue
                spec = self.uncertainty(rel, fline, fwhere, factor.get("uncertainty"), amount)
                factors.append(MethodFactor(flow.key, amount, spec or {"distribution": "none"}, fsource))
            shipped = bool(entry.get("shipped", False))
            extends = tuple(entry["extends"]) if entry.get("extends") else None
            if shipped and (factors or extends):
                self.problem(rel, line, where, "a shipped method takes no 'factors' or 'extends'")
            if entry.get("metric") is not None and entry["metric"] not in derivations.METRICS:
                self.problem(rel, line, where, f"field 'metric': expected one of {', '.join(derivations.METRICS)}, "
                             f"got {entry['metric']!r}")
            methods[alias] = Method(tuple(entry["name"]), alias, entry.get("unit", "kg CO2-Eq"),
                                    entry.get("description", ""), source, shipped, extends, factors,
                                    entry.get("metric") or "")
        names = {m.name for m in methods.values()}
        for method in methods.values():
            if method.extends and method.extends not in names:
                self.problem(rel, 0, f"method '{method.alias}'", f"'extends' names an unknown method {method.extends}")
        return methods
