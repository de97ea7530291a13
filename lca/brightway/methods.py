"""Climate methods: IPCC 2021 as shipped by bw2io, and the tool's high-altitude methods.

Aliases (``GWP100``, ``GWP20``, ``GWP100+HA``, ``HA-nonCO2``) and factors are
data, in ``inventories/methods.yaml``. The shipped methods are read from the
LCIA file inside bw2io (``data/lcia/lcia_39_ecoinvent.zip``), without network.
"""
from __future__ import annotations

import functools
import importlib.util
import json
import zipfile
from pathlib import Path

from lca.core.distributions import to_stats_arrays
from lca.core.flows import BIOSPHERE3, OUR_BIOSPHERE
from lca.errors import InputError
from lca.inventory import Inventory, Method

DEFAULT_METHOD = "GWP100"


class MethodError(InputError):
    """An unknown method name or alias."""


@functools.cache
def shipped_method_data() -> dict[tuple[str, ...], list[tuple[str, float]]]:
    """Characterisation factors of bw2io's shipped ecoinvent 3.9 LCIA methods: name -> [(flow code, factor)]."""
    path = Path(importlib.util.find_spec("bw2io").origin).parent / "data" / "lcia" / "lcia_39_ecoinvent.zip"
    with zipfile.ZipFile(path) as archive:
        data = json.load(archive.open("data.json"))
    return {tuple(m["name"]): [(cf["input"][1], float(cf["amount"])) for cf in m["exchanges"]
                               if cf["input"][0] == BIOSPHERE3] for m in data}


def resolve(inventory: Inventory, name: str) -> Method:
    """A method by alias (``GWP100``) or full name (``'IPCC 2021|climate change|...'``)."""
    if name in inventory.methods:
        return inventory.methods[name]
    for method in inventory.methods.values():
        if "|".join(method.name) == name or " | ".join(method.name) == name:
            return method
    raise MethodError(f"unknown method '{name}'; known: {', '.join(inventory.methods)}")


def _flow_ids(bd) -> dict[tuple[str, str], int]:
    from bw2data.backends import ActivityDataset as AD

    query = AD.select(AD.id, AD.database, AD.code).where(AD.database.in_([BIOSPHERE3, OUR_BIOSPHERE]))
    return {(row.database, row.code): row.id for row in query}


def characterisation_factors(inventory: Inventory, method: Method) -> dict[tuple[str, str], dict]:
    """Factors of ``method`` by flow key, each a dict with ``amount`` and stats_arrays uncertainty fields."""
    factors = {}
    base = method.name if method.shipped else method.extends
    if base:
        for code, amount in shipped_method_data()[base]:
            factors[(BIOSPHERE3, code)] = {"amount": amount, "uncertainty type": 0}
    for factor in method.factors:
        factors[factor.flow] = {"amount": factor.amount, **to_stats_arrays(factor.uncertainty, factor.amount)}
    return factors


def project_factors(bd, method: Method) -> dict[int, float]:
    """Factors [kg CO2e per unit of flow] of a method registered in the project, by flow node id.

    Read from the project that :func:`write_methods` wrote (milliseconds), not from bw2io's LCIA file
    (seconds of JSON decoding).
    """
    return {flow: float(cf["amount"] if isinstance(cf, dict) else cf) for flow, cf in bd.Method(method.name).load()}


def write_methods(bd, inventory: Inventory) -> None:
    """Register every method of ``inventories/methods.yaml`` with integer flow ids (fast)."""
    ids = _flow_ids(bd)
    for method in inventory.methods.values():
        cfs = [(ids[key], cf) for key, cf in characterisation_factors(inventory, method).items() if key in ids]
        bw_method = bd.Method(method.name)
        bw_method.register(unit=method.unit, description=method.description, source=method.source,
                           alias=method.alias)
        bw_method.write(cfs)


def installed(bd, inventory: Inventory) -> bool:
    """True when every method of the inventory is registered in the project."""
    return all(method.name in bd.methods for method in inventory.methods.values())
