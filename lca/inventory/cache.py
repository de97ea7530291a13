"""Read once: the validated inventory kept on disk, keyed by the content of its inputs.

Parsing and validating every YAML file takes seconds; the result depends only on the bytes of the files, on
the code that reads them (``lca.core`` and ``lca.inventory``) and on the versions of Python, pint and PyYAML.
:func:`load` returns the inventory stored under that key, and :func:`store` writes it atomically (a
temporary file renamed into place), so concurrent first runs each leave one complete, valid file and a
reader never sees half of one. Any edit to a data file, any change of the reading code and any upgrade
changes the key, and the next read rebuilds. A file that cannot be unpickled is ignored and rebuilt.

The cache lives in the tool's own directory (the Brightway directory it owns), one file per inventories
folder; nothing is written elsewhere.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
import sys
from importlib import metadata
from pathlib import Path

from lca import __version__
from lca.core.files import atomic_path
from lca.inventory.model import Inventory

_PACKAGE = Path(__file__).resolve().parents[1]
#: Package folders whose code decides what a read inventory holds.
_READING_CODE = ("core", "inventory")


def _code_digest() -> str:
    """SHA-256 over the reading code's source files (so an edited or upgraded package never reads stale data)."""
    digest = hashlib.sha256()
    for folder in _READING_CODE:
        for path in sorted((_PACKAGE / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".txt"):
                digest.update(path.relative_to(_PACKAGE).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def key(file_hashes: dict[str, str]) -> str:
    """The cache key of an inventory whose data files have ``file_hashes`` (relative path -> SHA-256)."""
    versions = {name: metadata.version(name) for name in ("pint", "PyYAML")}
    payload = {"files": file_hashes, "lca": __version__, "code": _code_digest(), "python": sys.version,
               "versions": versions}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _path(cache_dir: Path, root: Path) -> Path:
    """The cache file of the inventories folder ``root`` (one per folder)."""
    return cache_dir / f"inventory-{hashlib.sha256(str(root).encode()).hexdigest()[:16]}.pickle"


def load(cache_dir: Path, root: Path, wanted: str) -> Inventory | None:
    """The inventory cached for ``root`` under key ``wanted``, or None (missing, stale or unreadable)."""
    try:
        with open(_path(cache_dir, root), "rb") as handle:
            stored_key, inventory = pickle.load(handle)
    except Exception:   # missing, truncated by a full disk, written by another version: rebuild
        return None
    return inventory if stored_key == wanted and isinstance(inventory, Inventory) else None


def store(cache_dir: Path, root: Path, stored_key: str, inventory: Inventory) -> None:
    """Write ``inventory`` under ``stored_key`` atomically; a failure to write (read-only, full) is ignored."""
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        with atomic_path(_path(cache_dir, root)) as tmp, open(tmp, "wb") as handle:
            pickle.dump((stored_key, inventory), handle, protocol=pickle.HIGHEST_PROTOCOL)
