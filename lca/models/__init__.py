"""Domain models: physics and sizing of the compute systems, with units in every docstring.

Each model turns named, cited parameters (pint quantities) into the exchanges of
one system activity per PFLOP-day: which inventory activity it draws on, how
much, and under which life-cycle stage. Brightway then solves them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pint


class ModelError(ValueError):
    """Parameters for which a system cannot be sized (a radiator that cannot reject heat, ...)."""


@dataclass(frozen=True)
class Link:
    """One exchange of a system activity: ``amount`` [provider unit] of ``provider`` per PFLOP-day."""

    provider: tuple[str, str]
    amount: float
    stage: str
    label: str


@dataclass
class SystemModel:
    """A compute system per PFLOP-day: its exchanges and the sizing behind them."""

    name: str
    kind: str                                   # "orbit" or "terrestrial"
    links: list[Link]
    sizing: dict[str, pint.Quantity] = field(default_factory=dict)
    grid: str | None = None
