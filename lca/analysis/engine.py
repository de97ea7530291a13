"""Sampled matrices of a comparison, and two ways to solve them.

:class:`SampledModel` holds every matrix entry of one comparison (the
inventory databases plus the system activities) as an array of samples. It is
solved either by :func:`batched_scores`, which processes all samples at once
with numpy (an adjoint topological sweep of cumulative unit scores when the technosphere has no loops, which is
the case for the shipped inventories), or by :func:`bw2calc_scores`, which
feeds the same arrays to bw2calc as array datapackages and iterates sample by
sample: the reference the batched engine is validated against.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from lca.analysis.compare import Choices, build_systems
from lca.analysis.sampling import Samples
from lca.brightway.calculation import Calculator
from lca.brightway.methods import project_factors, resolve
from lca.inventory import Inventory
from lca.inventory.overrides import factor_name, normalise


@dataclass
class SampledModel:
    """Matrix entries as (n,) arrays: technosphere amounts, biosphere amounts, factors per method."""

    n: int
    systems: list[str]
    system_ids: dict[str, int]
    technosphere: dict[tuple[int, int], np.ndarray]        # (provider id, consumer id) -> input amount
    production: dict[int, np.ndarray]                       # activity id -> production amount
    biosphere: dict[tuple[int, int], np.ndarray]           # (flow id, activity id) -> emission
    factors: dict[str, dict[int, np.ndarray]]              # method -> flow id -> factor
    node_ids: dict = field(default_factory=dict)            # activity key -> node id (every inventory activity)


def _constant(value, n: int) -> np.ndarray:
    """``value`` as an (n,) array: a read-only broadcast view of a scalar (no memory per sample)."""
    value = np.asarray(value, dtype=float)
    return value if value.shape == (n,) else np.broadcast_to(value, (n,))


def _summed(parts: dict, n: int) -> dict:
    """Entries given as lists of (n,) arrays, each summed (a single one kept as it is, a view included)."""
    return {key: arrays[0] if len(arrays) == 1 else np.sum(np.broadcast_arrays(*arrays), axis=0)
            for key, arrays in parts.items()}


def assemble(inventory: Inventory, bd, chosen: Choices, overrides: dict | None, samples: Samples,
             methods) -> SampledModel:
    """All matrix entries of the comparison under ``samples`` (fixed ``overrides`` apply to every sample)."""
    n = samples.n
    fixed = normalise(inventory, overrides)
    values = {**fixed, **samples.parameters}
    systems = build_systems(inventory, chosen, values)
    # node ids and system ids, from the same systems at central values
    calculator = Calculator(inventory, bd, methods[0], fixed, build_systems(inventory, chosen, fixed))
    ids = calculator.ids
    technosphere: dict = defaultdict(list)
    biosphere: dict = defaultdict(list)
    production = {}
    cache: dict = {}
    one = _constant(1.0, n)
    for activity in inventory.activities():
        consumer = ids[activity.key]
        production[consumer] = one
        for index, exchange in enumerate(activity.exchanges):
            if exchange.is_formula:
                amount = _constant(inventory.evaluate(activity, exchange, values, cache), n)
            else:
                amount = samples.exchanges.get((activity.key, index))
                amount = _constant(exchange.amount, n) if amount is None else amount
            target = technosphere if exchange.kind == "technosphere" else biosphere
            target[(ids[exchange.input], consumer)].append(amount)
    for model in systems:
        node = calculator.system_ids[model.name]
        production[node] = one
        for link in model.links:
            technosphere[(ids[link.provider], node)].append(_constant(link.amount, n))
    factors = {}
    for alias in methods:
        method = resolve(inventory, alias)
        factors[alias] = {}
        for flow_id, amount in project_factors(bd, method).items():
            flow = calculator.keys[flow_id]
            sampled = samples.factors.get((method.alias, flow))
            central = fixed.get(factor_name(method.alias, flow), amount)
            factors[alias][flow_id] = _constant(central, n) if sampled is None else sampled
    return SampledModel(n, [m.name for m in systems], calculator.system_ids, _summed(technosphere, n), production,
                        _summed(biosphere, n), factors, {activity.key: ids[activity.key] for activity in inventory.activities()})


def unit_scores(model: SampledModel, providers, methods) -> dict[tuple, np.ndarray]:
    """Score of one unit of each of ``providers`` (activity keys) for every sample [kg CO2e per provider unit]:
    (provider, method) -> (n,) array, from the sampled matrices of ``model`` (the systems' own links unused).

    A system's score is then linear in its link amounts (sum of amount x unit score), which is how
    :mod:`lca.analysis.outlook` re-scores the systems of many years without new matrices.
    """
    import dataclasses

    names = [f"{key[0]}:{key[1]}" for key in providers]
    demand = dataclasses.replace(model, systems=names,
                                 system_ids={name: model.node_ids[key] for name, key in zip(names, providers)})
    scores = batched_scores(demand, methods)
    return {(key, method): scores[(name, method)] for name, key in zip(names, providers) for method in methods}


def _topological_order(model: SampledModel) -> list[int] | None:
    """Activities ordered consumers-first, or None when the technosphere has a loop."""
    consumers_of = defaultdict(set)
    for provider, consumer in model.technosphere:
        if provider != consumer:
            consumers_of[provider].add(consumer)
    waiting = {node: len(consumers_of[node]) for node in model.production}
    providers_of = defaultdict(set)
    for provider, consumer in model.technosphere:
        if provider != consumer:
            providers_of[consumer].add(provider)
    ready = sorted(node for node, count in waiting.items() if count == 0)
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for provider in providers_of[node]:
            waiting[provider] -= 1
            if waiting[provider] == 0:
                ready.append(provider)
    return order if len(order) == len(model.production) else None


def batched_scores(model: SampledModel, methods, chunk: int = 2048) -> dict[tuple[str, str], np.ndarray]:
    """Score of one functional unit of each system for every sample [kg CO2e], all samples at once.

    An adjoint sweep (providers before consumers) computes each activity's cumulative score per unit of its
    product, for every method and sample: its own emissions times the factors plus its inputs times their
    providers' cumulative scores, over its production (less what it uses of itself). A system's score is then
    that of its own node. The work per activity is one (methods, samples) array, whatever the number of systems:
    systems that differ only in their grid share every upstream result. Samples are processed ``chunk`` at a
    time to bound memory.
    """
    order = _topological_order(model)
    if order is None:
        return _looped_scores(model, methods)
    out = {(name, alias): np.zeros(model.n) for name in model.systems for alias in methods}
    for start in range(0, model.n, chunk):
        part = slice(start, min(start + chunk, model.n))
        for key, values in _sweep(model, order, methods, part).items():
            out[key][part] = values
    return out


def _sweep(model: SampledModel, order: list[int], methods, part: slice) -> dict:
    width = part.stop - part.start
    inputs_of = defaultdict(list)                       # consumer -> [(provider, amounts)]
    for (provider, consumer), amounts in model.technosphere.items():
        inputs_of[consumer].append((provider, amounts[part]))
    factors = [model.factors[alias] for alias in methods]
    emissions_of = defaultdict(list)                    # activity -> [(factor per method or None, amounts)]
    for (flow, activity), amounts in model.biosphere.items():
        per_method = [f[flow][part] if flow in f else None for f in factors]
        if any(f is not None for f in per_method):
            emissions_of[activity].append((per_method, amounts[part]))
    unit_score = {}                                     # activity -> (methods, samples) [kg CO2e per unit]
    for node in reversed(order):                         # providers before consumers
        total = np.zeros((len(methods), width))
        for per_method, amounts in emissions_of[node]:
            for index, factor in enumerate(per_method):
                if factor is not None:
                    total[index] += factor * amounts
        self_use = 0.0
        for provider, amounts in inputs_of[node]:
            if provider == node:
                self_use = amounts
                continue
            total += amounts * unit_score[provider]
        unit_score[node] = total / (model.production[node][part] - self_use)
    return {(name, alias): unit_score[model.system_ids[name]][index]
            for name in model.systems for index, alias in enumerate(methods)}


def _matrices(model: SampledModel, sample: int):
    import scipy.sparse as sp

    nodes = sorted(model.production)
    position = {node: i for i, node in enumerate(nodes)}
    rows, cols, data = [], [], []
    for node, amounts in model.production.items():
        rows.append(position[node])
        cols.append(position[node])
        data.append(amounts[sample])
    for (provider, consumer), amounts in model.technosphere.items():
        rows.append(position[provider])
        cols.append(position[consumer])
        data.append(-amounts[sample])
    matrix = sp.csc_matrix((data, (rows, cols)), shape=(len(nodes), len(nodes)))
    return matrix, position


def _looped_scores(model: SampledModel, methods):
    """Fallback for technospheres with loops: one sparse solve per sample (all systems together)."""
    from scipy.sparse.linalg import splu

    out = {(name, alias): np.zeros(model.n) for name in model.systems for alias in methods}
    for sample in range(model.n):
        matrix, position = _matrices(model, sample)
        demand = np.zeros((len(position), len(model.systems)))
        for index, name in enumerate(model.systems):
            demand[position[model.system_ids[name]], index] = 1.0
        supply = splu(matrix).solve(demand)
        for alias in methods:
            for (flow, activity), amounts in model.biosphere.items():
                factor = model.factors[alias].get(flow)
                if factor is not None:
                    contribution = factor[sample] * amounts[sample] * supply[position[activity]]
                    for index, name in enumerate(model.systems):
                        out[(name, alias)][sample] += contribution[index]
    return out


def bw2calc_scores(model: SampledModel, methods, progress: bool = False) -> dict[tuple[str, str], np.ndarray]:
    """The same scores from bw2calc, sample by sample, with the samples as array datapackages."""
    import bw2calc as bc
    import bw_processing as bwp
    from tqdm import tqdm

    out = {(name, alias): np.zeros(model.n) for name in model.systems for alias in methods}
    tech_data = np.vstack([model.production[k] for k in model.production]
                          + [model.technosphere[k] for k in model.technosphere])
    tech_indices = np.array([(k, k) for k in model.production] + list(model.technosphere), dtype=bwp.INDICES_DTYPE)
    tech_flip = np.array([False] * len(model.production) + [True] * len(model.technosphere))
    bio_keys = list(model.biosphere)
    for alias in methods:
        package = bwp.create_datapackage(sequential=True)
        package.add_persistent_array(matrix="technosphere_matrix", name="technosphere", indices_array=tech_indices,
                                     data_array=tech_data, flip_array=tech_flip)
        package.add_persistent_array(matrix="biosphere_matrix", name="biosphere",
                                     indices_array=np.array(bio_keys, dtype=bwp.INDICES_DTYPE),
                                     data_array=np.vstack([model.biosphere[k] for k in bio_keys]))
        flows = sorted({flow for flow, _ in bio_keys} & set(model.factors[alias]))
        package.add_persistent_array(matrix="characterization_matrix", name="characterization",
                                     indices_array=np.array([(f, f) for f in flows], dtype=bwp.INDICES_DTYPE),
                                     data_array=np.vstack([model.factors[alias][f] for f in flows]))
        first = model.system_ids[model.systems[0]]
        lca = bc.LCA({first: 1.0}, data_objs=[package], use_arrays=True)
        lca.lci()
        lca.lcia()
        steps = tqdm(range(model.n), desc=f"bw2calc {alias}", disable=not progress, unit="sample")
        for sample in steps:
            if sample:
                next(lca)
            for name in model.systems:
                lca.build_demand_array({model.system_ids[name]: 1.0})
                lca.lci_calculation()
                lca.lcia_calculation()
                out[(name, alias)][sample] = lca.score
    return out
