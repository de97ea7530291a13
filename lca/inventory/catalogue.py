"""The systems catalogue (``inventories/systems.yaml``) as types: the choices ``lca compare`` offers.

Read and validated once by :mod:`lca.inventory.read`; every other module asks these objects instead of
indexing the YAML by string keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: Launch inventory classes an orbit can use.
LAUNCH_CLASSES = ("leo", "sso")
#: Roles of ``orbit_support`` in ``systems.yaml``: the orbital system's activities besides accelerator, array, launch.
ORBIT_SUPPORT_ROLES = ("battery", "radiator", "cold_plate", "bus_structure", "fabrication", "reentry", "downlink",
                       "operations")
#: Roles of ``terrestrial_support``: the terrestrial system's activities besides accelerator, host, grid and PPA.
TERRESTRIAL_SUPPORT_ROLES = ("building", "onsite_generation", "hardware_end_of_life")
#: The support sections of ``systems.yaml`` and the roles each must name.
SUPPORT_SECTIONS = {"orbit_support": ORBIT_SUPPORT_ROLES, "terrestrial_support": TERRESTRIAL_SUPPORT_ROLES}


@dataclass(frozen=True)
class Defaults:
    """The default comparison, and the inventory activities every comparison uses."""

    accelerator: str = ""
    precision: str = ""
    grids: tuple[str, ...] = ()
    launcher: str = ""
    orbit: str = ""
    space_array: str = ""                     # database:code of the space array
    ppa: str = ""                             # database:code of the PPA electricity
    orbit_removes: tuple[str, ...] = ()       # accelerator inputs replaced in orbit (database:code)
    drivers: tuple[str, ...] = ()             # parameters beyond the shared ones on the Assumptions sheet and tornado


@dataclass(frozen=True)
class Launcher:
    """A launch vehicle: its launch per kg of payload by launch class, and the parameters counting reuses."""

    name: str
    launches: dict[str, str] = field(default_factory=dict)     # launch class -> database:code
    reuse_parameters: tuple[str, ...] = ()

    def launch(self, launch_class: str) -> str | None:
        """The per-kg launch activity to ``launch_class`` (``leo`` or ``sso``), or None where there is none."""
        return self.launches.get(launch_class)


@dataclass(frozen=True)
class Catalogue:
    """Accelerators (name -> product activity), launchers, orbits (name -> launch class) and the defaults."""

    defaults: Defaults = field(default_factory=Defaults)
    accelerators: dict[str, str] = field(default_factory=dict)
    launchers: dict[str, Launcher] = field(default_factory=dict)
    orbits: dict[str, str] = field(default_factory=dict)
    orbit_support: dict[str, str] = field(default_factory=dict)   # role -> database:code
    terrestrial_support: dict[str, str] = field(default_factory=dict)   # role -> database:code

    @classmethod
    def from_yaml(cls, data: dict) -> Catalogue:
        """The catalogue of a validated ``systems.yaml`` mapping."""
        defaults = dict(data.get("defaults") or {})
        for key in ("grids", "orbit_removes", "drivers"):
            defaults[key] = tuple(str(v) for v in defaults.get(key) or ())
        launchers = {name: Launcher(name, {c: entry[c] for c in LAUNCH_CLASSES if entry.get(c)},
                                    tuple(entry.get("reuse_parameters") or ()))
                     for name, entry in (data.get("launchers") or {}).items()}
        return cls(Defaults(**defaults), dict(data.get("accelerators") or {}), launchers,
                   {name: entry["launch"] for name, entry in (data.get("orbits") or {}).items()},
                   dict(data.get("orbit_support") or {}), dict(data.get("terrestrial_support") or {}))
