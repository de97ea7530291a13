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
from lca.inventory.yaml_edit import number_text, rounded

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
    """An exchange in the data's own spelling (amounts in the given unit, as the file will hold them)."""
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
        out["amount"] = rounded(float(amount) / factor)
        out["uncertainty"] = {k: rounded(v) if isinstance(v, float) else v
                              for k, v in _spec(record, factor, where).items()}
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


def _same(a, b) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-300)
    return a == b


def _same_cell(a, b) -> bool:
    """A workbook cell still holds what the export wrote (numbers to 9 digits; empty is empty)."""
    a, b = ("" if a is None else a), ("" if b is None else b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-300)
    return str(a).strip() == str(b).strip()


#: The source id of a value an analyst edited in an exported workbook (its previous source is in ``history``).
USER_EDIT = "user_edit"

#: Fields of an exchange that make its value: a change to any of them is an edit of the value.
VALUE_FIELDS = ("input", "flow", "categories", "formula", "amount", "unit", "uncertainty")


def _formula_parameters(inventory: Inventory, activity, formula: str) -> str:
    """The parameters a formula reads, each with its value, unit and file, and the name ``--set`` takes."""
    from lca.core.parameters import formula_name, names_in

    database = inventory.databases[activity.database]
    found = []
    for name in sorted(names_in(formula)):
        if name in activity.properties:
            parameter, qualified = activity.properties[name], f"{activity.database}:{activity.code}.{name}"
        elif name in database.parameters:
            parameter, qualified = database.parameters[name], f"{activity.database}.{name}"
        else:
            qualified = next((q for q in inventory.parameters if formula_name(q) == name), None)
            if qualified is None:
                found.append(name)
                continue
            parameter = inventory.parameters[qualified]
        value = parameter.value if isinstance(parameter.value, str) else f"{parameter.value:g}"
        found.append(f"{qualified} = {value} {parameter.unit} ({parameter.file or activity.file})".replace(
            " dimensionless", ""))
    return "; ".join(found)


def _checked_record(inventory: Inventory, activity, old, record: dict, where: str) -> tuple[dict, list[str]]:
    """The row with every edit accounted for, and the problems: edits of cells that import cannot apply.

    Compares each cell with what :func:`export_workbook` wrote for the exchange: an edited amount of a formula
    exchange (the formula would win), a derived cell (``loc``, a provider's name) or two amount cells that
    disagree are refused rather than dropped; an edited ``given amount`` alone becomes the amount.
    """
    exported = dict(zip(EXCHANGE_COLUMNS, _exchange_row(inventory, old), strict=True))

    def edited(column: str) -> bool:
        return column in record and not _same_cell(record.get(column), exported[column])

    problems, record = [], dict(record)
    factor = conversion_factor(old.given_unit, old.unit)
    amount_cells = [c for c in ("amount", "given amount", "loc") if edited(c)]
    if old.is_formula and _same_cell(record.get("formula"), old.formula):
        if amount_cells:
            shown = ", ".join(f"'{c}' {exported[c]:.6g} -> {record.get(c)!r}" for c in amount_cells
                              if isinstance(exported[c], (int, float)))
            problems.append(
                f"{where}: column {shown}: this amount is set by the formula '{old.formula}' (parameters: "
                f"{_formula_parameters(inventory, activity, old.formula)}), which would win on import. Change a "
                "parameter instead (in its file, or for one run with --set NAME=VALUE), or empty the 'formula' "
                "cell to replace the formula by the amount typed")
        return record, problems
    if edited("given amount") and not edited("amount"):
        given = record.get("given amount")
        if isinstance(given, (int, float)) and not isinstance(given, bool):
            record["amount"] = given * factor
    elif edited("given amount") and edited("amount"):
        given, amount = record.get("given amount"), record.get("amount")
        if not (isinstance(given, (int, float)) and isinstance(amount, (int, float))
                and math.isclose(given * factor, amount, rel_tol=1e-9)):
            problems.append(f"{where}: columns 'amount' ({amount!r} {exported['unit']}) and 'given amount' "
                            f"({given!r} {old.given_unit}) were both edited and disagree; edit one of them")
    if edited("loc") and not (edited("amount") or edited("given amount")):
        problems.append(f"{where}: column 'loc' was edited ({exported['loc']!r} -> {record.get('loc')!r}) but "
                        "import reads the amount from 'amount' (loc is ln(amount) for a lognormal, the amount "
                        "otherwise); edit 'amount'")
    derived = ("name", "location", "reference product") if old.kind == "technosphere" else ("location",
                                                                                            "reference product")
    same_provider = _same_cell(record.get("database"), exported["database"]) and _same_cell(record.get("code"),
                                                                                            exported["code"])
    for column in derived:
        if same_provider and edited(column):
            problems.append(f"{where}: column '{column}' was edited ({exported[column]!r} -> "
                            f"{record.get(column)!r}) but it comes from the "
                            + ("provider activity; to link another provider, change 'database' and 'code'"
                               if old.kind == "technosphere" else "flow list; it is not an exchange field"))
    return record, problems


def _history_entry(target, new: dict, today: str) -> dict:
    """What the exchange held before a user edit: date, amount or formula, unit, uncertainty, source, comment."""
    entry = {"date": today}
    for field in ("input", "flow", "categories"):
        if field in target and not _same(target[field], new.get(field)):
            entry[field] = str(target[field])
    for field in ("amount", "formula", "unit"):
        if field in target:
            entry[field] = target[field] if field == "amount" else str(target[field])
    if "uncertainty" in target and not _same(target["uncertainty"], new.get("uncertainty")):
        entry["uncertainty"] = dict(target["uncertainty"])
    entry["source"] = str(target.get("source", ""))
    if target.get("comment"):
        entry["comment"] = target["comment"]           # with its quotes, as written
    return entry


def _describe(target, new: dict) -> str:
    def value(d):
        if "formula" in d:
            return f"formula {d['formula']}"
        amount = d.get("amount")
        shown = number_text(amount) if isinstance(amount, (int, float)) else amount
        return f"{shown} {d.get('unit', '')}".strip()
    return f"{value(target)} -> {value(new)}"


def _merge_exchange(edits, target, new: dict, today: str) -> list[str]:
    """Update a YAML exchange mapping in place (and ``edits``, its lines); what changed, in words.

    An edited value (any of :data:`VALUE_FIELDS`) whose source cell was left as exported gets the source
    :data:`USER_EDIT`; the previous value, source and comment go to the exchange's ``history`` (dated), and the
    old comment is not carried onto the new value unless the comment cell was edited too.
    """
    value_edited = any(not _same(target.get(f) if f != "categories" or target.get(f) is None
                                 else format_categories(parse_categories(target[f])), new.get(f))
                       for f in VALUE_FIELDS if f in new or (f in target and f in ("formula", "amount",
                                                                                    "uncertainty")))
    notes = []
    new = dict(new)
    if value_edited:
        notes.append(_describe(target, new))
        if _same(new["source"], target.get("source")):
            new["source"] = USER_EDIT
        notes.append(f"source {new['source']} (was {target.get('source')}; previous value in 'history')")
        if _same(new.get("comment"), target.get("comment")):
            new.pop("comment", None)
            if target.get("comment"):
                notes.append("its comment moved to 'history' (it described the previous value)")
        history = _history_entry(target, new, today)
    _, end, column = edits.key_span(target, list(target)[-1])      # new keys go after the last one
    for field in ("input", "flow", "categories", "formula", "amount", "unit", "source", "stage", "comment",
                  "uncertainty"):
        if field not in new:
            if field in target and field in ("formula", "amount", "uncertainty", "stage", "comment"):
                edits.delete(target, field)
                del target[field]
                if not value_edited:
                    notes.append(f"{field} removed")
            continue
        old = target.get(field)
        if field == "categories" and old is not None:
            old = format_categories(parse_categories(old))
        if _same(old, new[field]):
            continue
        if field in target:
            edits.replace(target, field, new[field])
        else:
            edits.insert_at(end, column, field, new[field])
        target[field] = new[field]
        if not value_edited and field in ("stage", "comment", "source"):
            notes.append(f"{field} -> {new[field]}")
    if value_edited:
        if "history" in target:
            edits.append_item(target, "history", history)
            target["history"].append(history)
        else:
            edits.insert_at(end, column, "history", [history], edits.offset)
            target["history"] = [history]
    return notes


def _plain(node):
    """A ruamel.yaml document as plain dicts and lists (to compare with what PyYAML reads back)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def import_workbook(paths, inventory: Inventory, target: str | os.PathLike | None = None,
                    notes: list[str] | None = None) -> list[Path]:
    """Apply edited workbooks (one path or a list, as :func:`export_workbook` wrote them) to the YAML files.

    Returns the files changed; ``notes`` (a list, if given) receives one line per change, in words. Nothing is
    written unless every edit can be applied and the whole edited inventory validates:

    - an edited amount of an exchange that a formula sets is refused (:class:`WorkbookError`, naming the
      formula and its parameters), as are edits of derived cells (``loc``, a provider's name);
    - an edited value gets the source ``user_edit`` (unless its source cell was edited too), and its previous
      value, source and comment are kept in a dated ``history`` list of the exchange;
    - only the lines of the edited keys change in the YAML files (:mod:`lca.inventory.yaml_edit`): indentation,
      quoting, comments and line breaks elsewhere stay as they were.
    """
    import datetime as dt

    import yaml as pyyaml

    from lca.inventory.yaml_edit import TextEdits, Unsupported, same_data

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    notes = notes if notes is not None else []
    today = dt.date.today().isoformat()
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
        documents: dict[str, tuple] = {}
        problems: list[str] = []

        def document(rel: str):
            if rel not in documents:
                text = (copy / rel).read_text(encoding="utf-8")
                edits = TextEdits(text)
                doc = yaml.load(text)
                try:
                    first = next(a for a in doc["activities"] if a.get("exchanges"))
                    edits.offset = edits.list_offset(first, "exchanges")
                except (StopIteration, Unsupported, KeyError, TypeError):
                    edits.offset = 2
                documents[rel] = (doc, edits)
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
                current = inventory.databases[database].activities[code]
                rel = current.file
                doc, edits = document(rel)
                entry = next(a for a in doc["activities"] if a.get("code") == code)
                rows = [r for r in item["exchanges"] if r.get("type") != "production"]
                new = []
                for index, record in enumerate(rows):
                    at = (f"{path}: sheet '{database[:31]}' row {record['row']} (activity '{code}', exchange "
                          f"'{record.get('name')}')")
                    if index < len(current.exchanges):
                        record, found = _checked_record(inventory, current, current.exchanges[index], record, at)
                        problems += found
                        if found:
                            continue
                    new.append(_yaml_exchange(record, at))
                if problems:
                    continue
                old = entry.get("exchanges") or []
                try:
                    for index, exchange in enumerate(new):
                        label = exchange.get("input") or exchange.get("flow")
                        if index < len(old):
                            said = _merge_exchange(edits, old[index], exchange, today)
                            if said:
                                changed.add(rel)
                                notes.append(f"{rel}: activity '{code}' exchange {index + 1} ({label}): "
                                             + "; ".join(said))
                        else:
                            edits.append_item(entry, "exchanges", exchange)
                            old.append(exchange)
                            changed.add(rel)
                            notes.append(f"{rel}: activity '{code}': exchange {index + 1} ({label}) added")
                    if len(old) > len(new):
                        edits.delete_items(old, len(new))
                        notes.append(f"{rel}: activity '{code}': exchange(s) {len(new) + 1}-{len(old)} removed")
                        del old[len(new):]
                        changed.add(rel)
                    for field in ("name", "location", "comment"):
                        if item.get(field) not in (None, "") and str(item[field]) != str(getattr(current, field)):
                            if field in entry:
                                edits.replace(entry, field, str(item[field]))
                            else:
                                edits.insert_after(entry, "code", field, str(item[field]))
                            entry[field] = str(item[field])
                            changed.add(rel)
                            notes.append(f"{rel}: activity '{code}': {field} -> {item[field]}")
                except Unsupported:
                    edits.failed = True
                entry["exchanges"] = old
        if problems:
            raise WorkbookError(f"{len(problems)} edit(s) cannot be imported, nothing was changed:\n"
                                + "\n".join(f"  {p}" for p in problems[:50]))
        for rel in changed:
            doc, edits = documents[rel]
            text = None if edits.failed else edits.apply()
            if text is not None and not same_data(pyyaml.safe_load(text), _plain(doc)):
                text = None
            if text is None:              # the line editor could not place an edit: the whole file, re-dumped
                notes.append(f"{rel}: rewritten in full (an edit the line editor cannot place)")
                with open(copy / rel, "w", encoding="utf-8") as handle:
                    yaml.dump(doc, handle)
            else:
                (copy / rel).write_text(text, encoding="utf-8")
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
