"""Source registry: who said each number, where, and how reliable it is.

Every inventory amount, parameter and characterisation factor names a source id
that resolves here. Sources live in ``inventories/sources/*.yaml``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

#: Reliability classes, from strongest to weakest.
RELIABILITY = ("measured", "published estimate", "derived", "assumption")


@dataclass(frozen=True)
class Source:
    """One citable source (or a documented assumption)."""

    id: str
    authors: str
    title: str
    year: int
    reliability: str
    doi: str = ""
    url: str = ""
    publisher: str = ""
    locator: str = ""
    note: str = ""
    document: str = ""     # a shipped document (``docs/...``) that sets out the derivation; `lca doctor` checks it
    file: str = ""

    def citation(self) -> str:
        """Human-readable citation: authors (year). title. publisher. doi/url. locator."""
        parts = [f"{self.authors} ({self.year}). {self.title}."]
        if self.publisher:
            parts.append(f"{self.publisher}.")
        if self.doi:
            parts.append(f"doi:{self.doi}.")
        elif self.url:
            parts.append(f"{self.url}.")
        if self.locator:
            parts.append(f"{self.locator}.")
        return " ".join(parts)

    def as_record(self) -> dict:
        """Plain dict for tables and JSON."""
        record = asdict(self)
        record["citation"] = self.citation()
        return record
