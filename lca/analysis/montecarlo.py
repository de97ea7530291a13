"""Monte Carlo over every uncertain exchange, characterisation factor and system parameter."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lca.analysis import engine, sampling
from lca.analysis.compare import COMPARE_METHODS, Choices
from lca.core.resources import require_memory
from lca.core.units import GRAMS_PER_KG
from lca.inventory import Inventory
from lca.inventory.overrides import normalise


@dataclass
class MonteCarlo:
    """Samples of each system's score [g CO2e per PFLOP-day] and their summary."""

    scores: dict[tuple[str, str], np.ndarray]      # (system, method) -> samples
    orbit: str
    n: int
    seed: int
    engine: str

    def summary(self) -> pd.DataFrame:
        """Mean, median, 95% interval per system and method; P(orbit lower) against each terrestrial system."""
        rows = []
        for (system, method), values in self.scores.items():
            orbit = self.scores[(self.orbit, method)]
            rows.append({"system": system, "method": method, "n": self.n, "seed": self.seed,
                         "mean": float(np.mean(values)), "median": float(np.median(values)),
                         "p2_5": float(np.percentile(values, 2.5)), "p97_5": float(np.percentile(values, 97.5)),
                         "p_orbit_lower": None if system == self.orbit else float(np.mean(orbit < values)),
                         "unit": "gCO2e/PFLOP_day"})
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
    return MonteCarlo(grams, model.systems[0], n, seed, engine_name)
