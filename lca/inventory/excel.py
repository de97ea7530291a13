"""Round trip between ``inventories/`` and Excel workbooks in bw2io's layout.

Export writes one workbook per database (bw2io's ``ExcelImporter`` reads one
database per workbook), its one sheet in bw2io's block layout (``Database``,
``Activity``, ``Exchanges`` blocks), with
extra columns for what Brightway does not hold natively: the source id, the
unit written in the data (``given unit``) and the formula. ``amount`` and
``unit`` are Brightway's (the provider's unit).

Import reads the edited workbooks, applies the changes to a copy of the YAML
files (comments are kept), validates the copy with the one loader, and only
then replaces the changed files, each atomically.
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path

from lca.core.distributions import STATS_ARRAYS_ID, to_stats_arrays
from lca.core.files import append_row, atomic_path, atomic_paths
from lca.core.flows import format_categories, parse_categories
from lca.core.units import brightway_word, conversion_factor, from_brightway_word
from lca.errors import InputError
from lca.inventory.model import Inventory
from lca.inventory.read import InventoryError, read_inventory

EXCHANGE_COLUMNS = ["name", "amount", "unit", "database", "code", "location", "categories", "type",
                    "reference product", "source", "given amount", "given unit", "formula", "uncertainty type",
                    "loc", "scale", "minimum", "maximum", "stage", "comment"]
_DISTRIBUTION_OF = {v: k for k, v in STATS_ARRAYS_ID.items()}


class WorkbookError(InputError):
    """A workbook that does not have the expected layout or values."""


def _exchange_row(inventory: Inventory, exchange) -> list:
    if exchange.kind == "technosphere":
        provider = inventory.activity(":".join(exchange.input))
        name, location, categories, product = provider.name, provider.location, "", provider.reference_product
    else:
        flow = _flow(inventory, exchange.input)
        name, location, categories, product = flow.name, "", format_categories(flow.categories), ""
    factor = conversion_factor(exchange.given_unit, exchange.unit)
    fields = to_stats_arrays(exchange.uncertainty or {"distribution": "none"}, exchange.amount)
    return [name, exchange.amount, brightway_word(exchange.unit), exchange.input[0], exchange.input[1], location,
            categories, exchange.kind, product, exchange.source, exchange.amount / factor, exchange.given_unit,
            exchange.formula, "" if exchange.is_formula else fields["uncertainty type"],
            fields["loc"], fields.get("scale", ""), fields.get("minimum", ""), fields.get("maximum", ""),
            exchange.stage, exchange.comment]


def _flow(inventory: Inventory, key):
    from lca.core.flows import biosphere3_by_code

    return inventory.flows.get(key) or biosphere3_by_code()[key[1]]


def workbook_paths(path: str | os.PathLike, names: list[str]) -> dict[str, Path]:
    """Where each database's workbook goes: ``path`` for one database, ``<stem>-<database>.xlsx`` beside it for more.

    bw2io's ``ExcelImporter`` reads one database per workbook, so each database gets its own file.
    """
    path = Path(path)
    if len(names) == 1:
        return {names[0]: path}
    return {name: path.with_name(f"{path.stem}-{name}{path.suffix}") for name in names}


def export_workbook(inventory: Inventory, path: str | os.PathLike, databases: list[str] | None = None) -> list[Path]:
    """Write each inventory database to its own xlsx workbook (see :func:`workbook_paths`), atomically.

    Each workbook holds one sheet in bw2io's block layout, so ``bw2io.ExcelImporter(file)`` reads it; import
    them in the order of their links (``background`` before the databases that use it) and link each to those
    already written with ``match_database(name, fields=("name", "reference product", "unit", "location"))``.
    Biosphere exchanges name ecoinvent 3.9 flows (``biosphere3``) or the tool's own flows (database
    ``lca biosphere``, from ``inventories/biosphere.yaml``). All files are written or none. Returns them.
    """
    names = databases or list(inventory.databases)
    unknown = [n for n in names if n not in inventory.databases]
    if unknown:
        raise WorkbookError(f"unknown database(s): {', '.join(unknown)}; known: {', '.join(inventory.databases)}")
    targets = workbook_paths(path, names)
    with atomic_paths(targets.values()) as temporaries:       # all or nothing
        for name, tmp in zip(targets, temporaries, strict=True):
            _database_workbook(inventory, name).save(tmp)
    return list(targets.values())


def _database_workbook(inventory: Inventory, name: str):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    database = inventory.databases[name]
    sheet = book.create_sheet(name[:31])
    rows = [["Database", name], ["description", database.description], []]
    for activity in database.activities.values():
        rows += [["Activity", activity.name], ["code", activity.code],
                 ["reference product", activity.reference_product], ["unit", brightway_word(activity.unit)],
                 ["given unit", activity.unit], ["location", activity.location], ["type", "process"],
                 ["stage", activity.stage], ["comment", activity.comment], ["file", activity.file],
                 ["Exchanges"], EXCHANGE_COLUMNS,
                 [activity.name, 1.0, brightway_word(activity.unit), name, activity.code, activity.location, "",
                  "production", activity.reference_product] + [""] * (len(EXCHANGE_COLUMNS) - 9)]
        rows += [_exchange_row(inventory, exchange) for exchange in activity.exchanges]
        rows.append([])
    for row in rows:
        append_row(sheet, row)
        if row and row[0] in ("Database", "Activity", "Exchanges"):
            sheet.cell(sheet.max_row, 1).font = bold
    return book


# --- import ---------------------------------------------------------------------------------------

def _value(cell):
    return cell.strip() if isinstance(cell, str) else cell


def read_workbook(path: str | os.PathLike) -> dict[str, list[dict]]:
    """Parse a workbook in the export layout: database -> activities with exchanges (Brightway units)."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no workbook at {path}")
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises many types for broken files
        raise WorkbookError(f"{path}: cannot read as an xlsx workbook ({err.__class__.__name__})") from err
    result = {}
    for sheet in book.worksheets:
        rows = []
        for row in sheet.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise WorkbookError(f"{path}: sheet '{sheet.title}' cell {cell.coordinate}: holds a formula "
                                        f"({str(cell.value)[:40]}); type the value itself (formulas are not read)")
            rows.append([_value(getattr(c, "value", None)) for c in row])
        if not rows or not rows[0] or rows[0][0] != "Database":
            raise WorkbookError(f"{path}: sheet '{sheet.title}' row 1: expected 'Database | <name>'")
        database = rows[0][1]
        activities, current, header = [], None, None
        for number, row in enumerate(rows[1:], start=2):
            first = row[0] if row else None
            if first == "Activity":
                current = {"name": row[1], "exchanges": [], "row": number}
                activities.append(current)
                header = None
            elif current is not None and first == "Exchanges":
                header = "next"
            elif header == "next":
                header = [str(c) if c is not None else "" for c in row]
                missing = [c for c in ("amount", "unit", "database", "code", "type", "source") if c not in header]
                if missing:
                    raise WorkbookError(f"{path}: sheet '{sheet.title}' row {number}: exchange header lacks "
                                        f"{', '.join(missing)}")
            elif isinstance(header, list):
                if not any(c not in (None, "") for c in row):
                    header = None
                    continue
                record = dict(zip(header, row))
                record["row"] = number
                current["exchanges"].append(record)
            elif current is not None and first not in (None, ""):
                current[str(first)] = row[1] if len(row) > 1 else None
        result[database] = activities
    return result


def _finite_cell(record, column: str, where: str) -> float:
    value = record.get(column)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise WorkbookError(f"{where}: column '{column}': expected a finite number, got {value!r}")
    return float(value)


#: Largest lognormal scale (ln of the geometric standard deviation) an imported workbook may give.
MAX_LOG_SCALE = math.log(1000.0)


def _spec(record, factor: float, where: str) -> dict:
    kind = record.get("uncertainty type")
    kind = (int(kind) if isinstance(kind, (int, float)) and not isinstance(kind, bool) and math.isfinite(kind)
            and float(kind).is_integer() else kind)
    if kind not in _DISTRIBUTION_OF:
        raise WorkbookError(f"{where}: column 'uncertainty type': expected one of "
                            f"{sorted(_DISTRIBUTION_OF)} (1 none, 2 lognormal, 3 normal, 4 uniform, 5 triangular)")
    name = _DISTRIBUTION_OF[kind]
    spec = {"distribution": name}
    try:
        if name in ("uniform", "triangular"):
            spec.update(low=float(record["minimum"]) / factor, high=float(record["maximum"]) / factor)
        elif name == "lognormal":
            scale = _finite_cell(record, "scale", where)
            if not 0 < scale <= MAX_LOG_SCALE:
                raise WorkbookError(f"{where}: column 'scale': a lognormal scale (ln of the geometric standard "
                                    f"deviation) must be in (0, {MAX_LOG_SCALE:.3g}], got {scale!r}")
            spec["gsd"] = math.exp(scale)
        elif name == "normal":
            spec["sd"] = float(record["scale"]) / factor
    except WorkbookError:
        raise
    except (TypeError, ValueError, KeyError):
        raise WorkbookError(f"{where}: uncertainty type {kind} needs numeric "
                            + ("minimum and maximum" if name in ("uniform", "triangular") else "scale")) from None
    return spec


def _yaml_exchange(record: dict, where: str) -> dict:
    """An exchange in the data's own spelling (amounts in the given unit)."""
    unit = record.get("given unit") or str(from_brightway_word(record["unit"]))
    try:
        factor = conversion_factor(unit, from_brightway_word(record["unit"]))
    except Exception as err:
        raise WorkbookError(f"{where}: units '{record.get('given unit')}' / '{record['unit']}': {err}") from None
    out = {}
    if record["type"] == "technosphere":
        out["input"] = f"{record['database']}:{record['code']}"
    elif record["type"] == "biosphere":
        out["flow"] = record["name"]
        out["categories"] = format_categories(parse_categories(record.get("categories") or ""))
    else:
        raise WorkbookError(f"{where}: column 'type': expected technosphere or biosphere, got '{record['type']}'")
    if record.get("formula"):
        out["formula"] = str(record["formula"])
    else:
        amount = record.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not math.isfinite(amount):
            raise WorkbookError(f"{where}: column 'amount': expected a finite number, got {amount!r}")
        out["amount"] = float(amount) / factor
        out["uncertainty"] = _spec(record, factor, where)
    out["unit"] = unit
    out["source"] = record.get("source") or ""
    for field in ("stage", "comment"):
        if record.get(field):
            out[field] = str(record[field])
    return out


def _round_trip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def _merge_exchange(target, new: dict) -> bool:
    """Update a YAML exchange mapping in place; True when something changed."""
    changed = False
    for field in ("input", "flow", "categories", "formula", "amount", "unit", "source", "stage", "comment",
                  "uncertainty"):
        if field not in new:
            if field in target and field in ("formula", "amount", "uncertainty", "stage", "comment"):
                del target[field]
                changed = True
            continue
        old = target.get(field)
        if field == "categories" and old is not None:
            old = format_categories(parse_categories(old))
        if _same(old, new[field]):
            continue
        target[field] = new[field]
        changed = True
    return changed


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-300)
    return a == b


def import_workbook(paths, inventory: Inventory, target: str | os.PathLike | None = None) -> list[Path]:
    """Apply edited workbooks (one path or a list, as :func:`export_workbook` wrote them) to the YAML files.

    Returns the files changed. Nothing is written unless the whole edited inventory validates.
    """
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    workbook, read_from = {}, {}
    for path in paths:
        for database, activities in read_workbook(path).items():
            if database in workbook:
                raise WorkbookError(f"{path}: database '{database}' is also in {read_from[database]}; "
                                    "give each database once")
            workbook[database], read_from[database] = activities, path
    root = Path(target or inventory.root)
    yaml = _round_trip_yaml()
    with tempfile.TemporaryDirectory(prefix="lca-import-") as scratch:
        copy = Path(scratch) / "inventories"
        shutil.copytree(root, copy)
        changed: set[str] = set()
        documents: dict[str, object] = {}

        def document(rel: str):
            if rel not in documents:
                with open(copy / rel, encoding="utf-8") as handle:
                    documents[rel] = yaml.load(handle)
            return documents[rel]

        for database, activities in workbook.items():
            path = read_from[database]
            if database not in inventory.databases:
                raise WorkbookError(f"{path}: sheet for unknown database '{database}'; add the database folder first")
            for item in activities:
                code = item.get("code")
                where = f"{path}: sheet '{database[:31]}' activity '{code}' (row {item['row']})"
                if code not in inventory.databases[database].activities:
                    raise WorkbookError(f"{where}: unknown activity code; new activities go into the YAML files")
                rel = inventory.databases[database].activities[code].file
                doc = document(rel)
                entry = next(a for a in doc["activities"] if a.get("code") == code)
                new = [_yaml_exchange(r, f"{path}: sheet '{database[:31]}' row {r['row']}")
                       for r in item["exchanges"] if r.get("type") != "production"]
                old = entry.get("exchanges") or []
                for index, exchange in enumerate(new):
                    if index < len(old):
                        if _merge_exchange(old[index], exchange):
                            changed.add(rel)
                    else:
                        old.append(exchange)
                        changed.add(rel)
                if len(old) > len(new):
                    del old[len(new):]
                    changed.add(rel)
                entry["exchanges"] = old
                current = inventory.databases[database].activities[code]
                for field in ("name", "location", "comment"):
                    if item.get(field) not in (None, "") and str(item[field]) != str(getattr(current, field)):
                        entry[field] = str(item[field])
                        changed.add(rel)
        for rel in changed:
            with open(copy / rel, "w", encoding="utf-8") as handle:
                yaml.dump(documents[rel], handle)
        try:
            read_inventory(copy)
        except InventoryError as err:
            raise WorkbookError(f"{', '.join(map(str, paths))}: the edited inventory is not valid, nothing was changed:\n"
                                + "\n".join(f"  {p}" for p in err.problems[:50])) from None
        written = []
        for rel in sorted(changed):
            destination = root / rel
            with atomic_path(destination) as tmp:
                shutil.copyfile(copy / rel, tmp)
            written.append(destination)
    return written
