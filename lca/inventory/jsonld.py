"""Export of the inventory databases to openLCA's JSON-LD format (a zip archive, ``olca-schema`` 2).

One openLCA ``Process`` per activity, with its product flow as the quantitative reference output and one
exchange per YAML exchange: the amount in the provider's unit (as Brightway holds it, per one reference unit
of the activity), the provider process as ``defaultProvider`` for technosphere inputs, the uncertainty as an
openLCA ``Uncertainty`` (lognormal: ``geomMean`` = the central value, ``geomSd`` = gsd; triangular:
min/mode/max; uniform: min/max; normal: mean/sd) and the source id, formula and comment in the exchange's
``description``. Elementary flows keep their biosphere3 (ecoinvent 3.9) UUID; the tool's own flows
(``inventories/biosphere.yaml``) and every other entity get stable UUIDs (uuid5 of their key in
:data:`NAMESPACE`), so exporting twice gives the same ids. Sources (``inventories/sources``) become
``Source`` entities linked from each process's documentation (the sources its exchanges cite).

Units: each unit maps to one unit group of :data:`UNIT_GROUPS` (mass, energy, area, items, peak power,
power, data storage, goods transport, time), written into the archive with its flow property. The ids of
these groups are ours (uuid5), not openLCA's reference data, so openLCA imports them as groups of their own
(named ``Units of mass (lca)`` ...); a unit with no group raises :class:`JsonLdError` naming it.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

from lca.core.files import atomic_path
from lca.core.flows import BIOSPHERE3, biosphere3_by_code
from lca.core.units import conversion_factor, from_brightway_word, parse_unit
from lca.errors import InputError
from lca.inventory.model import Inventory

#: Namespace of the uuid5 ids of everything the export names itself.
NAMESPACE = uuid.UUID("5d0c6a52-3f35-4c39-9d8e-2c0a8e1b7f41")

#: Unit groups: name -> (flow property name, [(openLCA unit name, pint unit)], reference unit first).
UNIT_GROUPS = {
    "mass": ("Mass", [("kg", "kg"), ("g", "g"), ("t", "t"), ("mg", "mg")]),
    "energy": ("Energy", [("MJ", "MJ"), ("kWh", "kWh"), ("GJ", "GJ"), ("MWh", "MWh"), ("Wh", "Wh")]),
    "area": ("Area", [("m2", "m**2"), ("cm2", "cm**2"), ("mm2", "mm**2")]),
    "items": ("Number of items", [("Item(s)", "item")]),
    "peak power": ("Peak power", [("Wp", "Wp"), ("kWp", "kWp")]),
    "power": ("Power", [("kW", "kW"), ("W", "W"), ("MW", "MW")]),
    "data storage": ("Data storage", [("GB", "GB"), ("TB", "TB"), ("MB", "MB")]),
    "goods transport": ("Goods transport (mass*distance)", [("t*km", "t*km"), ("kg*km", "kg*km")]),
    "time": ("Duration", [("a", "year"), ("d", "day"), ("h", "hour")]),
}


class JsonLdError(InputError):
    """Something in the inventory that the openLCA export cannot express (a unit without a unit group)."""


def stable_id(*key: str) -> str:
    """A stable UUID for ``key`` (uuid5 in :data:`NAMESPACE`)."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(key)))


def unit_of(unit: str) -> tuple[str, str]:
    """(unit group name, openLCA unit name) of a pint unit string; :class:`JsonLdError` when none fits."""
    target = parse_unit(unit)
    for group, (_, units) in UNIT_GROUPS.items():
        for name, spelling in units:
            if parse_unit(spelling) == target:
                return group, name
    raise JsonLdError(f"unit '{unit}': no openLCA unit group for it; add it to lca.inventory.jsonld.UNIT_GROUPS "
                      f"(known: {', '.join(n for _, us in UNIT_GROUPS.values() for n, _ in us)})")


def _unit_groups(schema):
    groups, properties = {}, {}
    for group, (prop_name, units) in UNIT_GROUPS.items():
        reference = units[0][1]
        olca_units = [schema.Unit(id=stable_id("unit", group, name), name=name,
                                  conversion_factor=conversion_factor(spelling, reference),
                                  is_ref_unit=index == 0)
                      for index, (name, spelling) in enumerate(units)]
        group_id, prop_id = stable_id("unit group", group), stable_id("flow property", group)
        groups[group] = schema.UnitGroup(id=group_id, name=f"Units of {group} (lca)", units=olca_units,
                                         default_flow_property=schema.Ref(id=prop_id, name=prop_name,
                                                                          ref_type=schema.RefType.FlowProperty))
        properties[group] = schema.FlowProperty(id=prop_id, name=f"{prop_name} (lca)",
                                                flow_property_type=schema.FlowPropertyType.PHYSICAL_QUANTITY,
                                                unit_group=schema.Ref(id=group_id, name=groups[group].name,
                                                                      ref_type=schema.RefType.UnitGroup))
    return groups, properties


def uncertainty(schema, spec: dict | None, central: float):
    """openLCA ``Uncertainty`` of a data distribution around ``central`` (None for exact or formula amounts)."""
    kind = (spec or {}).get("distribution", "none")
    kinds = schema.UncertaintyType
    if kind == "lognormal":
        return schema.Uncertainty(distribution_type=kinds.LOG_NORMAL_DISTRIBUTION, geom_mean=central,
                                  geom_sd=spec["gsd"])
    if kind == "triangular":
        return schema.Uncertainty(distribution_type=kinds.TRIANGLE_DISTRIBUTION, minimum=spec["low"],
                                  mode=central, maximum=spec["high"])
    if kind == "uniform":
        return schema.Uncertainty(distribution_type=kinds.UNIFORM_DISTRIBUTION, minimum=spec["low"],
                                  maximum=spec["high"])
    if kind == "normal":
        return schema.Uncertainty(distribution_type=kinds.NORMAL_DISTRIBUTION, mean=central, sd=spec["sd"])
    return None


def export_jsonld(inventory: Inventory, path: str | os.PathLike, databases: list[str] | None = None) -> Path:
    """Write ``databases`` (default: all) of ``inventory`` as an openLCA JSON-LD zip at ``path``, atomically.

    Returns the path. Raises :class:`JsonLdError` for an unknown database or a unit without a unit group.
    """
    import olca_schema as schema
    from olca_schema.zipio import ZipWriter

    names = databases or list(inventory.databases)
    unknown = [n for n in names if n not in inventory.databases]
    if unknown:
        raise JsonLdError(f"unknown database(s): {', '.join(unknown)}; known: {', '.join(inventory.databases)}")
    groups, properties = _unit_groups(schema)
    entities: dict[str, object] = {}
    flows: dict[tuple[str, str], object] = {}
    biosphere3 = biosphere3_by_code()

    def ref(entity):
        return schema.Ref(id=entity.id, name=entity.name, ref_type=schema.RefType[type(entity).__name__])

    def unit_ref(unit: str):
        group, name = unit_of(unit)
        unit_entity = next(u for u in groups[group].units if u.name == name)
        return group, schema.Ref(id=unit_entity.id, name=name, ref_type=schema.RefType.Unit)

    def flow_entity(key: tuple[str, str], name: str, flow_type, unit: str, category: str, description=""):
        if key not in flows:
            group, _ = unit_of(unit)
            flow_id = key[1] if key[0] == BIOSPHERE3 else stable_id("flow", *key)
            flows[key] = schema.Flow(id=flow_id, name=name, flow_type=flow_type, category=category,
                                     description=description,
                                     flow_properties=[schema.FlowPropertyFactor(
                                         flow_property=ref(properties[group]), conversion_factor=1.0,
                                         is_ref_flow_property=True)])
        return flows[key]

    def elementary(key):
        flow = inventory.flows.get(key) or biosphere3[key[1]]
        return flow_entity(key, flow.name, schema.FlowType.ELEMENTARY_FLOW, str(from_brightway_word(flow.unit)),
                           "/".join(("Elementary flows", *flow.categories)), flow.description)

    def product(activity):
        return flow_entity(("product", *activity.key), activity.reference_product, schema.FlowType.PRODUCT_FLOW,
                           activity.unit, f"{activity.database}")

    for key in inventory.flows:                        # our own elementary flows, used or not
        elementary(key)
    sources = {sid: schema.Source(id=stable_id("source", sid), name=sid, description=_source_text(src),
                                  text_reference=_source_text(src), url=src.url or (f"https://doi.org/{src.doi}"
                                                                                     if src.doi else None),
                                  year=src.year if isinstance(src.year, int) else None)
               for sid, src in inventory.sources.items()}
    locations: dict[str, object] = {}
    processes = []
    for name in names:
        for activity in inventory.databases[name].activities.values():
            exchanges = [schema.Exchange(internal_id=1, flow=ref(product(activity)), amount=1.0,
                                         unit=unit_ref(activity.unit)[1],
                                         flow_property=ref(properties[unit_of(activity.unit)[0]]),
                                         is_input=False, is_quantitative_reference=True)]
            cited = []
            for index, exchange in enumerate(activity.exchanges, start=2):
                if exchange.kind == "technosphere":
                    provider = inventory.activity(":".join(exchange.input))
                    flow, provider_ref = product(provider), schema.Ref(
                        id=stable_id("process", *provider.key), name=provider.name,
                        ref_type=schema.RefType.Process)
                else:
                    flow, provider_ref = elementary(exchange.input), None
                group, unit = unit_ref(exchange.unit)
                amount = exchange.amount
                emission = exchange.kind == "biosphere" and not flow.category.startswith(
                    "Elementary flows/natural resource")     # resources are inputs, emissions outputs
                text = [f"source: {exchange.source}"] + ([f"formula: {exchange.formula} [{exchange.given_unit}]"]
                                                          if exchange.formula else [])
                text += [f"stage: {exchange.stage}"] if exchange.stage else []
                text += [exchange.comment] if exchange.comment else []
                exchanges.append(schema.Exchange(
                    internal_id=index, flow=ref(flow), amount=amount, unit=unit,
                    flow_property=ref(properties[group]), default_provider=provider_ref,
                    is_input=not emission, uncertainty=uncertainty(schema, exchange.uncertainty, amount),
                    description="; ".join(text)))
                if exchange.source in sources and exchange.source not in cited:
                    cited.append(exchange.source)
            if activity.location not in locations:
                locations[activity.location] = schema.Location(id=stable_id("location", activity.location),
                                                               name=activity.location, code=activity.location)
            processes.append(schema.Process(
                id=stable_id("process", *activity.key), name=activity.name, category=activity.database,
                description=f"{activity.comment}\n\nstage: {activity.stage}; file: {activity.file}".strip(),
                process_type=schema.ProcessType.UNIT_PROCESS, location=ref(locations[activity.location]),
                exchanges=exchanges, last_internal_id=len(exchanges),
                process_documentation=schema.ProcessDocumentation(sources=[ref(sources[s]) for s in cited])))
    entities = [*groups.values(), *properties.values(), *flows.values(), *sources.values(),
                *locations.values(), *processes]
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.unlink()                                   # ZipWriter appends; start from no file
        with ZipWriter(tmp) as writer:
            for entity in entities:
                writer.write(entity)
    return path


def _source_text(source) -> str:
    parts = [source.authors, f"({source.year})" if source.year else "", source.title, source.publisher,
             f"doi:{source.doi}" if source.doi else "", source.url, source.locator]
    return ". ".join(str(p) for p in parts if p)
