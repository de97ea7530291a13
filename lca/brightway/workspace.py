"""The workspace: where one session of the tool reads its inventories and keeps its Brightway project.

A :class:`Workspace` names the tool's Brightway directory and the inventories folder and offers
what every calculation needs from them: the validated inventory, the project set up on demand,
and the project's shared lock while results are read. It replaces module-level state: the API
holds one default workspace (:func:`lca.api.configure`), and workers of a sweep build their own.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

from lca.brightway import project
from lca.inventory import Inventory, read_inventory


@dataclass(frozen=True)
class Workspace:
    """A Brightway directory and an inventories folder.

    Parameters
    ----------
    brightway_dir : path or None
        The tool's Brightway directory; ``None`` means ``LCA_BRIGHTWAY_DIR`` or the user data directory.
    inventories : path or None
        The inventories folder; ``None`` means ``LCA_INVENTORIES`` or the shipped inventories.
    """

    brightway_dir: str | None = None
    inventories: str | None = None

    @classmethod
    def of(cls, brightway_dir: str | os.PathLike | None = None,
           inventories: str | os.PathLike | None = None) -> Workspace:
        """A workspace from paths given as strings or path-like objects."""
        return cls(None if brightway_dir is None else str(brightway_dir),
                   None if inventories is None else str(inventories))

    @property
    def directory(self) -> Path:
        """The resolved Brightway directory (created if missing)."""
        return project.brightway_dir(self.brightway_dir)

    def inventory(self) -> Inventory:
        """The validated inventory (raises :class:`lca.inventory.InventoryError`)."""
        return read_inventory(self.inventories, project.inventory_cache_dir(self.directory))

    def setup(self, progress=None) -> project.SetupReport:
        """Build or update the Brightway project; a no-op when nothing changed."""
        return project.setup(self.brightway_dir, self.inventories, progress)

    def brightway(self, progress=None):
        """The ``bw2data`` module with the project active and up to date (set up on demand)."""
        return project.ready(self.brightway_dir, self.inventories, progress)

    @contextlib.contextmanager
    def reading(self):
        """Hold the project's shared lock while results are computed from it."""
        with project.locked(self.directory, exclusive=False):
            yield
