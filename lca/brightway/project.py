"""The tool's Brightway project: where it lives, building it, keeping it consistent.

The project directory is owned by this tool: ``--brightway-dir``, else
``$LCA_BRIGHTWAY_DIR``, else the user data directory for ``lca-orbit-compute``
(e.g. ``~/.local/share/lca-orbit-compute/brightway`` on Linux). ``BRIGHTWAY2_DIR``
is set to it before ``bw2data`` is imported, so the user's own Brightway
projects are never opened or changed.

:func:`setup` builds the project offline and incrementally: each component
(biosphere3, our flows, the climate methods, each inventory database) has a
fingerprint of its inputs; only components whose fingerprint changed are
rebuilt, and a component is recorded as built only after it was written in
full, so an interrupted setup is repaired by the next run. A file lock keeps
two processes from building at once; readers take a shared lock.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from lca import __version__
from lca.core.flows import BIOSPHERE3, OUR_BIOSPHERE
from lca.errors import InputError
from lca.inventory import Inventory, derivations, inventory_root, read_inventory
from lca.inventory.read import file_hashes

PROJECT_NAME = "lca-toolkit"
STATE_FILE = "lca-toolkit-state.json"
LOCK_FILE = "lca-toolkit.lock"
#: Bump when the way inventories are written to Brightway changes.
BUILD_FORMAT = 1
_ACTIVE: dict[str, str] = {}


class ProjectError(InputError):
    """The Brightway directory cannot be used as asked."""


def brightway_dir(directory: str | os.PathLike | None = None) -> Path:
    """The tool's Brightway directory (created if missing)."""
    if directory is None:
        directory = os.environ.get("LCA_BRIGHTWAY_DIR")
    if directory is None:
        import platformdirs

        directory = Path(platformdirs.user_data_dir("lca-orbit-compute", appauthor=False)) / "brightway"
    path = Path(directory).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ProjectError(f"cannot create the Brightway directory {path}: {err.strerror}") from err
    return path


def inventory_cache_dir(path: Path) -> Path:
    """Where the validated inventories are kept for later processes (:mod:`lca.inventory.cache`)."""
    return path / "lca-cache"


def _quiet_imports() -> None:
    warnings.filterwarnings("ignore", message=r"(?s).*pypardiso")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="bw2.*")
    logging.getLogger("bw2data").setLevel(logging.WARNING)
    try:
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    except ImportError:  # pragma: no cover - structlog comes with bw2data
        pass


def activate(directory: str | os.PathLike | None = None):
    """Point Brightway at the tool's directory and project; return the ``bw2data`` module.

    Must run before anything else imports ``bw2data`` in this process.
    """
    path = brightway_dir(directory)
    current = _ACTIVE.get("dir")
    if current and current != str(path):
        raise ProjectError(f"this process already uses the Brightway directory {current}; "
                           f"start a new process for {path}")
    if "bw2data" in sys.modules and os.environ.get("BRIGHTWAY2_DIR") != str(path):
        raise ProjectError("bw2data was imported before the tool set BRIGHTWAY2_DIR; "
                           "import lca before bw2data")
    os.environ["BRIGHTWAY2_DIR"] = str(path)
    # bw2data checks for its logs directory, then creates it: two processes starting at once race there
    # (FileExistsError in the second); creating it first, tolerating that it exists, closes the race
    (path / "logs").mkdir(exist_ok=True)
    os.environ.setdefault("MPLCONFIGDIR", str(path / "matplotlib"))     # charts: no cache in the home directory
    _quiet_imports()
    with contextlib.redirect_stdout(io.StringIO()):   # bw2data's feedback logger binds to stdout here
        import bw2data

    if bw2data.projects.current != PROJECT_NAME:
        bw2data.projects.set_current(PROJECT_NAME)
    _ACTIVE["dir"] = str(path)
    return bw2data


@contextlib.contextmanager
def locked(directory: Path, exclusive: bool):
    """Hold the project's file lock (exclusive for building, shared for reading)."""
    with open(directory / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in ("bw2data", "bw2calc", "bw2io", "bw_processing")} | {
        "lca": __version__, "build_format": str(BUILD_FORMAT)}


def database_dependencies(inventory: Inventory) -> dict[str, set[str]]:
    """Databases each inventory database links to (biosphere databases included)."""
    deps = {}
    for name, database in inventory.databases.items():
        deps[name] = {exchange.input[0] for activity in database.activities.values()
                      for exchange in activity.exchanges} - {name}
    return deps


def build_order(inventory: Inventory) -> list[str]:
    """Inventory databases ordered so that each comes after the databases it links to."""
    deps = database_dependencies(inventory)
    order, done = [], {BIOSPHERE3, OUR_BIOSPHERE}
    while len(order) < len(deps):
        ready = sorted(name for name in deps if name not in done and deps[name] <= done)
        if not ready:
            cycle = sorted(set(deps) - done)
            raise ProjectError(f"databases link to each other in a cycle: {', '.join(cycle)}; "
                               "move the shared activities into one database")
        order += ready
        done |= set(ready)
    return order


def fingerprints(inventory: Inventory) -> dict[str, str]:
    """Fingerprint of each component's inputs (file contents, dependencies, package versions)."""
    versions = _versions()
    files = inventory.file_hashes
    prints = {BIOSPHERE3: _digest(versions["bw2io"], versions["build_format"])}
    prints[OUR_BIOSPHERE] = _digest(files.get("biosphere.yaml"), versions)
    # derived factors are computed from shared parameters: the files that hold their inputs are inputs too
    inputs = {inventory.parameters[name].file for method in inventory.methods.values() for factor in method.factors
              if factor.derived is not None for name in derivations.inputs(factor.derived, method.metric)}
    prints["methods"] = _digest(files.get("methods.yaml"), sorted((f, files.get(f)) for f in inputs),
                                prints[BIOSPHERE3], prints[OUR_BIOSPHERE])
    shared = {name: digest for name, digest in files.items() if name.startswith("parameters/")}
    deps = database_dependencies(inventory)
    for name in build_order(inventory):
        own = {f: files[f] for f in inventory.databases[name].files}
        prints[name] = _digest(own, shared, versions, sorted((d, prints[d]) for d in deps[name]))
    return prints


@dataclass
class SetupReport:
    """What :func:`setup` did."""

    directory: str
    built: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.built or self.removed)


def read_state(directory: Path) -> dict:
    try:
        return json.loads((directory / STATE_FILE).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _write_state(directory: Path, state: dict) -> None:
    tmp = directory / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True))
    os.replace(tmp, directory / STATE_FILE)


def setup(directory: str | os.PathLike | None = None, root: str | os.PathLike | None = None,
          progress=None) -> SetupReport:
    """Build or update the Brightway project from ``inventories/`` (offline, idempotent).

    Parameters
    ----------
    directory : path, optional
        Brightway directory (see :func:`brightway_dir`).
    root : path, optional
        Inventories folder (see :func:`lca.inventory.inventory_root`).
    progress : callable, optional
        Called with a short message before each component is built.
    """
    start = time.perf_counter()
    path = brightway_dir(directory)
    report = SetupReport(str(path))
    quick = _digest(file_hashes(inventory_root(root)), _versions())
    if read_state(path).get("all") == quick and project_exists(path):
        if _ACTIVE.get("dir") == str(path):     # another process may have built since bw2data read its metadata
            bd = sys.modules["bw2data"]
            bd.databases.load()
            bd.methods.load()
        report.seconds = time.perf_counter() - start
        return report
    inventory = read_inventory(root, inventory_cache_dir(path))
    bd = activate(path)
    from lca.brightway import methods, writer

    with locked(path, exclusive=True):
        # another process may have built while this one waited for the lock: re-read bw2data's metadata,
        # which it loaded when the project was activated
        bd.databases.load()
        bd.methods.load()
        state = read_state(path)
        state.pop("all", None)
        built = state.setdefault("components", {})
        wanted = fingerprints(inventory)
        present = set(bd.databases)
        steps = [(BIOSPHERE3, lambda: writer.write_biosphere3(bd)),
                 (OUR_BIOSPHERE, lambda: writer.write_our_biosphere(bd, inventory))]
        steps += [(name, (lambda n=name: writer.write_database(bd, inventory, n))) for name in build_order(inventory)]
        for component, action in steps:
            if built.get(component) == wanted[component] and component in present:
                continue
            if progress:
                progress(f"building {component}")
            built.pop(component, None)
            _write_state(path, state)
            with contextlib.redirect_stdout(sys.stderr):   # bw2io prints its progress to stdout
                action()
            built[component] = wanted[component]
            _write_state(path, state)
            report.built.append(component)
        if built.get("methods") != wanted["methods"] or not methods.installed(bd, inventory):
            if progress:
                progress("writing climate methods")
            built.pop("methods", None)
            _write_state(path, state)
            methods.write_methods(bd, inventory)
            built["methods"] = wanted["methods"]
            report.built.append("methods")
        for stale in sorted(present - set(wanted) - {BIOSPHERE3, OUR_BIOSPHERE}):
            del bd.databases[stale]
            built.pop(stale, None)
            report.removed.append(stale)
        state["all"] = quick
        _write_state(path, state)
    report.seconds = time.perf_counter() - start
    return report


def project_exists(path: Path) -> bool:
    """Cheap check that the project's files are there (without importing bw2data)."""
    return any((folder / "lci" / "databases.db").is_file() for folder in path.glob(f"{PROJECT_NAME}.*")
               if folder.is_dir())


def ready(directory: str | os.PathLike | None = None, root: str | os.PathLike | None = None, progress=None):
    """Set up on demand and return the ``bw2data`` module with the project active."""
    setup(directory, root, progress)
    return activate(directory)
