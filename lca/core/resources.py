"""Resource guards: refuse work that cannot fit in memory before allocating it.

A Monte Carlo run of 10^9 samples or a sweep of a million configurations is a typing slip, not a
request; numpy would fail with a MemoryError after minutes of swapping (or the kernel would kill
the process). :func:`require_memory` compares an estimate with the memory available now and raises
:class:`ResourceError` (an input error, exit 2) naming the argument to change.
"""
from __future__ import annotations

import os

from lca.errors import InputError

#: Fraction of the available memory a single run may plan to use.
USABLE_FRACTION = 0.5


class ResourceError(InputError):
    """A run that would need more memory than the machine has available."""


def available_memory() -> int:
    """Memory available to new allocations now [bytes] (``MemAvailable`` on Linux, else physical memory)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2**63 - 1


def require_memory(needed: float, what: str, advice: str) -> None:
    """Raise :class:`ResourceError` when ``needed`` [bytes] exceeds the usable share of available memory.

    ``what`` says what needs it (``"--mc 1000000000"``), ``advice`` what to do instead.
    """
    usable = available_memory() * USABLE_FRACTION
    if needed > usable:
        raise ResourceError(f"{what} needs about {_size(needed)} of memory, more than the {_size(usable)} "
                            f"this run may use; {advice}")


def _size(count: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if count < 1024 or unit == "PiB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} PiB"
