"""Provenance of a result: package versions, input hashes, seed, methods, command line."""
from __future__ import annotations

import datetime as _dt
import platform
import sys
from importlib import metadata

from lca import __version__
from lca.inventory import Inventory

PACKAGES = ("lca-orbit-compute", "bw2data", "bw2calc", "bw2io", "bw_processing", "matrix_utils", "numpy", "scipy",
            "pandas", "pint", "openpyxl", "pyyaml", "matplotlib")


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def record(inventory: Inventory, argv: list[str] | None = None, seed: int | None = None) -> list[tuple[str, str]]:
    """(key, value) rows describing how a result was produced."""
    rows = [("tool version", __version__),
            ("created (UTC)", _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")),
            ("command line", " ".join(argv or sys.argv)),
            ("python", platform.python_version()),
            ("platform", platform.platform()),
            ("seed", "none (deterministic)" if seed is None else str(seed)),
            ("inventories folder", inventory.root)]
    rows += [(f"method: {m.alias}", " | ".join(m.name) + f" (source {m.source})") for m in inventory.methods.values()]
    rows += [(f"package: {name}", version) for name, version in package_versions().items()]
    rows += [(f"input sha256: {path}", digest) for path, digest in sorted(inventory.file_hashes.items())]
    return rows
