"""The contribution tree (Brightway's graph traversal): the root is the comparison's total, every node balances
against its inventory exchanges times the providers' unit scores (computed here from the YAML, independently
of the traversal), and the cut-off drops exactly the inputs under it."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest
from conftest import INVENTORIES

CUTOFF = 0.01


@pytest.fixture(scope="module")
def trees(bw_project, us_fr_comparison):
    return bw_project.contribution_trees(us_fr_comparison, cutoff=CUTOFF)


@pytest.fixture(scope="module")
def unit_score(bw_project, us_fr_comparison):
    """Score of one unit of an inventory activity [g CO2e per unit], by method, from bw2calc directly."""
    from lca.analysis.compare import GRAMS_PER_KG
    from lca.brightway.calculation import Calculator

    calculators, cache = {}, {}

    def score(method: str, key: tuple[str, str]) -> float:
        if (method, key) not in cache:
            if method not in calculators:
                calculators[method] = Calculator(bw_project.inventory(), bw_project.brightway(), method,
                                                 us_fr_comparison.overrides, [])
            cache[(method, key)] = calculators[method].unit_score(key) * GRAMS_PER_KG
        return cache[(method, key)]
    return score


def inputs_of(inventory, comparison, node) -> dict[tuple[str, str], float]:
    """Amount of each provider that ``node`` draws, from the YAML exchanges (or the system's links) [unit]."""
    amounts = defaultdict(float)
    if node.key[0] == "systems":
        model = next(m for m in comparison.systems if m.name == node.key[1])
        for link in model.links:
            amounts[link.provider] += link.amount * node.amount
        return amounts
    activity = inventory.activity(f"{node.key[0]}:{node.key[1]}")
    for exchange in activity.exchanges:
        if exchange.kind == "technosphere":
            amount = inventory.evaluate(activity, exchange, {}) if exchange.is_formula else exchange.amount
            amounts[exchange.input] += amount * node.amount
    return amounts


def test_the_root_is_the_system_total(trees, us_fr_comparison):
    assert {(t.system, t.method) for t in trees} == {(m.name, method) for m in us_fr_comparison.systems
                                                    for method in ("GWP100", "GWP100+HA")}
    for tree in trees:
        total = us_fr_comparison.totals(tree.method)[tree.system]
        assert tree.root.score == pytest.approx(total, rel=1e-9)
        assert tree.total == pytest.approx(total, rel=1e-9)
        assert tree.root.depth == 0 and tree.root.parent is None and tree.root.amount == 1.0
        assert tree.root.unit == "PFLOP_day"


def test_every_node_balances_against_its_exchanges(trees, bw_project, us_fr_comparison, unit_score):
    """score = direct + children + under cut-off (to 1e-9 of the total: the traversal's solves against the
    transposed solve of 'rest'), each child's score = its YAML exchange amount x the provider's unit score, and
    the inputs not followed sum to 'rest' and each lies under the cut-off (to 1e-6: the matrices hold the YAML
    amounts as float32, 6e-8 relative)."""
    inventory = bw_project.inventory()
    checked = 0
    for tree in trees:
        exact, stored = 1e-9 * abs(tree.total), 1e-6 * abs(tree.total)
        for node in tree.nodes.values():
            amounts = inputs_of(inventory, us_fr_comparison, node)
            inputs = {key: amount * unit_score(tree.method, key) for key, amount in amounts.items()}
            children = {tree.nodes[c].key: tree.nodes[c] for c in node.children}
            assert len(children) == len(node.children)           # one child per provider
            for key, child in children.items():
                assert child.parent == node.id and child.depth == node.depth + 1
                assert child.score == pytest.approx(inputs[key], abs=stored)
                assert child.amount == pytest.approx(amounts[key], rel=1e-6)     # float32 matrix amounts
            rest = {key: value for key, value in inputs.items() if key not in children}
            assert all(abs(value) < CUTOFF * abs(tree.total) for value in rest.values())
            assert node.rest == pytest.approx(sum(rest.values()), abs=stored)
            assert node.score == pytest.approx(node.direct + sum(c.score for c in children.values()) + node.rest,
                                               abs=exact)
            checked += 1
    assert checked > 40


def test_the_cutoff_drops_only_what_is_under_it(trees, bw_project, us_fr_comparison):
    finer = bw_project.contribution_trees(us_fr_comparison, [us_fr_comparison.orbit.name], ["GWP100"], cutoff=0.001)[0]
    coarse = next(t for t in trees if t.system == us_fr_comparison.orbit.name and t.method == "GWP100")

    def paths(tree, keep=lambda node: True):
        out = set()
        for node in tree.nodes.values():
            path, current = [], node
            while current is not None:
                path.append(current)
                current = tree.nodes[current.parent] if current.parent is not None else None
            if all(keep(n) for n in path):
                out.add(tuple(n.key for n in reversed(path)))
        return out

    assert len(finer.nodes) > len(coarse.nodes)
    assert all(abs(n.score) >= CUTOFF * abs(coarse.total) for n in coarse.nodes.values())
    assert any(abs(n.score) < CUTOFF * abs(finer.total) for n in finer.nodes.values())
    # the coarse tree is the finer one with every path through a node under 1 % removed
    assert paths(coarse) == paths(finer, lambda n: abs(n.score) >= CUTOFF * abs(finer.total))


def test_tree_cli_prints_the_indented_table_and_json(bw_dir, bw_project, us_fr_comparison, capsys):
    from lca import cli

    common = ["--brightway-dir", str(bw_dir), "--inventories", str(INVENTORIES), "--quiet"]
    assert cli.main(["tree", "--system", "orbit", "--grid", "US", "--method", "GWP100", "--cutoff", "0.01",
                     *common]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"{us_fr_comparison.orbit.name}, GWP100: ")
    assert "\n  launch to SSO" in out and "\n    launch, Starship V3" in out
    assert cli.main(["tree", "--system", "terrestrial", "--grid", "US", "--json", *common]) == 0
    data = json.loads(capsys.readouterr().out)
    (tree,) = data["trees"]
    assert tree["system"] == "terrestrial, US" and tree["method"] == "GWP100"
    assert tree["total"] == pytest.approx(us_fr_comparison.totals("GWP100")["terrestrial, US"], rel=1e-9)
    assert cli.main(["tree", "--cutoff", "1.5", *common]) == 2
    assert "--cutoff must be between 0 and 1" in capsys.readouterr().err
    assert cli.main(["tree", "--system", "terrestrial", *common]) == 2
    assert "needs --grid" in capsys.readouterr().err
