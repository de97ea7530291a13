"""Write the validated inventory into Brightway databases."""
from __future__ import annotations

from lca.core.distributions import to_stats_arrays
from lca.core.flows import BIOSPHERE3, OUR_BIOSPHERE
from lca.core.units import brightway_word
from lca.inventory import Inventory


def write_biosphere3(bd) -> None:
    """biosphere3 from the ecoinvent 3.9 flow list shipped inside bw2io (offline)."""
    import bw2io

    if BIOSPHERE3 in bd.databases:
        del bd.databases[BIOSPHERE3]
    bw2io.create_default_biosphere3()


def write_our_biosphere(bd, inventory: Inventory) -> None:
    """The tool's own elementary flows (``inventories/biosphere.yaml``)."""
    data = {flow.key: {"name": flow.name, "categories": flow.categories, "unit": flow.unit,
                       "type": "emission", "comment": flow.description}
            for flow in inventory.flows.values()}
    bd.Database(OUR_BIOSPHERE).write(data)


def _properties(activity) -> dict:
    return {name: {"value": p.value, "unit": p.unit, "source": p.source, "description": p.description}
            for name, p in activity.properties.items()}


def write_database(bd, inventory: Inventory, name: str) -> None:
    """One inventory database; every exchange keeps its source id, stage and formula."""
    data = {}
    for activity in inventory.databases[name].activities.values():
        exchanges = [{"input": activity.key, "amount": 1.0, "type": "production",
                      "unit": brightway_word(activity.unit)}]
        for exchange in activity.exchanges:
            record = {"input": exchange.input, "amount": exchange.amount, "type": exchange.kind,
                      "unit": brightway_word(exchange.unit), "source": exchange.source,
                      "uncertainty type": 1, "loc": exchange.amount}
            if exchange.uncertainty:
                record.update(to_stats_arrays(exchange.uncertainty, exchange.amount))
            for field in ("formula", "stage", "comment"):
                if getattr(exchange, field):
                    record["lca_" + field if field == "formula" else field] = getattr(exchange, field)
            exchanges.append(record)
        data[activity.key] = {"name": activity.name, "reference product": activity.reference_product,
                              "unit": brightway_word(activity.unit), "location": activity.location,
                              "type": "process", "stage": activity.stage, "comment": activity.comment,
                              "properties": _properties(activity), "exchanges": exchanges}
    bd.Database(name).write(data)
