"""Sampling every uncertain input of a comparison: parameters, exchanges, characterisation factors.

Each named input draws its samples from its own random stream, seeded by the
run's seed and a stable hash of the input's name. So the same seed gives the
same numbers (serial or on Dask), and an input that several systems or
configurations share takes the same values in all of them (correlated
sampling). Values come from the inverse CDF of the data's distribution
(:func:`lca.core.distributions.ppf`), so a Sobol design can reuse the same path.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from lca.brightway.methods import resolve
from lca.core import distributions
from lca.core.parameters import Parameter
from lca.inventory import Inventory, derivations
from lca.inventory.overrides import factor_name, is_factor, qualified_parameters
from lca.models.cost import is_economic


@dataclass
class Samples:
    """Samples of every uncertain input, ``n`` values each."""

    n: int
    seed: int | None
    parameters: dict[str, np.ndarray] = field(default_factory=dict)     # qualified name -> [parameter unit]
    exchanges: dict[tuple, np.ndarray] = field(default_factory=dict)    # (activity key, index) -> [provider unit]
    factors: dict[tuple, np.ndarray] = field(default_factory=dict)      # (method alias, flow key) -> [kg CO2e/unit]


def exchange_name(key: tuple[str, str], index: int) -> str:
    """Stable name of a literal exchange: ``database:code#index`` (1-based, as in validation messages)."""
    return f"{key[0]}:{key[1]}#{index + 1}"


def uncertain_parameters(inventory: Inventory, orbit: str | None, economic: bool = False) -> dict[str, Parameter]:
    """Every numeric parameter with a distribution, the chosen orbit option's values replacing the defaults
    (characterisation factors are sampled as factors: :func:`uncertain_factors`).

    The carbon calculation's inputs by default; with ``economic``, only the prices and learning rates that
    cost and outlook read (``cost.*``, ``outlook.*``: :func:`lca.models.cost.is_economic`), which the carbon
    Monte Carlo, Sobol and tornado leave out.
    """
    known = qualified_parameters(inventory)
    if orbit:
        known |= inventory.options["orbit"][orbit].parameters
    return {name: p for name, p in known.items() if p.uncertainty["distribution"] != "none" and not is_factor(name)
            and is_economic(name) == economic}


def uncertain_exchanges(inventory: Inventory) -> dict[str, tuple]:
    """Name -> (activity, index, exchange) of every literal exchange with a distribution."""
    out = {}
    for activity in inventory.activities():
        for index, exchange in enumerate(activity.exchanges):
            if not exchange.is_formula and exchange.uncertainty and exchange.uncertainty["distribution"] != "none":
                out[exchange_name(activity.key, index)] = (activity, index, exchange)
    return out


def uncertain_factors(inventory: Inventory, methods) -> dict[str, tuple]:
    """Name -> (alias, factor) of every characterisation factor with a distribution."""
    out = {}
    for alias in methods:
        method = resolve(inventory, alias)
        for factor in method.factors:
            if factor.uncertainty["distribution"] != "none":
                out[factor_name(method.alias, factor.flow)] = (method.alias, factor)
    return out


def random_u(seed: int, name: str, n: int) -> np.ndarray:
    """``n`` uniform numbers from the stream of input ``name`` under ``seed``."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())]).random(n)


def draw(inventory: Inventory, n: int, seed: int | None, orbit: str | None, methods, fixed: dict | None = None,
         u=None) -> Samples:
    """Samples of every uncertain input not fixed by an override.

    ``u(name, n)`` gives the probabilities to use for an input (default:
    :func:`random_u` with ``seed``); a Sobol design passes its own, and
    returns None for inputs that stay at their central values.
    """
    if u is None:
        if seed is None:
            raise ValueError("a seed is needed for random sampling")

        def u(name, count):
            return random_u(seed, name, count)
    fixed = fixed or {}
    samples = Samples(n, seed)
    for name, parameter in sorted(uncertain_parameters(inventory, orbit).items()):
        if name not in fixed and (probabilities := u(name, n)) is not None:
            samples.parameters[name] = distributions.ppf(parameter.uncertainty, parameter.value, probabilities)
    for name, (activity, index, exchange) in sorted(uncertain_exchanges(inventory).items()):
        if (probabilities := u(name, n)) is not None:
            samples.exchanges[(activity.key, index)] = distributions.ppf(exchange.uncertainty, exchange.amount,
                                                                         probabilities)
    for name, (alias, factor) in sorted(uncertain_factors(inventory, methods).items()):
        if name not in fixed and (probabilities := u(name, n)) is not None:
            samples.factors[(alias, factor.flow)] = distributions.ppf(factor.uncertainty, factor.amount, probabilities)
    samples.factors |= derived_factor_samples(inventory, methods, samples, fixed)
    return samples


def draw_economic(inventory: Inventory, n: int, seed: int, fixed: dict | None = None) -> dict[str, np.ndarray]:
    """Samples of the uncertain cost and outlook parameters not fixed by an override [parameter unit].

    Each comes from its own stream under ``seed`` (:func:`random_u`), exactly as if :func:`draw` had drawn it
    with the carbon inputs: sample i of a price pairs with sample i of every carbon input of the same seed.
    """
    fixed = fixed or {}
    return {name: distributions.ppf(parameter.uncertainty, parameter.value, random_u(seed, name, n))
            for name, parameter in sorted(uncertain_parameters(inventory, None, economic=True).items())
            if name not in fixed}


def derived_inputs(inventory: Inventory, methods) -> set[str]:
    """Names of the shared parameters that the derived factors of ``methods`` (aliases) depend on."""
    names = set()
    for alias in methods:
        method = resolve(inventory, alias)
        for factor in method.factors:
            if factor.derived is not None:
                names |= set(derivations.inputs(factor.derived, method.metric))
    return names


def derived_factor_samples(inventory: Inventory, methods, samples: Samples, fixed: dict) -> dict[tuple, np.ndarray]:
    """(alias, flow key) -> samples [kg CO2e per unit] of every derived factor of ``methods``, computed from the
    sampled inputs (``samples.parameters``; fixed or unsampled inputs at their override or central value).

    The factor's uncertainty is propagated from its inputs: the same input draw serves every band and every
    method that uses it (the black-carbon efficacy moves the stratospheric, mesospheric and re-entry factors of
    GWP100+HA, HA-nonCO2, GWP20+HA and GTP100+HA together). A factor overridden by name (``cf:...``) is not
    sampled."""
    out = {}
    for alias in methods:
        method = resolve(inventory, alias)
        for factor in method.factors:
            if factor.derived is None or factor_name(method.alias, factor.flow) in fixed:
                continue
            names = derivations.inputs(factor.derived, method.metric)
            values = {name: fixed[name] for name in names if name in fixed}
            values |= {name: samples.parameters[name] for name in names if name in samples.parameters}
            result = derivations.evaluate(inventory.parameters, factor.derived, method.metric, values)
            out[(method.alias, factor.flow)] = np.broadcast_to(np.asarray(result, dtype=float), (samples.n,)).copy()
    return out
