"""The Assumptions sheet: written with every report, edited by the analyst, read back by
``lca compare --assumptions FILE.xlsx``.

One row per configuration choice (accelerator, precision, grids, launcher,
orbit, grid_trajectory) and per main parameter (see
:func:`lca.analysis.sensitivity.main_parameters`), plus every parameter overridden in
the run. Columns: parameter, value, unit, default, low, high, source,
description (others are ignored when reading).

Reading it back: every choice row is applied as written (codes and names case-insensitively, kept as the
catalogue spells them: ``us`` is ``US``; an empty choice is an error, never silently the default); a
parameter row is an override when its value (in its unit) differs from its ``default`` cell, or when it
has no default (a row the analyst added). Problems are collected and
reported together, each naming the file, sheet, row and column; they are
:class:`lca.inventory.overrides.OverrideError` (exit code 2 on the command line).
"""
from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass, field

import pandas as pd
import pint

from lca.analysis.compare import ChoiceError, Comparison
from lca.analysis.compare import choices as validate_choices
from lca.analysis.sensitivity import bounds, default_value, main_parameters, parameter
from lca.core.units import Q_, AmbiguousUnitError, UnitError, parse_unit
from lca.inventory import Inventory
from lca.inventory.overrides import OverrideError, qualified_parameters

SHEET = "Assumptions"
COLUMNS = ["parameter", "value", "unit", "default", "low", "high", "source", "description"]
REQUIRED = ("parameter", "value", "unit", "default")
CHOICES = ("accelerator", "precision", "grids", "launcher", "orbit", "grid_trajectory", "year")
_TRUE, _FALSE = {"yes", "true", "1", "on"}, {"no", "false", "0", "off", ""}


class AssumptionsError(OverrideError):
    """An Assumptions sheet that cannot be applied (unknown parameter, bad unit, non-number, outside limits)."""


@dataclass
class Assumptions:
    """What an Assumptions sheet asks for."""

    path: str
    choices: dict = field(default_factory=dict)      # accelerator, precision, grids, launcher, orbit, trajectory, year
    overrides: dict[str, float] = field(default_factory=dict)   # qualified name -> value in the parameter's unit

    def merged(self, options: dict) -> dict:
        """Options for :func:`lca.api.compare`: the sheet's, with those given on the command line winning.

        ``options`` has the keys of ``lca.cli._system_options``: accelerator, precision, grids, launcher,
        orbit (None when not given), overrides (``--set``) and trajectory (``--grid-trajectory``).
        """
        out = dict(options)
        for key in ("accelerator", "precision", "grids", "launcher", "orbit"):
            if not out.get(key) and self.choices.get(key):
                out[key] = self.choices[key]
        out["trajectory"] = bool(out.get("trajectory")) or bool(self.choices.get("trajectory"))
        if out.get("year") is None and self.choices.get("year") is not None:
            out["year"] = self.choices["year"]
        out["overrides"] = dict(self.overrides) | dict(out.get("overrides") or {})
        return out


# ------------------------------------------------------------------ writing

def assumption_table(inventory: Inventory, comparison: Comparison) -> pd.DataFrame:
    """Rows of the Assumptions sheet for ``comparison`` (columns :data:`COLUMNS`)."""
    chosen = comparison.choices
    catalogue = inventory.catalogue
    defaults = catalogue.defaults
    listing = {
        "accelerator": ", ".join(catalogue.accelerators),
        "launcher": ", ".join(catalogue.launchers),
        "orbit": ", ".join(catalogue.orbits),
    }
    rows = [
        ["accelerator", chosen.accelerator, "", defaults.accelerator, None, None, "inventories/systems.yaml",
         f"accelerator; one of: {listing['accelerator']}"],
        ["precision", chosen.precision, "", defaults.precision, None, None, "inventories/systems.yaml",
         "numeric precision of the dense peak throughput that defines the PFLOP-day (bf16, fp8, fp16 ...; "
         "the accelerator must list it)"],
        ["grids", ", ".join(chosen.grids), "", ", ".join(defaults.grids), None, None,
         "inventories/systems.yaml", "terrestrial grid codes, separated by commas (`lca list grids`; `custom` "
         "uses background.custom_grid_intensity)"],
        ["launcher", chosen.launcher, "", defaults.launcher, None, None, "inventories/systems.yaml",
         f"launch vehicle; one of: {listing['launcher']}"],
        ["orbit", chosen.orbit, "", defaults.orbit, None, None, "inventories/systems.yaml",
         f"orbit; one of: {listing['orbit']} (sets orbit.altitude, orbit.worst_season_beta, "
         "orbit.density_*, orbit.sunlit_fraction, orbit.eclipse_max_duration)"],
        ["grid_trajectory", "yes" if chosen.trajectory else "no", "", "no", None, None, "lca/models/terrestrial.py",
         "yes: scale grid electricity by terrestrial.grid_decarbonisation_rate over the hardware life"],
        ["year", getattr(chosen, "year", None), "", None, None, None, "inventories/parameters/terrestrial.yaml",
         "empty: grid intensities of the data year; a year: grids evaluated in that year along "
         "terrestrial.grid_decarbonisation_rate"],
    ]
    known = qualified_parameters(inventory)
    names = list(dict.fromkeys(main_parameters(inventory, chosen) + list(comparison.overrides)))
    for name in names:
        p = parameter(inventory, chosen, name)
        default = default_value(inventory, chosen, name)
        try:
            low, high = bounds(inventory, chosen, name)
        except Exception:        # a property without an uncertainty
            low = high = None
        rows.append([name, float(comparison.overrides.get(name, default)), known[name].unit, default, low, high,
                     p.source, " ".join(str(p.description).split())])
    return pd.DataFrame(rows, columns=COLUMNS)


# ------------------------------------------------------------------ reading

def _header(cell_value) -> str:
    text = str(cell_value or "").strip().lower()
    return text.split(" [", 1)[0].strip()


def _number(value) -> float | None:
    """A finite float from a cell, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        number = float(str(value).strip().replace(",", "")) if str(value).strip() else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def read_assumptions(path: str | os.PathLike, inventory: Inventory) -> Assumptions:
    """Read and validate the Assumptions sheet of ``path``."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    path = str(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"assumptions workbook not found: {path}")
    try:
        book = load_workbook(path, data_only=False, read_only=False)
    except Exception as err:
        raise AssumptionsError(f"{path}: cannot read it as an .xlsx workbook ({type(err).__name__}: {err})") from None
    if SHEET not in book.sheetnames:
        raise AssumptionsError(f"{path}: no sheet '{SHEET}' (sheets: {', '.join(book.sheetnames)}); "
                               "start from a report written by `lca compare --out` or `lca report`")
    sheet = book[SHEET]
    columns: dict[str, int] = {}
    for index, cell in enumerate(next(sheet.iter_rows(min_row=1, max_row=1), ()), start=1):
        name = _header(cell.value)
        if name in COLUMNS and name not in columns:
            columns[name] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise AssumptionsError(f"{path}: sheet '{SHEET}', row 1: missing column(s) {', '.join(missing)}; "
                               f"expected headers {', '.join(COLUMNS)}")

    problems: list[str] = []

    def problem(row: int, column: str, message: str) -> None:
        letter = get_column_letter(columns[column]) if column in columns else "?"
        problems.append(f"sheet '{SHEET}', row {row}, column '{column}' ({letter}{row}): {message}")

    def cell(row: int, column: str):
        if column not in columns:
            return None
        found = sheet.cell(row, columns[column])
        if found.data_type == "f":
            formula_rows.add(row)
            problem(row, column, f"holds a formula ({str(found.value)[:40]}); type the value itself "
                                 "(formulas are not evaluated)")
            return None
        return found.value

    formula_rows: set[int] = set()
    known = qualified_parameters(inventory)
    seen: dict[str, int] = {}
    found_choices: dict[str, tuple[int, object]] = {}
    overrides: dict[str, float] = {}
    for row in range(2, sheet.max_row + 1):
        name_cell = cell(row, "parameter")
        value = cell(row, "value")
        name = str(name_cell).strip() if name_cell is not None else ""
        if row in formula_rows:
            continue
        if not name:
            if value not in (None, ""):
                problem(row, "parameter", f"a value ({value!r}) without a parameter name")
            continue
        if name in seen:
            problem(row, "parameter", f"'{name}' appears again (first in row {seen[name]})")
            continue
        seen[name] = row
        if name in CHOICES:
            found_choices[name] = (row, value)
            continue
        if name not in known:
            hint = difflib.get_close_matches(name, list(known) + list(CHOICES), n=3)
            problem(row, "parameter", f"unknown parameter '{name}'" + (
                f"; did you mean {', '.join(hint)}?" if hint else "; see `lca list parameters`"))
            continue
        target = known[name].unit
        if value is None or (isinstance(value, str) and not value.strip()):
            problem(row, "value", "empty; give a number (or delete the row)")
            continue
        magnitude = _number(value)
        if magnitude is None:
            problem(row, "value", f"expected a number in the unit of column 'unit', got {value!r}")
            continue
        unit_text = cell(row, "unit")
        unit_text = target if unit_text is None or not str(unit_text).strip() else str(unit_text).strip()
        try:
            unit = parse_unit(unit_text)
        except AmbiguousUnitError as err:
            problem(row, "unit", str(err))
            continue
        except UnitError:
            problem(row, "unit", f"cannot read '{unit_text}' as a unit (expected a unit like {target})")
            continue
        try:
            converted = float(Q_(magnitude, unit).to(target).magnitude)
        except pint.errors.DimensionalityError:
            problem(row, "unit", f"'{unit_text}' has the wrong dimension for {name}; expected a unit like {target}")
            continue
        if not known[name].within_limits(converted):
            problem(row, "value", f"{converted:g} {target} is outside the allowed range of {name} "
                                  f"{known[name].limits_text()}")
            continue
        default = _number(cell(row, "default"))
        same_unit = unit == parse_unit(target)
        if default is not None and same_unit and math.isclose(converted, default, rel_tol=1e-12, abs_tol=0.0):
            continue
        overrides[name] = converted

    chosen: dict = {}
    if "grid_trajectory" in found_choices:
        row, value = found_choices["grid_trajectory"]
        text = str(value if value is not None else "").strip().lower()
        if isinstance(value, bool):
            chosen["trajectory"] = value
        elif text in _TRUE or text in _FALSE:
            chosen["trajectory"] = text in _TRUE
        else:
            problem(row, "value", f"grid_trajectory must be yes or no, got {value!r}")
    if "year" in found_choices and found_choices["year"][1] not in (None, ""):
        row, value = found_choices["year"]
        year = _number(value)
        if year is None or year != int(year):
            problem(row, "value", f"year must be a whole year (or empty for the data year), got {value!r}")
        else:
            try:
                validate_choices(inventory, year=int(year))
                chosen["year"] = int(year)
            except ChoiceError as err:
                problem(row, "value", str(err))
    # choices are checked one at a time, each with those before it, so an error names its row
    partial: dict = {}
    for key in ("accelerator", "precision", "grids", "launcher", "orbit"):
        if key not in found_choices:
            continue
        row, value = found_choices[key]
        if value is None or not str(value).strip():       # never silently the default (issue 20)
            default = cell(row, "default")
            problem(row, "value", f"empty {key}; type one (the default is {default!r}) or delete the row to use "
                                  "the default" if default not in (None, "") else
                                  f"empty {key}; type one or delete the row to use the default")
            continue
        text = str(value).strip()
        item = [g.strip() for g in text.replace(";", ",").split(",") if g.strip()] if key == "grids" else text
        try:
            checked = validate_choices(inventory, **(partial | {key: item}))
        except ChoiceError as err:
            problem(row, "value", str(err))
            continue
        partial[key] = getattr(checked, key)          # as the catalogue spells it: 'us' is read as 'US'
    chosen |= partial
    if problems:
        count = f"{len(problems)} problem(s) in {path}:" if len(problems) > 1 else f"{path}:"
        raise AssumptionsError(count + ("\n  " if len(problems) > 1 else " ") + "\n  ".join(problems))
    return Assumptions(path, chosen, overrides)
