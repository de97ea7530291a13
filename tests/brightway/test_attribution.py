"""The stage attribution matrix (computed once per method, applied to every system's supply) against the
per-label definition: each label's direct emissions plus one solve of the unlabelled supply chain per label."""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from scipy.sparse.linalg import spsolve

from lca.analysis.compare import build_systems, choices
from lca.brightway.calculation import Calculator
from lca.core.stages import DEFAULT_STAGE


def per_label_stages(calculator: Calculator, inventory) -> dict[str, float]:
    """Stage scores [kg CO2e] of the solved demand, label by label (the definition, one solve per label)."""
    lca, keys = calculator.lca, calculator.keys
    activity_of = lca.dicts.activity.reversed
    n = len(activity_of)
    col_keys = [keys[activity_of[c]] for c in range(n)]

    def stage_of(key):
        database = inventory.databases.get(key[0])
        activity = database.activities.get(key[1]) if database else None
        return activity.stage if activity and activity.stage != DEFAULT_STAGE else None
    owner = [stage_of(k) for k in col_keys]
    override = {(a.key, e.input): e.stage for a in inventory.activities() for e in a.exchanges if e.stage}
    tech = lca.technosphere_matrix.tocsr()[[lca.dicts.product[activity_of[c]] for c in range(n)], :].tocsc()
    unit_scores = (lca.characterization_matrix @ lca.biosphere_matrix).tocsc()
    x = np.asarray(lca.supply_array).ravel()
    flow_of = lca.dicts.biosphere.reversed
    owned = defaultdict(float)
    direct = unit_scores.multiply(x[np.newaxis, :]).tocoo()
    for r, c, v in zip(direct.row, direct.col, direct.data):
        if owner[c] is not None:
            owned[override.get((col_keys[c], keys[flow_of[r]])) or owner[c]] += v
    u = np.flatnonzero([s is None for s in owner])
    tech_uu = tech[u, :][:, u].tocsc()
    unit_u = np.asarray(unit_scores[:, u].sum(axis=0)).ravel()
    position = {int(c): i for i, c in enumerate(u)}
    for label in {s for s in owner if s is not None} | set(calculator.links.values()):
        cols = np.flatnonzero([s == label for s in owner])
        demand = -(tech[u, :][:, cols] @ x[cols]) if len(cols) else np.zeros(len(u))
        for (provider, consumer), link_label in calculator.links.items():
            col = lca.dicts.activity
            if link_label == label and provider in col and consumer in col and owner[col[consumer]] is None \
                    and col[provider] in position:
                demand[position[col[provider]]] -= tech[col[provider], col[consumer]] * x[col[consumer]]
        if np.any(demand):
            owned[label] += float(unit_u @ np.atleast_1d(spsolve(tech_uu, demand)))
    return dict(owned)


@pytest.mark.parametrize("method", ["GWP100", "GWP100+HA"])
def test_the_attribution_matrix_agrees_with_the_per_label_solves(bw_project, method):
    inventory = bw_project.inventory()
    chosen = choices(inventory, grids=["US", "FR"])
    systems = build_systems(inventory, chosen, {})
    calculator = Calculator(inventory, bw_project.brightway(), method, {}, systems)
    for model in systems:
        score, stages = calculator.system_scores(model.name)
        expected = per_label_stages(calculator, inventory)
        assert sum(stages.values()) == pytest.approx(score, rel=1e-9)
        for label, value in expected.items():
            if abs(value) > 1e-9 * abs(score):
                assert stages[label] == pytest.approx(value, rel=1e-9), (model.name, label)
        assert set(stages) - set(expected) <= {DEFAULT_STAGE}
