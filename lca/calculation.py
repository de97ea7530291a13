"""LCA calculations with bw2calc, and their contributions by stage, activity and flow."""
from __future__ import annotations

import difflib
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pint

from . import methods as methods_module
from .flows import BIOSPHERE3, OUR_BIOSPHERE, biosphere3_by_code, format_categories
from .inventory import Activity, Inventory
from .overrides import normalise
from .stages import DEFAULT_STAGE
from .units import Q_

SCORE_UNIT = "kgCO2e"


class ActivityNotFound(KeyError):
    def __str__(self) -> str:
        return self.args[0]


class CalculationError(RuntimeError):
    """The matrices cannot be solved (singular or ill-conditioned technosphere)."""


def find_activity(inventory: Inventory, reference: str) -> Activity:
    """An activity by ``database:code`` or by its exact name."""
    if ":" in reference:
        database, _, code = reference.partition(":")
        if database in inventory.databases and code in inventory.databases[database].activities:
            return inventory.databases[database].activities[code]
    matches = [a for a in inventory.activities() if a.name == reference]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        keys = ", ".join(f"{a.database}:{a.code}" for a in matches)
        raise ActivityNotFound(f"'{reference}' names several activities ({keys}); use database:code")
    names = [a.name for a in inventory.activities()]
    hint = difflib.get_close_matches(reference, names, n=3, cutoff=0.5)
    raise ActivityNotFound(f"no activity '{reference}'" + (f"; did you mean: {'; '.join(hint)}?" if hint else
                                                            "; see `lca list activities`"))


def node_ids(bd) -> dict[tuple[str, str], int]:
    """Brightway node id of every node in the project, by key."""
    from bw2data.backends import ActivityDataset as AD

    return {(row.database, row.code): row.id for row in AD.select(AD.id, AD.database, AD.code)}


@dataclass
class Footprint:
    """Result of one LCA: score and contributions (scores in kg CO2e)."""

    activity: str
    key: tuple[str, str]
    amount: float
    unit: str
    method: str
    method_name: tuple[str, ...]
    score: pint.Quantity
    by_stage: pd.DataFrame
    by_activity: pd.DataFrame
    by_flow: pd.DataFrame
    overrides: dict

    def to_dict(self, top: int = 10) -> dict:
        """Plain data for JSON: score with unit, contributions (top ``top`` activities and flows)."""
        def records(frame, n=None):
            return frame.head(n).to_dict(orient="records") if n else frame.to_dict(orient="records")

        return {"activity": self.activity, "key": list(self.key), "amount": self.amount, "unit": self.unit,
                "method": self.method, "method_name": list(self.method_name),
                "score": float(self.score.magnitude), "score_unit": SCORE_UNIT,
                "by_stage": records(self.by_stage), "by_activity": records(self.by_activity, top),
                "by_flow": records(self.by_flow, top), "overrides": self.overrides}


def _apply_overrides(lca, inventory: Inventory, values: dict[str, float], ids: dict) -> None:
    """Re-evaluate formula exchanges with ``values`` and write the changed matrix cells."""
    tech, bio = defaultdict(float), defaultdict(float)
    touched_tech, touched_bio = set(), set()
    for activity in inventory.activities():
        for exchange in activity.exchanges:
            cell = (ids[exchange.input], ids[activity.key])
            amount = inventory.evaluate(activity, exchange, values) if exchange.is_formula else exchange.amount
            target, touched = (tech, touched_tech) if exchange.kind == "technosphere" else (bio, touched_bio)
            target[cell] += amount
            if exchange.is_formula and not math.isclose(amount, exchange.amount, rel_tol=0, abs_tol=0):
                touched.add(cell)
    tech_matrix, bio_matrix = lca.technosphere_matrix.tolil(), lca.biosphere_matrix.tolil()
    for provider, consumer in touched_tech:
        if consumer in lca.dicts.activity and provider in lca.dicts.product:
            tech_matrix[lca.dicts.product[provider], lca.dicts.activity[consumer]] = -tech[(provider, consumer)]
    for flow, consumer in touched_bio:
        if consumer in lca.dicts.activity and flow in lca.dicts.biosphere:
            bio_matrix[lca.dicts.biosphere[flow], lca.dicts.activity[consumer]] = bio[(flow, consumer)]
    lca.technosphere_matrix, lca.biosphere_matrix = tech_matrix.tocsr(), bio_matrix.tocsr()


def _solve(lca) -> None:
    import warnings

    from scipy.sparse.linalg import MatrixRankWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", MatrixRankWarning)
        try:
            lca.lci_calculation()
        except (MatrixRankWarning, RuntimeError) as err:
            raise CalculationError(f"the technosphere matrix is singular: {err}") from err
    if not np.all(np.isfinite(lca.supply_array)):
        raise CalculationError("the technosphere solve gave NaN or inf (singular or ill-conditioned matrix)")


class Calculator:
    """One bw2calc LCA for a method and a set of overrides, reused for many demands.

    The technosphere is factorised once; each :meth:`footprint` is a new
    right-hand side (``redo_lci``).
    """

    def __init__(self, inventory: Inventory, bd, method: str = methods_module.DEFAULT_METHOD,
                 overrides: dict | None = None):
        import bw2calc as bc

        self.inventory = inventory
        self.method = methods_module.resolve(inventory, method)
        self.values = normalise(inventory, overrides)
        self.ids = node_ids(bd)
        self.keys = {node_id: key for key, node_id in self.ids.items()}
        # one activity of every database in the demand, so that every database is in the matrices
        every_database = {self.ids[next(iter(d.activities.values())).key]: 1.0
                          for d in inventory.databases.values() if d.activities}
        self.lca = bc.LCA(every_database, method=self.method.name)
        self.lca.load_lci_data()
        if self.values:
            _apply_overrides(self.lca, inventory, self.values, self.ids)
        self.lca.build_demand_array()
        _solve(self.lca)
        self.lca.lcia()
        self.lca.decompose_technosphere()

    def footprint(self, activity: str, amount: float = 1.0) -> Footprint:
        """Life-cycle climate impact of ``amount`` reference units of ``activity`` [kg CO2e]."""
        target = find_activity(self.inventory, activity)
        lca = self.lca
        lca.build_demand_array({self.ids[target.key]: float(amount)})
        _solve(lca)
        lca.lcia_calculation()
        score = float(lca.score)
        if not math.isfinite(score):
            raise CalculationError(f"the score of '{target.name}' is not finite ({score})")
        by_stage, by_activity, by_flow = contributions(self.inventory, lca, self.keys, score)
        return Footprint(target.name, target.key, float(amount), target.unit, self.method.alias, self.method.name,
                         Q_(score, SCORE_UNIT), by_stage, by_activity, by_flow, self.values)


def footprint(inventory: Inventory, bd, activity: str, amount: float = 1.0, method: str = methods_module.DEFAULT_METHOD,
              overrides: dict | None = None) -> Footprint:
    """Life-cycle climate impact of ``amount`` reference units of ``activity``.

    Returns scores in kg CO2e; contributions are direct emissions of each
    activity times its scaling in the supply chain, characterised.
    """
    find_activity(inventory, activity)
    return Calculator(inventory, bd, method, overrides).footprint(activity, amount)


def contributions(inventory: Inventory, lca, keys: dict[int, tuple], score: float):
    """Characterised results split by stage, by activity and by flow (DataFrames, kg CO2e).

    By stage: an activity with a stage owns its direct emissions (a biosphere
    exchange may name another stage) and everything its unstaged suppliers
    emit for it (the electricity a fab uses counts as accelerator embodied).
    Unstaged supply not reached from a staged activity is ``background``.
    By activity and by flow: direct emissions times supply.
    """
    by_stage = _stage_scores(inventory, lca, keys, score)
    matrix = lca.characterized_inventory.tocoo()
    flow_of, activity_of = lca.dicts.biosphere.reversed, lca.dicts.activity.reversed
    frame = pd.DataFrame({"activity_key": [keys[activity_of[c]] for c in matrix.col],
                          "flow_key": [keys[flow_of[r]] for r in matrix.row], "score": matrix.data})
    frame = frame[frame["score"] != 0]

    def share(table):
        table["share"] = table["score"] / score if score else float("nan")
        table["score_unit"] = SCORE_UNIT
        return table.sort_values("score", key=abs, ascending=False, ignore_index=True)

    by_activity = frame.groupby("activity_key", as_index=False)["score"].sum()
    by_activity.insert(0, "database", [k[0] for k in by_activity["activity_key"]])
    by_activity.insert(1, "code", [k[1] for k in by_activity["activity_key"]])
    by_activity.insert(2, "name", [_name(inventory, k) for k in by_activity["activity_key"]])
    by_activity = share(by_activity.drop(columns="activity_key"))
    by_flow = frame.groupby("flow_key", as_index=False)["score"].sum()
    flows = [_flow(inventory, k) for k in by_flow["flow_key"]]
    by_flow.insert(0, "flow", [f[0] for f in flows])
    by_flow.insert(1, "categories", [f[1] for f in flows])
    by_flow = share(by_flow.drop(columns="flow_key"))
    by_stage = share(pd.DataFrame(sorted(by_stage.items()), columns=["stage", "score"]))
    return by_stage, by_activity, by_flow


def _stage_scores(inventory: Inventory, lca, keys: dict[int, tuple], score: float) -> dict[str, float]:
    from scipy.sparse.linalg import spsolve

    activity_of = lca.dicts.activity.reversed
    n = len(activity_of)
    col_keys = [keys[activity_of[c]] for c in range(n)]
    stage_of = []
    for key in col_keys:
        activity = _activity_or_none(inventory, key)
        stage_of.append(activity.stage if activity and activity.stage != DEFAULT_STAGE else None)
    # technosphere rows reordered so that row i is the product of activity column i
    row_of = [lca.dicts.product[lca.dicts.activity.reversed[c]] for c in range(n)]
    tech = lca.technosphere_matrix.tocsr()[row_of, :].tocsc()
    unit_scores = (lca.characterization_matrix @ lca.biosphere_matrix).tocsc()   # flows x activities
    x = np.asarray(lca.supply_array).ravel()
    unstaged = np.array([s is None for s in stage_of])
    stages: dict[str, float] = defaultdict(float)
    override = {(a.key, e.input): e.stage for a in inventory.activities() for e in a.exchanges if e.stage}
    flow_of = lca.dicts.biosphere.reversed
    direct = unit_scores.multiply(x[np.newaxis, :]).tocoo()
    for row, col, value in zip(direct.row, direct.col, direct.data):
        if value != 0 and stage_of[col] is not None:
            stages[override.get((col_keys[col], keys[flow_of[row]])) or stage_of[col]] += float(value)
    u_index = np.flatnonzero(unstaged)
    if len(u_index):
        tech_uu = tech[u_index, :][:, u_index].tocsc()
        unit_u = np.asarray(unit_scores[:, u_index].sum(axis=0)).ravel()
        for stage in sorted({s for s in stage_of if s is not None}):
            cols = np.flatnonzero([s == stage for s in stage_of])
            demand = -(tech[u_index, :][:, cols] @ x[cols])
            if not np.any(demand):
                continue
            supply = np.atleast_1d(spsolve(tech_uu, demand))
            upstream = float(unit_u @ supply)
            if upstream != 0:
                stages[stage] += upstream
    attributed = sum(stages.values())
    if not math.isclose(attributed, score, rel_tol=1e-9, abs_tol=1e-12) or any(s is None for s in stage_of):
        remainder = score - attributed
        if abs(remainder) > 1e-12 * max(1.0, abs(score)):
            stages[DEFAULT_STAGE] += remainder
    return dict(stages)


def _activity_or_none(inventory: Inventory, key):
    database = inventory.databases.get(key[0])
    return database.activities.get(key[1]) if database else None


def _name(inventory: Inventory, key) -> str:
    activity = _activity_or_none(inventory, key)
    return activity.name if activity else key[1]


def _flow(inventory: Inventory, key) -> tuple[str, str]:
    if key[0] == OUR_BIOSPHERE:
        flow = inventory.flows[key]
        return flow.name, format_categories(flow.categories)
    flow = biosphere3_by_code().get(key[1]) if key[0] == BIOSPHERE3 else None
    return (flow.name, format_categories(flow.categories)) if flow else (key[1], "")
