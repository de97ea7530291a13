"""LCA calculations with bw2calc, and their contributions by stage, activity and flow."""
from __future__ import annotations

import difflib
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pint

from lca.brightway import methods as methods_module
from lca.core.flows import BIOSPHERE3, OUR_BIOSPHERE, biosphere3_by_code, format_categories
from lca.core.parameters import names_in
from lca.core.stages import DEFAULT_STAGE
from lca.core.units import Q_
from lca.errors import CalculationError, InputError
from lca.inventory import Activity, Inventory, derivations
from lca.inventory.overrides import factor_name, normalise

SCORE_UNIT = "kgCO2e"
#: Score unit by method unit (methods.yaml ``unit``): CO2e for climate, CFC-11-eq for ozone depletion.
SCORE_UNITS = {"kg CO2-Eq": SCORE_UNIT, "kg CFC-11-Eq": "kgCFC11e"}


class ActivityNotFound(InputError):
    """No activity of that name or ``database:code``."""



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
    if ":" in reference:   # a database:code that does not exist: suggest close keys (grid codes ...)
        keys = [f"{a.database}:{a.code}" for a in inventory.activities()]
        hint = difflib.get_close_matches(reference, keys, n=3, cutoff=0.6)
    else:
        hint = [f"{a.database}:{a.code}" for a in inventory.activities() if a.code == reference]
        hint += difflib.get_close_matches(reference, [a.name for a in inventory.activities()], n=3, cutoff=0.5)
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
    by_step: pd.DataFrame
    by_activity: pd.DataFrame
    by_flow: pd.DataFrame
    overrides: dict

    def to_dict(self, top: int = 10) -> dict:
        """Plain data for JSON: score with unit, contributions (top ``top`` activities and flows)."""
        def records(frame, n=None):
            return frame.head(n).to_dict(orient="records") if n else frame.to_dict(orient="records")

        return {"activity": self.activity, "key": list(self.key), "amount": self.amount, "unit": self.unit,
                "method": self.method, "method_name": list(self.method_name),
                "score": float(self.score.magnitude), "score_unit": f"{self.score.units:~}",
                "by_stage": records(self.by_stage), "by_step": records(self.by_step),
                "by_activity": records(self.by_activity, top),
                "by_flow": records(self.by_flow, top), "overrides": self.overrides}


def _apply_overrides(lca, inventory: Inventory, values: dict[str, float], ids: dict) -> None:
    """Re-evaluate formula exchanges with ``values`` and write the changed matrix cells."""
    tech, bio = defaultdict(float), defaultdict(float)
    touched_tech, touched_bio = set(), set()
    for activity in inventory.activities():
        affected = inventory.affected_names(activity, values)
        for exchange in activity.exchanges:
            cell = (ids[exchange.input], ids[activity.key])
            changes = exchange.is_formula and bool(affected & names_in(exchange.formula))
            amount = inventory.evaluate(activity, exchange, values) if changes else exchange.amount
            target, touched = (tech, touched_tech) if exchange.kind == "technosphere" else (bio, touched_bio)
            target[cell] += amount
            if changes and amount != exchange.amount:
                touched.add(cell)
    tech_matrix, bio_matrix = lca.technosphere_matrix.tolil(), lca.biosphere_matrix.tolil()
    for provider, consumer in touched_tech:
        if consumer in lca.dicts.activity and provider in lca.dicts.product:
            tech_matrix[lca.dicts.product[provider], lca.dicts.activity[consumer]] = -tech[(provider, consumer)]
    for flow, consumer in touched_bio:
        if consumer in lca.dicts.activity and flow in lca.dicts.biosphere:
            bio_matrix[lca.dicts.biosphere[flow], lca.dicts.activity[consumer]] = bio[(flow, consumer)]
    lca.technosphere_matrix, lca.biosphere_matrix = tech_matrix.tocsr(), bio_matrix.tocsr()


def singular_activities(lca, keys: dict[int, tuple] | None = None, limit: int = 8) -> list[str]:
    """Activities (``database:code``) that make the technosphere matrix singular, as far as can be told.

    First, activities whose net output of their own product is zero (they consume as much of it as
    they make); else, for matrices up to 2000 columns, the activities in the dependent combination
    of columns (the null vector of the smallest singular value).
    """
    matrix = lca.technosphere_matrix.tocsc()
    activity_of = lca.dicts.activity.reversed
    n = matrix.shape[1]

    def label(column: int) -> str:
        node = activity_of[column]
        key = (keys or {}).get(node)
        return f"{key[0]}:{key[1]}" if key else f"node {node}"

    zero = [c for c in range(n)
            if lca.dicts.product.get(activity_of[c]) is None or matrix[lca.dicts.product[activity_of[c]], c] == 0]
    if not zero and 0 < n <= 2000 and matrix.shape[0] == n:
        _, values, vh = np.linalg.svd(matrix.toarray())
        if values[-1] <= 1e-9 * max(values[0], 1e-300):
            vector = np.abs(vh[-1])
            zero = [int(c) for c in np.argsort(-vector) if vector[c] > 1e-3 * vector.max()]
    names = [label(c) for c in zero[:limit]]
    return names + ([f"... {len(zero) - limit} more"] if len(zero) > limit else [])


def _singular(lca, keys, detail: str) -> CalculationError:
    try:
        involved = singular_activities(lca, keys)
    except Exception:   # the diagnosis is best effort; the error itself must still be reported
        involved = []
    where = (f"; activities involved: {', '.join(involved)} (an activity consuming all of its own product, "
             "or activities supplying each other in a closed loop)") if involved else ""
    return CalculationError(f"the technosphere matrix is singular ({detail}){where}")


def _solve(lca, keys: dict[int, tuple] | None = None) -> None:
    """Solve the inventory; a singular matrix is a :class:`CalculationError` naming the activities involved."""
    import warnings

    from scipy.sparse.linalg import MatrixRankWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", MatrixRankWarning)
        try:
            lca.lci_calculation()
        except (MatrixRankWarning, RuntimeError) as err:
            raise _singular(lca, keys, str(err)) from err
    if not np.all(np.isfinite(lca.supply_array)):
        raise _singular(lca, keys, "the solve gave NaN or inf; singular or ill-conditioned")


#: Node ids given to system activities built for one calculation (above any database id).
SYSTEM_ID_START = 2 ** 62


def systems_datapackage(systems, ids: dict):
    """A bw_processing datapackage with one activity per system model (per PFLOP-day).

    Returns the datapackage, the node id of each system by name, and the stage
    of each (provider id, system id) link.
    """
    import bw_processing as bwp

    indices, data, flip, system_ids, links = [], [], [], {}, {}
    for offset, model in enumerate(systems):
        node = SYSTEM_ID_START + offset
        system_ids[model.name] = node
        amounts = defaultdict(float)
        for link in model.links:
            amounts[ids[link.provider]] += link.amount
            links[(ids[link.provider], node)] = link.stage
        indices.append((node, node))
        data.append(1.0)
        flip.append(False)
        for provider, amount in amounts.items():
            indices.append((provider, node))
            data.append(amount)
            flip.append(True)
    package = bwp.create_datapackage(sequential=True)
    package.add_persistent_vector(matrix="technosphere_matrix", name="lca-systems",
                                  indices_array=np.array(indices, dtype=bwp.INDICES_DTYPE),
                                  data_array=np.array(data, dtype=float), flip_array=np.array(flip, dtype=bool))
    return package, system_ids, links


class Calculator:
    """One bw2calc LCA for a set of overrides, reused for many demands and methods.

    The matrices hold every inventory database plus, optionally, system
    activities built from :class:`lca.models.SystemModel` (a datapackage added
    to the LCA, so the stored project is never written). The technosphere is
    factorised once; each footprint is a new right-hand side.
    """

    def __init__(self, inventory: Inventory, bd, method: str = methods_module.DEFAULT_METHOD,
                 overrides: dict | None = None, systems=()):
        import bw2calc as bc

        self.inventory = inventory
        self.method = methods_module.resolve(inventory, method)
        self.values = normalise(inventory, overrides)
        self.ids = node_ids(bd)
        self.keys = {node_id: key for key, node_id in self.ids.items()}
        # one activity of every database in the demand, so that every database is in the matrices
        every_database = {self.ids[next(iter(d.activities.values())).key]: 1.0
                          for d in inventory.databases.values() if d.activities}
        _, data_objs, _ = bd.prepare_lca_inputs(every_database, method=self.method.name, remapping=False)
        self.links = {(self.ids[e.input], self.ids[a.key]): e.stage for a in inventory.activities()
                      for e in a.exchanges if e.stage and e.kind == "technosphere"}
        self.system_ids = {}
        self._stage_attributions: dict[str, Attribution] = {}
        if systems:
            package, self.system_ids, system_links = systems_datapackage(systems, self.ids)
            data_objs = list(data_objs) + [package]
            self.links.update(system_links)
            self.keys.update({node: ("systems", name) for name, node in self.system_ids.items()})
        self.lca = bc.LCA(every_database, data_objs=data_objs)
        self.lca.load_lci_data()
        if self.values:
            _apply_overrides(self.lca, inventory, self.values, self.ids)
        self.lca.build_demand_array()
        _solve(self.lca, self.keys)
        self.lca.load_lcia_data()
        self._apply_factor_overrides()
        self.lca.lcia_calculation()
        try:
            self.lca.decompose_technosphere()
        except RuntimeError as err:
            raise CalculationError(f"the technosphere matrix cannot be factorised: {err}") from err

    def switch_method(self, method: str) -> None:
        """Characterise with another method (same matrices)."""
        self.method = methods_module.resolve(self.inventory, method)
        self.lca.switch_method(self.method.name)
        self._apply_factor_overrides()

    def _apply_factor_overrides(self) -> None:
        """Write overridden characterisation factors of the current method (``cf:`` names) into the matrix."""
        changed = {}
        for factor in self.method.factors:   # derived factors whose inputs are overridden (--set climate.x=...)
            if factor.derived is not None and any(name in self.values
                                                  for name in derivations.inputs(factor.derived, self.method.metric)):
                changed[factor.flow] = derivations.evaluate(self.inventory.parameters, factor.derived,
                                                            self.method.metric, self.values)
        changed |= {flow: value for flow in self.inventory.flows
                    if (value := self.values.get(factor_name(self.method.alias, flow))) is not None}
        if not changed:
            return
        matrix = self.lca.characterization_matrix.tolil()
        for flow, value in changed.items():
            node = self.ids.get(flow)
            if node in self.lca.dicts.biosphere:
                row = self.lca.dicts.biosphere[node]
                matrix[row, row] = value
        self.lca.characterization_matrix = matrix.tocsr()

    def _run(self, node: int, amount: float, label: str) -> float:
        lca = self.lca
        lca.demand = {node: float(amount)}      # what a graph traversal of this solve starts from
        lca.build_demand_array()
        _solve(lca, self.keys)
        lca.lcia_calculation()
        score = float(lca.score)
        if not math.isfinite(score):
            raise CalculationError(f"the score of '{label}' is not finite ({score})")
        return score

    def unit_score(self, key: tuple[str, str]) -> float:
        """Score of one reference unit of the inventory activity ``key`` [kg CO2e per unit]."""
        return self._run(self.ids[key], 1.0, f"{key[0]}:{key[1]}")

    def footprint(self, activity: str, amount: float = 1.0) -> Footprint:
        """Life-cycle climate impact of ``amount`` reference units of ``activity`` [kg CO2e]."""
        target = find_activity(self.inventory, activity)
        score = self._run(self.ids[target.key], amount, target.name)
        by_stage, by_step, by_activity, by_flow = contributions(self.inventory, self.lca, self.keys, score,
                                                                self.links)
        return Footprint(target.name, target.key, float(amount), target.unit, self.method.alias, self.method.name,
                         Q_(score, SCORE_UNITS.get(self.method.unit, SCORE_UNIT)), by_stage, by_step, by_activity,
                         by_flow, self.values)

    def system_flows(self, name: str, amount: float = 1.0) -> dict[tuple[str, str], float]:
        """Life-cycle inventory of ``amount`` functional units of system ``name``: every elementary flow with a
        non-zero total, by flow key [the flow's unit]."""
        self._run(self.system_ids[name], amount, name)
        totals = self.lca.biosphere_matrix @ self.lca.supply_array
        return {self.keys[node]: float(totals[row]) for node, row in self.lca.dicts.biosphere.items()
                if totals[row] != 0 and node in self.keys}

    def system_score(self, name: str, amount: float = 1.0) -> float:
        """Score of a system activity [kg CO2e per ``amount`` functional units]; ``self.lca`` is left solved for
        that demand (``lca.demand``, ``supply_array``, ``score``), as a graph traversal starts from it."""
        return self._run(self.system_ids[name], amount, name)

    def system_scores(self, name: str, amount: float = 1.0) -> tuple[float, dict[str, float]]:
        """Score of a system activity [kg CO2e per ``amount`` functional units] and its split by stage."""
        score = self._run(self.system_ids[name], amount, name)
        if self.method.name not in self._stage_attributions:   # one per method: the matrices do not change
            self._stage_attributions[self.method.name] = stage_attribution(self.inventory, self.lca, self.keys,
                                                                           self.links)
        return score, self._stage_attributions[self.method.name].split(self.lca.supply_array, score,
                                                                       DEFAULT_STAGE)


def footprint(inventory: Inventory, bd, activity: str, amount: float = 1.0, method: str = methods_module.DEFAULT_METHOD,
              overrides: dict | None = None) -> Footprint:
    """Life-cycle climate impact of ``amount`` reference units of ``activity``.

    Returns scores in kg CO2e; contributions are direct emissions of each
    activity times its scaling in the supply chain, characterised.
    """
    find_activity(inventory, activity)
    return Calculator(inventory, bd, method, overrides).footprint(activity, amount)


def contributions(inventory: Inventory, lca, keys: dict[int, tuple], score: float, links: dict | None = None):
    """Characterised results split by stage, by process step, by activity and by flow (DataFrames, kg CO2e).

    By stage: an activity with a stage owns its direct emissions (a biosphere
    exchange may name another stage) and everything its unstaged suppliers
    emit for it (the electricity a fab uses counts as accelerator embodied).
    Unstaged supply not reached from a staged activity is ``background``.
    By process step: the same ownership with each staged (foreground) activity
    as its own step, so a PV module splits into MG-Si, polysilicon, brick,
    wafer, cell and module assembly, each with the grid electricity and
    materials it draws. By activity and by flow: direct emissions times supply.
    """
    by_stage = stage_scores(inventory, lca, keys, score, links or {})
    by_step = _step_scores(inventory, lca, keys, score)
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
    by_activity.insert(2, "name", [activity_name(inventory, k) for k in by_activity["activity_key"]])
    by_activity = share(by_activity.drop(columns="activity_key"))
    by_flow = frame.groupby("flow_key", as_index=False)["score"].sum()
    flows = [flow_label(inventory, k) for k in by_flow["flow_key"]]
    by_flow.insert(0, "flow", [f[0] for f in flows])
    by_flow.insert(1, "categories", [f[1] for f in flows])
    by_flow = share(by_flow.drop(columns="flow_key"))
    by_stage = share(pd.DataFrame(sorted(by_stage.items()), columns=["stage", "score"]))
    by_step = share(pd.DataFrame(sorted(by_step.items()), columns=["step", "score"]))
    return by_stage, by_step, by_activity, by_flow


def stage_scores(inventory: Inventory, lca, keys: dict[int, tuple], score: float,
                  links: dict[tuple[int, int], str]) -> dict[str, float]:
    """Score [kg CO2e] by life-cycle stage (see :func:`contributions`)."""
    return stage_attribution(inventory, lca, keys, links).split(lca.supply_array, score, DEFAULT_STAGE)


def stage_attribution(inventory: Inventory, lca, keys: dict[int, tuple],
                      links: dict[tuple[int, int], str]) -> Attribution:
    """The :class:`Attribution` by life-cycle stage for the matrices and method of ``lca``."""
    override = {(a.key, e.input): e.stage for a in inventory.activities() for e in a.exchanges if e.stage}
    return attribution(inventory, lca, keys, _stage_label, override, links)


def _step_scores(inventory: Inventory, lca, keys: dict[int, tuple], score: float) -> dict[str, float]:
    """Score [kg CO2e] by process step: each foreground (staged) activity, by name, with the
    unstaged supply chain it draws (the grid electricity of the polysilicon step counts there)."""
    return attribution(inventory, lca, keys, _step_label, {}, {}).split(lca.supply_array, score, UNOWNED_STEP)


#: Process-step label of what no foreground activity draws.
UNOWNED_STEP = "background, not drawn by a foreground step"


def _stage_label(activity: Activity | None) -> str | None:
    return activity.stage if activity and activity.stage != DEFAULT_STAGE else None


def _step_label(activity: Activity | None) -> str | None:
    return activity.name if _stage_label(activity) else None


@dataclass(frozen=True)
class Attribution:
    """Ownership of a score by label as a matrix: ``matrix @ supply`` is the score [kg CO2e] each label owns.

    The split of :func:`contributions` is linear in the supply vector, so for one set of matrices and one
    method it is computed once and applied to the supply of every system (or every demand) at once.
    """

    labels: tuple[str, ...]
    matrix: np.ndarray                      # labels x activities [kg CO2e per unit of supply]
    complete: bool                          # every activity has an owner (no remainder expected)

    def split(self, supply: np.ndarray, score: float, remainder_label: str) -> dict[str, float]:
        """Score [kg CO2e] by label for one supply vector; what no label owns goes to ``remainder_label``."""
        values = self.matrix @ np.asarray(supply, dtype=float).ravel()
        tiny = 1e-12 * max(abs(score), 1e-300)
        owned = defaultdict(float, {label: float(value) for label, value in zip(self.labels, values)
                                    if abs(value) > tiny})
        attributed = sum(owned.values())
        if not math.isclose(attributed, score, rel_tol=1e-9, abs_tol=1e-12) or not self.complete:
            remainder = score - attributed
            if abs(remainder) > 1e-12 * max(1.0, abs(score)):
                owned[remainder_label] += remainder
        return dict(owned)


def attribution(inventory: Inventory, lca, keys: dict[int, tuple], label_of, override: dict,
                links: dict[tuple[int, int], str]) -> Attribution:
    """The ownership matrix of :func:`contributions` for the matrices and method of ``lca``.

    A labelled activity owns its direct emissions (``override`` may relabel one biosphere exchange) and
    everything its unlabelled suppliers emit for it; ``links`` label the unlabelled supply behind a
    system link. The upstream part uses one transposed solve: with ``w`` solving ``T_uu' w = c_u`` (the
    unlabelled block of the technosphere and the unlabelled activities' unit scores), a label's upstream
    score is ``-w T_u,L x_L`` (plus its links' share).
    """
    from scipy.sparse.linalg import spsolve

    activity_of = lca.dicts.activity.reversed
    n = len(activity_of)
    col_keys = [keys[activity_of[c]] for c in range(n)]
    owner = [label_of(_activity_or_none(inventory, key)) for key in col_keys]
    # technosphere rows reordered so that row i is the product of activity column i
    row_of = [lca.dicts.product[activity_of[c]] for c in range(n)]
    tech = lca.technosphere_matrix.tocsr()[row_of, :].tocsc()
    unit_scores = (lca.characterization_matrix @ lca.biosphere_matrix).tocoo()   # flows x activities
    flow_of = lca.dicts.biosphere.reversed
    link_labels = set(links.values())
    labels = tuple(sorted({s for s in owner if s is not None} | link_labels))
    row = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), n))
    for r, c, value in zip(unit_scores.row, unit_scores.col, unit_scores.data):
        if value != 0 and owner[c] is not None:
            label = override.get((col_keys[c], keys[flow_of[r]])) or owner[c]
            if label not in row:
                row[label] = len(labels)
                labels += (label,)
                matrix = np.vstack([matrix, np.zeros(n)])
            matrix[row[label], c] += value
    unowned = np.flatnonzero([s is None for s in owner])
    if len(unowned):
        tech_uu = tech[unowned, :][:, unowned].tocsc()
        unit_u = np.asarray(unit_scores.tocsc()[:, unowned].sum(axis=0)).ravel()
        w = np.atleast_1d(spsolve(tech_uu.T.tocsc(), unit_u))
        upstream = -np.asarray(tech[unowned, :].T @ w).ravel()          # per unit of each activity's supply
        for c, label in enumerate(owner):
            if label is not None:
                matrix[row[label], c] += upstream[c]
        position = {int(c): i for i, c in enumerate(unowned)}
        col_of = lca.dicts.activity
        for (provider, consumer), label in links.items():
            if provider in col_of and consumer in col_of and owner[col_of[consumer]] is None:
                p, c = col_of[provider], col_of[consumer]
                if p in position:
                    matrix[row[label], c] -= w[position[p]] * tech[p, c]
    return Attribution(labels, matrix, not len(unowned))


def _activity_or_none(inventory: Inventory, key):
    database = inventory.databases.get(key[0])
    return database.activities.get(key[1]) if database else None


def activity_name(inventory: Inventory, key) -> str:
    activity = _activity_or_none(inventory, key)
    return activity.name if activity else key[1]


def flow_label(inventory: Inventory, key) -> tuple[str, str]:
    if key[0] == OUR_BIOSPHERE:
        flow = inventory.flows[key]
        return flow.name, format_categories(flow.categories)
    flow = biosphere3_by_code().get(key[1]) if key[0] == BIOSPHERE3 else None
    return (flow.name, format_categories(flow.categories)) if flow else (key[1], "")
