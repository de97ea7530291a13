"""Domain models: physics and sizing of the compute systems, with units in every docstring.

Each model turns named, cited parameters (pint quantities) into the exchanges of
one system activity per PFLOP-day: which inventory activity it draws on, how
much, and under which life-cycle stage. Brightway then solves them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pint

from lca.core.stages import STAGES
from lca.errors import InputError

#: Kinds of compute system.
KINDS = ("orbit", "terrestrial")
#: Roles a link can play that the analysis looks for: the launch (break-even on launch emissions per kg) and the
#: grid electricity (break-even on grid intensity).
ROLES = ("", "launch", "grid")


class ModelError(InputError):
    """Parameters for which a system cannot be sized (a radiator that cannot reject heat, ...)."""


@dataclass(frozen=True)
class Link:
    """One exchange of a system activity: ``amount`` [provider unit] of ``provider`` per PFLOP-day.

    ``stage`` is one of :data:`lca.core.stages.STAGES`; ``role`` one of :data:`ROLES`.
    """

    provider: tuple[str, str]
    amount: float
    stage: str
    label: str
    role: str = ""

    def __post_init__(self):
        if self.stage not in STAGES:
            raise ModelError(f"link '{self.label}': unknown stage '{self.stage}'; expected one of {', '.join(STAGES)}")
        if self.role not in ROLES:
            raise ModelError(f"link '{self.label}': unknown role '{self.role}'; expected one of {ROLES}")


@dataclass
class SystemModel:
    """A compute system per PFLOP-day: its exchanges and the sizing behind them."""

    name: str
    kind: str                                   # one of KINDS
    links: list[Link]
    sizing: dict[str, pint.Quantity] = field(default_factory=dict)
    grid: str | None = None
    label: str | None = None                    # how output names it, when it differs from ``name``

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ModelError(f"system '{self.name}': unknown kind '{self.kind}'; expected one of {', '.join(KINDS)}")

    def link(self, role: str) -> Link:
        """The one link playing ``role``."""
        found = [link for link in self.links if link.role == role]
        if len(found) != 1:
            raise ModelError(f"system '{self.name}' has {len(found)} links with role '{role}', expected one")
        return found[0]


def orbital(models: list[SystemModel]) -> SystemModel:
    """The orbital system among ``models`` (there is exactly one in a comparison)."""
    found = [model for model in models if model.kind == "orbit"]
    if len(found) != 1:
        raise ModelError(f"expected one orbital system, got {len(found)}")
    return found[0]
