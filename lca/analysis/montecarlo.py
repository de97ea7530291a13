"""Monte Carlo over every uncertain exchange, characterisation factor and system parameter."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lca.analysis import engine, sampling
from lca.analysis.compare import COMPARE_METHODS, RESULT_UNIT, Choices, result_unit
from lca.core.resources import require_memory
from lca.core.units import GRAMS_PER_KG
from lca.inventory import Inventory
from lca.inventory.overrides import normalise

#: Default Monte Carlo sample size of ``lca compare``, ``lca report`` and :func:`lca.api.compare`. Measured on the
#: default configuration (grid US, seeds 1-3): the orbital GWP100 median varies by 0.1 % between seeds, the
#: GWP100+HA median by 3 % (less than the rounding its interval supports), P(orbit lower) by 0.01; the run adds
#: about 0.5 s to the deterministic comparison.
DEFAULT_SAMPLES = 10_000
#: Default seed: the same numbers on every machine unless the user asks for another.
DEFAULT_SEED = 1
#: Percentiles of the reported interval (5-95 %) [%].
INTERVAL = (5.0, 95.0)


@dataclass
class MonteCarlo:
    """Samples of each system's score [g CO2e per PFLOP-day] and their summary."""

    scores: dict[tuple[str, str], np.ndarray]      # (system, method) -> samples
    orbit: str
    n: int
    seed: int
    engine: str
    inputs: sampling.Samples | None = None          # the sampled inputs behind the scores
    units: dict[str, str] | None = None             # method -> result unit (default gCO2e/PFLOP_day)

    def summary(self) -> pd.DataFrame:
        """Mean, median, 5-95 % and 2.5-97.5 % intervals per system and method; P(orbit lower) against each
        terrestrial system (the share of samples in which orbit is lower)."""
        rows = []
        for (system, method), values in self.scores.items():
            orbit = self.scores[(self.orbit, method)]
            rows.append({"system": system, "method": method, "n": self.n, "seed": self.seed,
                         "mean": float(np.mean(values)), "median": float(np.median(values)),
                         "p5": float(np.percentile(values, INTERVAL[0])),
                         "p95": float(np.percentile(values, INTERVAL[1])),
                         "p2_5": float(np.percentile(values, 2.5)), "p97_5": float(np.percentile(values, 97.5)),
                         "p_orbit_lower": None if system == self.orbit else float(np.mean(orbit < values)),
                         "unit": (self.units or {}).get(method, RESULT_UNIT)})
        return pd.DataFrame(rows)


#: Copies of each sampled input the batched engine holds at once (samples, scaled amounts, matrix values, ...).
_COPIES_PER_INPUT = 4


def monte_carlo_bytes(inventory: Inventory, chosen: Choices, methods, n: int) -> float:
    """Estimated peak memory of :func:`monte_carlo` with ``n`` samples [bytes]: float64 arrays of ``n`` values
    per uncertain input, a few copies each, plus one per system and method."""
    inputs = (len(sampling.uncertain_parameters(inventory, chosen.orbit)) + len(sampling.uncertain_exchanges(inventory))
              + len(sampling.uncertain_factors(inventory, methods)))
    return 8.0 * n * (_COPIES_PER_INPUT * inputs + len(chosen.grids) * len(methods) + 2 * len(methods))


def monte_carlo(inventory: Inventory, bd, chosen: Choices, overrides: dict | None, n: int, seed: int,
                methods=COMPARE_METHODS, engine_name: str = "batched", progress: bool = False) -> MonteCarlo:
    """Sample every uncertain input ``n`` times (seeded) and solve both systems for each sample.

    ``engine_name`` is ``batched`` (numpy, all samples at once) or ``bw2calc``
    (the reference: bw2calc iterating over the same samples as arrays).
    """
    if n < 2:
        raise ValueError(f"Monte Carlo needs at least 2 samples, got {n}")
    fixed = normalise(inventory, overrides)
    require_memory(monte_carlo_bytes(inventory, chosen, methods, n), f"a Monte Carlo run of {n:,} samples",
                   "use fewer samples (--mc; 10,000 give percentiles to about 1%)")
    samples = sampling.draw(inventory, n, seed, chosen.orbit, methods, fixed)
    model = engine.assemble(inventory, bd, chosen, overrides, samples, methods)
    if engine_name == "batched":
        scores = engine.batched_scores(model, methods)
    elif engine_name == "bw2calc":
        scores = engine.bw2calc_scores(model, methods, progress)
    else:
        raise ValueError(f"unknown engine '{engine_name}'; use batched or bw2calc")
    grams = {key: values * GRAMS_PER_KG for key, values in scores.items()}
    return MonteCarlo(grams, model.systems[0], n, seed, engine_name, samples,
                      {method: result_unit(inventory, method) for method in methods})
