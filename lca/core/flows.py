"""Elementary (biosphere) flows: biosphere3 as shipped by bw2io, plus ours.

biosphere3 is the ecoinvent 3.9 elementary-flow list that bw2io ships
(``bw2io/data/lci/ecoinvent elementary flows 3.9.xml``); our own flows for
high-altitude emissions are in ``inventories/biosphere.yaml``. Flows are found
by name and categories; ``air`` means ``air::unspecified``.
"""
from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

BIOSPHERE3 = "biosphere3"
OUR_BIOSPHERE = "lca biosphere"
_ECOSPOLD_NS = {"e": "http://www.EcoInvent.org/EcoSpold02"}


@dataclass(frozen=True)
class Flow:
    """One elementary flow; ``unit`` is a Brightway unit word."""

    database: str
    code: str
    name: str
    categories: tuple[str, ...]
    unit: str
    description: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.database, self.code)


def parse_categories(text: str | list | tuple) -> tuple[str, ...]:
    """``'air::lower stratosphere + upper troposphere'`` -> tuple; ``'air'`` -> ``('air',)``."""
    parts = tuple(text) if isinstance(text, (list, tuple)) else tuple(p.strip() for p in str(text).split("::"))
    if parts and parts[-1] == "unspecified":
        parts = parts[:-1]
    return parts


def format_categories(categories: tuple[str, ...]) -> str:
    return "::".join(categories)


def _ecospold_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("bw2io")
    return Path(spec.origin).parent / "data" / "lci" / "ecoinvent elementary flows 3.9.xml"


@functools.cache
def biosphere3_flows() -> dict[tuple[str, tuple[str, ...]], Flow]:
    """biosphere3 flows by (name, categories), read from bw2io's shipped file."""
    root = ET.parse(_ecospold_file()).getroot()
    flows = {}
    for element in root.findall("e:elementaryExchange", _ECOSPOLD_NS):
        compartment = element.find("e:compartment", _ECOSPOLD_NS)
        categories = parse_categories((compartment.find("e:compartment", _ECOSPOLD_NS).text,
                                       compartment.find("e:subcompartment", _ECOSPOLD_NS).text))
        unit = element.find("e:unitName", _ECOSPOLD_NS).text
        flow = Flow(BIOSPHERE3, element.get("id"), element.find("e:name", _ECOSPOLD_NS).text, categories,
                    _ECOSPOLD_UNIT_WORDS.get(unit, unit))
        flows[(flow.name, flow.categories)] = flow
    return flows


@functools.cache
def biosphere3_by_code() -> dict[str, Flow]:
    """biosphere3 flows by code (the ecoinvent UUID)."""
    return {flow.code: flow for flow in biosphere3_flows().values()}


#: EcoSpold unit symbols -> Brightway unit words (as bw2io's normalisation writes them).
_ECOSPOLD_UNIT_WORDS = {"kg": "kilogram", "m3": "cubic meter", "MJ": "megajoule", "m2": "square meter",
                        "kBq": "kilo Becquerel", "m2*year": "square meter-year", "m3*year": "cubic meter-year"}
