"""The bad-input suite (issue 20): hostile inputs, full and read-only disks, kills. No traceback, no hang.

Every case in :data:`CASES` runs in process (fast) under a wall-clock bound (:func:`bounded`: a hang
fails the test instead of stalling the run) and must end in the expected error, naming where and what.
A handful of fault tests spawn subprocesses (kills) or mount a small tmpfs (read-only, full; skipped
where mounting is impossible). The table in docs/bad-inputs.md ("The bad-input suite") is generated
from :data:`CASES`: ``LCA_WRITE_BAD_INPUTS_DOC=1 pytest tests/test_bad_inputs.py`` rewrites it, and a
test fails when it is out of date.
"""
from __future__ import annotations

import contextlib
import faulthandler
import hashlib
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import INVENTORIES, REPO, make_mini_inventory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lca.core.files import atomic_path, atomic_paths, remove_stale_temporaries
from lca.core.parameters import FormulaError, evaluate
from lca.inventory import InventoryError, derivations, read_inventory
from lca.inventory.overrides import OverrideError, normalise, qualified_parameters

DOC = REPO / "docs" / "bad-inputs.md"
BEGIN, END = "<!-- bad-input suite: begin (generated) -->", "<!-- bad-input suite: end -->"
#: Seconds one in-process case may take (the slowest, a mini inventory read, takes ~0.2 s).
CASE_SECONDS = 20


class Hang(Exception):
    """A case ran past its wall-clock bound."""


@contextlib.contextmanager
def bounded(seconds: float = CASE_SECONDS):
    """Fail with :class:`Hang` after ``seconds``; if even that cannot interrupt (a long C call), dump the
    stacks and end the process at 3x, so a hang fails the run instead of stalling it."""
    def alarm(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(3 * seconds, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


@dataclass(frozen=True)
class Case:
    """One bad input: where it goes, what it is, and a fragment of the error it must give."""

    area: str            # --set, formula, inventory file, command line, workbook import, Assumptions sheet
    input: str           # what the user typed or wrote (as shown in the docs)
    expected: str        # a fragment of the one-line error
    run: Callable        # run(fixtures) -> raises the error (any other outcome fails)
    family: str = ""     # generated cases: the family they are listed under in the docs


# --- fixtures shared by the cases --------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    """The shipped inventories (read once; cached by the reader for the rest of the session)."""
    return read_inventory(INVENTORIES)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("bad-inputs")


class Fixtures:
    def __init__(self, real, scratch: Path):
        self.real = real
        self.scratch = scratch
        self.count = 0

    def mini(self) -> Path:
        self.count += 1
        return make_mini_inventory(self.scratch / f"mini{self.count}")


@pytest.fixture(scope="module")
def fx(real, scratch):
    return Fixtures(real, scratch)


# --- --set NAME=VALUE ---------------------------------------------------------------------------------

def _set(name: str, value):
    return lambda fx: normalise(fx.real, {name: value})


def _parameter_cases() -> list[Case]:
    """Generated: every parameter below its lower limit, at an excluded zero, above an upper limit."""
    import yaml as _yaml  # noqa: F401  (the real inventory is read lazily by the fixture)

    inventory = read_inventory(INVENTORIES)
    cases = []
    for name, parameter in sorted(qualified_parameters(inventory).items()):
        low, high = parameter.limits
        if low is not None:
            below = low - max(1.0, abs(low))
            cases.append(Case("--set", f"{name}={below:g}", f"{name}: {below:g} ", _set(name, below),
                              "every parameter below its lower limit"))
            if parameter.exclusive[0]:
                cases.append(Case("--set", f"{name}={low:g}", "is outside the allowed range (", _set(name, low),
                                  "every parameter at an excluded end (zero divides)"))
        if high is not None:
            above = high + max(1.0, abs(high))
            cases.append(Case("--set", f"{name}={above:g}", "is outside the allowed range", _set(name, above),
                              "every parameter above its upper limit"))
    return cases


SET_CASES = [
    Case("--set", "compute.mfu=9**9**9", "compute.mfu: cannot read '9**9**9' as a number", _set("compute.mfu", "9**9**9")),
    Case("--set", "orbit.lifetime=9**9**9 year", "cannot read", _set("orbit.lifetime", "9**9**9 year")),
    Case("--set", "orbit.lifetime=1 year**9**9**9", "cannot read", _set("orbit.lifetime", "1 year**9**9**9")),
    Case("--set", "compute.mfu=0 %", "compute.mfu: 0 dimensionless is outside the allowed range (0, 1]",
         _set("compute.mfu", "0 %")),
    Case("--set", "orbit.lifetime=1e308 year", "orbit.lifetime: 1e+308 year is outside the allowed range",
         _set("orbit.lifetime", "1e308 year")),
    Case("--set", "orbit.lifetime=1e400 year", "value must be finite", _set("orbit.lifetime", "1e400 year")),
    Case("--set", "compute.mfu=140 percent", "compute.mfu: 1.4 dimensionless is outside the allowed range (0, 1]",
         _set("compute.mfu", "140 percent")),
    Case("--set", "compute.mfu=-40 %", "outside the allowed range", _set("compute.mfu", "-40 %")),
    Case("--set", "orbit.altitude=-550 km", "orbit.altitude: -550 km is outside", _set("orbit.altitude", "-550 km")),
    Case("--set", "orbit.solar_constant=-1361", "outside the allowed range (0, inf)",
         _set("orbit.solar_constant", "-1361")),
    Case("--set", "orbit.radiator_areal_mass=-3", "outside the allowed range", _set("orbit.radiator_areal_mass", "-3")),
    Case("--set", "terrestrial.grid_decarbonisation_rate=-0.05", "outside the allowed range [0, 1]",
         _set("terrestrial.grid_decarbonisation_rate", "-0.05")),
    Case("--set", "launch.ng_leak_rate=-0.01", "outside the allowed range [0, 1]", _set("launch.ng_leak_rate", "-0.01")),
    Case("--set", "gpu:accel_h100_sxm.tdp=-700 W", "outside the allowed range (0, inf)",
         _set("gpu:accel_h100_sxm.tdp", "-700 W")),
    Case("--set", "orbit.lifetime=" + "9" * 400, "cannot read", _set("orbit.lifetime", "9" * 400)),
    Case("--set", "orbit.lifetime=" + "9" * 5000, "cannot read", _set("orbit.lifetime", "9" * 5000)),
    Case("--set", "orbit.lifetime=(1+1) year", "cannot read", _set("orbit.lifetime", "(1+1) year")),
    Case("--set", "orbit.lifetime=7 year year", "has the wrong dimension", _set("orbit.lifetime", "7 year year")),
    Case("--set", "orbit.lifetime=__import__('os')", "cannot read", _set("orbit.lifetime", "__import__('os')")),
    Case("--set", "orbit.lifetime=7 parsec", "has the wrong dimension", _set("orbit.lifetime", "7 parsec")),
    Case("--set", "orbit.lifetime=0x10", "cannot read", _set("orbit.lifetime", "0x10")),
    Case("--set", "orbit.lifetime=1_000", "cannot read", _set("orbit.lifetime", "1_000")),
    Case("--set", "orbit.lifetime=[5]", "expected a number or a quantity", _set("orbit.lifetime", [5])),
    Case("--set", "orbit.lifetime=True", "expected a number or a quantity", _set("orbit.lifetime", True)),
    Case("--set", "orbit.lifetim=5", "unknown parameter 'orbit.lifetim'; did you mean orbit.lifetime",
         _set("orbit.lifetim", "5")),
]


# --- formulas (restricted evaluator) -------------------------------------------------------------------

def _formula(text: str, scope: dict | None = None):
    from lca.core.units import Q_

    return lambda fx: evaluate(text, scope or {"x": Q_(2.0, "kg"), "n": Q_(3.0, "")})


FORMULA_CASES = [Case("formula", text, expected, _formula(text)) for text, expected in [
    ("9**9**9", "exponent larger than 100"),
    ("2**1000", "exponent larger than 100"),
    ("10**99 * 10**99 * 10**99 * 10**99", "larger than 1e+300"),
    ("1e308 * 10", "larger than 1e+300"),
    ("exp(1000)", "larger than 1e+300"),
    ("9" * 400, "int too large to convert to float"),
    ("1 / 0", "cannot evaluate formula"),
    ("x ** x", "pow() needs a dimensionless argument, got kg"),
    ("x + n", "units do not add up"),
    ("exp(x)", "exp() needs a dimensionless argument"),
    ("__import__('os').system('true')", "is not allowed"),
    ("x.real", "is not allowed"),
    ("[x]", "is not allowed"),
    ("lambda: 1", "is not allowed"),
    ("x if n else x", "is not allowed"),
    ("open('/etc/passwd')", "is not allowed"),
    ("max()", "is not allowed"),
    ("exp(n, n)", "cannot evaluate formula"),
    ("'text'", "is not allowed"),
    ("y * 2", "unknown name 'y'"),
    ("(" * 300 + "1" + ")" * 300, "cannot parse formula"),
    ("+".join(["n"] * 300), "more than 200 operations"),
    ("n" * 2000, "at most 1000 are allowed"),
    ("x *", "cannot parse formula"),
    ("", "expected a formula string"),
]]


# --- inventory files (edited copies, read with --inventories) --------------------------------------------

def _inventory(edit: Callable[[Path], None]):
    def run(fx):
        root = fx.mini()
        edit(root)
        read_inventory(root)
    return run


def _replace(rel: str, old: str, new: str):
    def edit(root: Path):
        path = root / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))
    return edit


def _write(rel: str, text: str | bytes):
    def edit(root: Path):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return edit


LAUGHS = "database: demo\n" + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)) + "activities: []\n"
DEEP = "database: demo\nactivities: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_MAPPING = "database: demo\nx:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 300)) + "activities: []\n"
LOX = "demo/lox.yaml"
GRID = "background/grid.yaml"
SYSTEMS_OK = textwrap.dedent("""\
    defaults: {accelerator: A, precision: bf16, grids: [XX], launcher: L, orbit: O}
    accelerators: {A: demo:stage}
    launchers: {L: {leo: demo:stage}}
    orbits: {O: {launch: leo}}
""")

INVENTORY_CASES = [Case("inventory file", shown, expected, _inventory(edit)) for shown, expected, edit in [
    ("billion laughs: 10 levels of 9 aliases", "aliases expand to more than", _write(LOX, LAUGHS)),
    ("[[[[...]]]] 5,000 levels deep", "nested more than 50 levels deep", _write(LOX, DEEP)),
    ("a mapping 300 levels deep", "nested more than 50 levels deep", _write(LOX, DEEP_MAPPING)),
    ("a 6 MB file", "data files may have at most", _write(LOX, "# " + "x" * 6_000_000 + "\n")),
    ("amount: <400 digits>", "an integer of 400 digits", _replace(LOX, "amount: 3\n", f"amount: {'9' * 400}\n")),
    ("amount: <5,000 digits>", "an integer of 5000 digits", _replace(LOX, "amount: 3\n", f"amount: {'9' * 5000}\n")),
    ("amount: 1e400 (YAML reads text)", "amount': expected a number, got text", _replace(LOX, "amount: 3\n", "amount: 1e400\n")),
    ("amount: 1.0e+400", "must be finite", _replace(LOX, "amount: 3\n", "amount: 1.0e+400\n")),
    ("formula: 9**9**9", "exponent larger than 100", _replace(LOX, "formula: dry_mass / reuses", "formula: 9**9**9")),
    ("formula: reuses**reuses**reuses", "exponent larger than 100",
     _replace(LOX, "formula: dry_mass / reuses", "formula: reuses**reuses**reuses")),
    ("formula: dry_mass / (reuses - reuses)", "cannot evaluate formula",
     _replace(LOX, "formula: dry_mass / reuses", "formula: dry_mass / (reuses - reuses)")),
    ("one unclosed bracket in the sources file", "not valid YAML",
     _replace("sources/demo.yaml", "sources:\n", "sources: [\n")),
    ("allow_negative: 'no'", "field 'activities[2].exchanges[1].allow_negative': expected true or false",
     _replace(LOX, "        amount: 3\n", "        amount: 3\n        allow_negative: 'no'\n")),
    ("value: '40%' (a percentage as text)", "a percentage written as text",
     _replace(LOX, "dry_mass: {value: 2000, unit: kg,", "dry_mass: {value: '40%', unit: kg,")),
    ("reuses: -1 (below its limits [1, inf))", "outside its limits [1, inf)",
     _replace(LOX, "    value: 10\n", "    value: -1\n")),
    ("limits: [5, 1] (low above high)", "field 'limits'", _replace(LOX, "limits: [1, null]", "limits: [5, 1]")),
    ("limits: '(0, banana]'", "field 'limits'", _replace(LOX, "limits: [1, null]", "limits: '(0, banana]'")),
    ("limits: [1, null, 3]", "field 'limits'", _replace(LOX, "limits: [1, null]", "limits: [1, null, 3]")),
    ("limits: {low: 1}", "field 'parameters[2].limits'", _replace(LOX, "limits: [1, null]", "limits: {low: 1}")),
    ("uncertainty low outside the limits", "'low' 0.5 outside the limits",
     _replace(LOX, "low: 5, high: 20", "low: 0.5, high: 20")),
    ("gsd: 1e300", "lognormal: gsd must be at most", _replace(LOX, "uncertainty: {distribution: triangular, low: 5, "
                                                              "high: 20}", "uncertainty: {distribution: lognormal, "
                                                              "gsd: 1.0e+300}")),
    ("exchanges: {a: 1}", "field 'activities[1].exchanges': expected a list, got a mapping",
     _replace(LOX, "    exchanges:\n      - input: background:electricity_XX",
              "    exchanges: {a: 1}\n    x:\n      - input: background:electricity_XX")),
    ("properties: [5]", "expected a mapping of named entries, got a list",
     _replace(LOX, "    properties:\n      dry_mass:", "    properties: [5]\n    x:\n      dry_mass:")),
    ("sources: [5]", "field 'sources': expected a mapping of named entries, got a list",
     _replace("sources/demo.yaml", "sources:\n", "sources: [5]\nx:\n")),
    ("methods.yaml: factors: [5]", "expected a mapping (a characterisation factor), got int",
     _replace("methods.yaml", "factors: &ha_factors\n", "factors: [5]\n    x: &ha_factors\n")),
    ("methods.yaml: extends: 5", "field 'methods[4].extends': expected a list of text, got int",
     _replace("methods.yaml", "extends: [IPCC 2021, climate change, global warming potential (GWP100)]",
              "extends: 5")),
    ("methods.yaml: methods: {}", "field 'methods': expected a list, got a mapping",
     _replace("methods.yaml", "methods:\n", "methods: {}\nx:\n")),
    ("methods.yaml: derived: bc_stratosphre (unknown derivation)",
     "field 'derived': unknown derivation 'bc_stratosphre'; known: bc_stratosphere, bc_mesosphere",
     _replace("methods.yaml", "derived: bc_stratosphere,", "derived: bc_stratosphre,")),
    ("methods.yaml: a derived factor with an amount", "a derived factor takes no 'amount' or 'uncertainty'",
     _replace("methods.yaml", "derived: bc_stratosphere,", "derived: bc_stratosphere, amount: 8.0e+4,")),
    ("methods.yaml: a derivation naming an unknown parameter",
     "derivation 'bc_stratosphere': field 'forcing': expected the name of a shared parameter",
     _replace("methods.yaml", "forcing: climate.bc_strat_forcing", "forcing: climate.bc_strat_forcin")),
    ("methods.yaml: a derivation's lifetime in kg", "parameter 'climate.bc_strat_forcing' is in",
     _replace("methods.yaml", "lifetime: climate.bc_strat_lifetime", "lifetime: climate.bc_strat_forcing")),
    ("methods.yaml: metric: GWP50", "field 'metric': expected one of GWP20, GWP100, GTP100, got 'GWP50'",
     _replace("methods.yaml", "metric: GWP100\n", "metric: GWP50\n")),
    ("systems.yaml: accelerators: [A]", "field 'accelerators': expected a mapping of accelerator names",
     _write("systems.yaml", SYSTEMS_OK.replace("accelerators: {A: demo:stage}", "accelerators: [A]"))),
    ("systems.yaml: launchers: {L: [5]}", "field 'launchers.L': expected {leo: database:code",
     _write("systems.yaml", SYSTEMS_OK.replace("{L: {leo: demo:stage}}", "{L: [5]}"))),
    ("systems.yaml: reuse_parameters: 5", "field 'launchers.L.reuse_parameters': expected a list of text",
     _write("systems.yaml", SYSTEMS_OK.replace("{leo: demo:stage}", "{leo: demo:stage, reuse_parameters: 5}"))),
    ("systems.yaml: defaults: [5]", "field 'defaults': expected a mapping, got a list",
     _write("systems.yaml", SYSTEMS_OK.replace("defaults: {accelerator: A, precision: bf16, grids: [XX], "
                                               "launcher: L, orbit: O}", "defaults: [5]"))),
    ("systems.yaml: grids: FR (text, not a list)", "field 'defaults.grids': expected a list of text",
     _write("systems.yaml", SYSTEMS_OK.replace("grids: [XX]", "grids: XX"))),
    ("history: [{date: '2024-01-01', source: nowhere}] (an unknown source in an exchange's history)",
     "history entry 1: field 'source': unknown source id 'nowhere'",
     _replace(LOX, "        amount: 3\n", "        amount: 3\n        history: [{date: '2024-01-01', amount: 2, "
              "source: nowhere}]\n")),
    ("history: [5] (not a list of mappings)", "expected a mapping (an earlier value",
     _replace(LOX, "        amount: 3\n", "        amount: 3\n        history: [5]\n")),
    ("parameters/x.yaml: options: {orbit: [5]}", "field 'options.orbit': expected a mapping of named options",
     _write("parameters/x.yaml", "options: {orbit: [5]}\n")),
    ("parameters/x.yaml: options.orbit.o.parameters: 5", "field 'options.orbit.o.parameters'",
     _write("parameters/x.yaml", "options: {orbit: {o: {parameters: 5}}}\n")),
    ("parameters/x.yaml: parameters: {a: 1}", "field 'parameters': expected a list, got a mapping",
     _write("parameters/x.yaml", "parameters: {a: 1}\n")),
    ("biosphere.yaml: flows: 5", "field 'flows': expected a list, got int", _write("biosphere.yaml", "flows: 5\n")),
    ("a directory named like a data file", "cannot read the file",
     lambda root: (root / "demo/dir.yaml").mkdir()),
    ("!!python/object tag", "not valid YAML", _write(LOX, "!!python/object:os.system\nx: 1\n")),
    ("a tab-indented file", "not valid YAML", _write(LOX, "database: demo\nactivities:\n\t- code: x\n")),
]]


# --- the command line (argument checks; in process) --------------------------------------------------------

def _argv(*argv: str):
    def run(fx):
        from lca.cli import build_parser

        with contextlib.redirect_stderr(_Sink()) as sink:
            try:
                build_parser().parse_args(list(argv))
            except SystemExit as exit:
                raise UsageExit(exit.code, sink.text) from None
    return run


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


class UsageExit(Exception):
    def __init__(self, code, text):
        super().__init__(f"exit {code}: {text.strip().splitlines()[-1] if text.strip() else ''}")
        self.code = code


CLI_CASES = [Case("command line", " ".join(argv), expected, _argv(*argv)) for argv, expected in [
    (("compare", "--seed", "-1"), "argument --seed: must be 0 or more, got -1"),
    (("sweep", "--seed", "-5"), "argument --seed: must be 0 or more"),
    (("sensitivity", "--seed", "x"), "argument --seed: expected a whole number"),
    (("footprint", "a", "--top", "-1"), "argument --top: must be 1 or more, got -1"),
    (("footprint", "a", "--top", "0"), "argument --top: must be 1 or more, got 0"),
    (("sensitivity", "--top", "-3"), "argument --top: must be 1 or more"),
    (("compare", "--out", ""), "argument --out: expected a .xlsx file path, got ''"),
    (("compare", "--out", "report.txt"), "argument --out: expected a file name ending in .xlsx"),
    (("report", "--out", ""), "argument --out: expected a .xlsx file path"),
    (("report", "--out", "r.xls"), "expected a file name ending in .xlsx"),
    (("inventory", "export", "--xlsx", "out.txt"), "argument --xlsx: expected a file name ending in .xlsx"),
    (("inventory", "export", "--xlsx", ""), "argument --xlsx: expected a .xlsx file path"),
    (("sweep", "--csv", "table.xlsx"), "argument --csv: expected a file name ending in .csv"),
    (("compare", "--mc", "-10"), "argument --mc: must be 0 or more"),
    (("compare", "--mc", "1e9"), "argument --mc: expected a whole number"),
    (("sweep", "--mc", "-1"), "argument --mc: must be 1 or more"),
    (("sensitivity", "--sobol", "0"), "argument --sobol: must be 1 or more"),
    (("footprint", "a", "--amount", "nan"), "argument --amount: must be a finite number"),
    (("footprint", "a", "--amount", "1e999"), "argument --amount: must be a finite number"),
    (("compare", "--engine", "gpu"), "argument --engine: invalid choice"),
    (("list", "everything"), "argument what: invalid choice"),
    (("sweep", "--year", "twenty"), "argument --year: invalid int value"),
]]


def _main(*argv: str):
    """``lca ARGV`` in process, without a Brightway project (commands that only read the inventory)."""
    def run(fx):
        from lca.cli import main

        out, err = _Sink(), _Sink()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([a.format(scratch=fx.scratch, mini=fx.mini() if "{mini}" in a else "") for a in argv])
        raise CommandExit(code, err.text, out.text)
    return run


class CommandExit(Exception):
    def __init__(self, code, stderr, stdout):
        lines = stderr.strip().splitlines()
        super().__init__(f"exit {code}: {lines[0] if lines else ''}")
        self.code, self.stderr, self.stdout = code, stderr, stdout


def _regular_file(fx) -> Path:
    path = fx.scratch / "a-regular-file"
    path.write_text("not a folder")
    return path


RUN_CASES = [
    Case("command line", "inventory export --xlsx FILE/x.xlsx (parent is a regular file)",
         "exit 2: error: cannot use", lambda fx: (_regular_file(fx), _main(
             "inventory", "export", "--quiet", "--inventories", "{mini}", "--xlsx",
             "{scratch}/a-regular-file/x.xlsx")(fx))),
    Case("command line", "inventory export --xlsx DIR.xlsx (a directory)", "exit 2: error: cannot use",
         lambda fx: ((fx.scratch / "dir.xlsx").mkdir(exist_ok=True), _main(
             "inventory", "export", "--quiet", "--inventories", "{mini}", "--database", "demo", "--xlsx",
             "{scratch}/dir.xlsx")(fx))),
    Case("command line", "inventory validate --inventories (one bracket unclosed in sources/demo.yaml)",
         "exit 2: error: 3 problem(s) in the inventory files:",
         lambda fx: _main("inventory", "validate", "--inventories", str(_broken_sources(fx)))(fx)),
    Case("command line", "compare --precision '' (empty; was silently the default)", "exit 2: error: empty precision",
         lambda fx: _main("compare", "--precision", "", "--mc", "0", "--brightway-dir", "{scratch}/bw")(fx)),
    Case("command line", "compare --grid '' (empty)", "exit 2: error: empty grid code",
         lambda fx: _main("compare", "--grid", "", "--mc", "0", "--brightway-dir", "{scratch}/bw")(fx)),
    Case("command line", "compare --grid us xq --quiet (lower case; one unknown)",
         "exit 2: error: unknown grid code 'xq'",
         lambda fx: _main("compare", "--grid", "us", "xq", "--quiet", "--mc", "0", "--brightway-dir",
                          "{scratch}/bw")(fx)),
    Case("command line", "inventory import BOOK --inventories MINI (a workbook that is a text file)",
         "exit 2: error:", lambda fx: (fx.scratch.joinpath("book.xlsx").write_text("hello"),
                                       _main("inventory", "import", "{scratch}/book.xlsx", "--inventories",
                                             "{mini}")(fx))),
]


def _broken_sources(fx) -> Path:
    root = fx.mini()
    _replace("sources/demo.yaml", "sources:\n", "sources: [\n")(root)
    return root


# --- imported workbooks ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """An inventory workbook of the mini inventory, as `lca inventory export` writes it."""
    from lca.inventory.excel import export_workbook

    root = make_mini_inventory(tmp_path_factory.mktemp("export") / "inventories")
    return root, export_workbook(read_inventory(root), root.parent / "book.xlsx", ["demo"])[0]


def _cell_of(sheet, column_name: str, row_of_code: str = "stage"):
    """The cell of ``column_name`` in the first exchange row of activity ``row_of_code``."""
    rows = list(sheet.iter_rows())
    for index, row in enumerate(rows):
        if row[0].value == "code" and row[1].value == row_of_code:
            header = next(r for r in rows[index:] if r[0].value == "name")
            column = [c.value for c in header].index(column_name)
            exchange = rows[rows.index(header) + 2]          # after the production row
            return exchange[column]
    raise AssertionError(row_of_code)


def _workbook(column: str, value, kind: str | None = None, code: str = "stage"):
    def run(fx):
        from openpyxl import load_workbook

        from lca.inventory.excel import export_workbook, import_workbook

        root = fx.mini()
        book_path, = export_workbook(read_inventory(root), root.parent / f"{root.name}.xlsx", ["demo"])
        book = load_workbook(book_path)
        sheet = book["demo"]
        if kind:
            _cell_of(sheet, "uncertainty type").value = kind
        _cell_of(sheet, column, code).value = value
        book.save(book_path)
        before = _hashes(root)
        try:
            import_workbook(book_path, read_inventory(root))
        finally:
            assert _hashes(root) == before, "a failed import changed the inventory files"
    return run


WORKBOOK_CASES = [Case("workbook import", shown, expected, _workbook(*spec)) for shown, expected, spec in [
    ("amount =1+1 (a formula, no cached value)", "cell K", ("given amount", "=1+1")),
    ("amount =A1 (a formula)", "holds a formula", ("amount", "=A1")),
    ("comment =HYPERLINK(...)", "holds a formula", ("comment", '=HYPERLINK("http://x", "y")')),
    ("amount NaN", "column 'amount': expected a finite number", ("amount", float("nan"))),
    ("amount inf", "column 'amount': expected a finite number", ("amount", float("inf"))),
    ("amount 'ten'", "column 'amount': expected a finite number", ("amount", "ten")),
    ("lognormal scale 1000", "column 'scale': a lognormal scale", ("scale", 1000, 2)),
    ("lognormal scale -1", "column 'scale': a lognormal scale", ("scale", -1, 2)),
    ("lognormal scale NaN", "column 'scale': expected a finite number", ("scale", float("nan"), 2)),
    ("uncertainty type 1e400", "column 'uncertainty type': expected one of", ("uncertainty type", float("inf"))),
    ("uncertainty type 2.5", "column 'uncertainty type': expected one of", ("uncertainty type", 2.5)),
    ("uncertainty type 'lognormal'", "column 'uncertainty type': expected one of", ("uncertainty type", "lognormal")),
    ("type 'coproduct'", "column 'type': expected technosphere or biosphere", ("type", "coproduct")),
    ("amount 0.5 of an exchange a formula sets (lox: asu_electricity)",
     "this amount is set by the formula 'asu_electricity'", ("amount", 0.5, None, "lox")),
    ("given amount 2 of an exchange a formula sets", "which would win on import", ("given amount", 2, None, "lox")),
    ("loc 5 (derived from the amount)", "column 'loc' was edited", ("loc", 5.0)),
    ("name of a technosphere exchange (the provider's)", "column 'name' was edited", ("name", "renamed")),
]]


def _hashes(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --- Assumptions sheets ---------------------------------------------------------------------------------

def _assumptions(rows: list[list]):
    def run(fx):
        from openpyxl import Workbook

        from lca.report.assumptions import COLUMNS, SHEET, read_assumptions

        book = Workbook()
        sheet = book.active
        sheet.title = SHEET
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append(row)
        fx.count += 1
        path = fx.scratch / f"assumptions{fx.count}.xlsx"
        book.save(path)
        read_assumptions(path, fx.real)
    return run


ASSUMPTION_CASES = [Case("Assumptions sheet", shown, expected, _assumptions(rows)) for shown, expected, rows in [
    ("grids =LOWER(\"FR\") (a formula)", "column 'value' (B2): holds a formula", [["grids", '=LOWER("FR")']]),
    ("compute.mfu =0.4 (a formula)", "holds a formula", [["compute.mfu", "=0.4", ""]]),
    ("compute.mfu 0", "outside the allowed range of compute.mfu (0, 1]", [["compute.mfu", 0, ""]]),
    ("compute.mfu 1.5", "outside the allowed range of compute.mfu (0, 1]", [["compute.mfu", 1.5, ""]]),
    ("orbit.lifetime 1e308", "outside the allowed range of orbit.lifetime", [["orbit.lifetime", 1e308, "year"]]),
    ("orbit.altitude -550 km", "outside the allowed range of orbit.altitude", [["orbit.altitude", -550, "km"]]),
    ("orbit.lifetime '9**9**9'", "expected a number in the unit of column 'unit'", [["orbit.lifetime", "9**9**9"]]),
    ("orbit.lifetime 5 kg", "has the wrong dimension", [["orbit.lifetime", 5, "kg"]]),
    ("grids XQ", "unknown grid code 'XQ'", [["grids", "XQ"]]),
    ("precision fp3", "unknown precision", [["precision", "fp3"]]),
    ("precision '' (an empty cell; was silently the default)", "empty precision; type one (the default is 'bf16')",
     [["precision", None, "", "bf16"]]),
    ("grids '  ' (blank; was silently the default grids)", "empty grids; type one", [["grids", "  "]]),
    ("accelerator '' (an empty cell)", "empty accelerator", [["accelerator", ""]]),
    ("grids 'us, xq' (lower case, one unknown)", "unknown grid code 'xq'", [["grids", "us, xq"]]),
    ("grid_trajectory 'maybe'", "grid_trajectory must be yes or no", [["grid_trajectory", "maybe"]]),
    ("year 1850", "year must be a whole year from", [["year", 1850]]),
    ("unknown parameter", "unknown parameter 'orbit.lifetim'", [["orbit.lifetim", 5]]),
]]


CASES: list[Case] = (SET_CASES + FORMULA_CASES + INVENTORY_CASES + CLI_CASES + RUN_CASES + WORKBOOK_CASES
                     + ASSUMPTION_CASES + _parameter_cases())
ERRORS = (OverrideError, FormulaError, InventoryError, UsageExit, CommandExit, ValueError, OSError)


def _one_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


@pytest.mark.parametrize("case", CASES, ids=[f"{c.area}: {c.input[:60]}" for c in CASES])
def test_bad_input_gives_one_clear_error(case, fx):
    with bounded():
        with pytest.raises(ERRORS) as info:
            case.run(fx)
    err = info.value
    text = str(err)
    assert "Traceback" not in text
    if isinstance(err, (UsageExit, CommandExit)):
        assert err.code == 2, text
    if isinstance(err, CommandExit):
        assert not err.stdout.strip(), err.stdout
        assert err.stderr.startswith("error: ") and "Traceback" not in err.stderr, err.stderr
        assert case.expected in text or case.expected in err.stderr, err.stderr
        return
    assert case.expected in text, f"expected {case.expected!r} in:\n{text}"


def test_a_lower_case_grid_code_is_read_as_its_code_and_said_so(real, tmp_path):
    """Not an error: grid codes are case-insensitive (``us`` is ``US``), on the command line (which says so on
    stderr) and in an Assumptions sheet (kept as the catalogue spells it, so labels and reports show ``US``)."""
    import argparse

    from openpyxl import Workbook

    from lca.analysis.compare import choices
    from lca.cli import _say_spelling
    from lca.report.assumptions import COLUMNS, SHEET, read_assumptions

    assert choices(real, grids=["us", "Fr"]).grids == ["US", "FR"]

    class Api:
        @staticmethod
        def inventory():
            return real

    err = _Sink()
    with contextlib.redirect_stderr(err):
        _say_spelling(argparse.Namespace(grid=["us", "FR"], quiet=False, json=False), Api)
    assert err.text == "[lca] grid code 'us' read as 'US' (grid codes are case-insensitive)\n"
    book = Workbook()
    book.active.title = SHEET
    book.active.append(COLUMNS)
    book.active.append(["grids", "us, fr"])
    book.save(tmp_path / "a.xlsx")
    assert read_assumptions(tmp_path / "a.xlsx", real).choices == {"grids": ["US", "FR"]}


def test_the_suite_has_at_least_300_distinct_cases():
    keys = {(c.area, c.input) for c in CASES}
    assert len(keys) == len(CASES) and len(CASES) >= 300, len(CASES)


def test_every_parameter_declares_limits(real):
    derived = {f"cf:{m.alias}:{f.flow[0]}:{f.flow[1]}" for m in real.methods.values() for f in m.factors if f.derived}
    # a derived factor may be negative (net surface cooling) and has no limits of its own: its inputs declare them
    inputs = {n for m in real.methods.values() for f in m.factors if f.derived for n in derivations.inputs(f.derived,
                                                                                                           m.metric)}
    assert derived and all(real.parameters[n].limits != (None, None) for n in inputs)
    missing = [name for name, p in qualified_parameters(real).items() if p.limits == (None, None) and name not in derived]
    missing += [f"option {g}: {o}: {n}" for g, options in real.options.items() for o, option in options.items()
                for n, p in option.parameters.items() if p.limits == (None, None)]
    assert not missing, f"{len(missing)} parameter(s) without limits: {missing[:20]}"


def test_one_broken_file_gives_one_root_cause_not_a_flood(tmp_path):
    """An unclosed bracket in one source file: its message, and one line per dependent file."""
    root = make_mini_inventory(tmp_path / "inventories")
    _replace("sources/demo.yaml", "sources:\n", "sources: [\n")(root)
    with bounded(), pytest.raises(InventoryError) as info:
        read_inventory(root)
    lines = [str(p) for p in info.value.problems]
    assert lines[0].startswith("sources/demo.yaml:") and "not valid YAML" in lines[0] and "(column" in lines[0]
    assert sorted(lines[1:]) == [f"{rel}: references not checked because sources/demo.yaml failed (fix that file "
                                 "first)" for rel in ("background/grid.yaml", "demo/lox.yaml")], lines


# --- property-based: random formulas and override texts never hang or crash --------------------------------

FAST = settings(max_examples=int(os.environ.get("ROBUSTNESS_EXAMPLES", 50)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
ATOMS = st.one_of(st.sampled_from(["x", "n", "9", "99", "1e308", "0", "pi", "2.5"]),
                  st.integers(-10**6, 10**6).map(str))
FORMULAS = st.recursive(ATOMS, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    st.tuples(st.sampled_from(["exp", "log", "sqrt", "-"]), inner).map(lambda t: f"{t[0]}({t[1]})")), max_leaves=12)


@FAST
@given(formula=FORMULAS)
def test_random_formulas_answer_at_once(formula):
    from lca.core.units import Q_

    started = time.monotonic()
    with bounded(5):
        try:
            result = evaluate(formula, {"x": Q_(2.0, "kg"), "n": Q_(3.0, "")})
        except FormulaError:
            return
    assert time.monotonic() - started < 5
    magnitude = result.magnitude
    assert not math.isfinite(magnitude) or abs(magnitude) <= 1e300


@FAST
@given(text=st.one_of(st.text(max_size=40), st.from_regex(r"[0-9*^.e+\- ]{1,30}( ?(year|kg|%|W))?", fullmatch=True)))
def test_random_override_text_answers_at_once(real, text):
    with bounded(5):
        try:
            values = normalise(real, {"orbit.lifetime": text})
        except OverrideError as err:
            assert str(err).startswith("orbit.lifetime: ")
            return
    assert 0.1 <= values["orbit.lifetime"] <= 100


# --- all or nothing: several files, stale temporaries, signals ---------------------------------------------

def test_a_failed_multi_file_write_replaces_nothing(tmp_path):
    book, png, blocked = tmp_path / "r.xlsx", tmp_path / "r-a.png", tmp_path / "r-b.png"
    book.write_bytes(b"old book")
    png.write_bytes(b"old png")
    blocked.mkdir()                           # a PNG target that is a directory
    with pytest.raises(IsADirectoryError) as info:
        with atomic_paths([book, png, blocked]) as temporaries:
            for tmp in temporaries:
                tmp.write_bytes(b"new")
    assert str(blocked) in str(info.value)
    assert book.read_bytes() == b"old book" and png.read_bytes() == b"old png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r-a.png", "r-b.png", "r.xlsx"]


def test_a_rename_failing_halfway_restores_the_files_already_replaced(tmp_path, monkeypatch):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.png"
    first.write_bytes(b"old a")
    real_replace, calls = os.replace, []

    def failing_replace(source, target):
        calls.append(target)
        if Path(target) == second:
            raise OSError(28, "No space left on device", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        with atomic_paths([first, second]) as temporaries:
            for tmp in temporaries:
                tmp.write_bytes(b"new")
    monkeypatch.undo()
    assert first.read_bytes() == b"old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx"]


def test_stale_temporaries_of_a_killed_writer_are_removed_on_the_next_write(tmp_path):
    target = tmp_path / "report.xlsx"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".report.xlsx.{dead.stdout.strip()}.abcd1234.tmp"
    stale.write_bytes(b"half a workbook")
    mine = tmp_path / f".report.xlsx.{os.getpid()}.abcd1234.tmp"      # a live writer's: kept
    mine.write_bytes(b"in progress")
    other = tmp_path / ".other.xlsx.1.abcd1234.tmp"                    # another target's: kept
    other.write_bytes(b"x")
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert not stale.exists() and mine.exists() and other.exists() and target.read_bytes() == b"new"
    assert remove_stale_temporaries(target) == []


_WRITER = r"""
import sys, time
from lca.core.files import atomic_paths, raise_on_sigterm
raise_on_sigterm()
with atomic_paths([sys.argv[1], sys.argv[2]]) as temporaries:
    for tmp in temporaries:
        tmp.write_bytes(b"new, half written")
    print("writing", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_writer_killed_mid_write_leaves_the_old_files_and_no_temporaries(tmp_path, signum):
    book, png = tmp_path / "r.xlsx", tmp_path / "r-a.png"
    book.write_bytes(b"old book")
    process = subprocess.Popen([sys.executable, "-c", _WRITER, str(book), str(png)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "writing"
    process.send_signal(signum)
    process.wait(timeout=30)
    assert book.read_bytes() == b"old book" and not png.exists()
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    if signum == signal.SIGKILL:                 # nothing runs on SIGKILL: the next write cleans up
        assert len(leftovers) == 2
        with atomic_path(book) as tmp:
            tmp.write_bytes(b"new book")
        remove_stale_temporaries(png)
        leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert leftovers == [], leftovers


# --- read-only and full file systems (a small tmpfs; skipped where mounting is impossible) -------------------

#: Size of the small file system [KiB]: room for a copy of the mini inventory (about 100 KiB in 4 KiB blocks).
TMPFS_KB = 256


@pytest.fixture
def tmpfs(tmp_path):
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_KB}k", "tmpfs", str(mount)],
                            capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _cli_in_process(*argv) -> tuple[int, str, str]:
    from lca.cli import main

    out, err = _Sink(), _Sink()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.text, err.text


def test_full_file_system_is_an_input_error_and_keeps_the_old_file(tmpfs, tmp_path):
    root = make_mini_inventory(tmp_path / "inventories")
    target = tmpfs / "book.xlsx"
    target.write_bytes(b"old workbook")
    (tmpfs / "filler").write_bytes(b"\0" * ((TMPFS_KB - 4) * 1024 - 4096))    # leave too little for a workbook
    with bounded():
        code, out, err = _cli_in_process("inventory", "export", "--inventories", str(root), "--database", "demo",
                                         "--xlsx", str(target))
    assert code == 2 and not out.strip(), (code, out, err)
    assert err.startswith("error: ") and "No space left on device" in err and "Traceback" not in err, err
    assert target.read_bytes() == b"old workbook"
    assert sorted(p.name for p in tmpfs.iterdir()) == ["book.xlsx", "filler"]


def test_read_only_file_system_is_an_input_error(tmpfs, tmp_path):
    root = make_mini_inventory(tmp_path / "inventories")
    target = tmpfs / "book.xlsx"
    target.write_bytes(b"old workbook")
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    with bounded():
        code, out, err = _cli_in_process("inventory", "export", "--inventories", str(root), "--database", "demo",
                                         "--xlsx", str(target))
    assert code == 2 and err.startswith("error: cannot use") and "Read-only file system" in err, err
    assert str(tmpfs) in err and "Traceback" not in err
    assert target.read_bytes() == b"old workbook"


def test_importing_into_a_read_only_copy_is_an_input_error(tmpfs, tmp_path, exported):
    root, book = exported
    copy = tmpfs / "inventories"
    subprocess.run(["cp", "-r", str(root), str(copy)], check=True)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    from openpyxl import load_workbook

    edited = tmp_path / "edited.xlsx"
    workbook = load_workbook(book)
    _cell_of(workbook["demo"], "comment").value = "an edited comment"
    workbook.save(edited)
    with bounded():
        code, out, err = _cli_in_process("inventory", "import", str(edited), "--inventories", str(copy))
    assert code == 2 and err.startswith("error: ") and "Read-only file system" in err and "Traceback" not in err, err


# --- the docs table ------------------------------------------------------------------------------------

def _cell(text: str) -> str:
    text = text if len(text) <= 90 else text[:87] + "..."
    return "`" + text.replace("|", "\\|").replace("`", "'").replace("\n", " ") + "`"


def doc_table() -> str:
    lines = [BEGIN, "", f"{len(CASES)} cases, each run in process under a {CASE_SECONDS} s wall-clock bound "
             "(`tests/test_bad_inputs.py`); every one ends in the error shown (exit 2 from the command line), "
             "with no traceback and no file changed.", ""]
    for area in dict.fromkeys(c.area for c in CASES):
        rows = [c for c in CASES if c.area == area and not c.family]
        families = {}
        for case in CASES:
            if case.area == area and case.family:
                families.setdefault(case.family, []).append(case)
        lines += [f"### {area}", "", "| bad input | outcome (error contains) |", "|---|---|"]
        lines += [f"| {_cell(c.input)} | {_cell(c.expected)} |" for c in rows]
        lines += [f"| {family}: {len(cases)} cases, e.g. {_cell(cases[0].input)} | {_cell(cases[0].expected)}"
                  f" (`outside the allowed range`) |" for family, cases in families.items()]
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def test_docs_list_every_case():
    text = DOC.read_text()
    table = doc_table()
    if os.environ.get("LCA_WRITE_BAD_INPUTS_DOC"):
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        DOC.write_text(head.rstrip("\n") + "\n\n" + table + tail if rest else text.rstrip("\n") + "\n\n## The "
                       "bad-input suite\n\n" + table + "\n")
        text = DOC.read_text()
    assert table in text, "docs/bad-inputs.md is out of date: LCA_WRITE_BAD_INPUTS_DOC=1 pytest " \
                          "tests/test_bad_inputs.py::test_docs_list_every_case"
