"""Why one launcher emits less per kg of payload than another: the drivers in numbers, read from the inventory.

A per-kg launch activity (``launch:leo_per_kg_f9``) draws ``1 / payload`` of one launch; the launch burns its
stages' propellant (the exchanges to activities of stage ``launch combustion CO2``), produces that propellant,
and amortises its hardware over the reuse counts its formulas name (parameters ``reuses_*``). Per kg payload:

- propellant burned [kg/kg] = propellant per launch [kg] / payload [kg];
- combustion, propellant production and manufacture [kg CO2e/kg] are the footprint's stage scores
  (``launch combustion CO2``, ``launch propellant production``, ``launcher manufacture``: hardware and
  refurbishment over the reuses, and ground operations);
- per kg propellant [kg CO2e/kg] = each of the first two divided by the propellant burned per kg payload.

:func:`launch_drivers` gives one row per launcher of the catalogue, :func:`explain` the sentence that compares
two of them stage by stage. The scores are Brightway results (:func:`lca.brightway.calculation.footprint`), the
masses and reuse counts the inventory's own values (with any overrides).
"""
from __future__ import annotations

import pandas as pd

from lca.brightway import calculation
from lca.core.parameters import formula_name, names_in
from lca.inventory import Inventory

#: Stages a launch's footprint splits into, as the rows of :func:`launch_drivers` name them ("manufacture" is the
#: stage ``launcher manufacture``: stage hardware and refurbishment amortised over the reuses, and the launch
#: campaign's ground operations, which the stage vocabulary keeps there).
STAGE_COLUMNS = {"launch combustion CO2": "combustion", "launch propellant production": "propellant production",
                 "launcher manufacture": "manufacture"}
COMBUSTION_STAGE = "launch combustion CO2"


def _amount(inventory: Inventory, activity, exchange, overrides) -> float:
    if exchange.is_formula and overrides:
        return float(inventory.evaluate(activity, exchange, overrides))
    return exchange.amount


def _parameter_value(inventory: Inventory, activity, name: str, overrides) -> tuple[str, float] | None:
    """The qualified name and value of a formula name as the activity sees it (with overrides)."""
    scope = inventory.formula_scope(activity, overrides)
    if name not in scope:
        return None
    qualified = next((q for q in inventory.parameters if formula_name(q) == name), None)
    qualified = qualified or (f"{activity.database}:{activity.code}.{name}" if name in activity.properties
                              else f"{activity.database}.{name}")
    return qualified, float(scope[name].magnitude)


def launch_structure(inventory: Inventory, per_kg_key: str, overrides: dict | None = None) -> dict:
    """Payload [kg], propellant per launch [kg], propellants, and reuse counts of a per-kg launch activity."""
    per_kg = inventory.activity(per_kg_key)
    (link,) = [e for e in per_kg.exchanges if e.kind == "technosphere"]
    launch = inventory.activity(":".join(link.input))
    payload = 1.0 / _amount(inventory, per_kg, link, overrides)
    propellant, names = 0.0, set()
    for exchange in launch.exchanges:
        if exchange.formula:
            names |= names_in(exchange.formula)
        if exchange.kind != "technosphere":
            continue
        provider = inventory.activity(":".join(exchange.input))
        if provider.stage == COMBUSTION_STAGE and exchange.unit == "kg":
            propellant += _amount(inventory, launch, exchange, overrides)
    reuses = dict(filter(None, (_parameter_value(inventory, launch, n, overrides)
                                for n in sorted(names) if n.startswith("reuses"))))
    kinds = launch.properties.get("propellants")
    return {"launch": launch.key, "payload": payload, "propellant_per_launch": propellant,
            "propellants": kinds.value if kinds is not None else "", "reuses": reuses}


def launch_drivers(inventory: Inventory, bd, launch_class: str = "leo", method: str = "GWP100",
                   overrides: dict | None = None, launchers: list[str] | None = None) -> pd.DataFrame:
    """One row per launcher with a launch to ``launch_class``: its footprint per kg payload [kg CO2e/kg] by stage
    and the drivers behind it (payload [kg], propellant per launch [kg] and per kg payload [kg/kg], emissions per
    kg propellant [kg CO2e/kg], reuse counts)."""
    rows = []
    for name, launcher in inventory.catalogue.launchers.items():
        key = launcher.launch(launch_class)
        if key is None or (launchers is not None and name not in launchers):
            continue
        structure = launch_structure(inventory, key, overrides)
        result = calculation.footprint(inventory, bd, key, 1.0, method, overrides)
        stages = dict(zip(result.by_stage["stage"], result.by_stage["score"], strict=True))
        total = float(result.score.magnitude)
        per_kg_propellant = structure["propellant_per_launch"] / structure["payload"]
        row = {"launcher": name, "activity": key, "method": method, "total": total}
        for stage, column in STAGE_COLUMNS.items():
            row[column] = float(stages.get(stage, 0.0))
        row["other stages"] = total - sum(row[c] for c in STAGE_COLUMNS.values())
        row |= {"payload_kg": structure["payload"], "propellant_per_launch_kg": structure["propellant_per_launch"],
                "propellant_per_kg_payload": per_kg_propellant, "propellants": structure["propellants"],
                "combustion_per_kg_propellant": row["combustion"] / per_kg_propellant if per_kg_propellant else None,
                "production_per_kg_propellant": (row["propellant production"] / per_kg_propellant
                                                 if per_kg_propellant else None),
                "reuses": ", ".join(f"{n} = {v:g}" for n, v in structure["reuses"].items()) or "none (expended)"}
        rows.append(row)
    return pd.DataFrame(rows)


def partner(inventory: Inventory, drivers: pd.DataFrame, launcher: str) -> str | None:
    """The launcher to compare ``launcher`` with: the catalogue's default, or (for the default) the lowest other."""
    others = drivers[drivers["launcher"] != launcher]
    if others.empty:
        return None
    default = inventory.catalogue.defaults.launcher
    if default != launcher and default in set(others["launcher"]):
        return default
    return str(others.sort_values("total")["launcher"].iloc[0])


def launcher_of(inventory: Inventory, key: str) -> tuple[str, str] | None:
    """(launcher, launch class) whose per-kg launch activity is ``key`` (``database:code``), or None."""
    for name, launcher in inventory.catalogue.launchers.items():
        for launch_class, reference in launcher.launches.items():
            if reference == key:
                return name, launch_class
    return None


def explain(drivers: pd.DataFrame, first: str, second: str) -> str:
    """One sentence: why ``first`` comes out lower or higher than ``second`` per kg payload, stage by stage."""
    a = drivers.set_index("launcher").loc[first]
    b = drivers.set_index("launcher").loc[second]
    word = "lower" if a["total"] < b["total"] else "higher"
    parts = [f"Per kg of payload under {a['method']}, {first} ({a['total']:.3g} kg CO2e) comes out {word} than "
             f"{second} ({b['total']:.3g})"]
    differences = sorted(((a[c] - b[c], c) for c in (*STAGE_COLUMNS.values(), "other stages")),
                         key=lambda d: -abs(d[0]))
    parts.append("; the difference by stage: " + ", ".join(f"{c} {d:+.3g}" for d, c in differences if abs(d) > 0.005))
    parts.append(f". It burns {a['propellant_per_kg_payload']:.3g} kg of {a['propellants'] or 'propellant'} per kg "
                 f"payload ({a['propellant_per_launch_kg']:,.0f} kg per launch for {a['payload_kg']:,.0f} kg) "
                 f"against {b['propellant_per_kg_payload']:.3g} kg of {b['propellants'] or 'propellant'} "
                 f"({b['propellant_per_launch_kg']:,.0f} kg for {b['payload_kg']:,.0f} kg)")
    parts.append(f"; producing a kg of it emits {a['production_per_kg_propellant']:.3g} kg CO2e against "
                 f"{b['production_per_kg_propellant']:.3g}, burning it {a['combustion_per_kg_propellant']:.3g} "
                 f"against {b['combustion_per_kg_propellant']:.3g}")
    parts.append(f"; launcher manufacture and ground operations per kg payload {a['manufacture']:.3g} against "
                 f"{b['manufacture']:.3g} kg CO2e (reuse: {a['reuses']}; {b['reuses']}).")
    return "".join(parts)
