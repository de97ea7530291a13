"""``lca doctor``: check the installation, the Brightway directory, the inventories and the project.

Every check reads only: nothing is imported that would open Brightway (bw2data is located, not
imported, unless this process already uses it), and nothing is written except a probe file that
tests the Brightway directory is writable (removed at once).
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

#: (distribution, import name, lowest version or None)
REQUIRED_PACKAGES = (
    ("bw2data", "bw2data", "4.8"),
    ("bw2calc", "bw2calc", "3.1"),
    ("bw2io", "bw2io", "0.9"),
    ("pint", "pint", None),
    ("pandas", "pandas", None),
    ("numpy", "numpy", None),
    ("openpyxl", "openpyxl", None),
    ("ruamel.yaml", "ruamel.yaml", None),
    ("scipy", "scipy", None),
    ("dask", "dask", None),
    ("distributed", "distributed", None),
    ("SALib", "SALib", None),
    ("matplotlib", "matplotlib", None),
)
#: Packages that must not be imported here: importing bw2data before BRIGHTWAY2_DIR is set opens
#: (and creates) Brightway's default directory in the user's home.
_LOCATE_ONLY = {"bw2data", "bw2calc", "bw2io"}
#: Data files shipped inside bw2io that `lca setup` reads (offline).
BW2IO_DATA_FILES = ("data/lci/ecoinvent elementary flows 3.9.xml", "data/lcia/lcia_39_ecoinvent.zip")
MINIMUM_PYTHON = (3, 11)


@dataclass
class Check:
    """One check: its name, whether it passed, what was found and, when it failed, how to fix it."""

    name: str
    ok: bool
    message: str
    fix: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])


def check_python() -> Check:
    found = ".".join(str(x) for x in sys.version_info[:3])
    ok = sys.version_info[:2] >= MINIMUM_PYTHON
    return Check("python", ok, f"Python {found} ({sys.executable})",
                 "" if ok else f"use Python >= {'.'.join(map(str, MINIMUM_PYTHON))}")


def check_package(distribution: str, module: str, minimum: str | None) -> Check:
    name = f"package {distribution}"
    try:
        version = metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return Check(name, False, "not installed", f"pip install '{distribution}"
                     + (f">={minimum}'" if minimum else "'") + " (or pip install -e . in the repository)")
    try:
        if module in _LOCATE_ONLY and module not in sys.modules:
            if importlib.util.find_spec(module) is None:
                raise ImportError(f"no module named {module}")
        else:
            importlib.import_module(module)
    except Exception as err:   # a broken install raises anything on import
        return Check(name, False, f"{version} installed but cannot be imported: {type(err).__name__}: {err}",
                     f"pip install --force-reinstall '{distribution}'")
    if minimum and _version_tuple(version) < _version_tuple(minimum):
        return Check(name, False, f"{version} is older than the required {minimum}",
                     f"pip install -U '{distribution}>={minimum}'")
    return Check(name, True, version + (f" (>= {minimum})" if minimum else ""))


def check_brightway_dir(directory=None) -> Check:
    from lca.brightway import project

    name = "brightway directory"
    try:
        path = project.brightway_dir(directory)
    except project.ProjectError as err:
        return Check(name, False, str(err), "choose another directory with --brightway-dir or LCA_BRIGHTWAY_DIR")
    if not path.is_dir():
        return Check(name, False, f"{path} is not a directory", "remove it or choose another --brightway-dir")
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".lca-doctor-"):
            pass
    except OSError as err:
        return Check(name, False, f"{path} is not writable: {err.strerror}",
                     f"fix the permissions of {path} or choose another --brightway-dir")
    current = os.environ.get("BRIGHTWAY2_DIR")
    if "bw2data" in sys.modules and current != str(path):
        return Check(name, False, f"{path}, but this process's bw2data uses BRIGHTWAY2_DIR={current}",
                     "import lca before bw2data, or start a new process")
    note = ("BRIGHTWAY2_DIR points at it" if current == str(path) else
            f"BRIGHTWAY2_DIR is set to it when a command runs (your own BRIGHTWAY2_DIR={current} is left alone)"
            if current else "BRIGHTWAY2_DIR is set to it when a command runs")
    return Check(name, True, f"{path} exists and is writable; {note}")


def check_bw2io_data() -> Check:
    name = "bw2io data files"
    spec = importlib.util.find_spec("bw2io")
    if spec is None or not spec.origin:
        return Check(name, False, "bw2io is not installed", "pip install 'bw2io>=0.9'")
    base = Path(spec.origin).parent
    missing = [rel for rel in BW2IO_DATA_FILES if not (base / rel).is_file()]
    if missing:
        return Check(name, False, f"missing in {base}: {', '.join(missing)}",
                     "reinstall bw2io: pip install --force-reinstall 'bw2io>=0.9'")
    return Check(name, True, ", ".join(Path(rel).name for rel in BW2IO_DATA_FILES))


def _inventory(root=None):
    from lca.inventory import read_inventory

    return read_inventory(root)


def check_inventories(root=None) -> Check:
    from lca.inventory import InventoryError, inventory_root

    name = "inventories"
    try:
        path = inventory_root(root)
        inventory = _inventory(root)
    except FileNotFoundError as err:
        return Check(name, False, str(err), "point --inventories or LCA_INVENTORIES at the inventories folder")
    except InventoryError as err:
        shown = "; ".join(str(p) for p in err.problems[:10])
        more = f"; ... and {len(err.problems) - 10} more" if len(err.problems) > 10 else ""
        return Check(name, False, f"{len(err.problems)} problem(s): {shown}{more}",
                     "fix the files named above (`lca inventory validate` lists every problem)")
    activities = sum(len(d.activities) for d in inventory.databases.values())
    return Check(name, True, f"{path}: {len(inventory.databases)} databases, {activities} activities, "
                 f"{len(inventory.sources)} sources; every source reference resolves")


def check_documents(root=None) -> Check:
    """Every document a source cites (``document:`` in ``inventories/sources/*.yaml``) ships with the tool."""
    from lca.core.shipped import shipped_path
    from lca.inventory import InventoryError

    name = "cited documents"
    try:
        inventory = _inventory(root)
    except (InventoryError, FileNotFoundError):
        return Check(name, False, "cannot be checked until the inventories are usable", "fix the inventories check")
    base = shipped_path("docs").parent
    cited = {}
    for source in inventory.sources.values():
        if source.document:
            cited.setdefault(source.document, []).append(source.id)
    missing = {doc: ids for doc, ids in cited.items()
               if not doc.startswith("docs/") or not (base / doc).is_file()}
    if missing:
        shown = "; ".join(f"{doc} (cited by {', '.join(sorted(ids))})" for doc, ids in sorted(missing.items()))
        return Check(name, False, f"missing in {base}: {shown}",
                     "restore the document under docs/ or correct the 'document:' field of those sources")
    return Check(name, True, f"{len(cited)} document(s) cited by {sum(map(len, cited.values()))} source(s), all present")


def check_project_state(directory=None, root=None) -> Check:
    from lca.brightway import project
    from lca.inventory import InventoryError

    name = "project state"
    try:
        path = project.brightway_dir(directory)
        inventory = _inventory(root)
    except (InventoryError, FileNotFoundError, project.ProjectError):
        return Check(name, False, "cannot be checked until the inventories and the directory are usable",
                     "fix the checks above, then run `lca setup`")
    state = project.read_state(path)
    if not state or not project.project_exists(path):
        return Check(name, False, f"no Brightway project in {path} yet", "run `lca setup`")
    wanted = project.fingerprints(inventory)
    built = state.get("components", {})
    stale = [component for component, digest in wanted.items() if built.get(component) != digest]
    if stale:
        return Check(name, False, f"out of date or incomplete: {', '.join(stale)}",
                     "run `lca setup` (it rebuilds only these)")
    return Check(name, True, f"up to date ({len(wanted)} components)")


def run_checks(directory=None, root=None) -> list[Check]:
    """Every check, in order; a check that fails unexpectedly is reported as failed, never raised."""
    checks = [("python", check_python)]
    checks += [(f"package {d}", lambda d=d, m=m, v=v: check_package(d, m, v)) for d, m, v in REQUIRED_PACKAGES]
    checks += [("brightway directory", lambda: check_brightway_dir(directory)), ("bw2io data files", check_bw2io_data),
               ("inventories", lambda: check_inventories(root)), ("cited documents", lambda: check_documents(root)),
               ("project state", lambda: check_project_state(directory, root))]
    results = []
    for name, check in checks:
        try:
            results.append(check())
        except Exception as err:   # the doctor must report, not crash
            results.append(Check(name, False, f"the check itself failed: {type(err).__name__}: {err}",
                                 "report this as a bug"))
    return results
