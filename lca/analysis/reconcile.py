"""Reconciliation with published studies: their headline, ours under their assumptions and scope, ours by default,
and the difference split into named causes.

For one study preset (:mod:`lca.inventory.scenarios`):

1. **Published**, in its own unit (a ratio orbit/ground, or a break-even launcher emission per kg), and converted to
   g CO2e per PFLOP-day and per kWh of IT energy with our model under the study's assumptions: a ratio ``r`` is
   ``r x`` our terrestrial footprint on the study's grid and scope; a break-even launcher figure ``E`` [kg CO2e/kg]
   is our orbital footprint with the launch stages scaled by ``E / e`` (``e`` our launcher's emissions per kg).
2. **Ours under its assumptions and scope**: the preset's choices and values, only the stages the study counts
   (``published.scope``), GWP100; in the published unit too (our ratio, or our break-even per kg from
   :func:`lca.analysis.compare.breakeven`).
3. **Ours by default**: the default configuration, every stage, GWP100.
4. **Causes**: from (3) to (2) for the orbital footprint, each assumption group of the preset swapped into the
   default alone (launcher, specific mass, lifetime, array, hardware, other), then the stages the study leaves out,
   then the interaction (what the one-at-a-time swaps do not add up to). The grid baseline moves the terrestrial
   footprint; high-altitude effects are reported as what the study does not count (GWP100+HA minus GWP100 under its
   assumptions), outside the sum.

Per kWh of IT energy: g CO2e per PFLOP-day divided by the IT energy of one PFLOP-day (IT power x accelerator
time of the orbital sizing) [kWh].
"""
from __future__ import annotations

import pandas as pd

from lca.analysis.compare import Comparison, breakeven, choices, compare
from lca.errors import CalculationError
from lca.inventory import Inventory
from lca.inventory.scenarios import Scenario

METHOD = "GWP100"
WITH_HIGH_ALTITUDE = "GWP100+HA"
LAUNCH_STAGES = ("launch propellant production", "launch combustion CO2", "launcher manufacture")
#: Cause label of each assumption group, and the configuration choices the group carries.
GROUP_CAUSES = {
    "launcher": ("launcher emissions per kg (vehicle, payload, reuse, inventory type)", ("launcher",)),
    "specific_mass": ("specific mass (kg per kW)", ()),
    "lifetime": ("lifetime in orbit", ()),
    "array": ("array and radiator performance", ()),
    "hardware": ("compute hardware (accelerator, precision)", ("accelerator", "precision")),
    "other": ("other assumptions (orbit, ...)", ("orbit",)),
}
GRID_CAUSE = "grid baseline (terrestrial, the study's grid instead of ours)"
SCOPE_CAUSE = "stages the study does not count"
INTERACTION_CAUSE = "interaction (swaps not additive)"
HIGH_ALTITUDE_CAUSE = "high-altitude effects (not counted by the study)"


def _choices(inventory: Inventory, picked: dict):
    return choices(inventory, picked.get("accelerator"), picked.get("precision"), picked.get("grids"),
                   picked.get("launcher"), picked.get("orbit"))


def _stage_sum(result: Comparison, kind: str, method: str, scope) -> float:
    """Footprint of the orbital (``kind='orbit'``) or first terrestrial system on the stages ``scope`` (None: all)
    [g CO2e/PFLOP-day]."""
    name = result.orbit.name if kind == "orbit" else result.terrestrial[0].name
    rows = result.table[(result.table["system"] == name) & (result.table["method"] == method)]
    if scope is None:
        return float(rows.loc[rows["stage"] == "total", "value"].iloc[0])
    return float(rows.loc[rows["stage"].isin(scope), "value"].sum())


def it_energy(result: Comparison) -> float:
    """IT energy of one PFLOP-day on the orbital system's accelerator [kWh]."""
    sizing = result.orbit.sizing
    return float((sizing["IT power"] * sizing["accelerator time"]).m_as("kWh"))


def reconcile(inventory: Inventory, bd, preset: Scenario) -> dict:
    """The reconciliation row of one study preset (plain data; figures in g CO2e per PFLOP-day unless named)."""
    published = preset.published
    scope = list(published["scope"]) if published else None
    default = compare(inventory, bd, _choices(inventory, {}))
    study_chosen = _choices(inventory, preset.choices)
    study = compare(inventory, bd, study_chosen, preset.overrides)
    energy = it_energy(study)
    base_orbit = _stage_sum(default, "orbit", METHOD, None)
    study_full = _stage_sum(study, "orbit", METHOD, None)
    study_orbit = _stage_sum(study, "orbit", METHOD, scope)
    study_ground = _stage_sum(study, "terrestrial", METHOD, scope)
    causes = []
    for group, (label, choice_keys) in GROUP_CAUSES.items():
        values = preset.group(group)
        picked = {k: v for k, v in preset.choices.items() if k in choice_keys}
        if not values and not picked:
            continue
        swapped = compare(inventory, bd, _choices(inventory, picked), values)
        causes.append({"cause": label, "system": "orbit", "delta": _stage_sum(swapped, "orbit", METHOD, None)
                       - base_orbit})
    if scope is not None:
        causes.append({"cause": SCOPE_CAUSE, "system": "orbit", "delta": study_orbit - study_full})
    causes.append({"cause": INTERACTION_CAUSE, "system": "orbit",
                   "delta": study_orbit - base_orbit - sum(c["delta"] for c in causes)})
    grid_only = compare(inventory, bd, _choices(inventory, {"grids": study_chosen.grids[:1]}))
    causes.append({"cause": GRID_CAUSE, "system": "terrestrial",
                   "delta": _stage_sum(grid_only, "terrestrial", METHOD, None) - _stage_sum(default, "terrestrial",
                                                                                           METHOD, None)})
    causes.append({"cause": HIGH_ALTITUDE_CAUSE, "system": "orbit", "in_sum": False,
                   "delta": _stage_sum(study, "orbit", WITH_HIGH_ALTITUDE, None) - study_full})
    for cause in causes:                 # per kWh of the study's IT energy
        cause["delta_per_kwh_it"] = cause["delta"] / energy
        cause.setdefault("in_sum", cause["system"] == "orbit")
    row = {"study": preset.name, "description": preset.description, "path": preset.path,
           "sources": preset.sources, "scope": scope, "method": METHOD,
           "grid": study_chosen.grids[0], "it_energy_kWh_per_PFLOP_day": energy,
           "ours_study": {"orbit": study_orbit, "terrestrial": study_ground},
           "ours_default": {"orbit": base_orbit, "terrestrial": _stage_sum(default, "terrestrial", METHOD, None),
                            "grid": default.choices.grids[0]},
           "causes": causes, "published": None}
    for key, result in (("ours_study", study), ("ours_default", default)):
        row[key]["orbit_per_kwh_it"] = row[key]["orbit"] / it_energy(result)
        row[key]["ratio"] = row[key]["orbit"] / row[key]["terrestrial"]
    if published:
        row["published"] = dict(published) | _published_figures(inventory, bd, study, study_chosen, preset,
                                                                study_orbit, study_ground, scope)
        row["published"]["per_kwh_it"] = row["published"]["g_per_PFLOP_day"] / energy
    return row


def _published_figures(inventory, bd, study, study_chosen, preset, study_orbit, study_ground, scope) -> dict:
    """The published headline converted to g CO2e/PFLOP-day, and ours in the published unit."""
    published = preset.published
    value = float(published["value"])
    if published["unit"] == "ratio":
        ours = study_orbit / study_ground
        return {"g_per_PFLOP_day": value * study_ground, "ours_in_published_unit": ours,
                "factor": value / ours, "conversion": "ratio x our terrestrial footprint (study grid and scope)"}
    if published["unit"] == "kgCO2e/kg":
        parity = next(b for b in breakeven(inventory, bd, study_chosen, preset.overrides, METHOD)
                      if b.grid == study_chosen.grids[0]).values["launch_emissions_per_kg"]
        launch = sum(_stage_sum(study, "orbit", METHOD, [stage]) for stage in LAUNCH_STAGES if stage in scope)
        scaled = study_orbit + launch * (value / parity["current"] - 1.0)
        return {"g_per_PFLOP_day": scaled, "ours_in_published_unit": parity["parity"],
                "ours_launcher_now": parity["current"],
                "factor": None if not parity["parity"] else value / parity["parity"],
                "conversion": "our orbital footprint with the launch stages scaled to the published kg CO2e/kg"}
    raise CalculationError(f"{preset.path}: published.unit '{published['unit']}' has no conversion")


def largest_cause(row: dict) -> dict:
    """The cause in the sum with the largest absolute effect on the orbital footprint."""
    return max((c for c in row["causes"] if c["in_sum"]), key=lambda c: abs(c["delta"]))


def summary(rows: list[dict]) -> pd.DataFrame:
    """One line per study: published (its own unit, per PFLOP-day, per kWh of IT energy), ours under its
    assumptions and scope, ours by default [g CO2e], and the largest cause of the difference."""
    lines = []
    for row in rows:
        published = row["published"] or {}
        cause = largest_cause(row)
        lines.append({
            "study": row["study"],
            "published": f"{published['value']:g} {published['unit']}" if published else "not published",
            "ours, its assumptions": (f"{published['ours_in_published_unit']:.3g} {published['unit']}"
                                      if published and published.get("ours_in_published_unit") is not None
                                      else ""),
            "published g/PFLOP-day": published.get("g_per_PFLOP_day"),
            "published g/kWh IT": published.get("per_kwh_it"),
            "ours g/PFLOP-day": row["ours_study"]["orbit"], "ours g/kWh IT": row["ours_study"]["orbit_per_kwh_it"],
            "default g/PFLOP-day": row["ours_default"]["orbit"],
            "largest cause": f"{cause['cause']} ({cause['delta']:+.3g})"})
    return pd.DataFrame(lines)


def reconciliation_table(rows: list[dict]) -> pd.DataFrame:
    """The rows of :func:`reconcile` as one long table: study, item, value, unit, note, sources."""
    lines = []
    for row in rows:
        published = row["published"]
        sources = ", ".join(row["sources"])

        def add(item, value, unit, note="", row=row, sources=sources):
            lines.append({"study": row["study"], "item": item, "value": value, "unit": unit, "note": note,
                          "sources": sources})

        if published:
            add("published (its unit)", published["value"], published["unit"],
                f"{published['functional_unit']}; {published['locator']}")
            add("published, converted", published["g_per_PFLOP_day"], "gCO2e/PFLOP_day", published["conversion"])
            add("published, converted", published["per_kwh_it"], "gCO2e/kWh IT")
            add("ours, its assumptions (its unit)", published["ours_in_published_unit"], published["unit"])
        else:
            add("published", None, "", "the study publishes no carbon figure")
        add("ours, its assumptions and scope", row["ours_study"]["orbit"], "gCO2e/PFLOP_day",
            "scope: " + (", ".join(row["scope"]) if row["scope"] else "every stage") + f"; {row['method']}")
        add("ours, its assumptions and scope", row["ours_study"]["orbit_per_kwh_it"], "gCO2e/kWh IT")
        add("ours, default", row["ours_default"]["orbit"], "gCO2e/PFLOP_day", f"every stage; {row['method']}")
        for cause in row["causes"]:
            add(f"cause: {cause['cause']}", cause["delta"], "gCO2e/PFLOP_day",
                f"{cause['system']}; " + ("in the sum from default to ours" if cause["in_sum"] else "not in the sum"))
    return pd.DataFrame(lines, columns=["study", "item", "value", "unit", "note", "sources"])
