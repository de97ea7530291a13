"""Monte Carlo over every uncertain exchange, characterisation factor and system parameter."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lca.analysis import engine, sampling
from lca.analysis.compare import COMPARE_METHODS, Choices
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


def monte_carlo(inventory: Inventory, bd, chosen: Choices, overrides: dict | None, n: int, seed: int,
                methods=COMPARE_METHODS, engine_name: str = "batched", progress: bool = False) -> MonteCarlo:
    """Sample every uncertain input ``n`` times (seeded) and solve both systems for each sample.

    ``engine_name`` is ``batched`` (numpy, all samples at once) or ``bw2calc``
    (the reference: bw2calc iterating over the same samples as arrays).
    """
    if n < 2:
        raise ValueError(f"Monte Carlo needs at least 2 samples, got {n}")
    fixed = normalise(inventory, overrides)
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
