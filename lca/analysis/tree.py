"""Where in the supply chain the impact of a system sits: the contribution tree, by graph traversal.

The traversal is Brightway's own (``bw_graph_tools.NewNodeEachVisitGraphTraversal``, as Activity
Browser's Sankey uses it) on the bw2calc LCA of the comparison, with the systems added as a
datapackage (:class:`lca.brightway.calculation.Calculator`): from one PFLOP-day of a system it follows
the inputs of largest cumulative score first, and creates a node each time it reaches an activity
(an activity reached along two paths is two nodes). Inputs whose cumulative score is under
``cutoff`` x the system total are not followed; what they contribute is kept on their consumer as
``rest``, computed here from the matrices (one transposed solve for the cumulative score of one unit
of every product), so that every node balances:

    score = direct + sum(score of the children) + rest

(Heijungs & Suh 2002, *The Computational Structure of Life Cycle Assessment*, Kluwer, ch. 6: the
cumulative score of a process is its direct score plus those of its inputs, which holds for any
supply chain, loops included.)
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lca.analysis.compare import RESULT_UNIT, Comparison
from lca.brightway.calculation import Calculator, activity_name
from lca.core.units import GRAMS_PER_KG
from lca.errors import CalculationError, InputError
from lca.inventory import Inventory

#: Default cut-off: inputs under 1 % of the system total are not followed.
DEFAULT_CUTOFF = 0.01
#: Most inventory calculations one traversal may do (``bw_graph_tools``' ``max_calc``).
MAX_CALCULATIONS = 5000
#: Balance tolerance of a node, relative to the system total (the solves are float64 on float32 data).
BALANCE_TOLERANCE = 1e-6

#: Traversal id of the demand node (one PFLOP-day of the system), above the system activity.
DEMAND = -1


class CutoffError(InputError):
    """A cut-off outside (0, 1)."""


@dataclass
class TreeNode:
    """One visit of an activity in the supply chain of a system (scores in g CO2e per PFLOP-day)."""

    id: int                        # the traversal's unique id (the root, the system itself, is 0)
    parent: int | None
    depth: int                     # 0 for the system, 1 for its direct inputs
    key: tuple[str, str]           # (database, code); ("systems", name) for the root
    name: str
    amount: float                  # amount of the activity's product supplied here [unit]
    unit: str
    score: float                   # cumulative score of that amount [g CO2e/PFLOP-day]
    direct: float                  # its own (direct) emissions, characterised [g CO2e/PFLOP-day]
    rest: float = 0.0              # what its inputs under the cut-off contribute [g CO2e/PFLOP-day]
    rest_inputs: int = 0           # how many inputs are under the cut-off
    children: list[int] = field(default_factory=list)


@dataclass
class Tree:
    """The contribution tree of one system for one method."""

    system: str
    label: str
    method: str
    cutoff: float                  # fraction of the system total
    total: float                   # the system's score [g CO2e/PFLOP-day] (the root's score)
    nodes: dict[int, TreeNode]     # by id, depth first (children by decreasing magnitude)
    calculations: int              # inventory calculations the traversal did

    @property
    def root(self) -> TreeNode:
        return self.nodes[0]

    def frame(self) -> pd.DataFrame:
        """The indented table, depth first: level, activity (indented two spaces a level), amount, unit,
        cumulative, direct and under-cut-off scores [g CO2e/PFLOP-day] and share of the system total [-]."""
        rows = [{"system": self.label, "method": self.method, "level": n.depth, "activity": "  " * n.depth + n.name,
                 "key": f"{n.key[0]}:{n.key[1]}", "amount": n.amount, "unit": n.unit, "score": n.score,
                 "direct": n.direct, "rest": n.rest, "rest_inputs": n.rest_inputs,
                 "share": n.score / self.total if self.total else math.nan}
                for n in self.nodes.values()]
        return pd.DataFrame(rows, columns=["system", "method", "level", "activity", "key", "amount", "unit", "score",
                                           "direct", "rest", "rest_inputs", "share"])

    def to_dict(self) -> dict:
        """Plain data for JSON (scores in :data:`lca.analysis.compare.RESULT_UNIT`)."""
        return {"system": self.system, "label": self.label, "method": self.method, "cutoff": self.cutoff,
                "total": self.total, "unit": RESULT_UNIT, "calculations": self.calculations,
                "nodes": [{"id": n.id, "parent": n.parent, "depth": n.depth, "key": list(n.key), "name": n.name,
                           "amount": n.amount, "unit": n.unit, "score": n.score, "direct": n.direct, "rest": n.rest,
                           "rest_inputs": n.rest_inputs, "children": n.children} for n in self.nodes.values()]}


def check_cutoff(cutoff: float) -> float:
    """``cutoff`` as a float in (0, 1), else a :class:`CutoffError`."""
    try:
        value = float(cutoff)
    except (TypeError, ValueError):
        raise CutoffError(f"--cutoff must be a number between 0 and 1 (a fraction of the total), got {cutoff!r}") from None
    if not 0 < value < 1:
        raise CutoffError(f"--cutoff must be between 0 and 1, exclusive (a fraction of the total, 0.01 = 1 %), "
                          f"got {cutoff!r}")
    return value


def unit_product_scores(lca) -> np.ndarray:
    """Cumulative score of one unit of every product, by technosphere row [kg CO2e per unit]: ``y`` solving
    ``T' y = c`` with ``c`` the characterised direct score of one unit of each activity."""
    from scipy.sparse.linalg import spsolve

    direct = np.asarray((lca.characterization_matrix @ lca.biosphere_matrix).sum(axis=0)).ravel()
    return np.atleast_1d(spsolve(lca.technosphere_matrix.T.tocsc(), direct))


def traverse(inventory: Inventory, calculator: Calculator, name: str, label: str, cutoff: float) -> Tree:
    """The contribution tree of the system ``name`` of ``calculator`` for its current method."""
    from bw_graph_tools import GraphTraversalSettings, NewNodeEachVisitGraphTraversal

    cutoff = check_cutoff(cutoff)
    score = calculator.system_score(name)
    if score == 0:
        raise CalculationError(f"'{label}' scores zero with {calculator.method.alias}: no contribution tree")
    lca = calculator.lca
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        graph = NewNodeEachVisitGraphTraversal(lca, GraphTraversalSettings(
            cutoff=cutoff, max_calc=MAX_CALCULATIONS, separate_biosphere_flows=False), functional_unit_unique_id=DEMAND)
        graph.traverse()
    if any("calculation count" in str(w.message) for w in caught):
        raise CalculationError(f"the contribution tree of '{label}' needs more than {MAX_CALCULATIONS} "
                               f"calculations at cut-off {cutoff:g}; raise the cut-off")
    unit = unit_product_scores(lca)
    tech = lca.technosphere_matrix.tocsc()
    children: dict[int, list] = {}
    for edge in graph.edges:
        children.setdefault(edge.consumer_unique_id, []).append(edge)
    nodes: dict[int, TreeNode] = {}
    # the traversal's root is the demand (one PFLOP-day of the system); its one child is the system activity
    (top,) = children[DEMAND]

    def add(edge, parent: int | None, depth: int) -> None:
        node = graph.nodes[edge.producer_unique_id]
        key = calculator.keys[node.activity_datapackage_id]
        own = len(nodes)
        if key[0] == "systems":
            title, amount_unit = label, "PFLOP_day"
        else:
            activity = inventory.activity(f"{key[0]}:{key[1]}")
            title, amount_unit = activity_name(inventory, key), activity.unit
        below = sorted(children.get(node.unique_id, []), key=lambda e: -abs(graph.nodes[e.producer_unique_id]
                                                                             .cumulative_score))
        followed = {e.product_index for e in below}
        column = tech[:, node.activity_index].tocoo()
        rest, rest_inputs = 0.0, 0
        for row, value in zip(column.row, column.data):
            if row == node.reference_product_index or row in followed or value == 0:
                continue
            rest += -value * node.supply_amount * unit[row]
            rest_inputs += 1
        nodes[own] = TreeNode(own, parent, depth, key, title,
                              node.supply_amount * node.reference_product_production_amount, amount_unit,
                              node.cumulative_score * GRAMS_PER_KG, node.direct_emissions_score * GRAMS_PER_KG,
                              rest * GRAMS_PER_KG, rest_inputs)
        if parent is not None:
            nodes[parent].children.append(own)
        for child in below:
            add(child, own, depth + 1)

    add(top, None, 0)
    tree = Tree(name, label, calculator.method.alias, cutoff, score * GRAMS_PER_KG, nodes, graph.calculation_count)
    for node in nodes.values():
        balance = node.direct + sum(nodes[c].score for c in node.children) + node.rest
        if abs(balance - node.score) > BALANCE_TOLERANCE * abs(tree.total):
            raise CalculationError(f"contribution tree of '{label}': '{node.name}' does not balance (score "
                                   f"{node.score:.6g}, direct + inputs {balance:.6g} g CO2e/PFLOP-day)")
    return tree


def contribution_trees(inventory: Inventory, bd, comparison: Comparison, systems: list[str] | None = None,
                       methods=None, cutoff: float = DEFAULT_CUTOFF) -> list[Tree]:
    """The contribution tree of each system of ``comparison`` (or of those named) for each method, with the
    comparison's overrides; one bw2calc LCA for all."""
    cutoff = check_cutoff(cutoff)
    methods = list(methods or dict.fromkeys(comparison.table["method"]))
    models = [m for m in comparison.systems if systems is None or m.name in systems]
    calculator = Calculator(inventory, bd, methods[0], comparison.overrides, comparison.systems)
    trees = []
    for method in methods:
        calculator.switch_method(method)
        trees += [traverse(inventory, calculator, m.name, m.label or m.name, cutoff) for m in models]
    return trees
