"""Global sensitivity of the orbit - ground gap: Sobol first-order and total indices (SALib).

Inputs are the uncertain parameters that reach the chosen systems (shared
system parameters, and database parameters and properties used by formulas
of activities the systems draw on), the uncertain characterisation factors,
and the remaining uncertain inventory exchanges grouped per database. The
Saltelli design gives a probability for each input; values come from the
same inverse CDFs as Monte Carlo, and the batched engine evaluates them.

References
----------
.. [1] Saltelli, A. et al. (2010). Variance based sensitivity analysis of model
   output. Computer Physics Communications 181(2), 259-270.
   doi:10.1016/j.cpc.2009.09.018.
.. [2] Herman, J.; Usher, W. (2017). SALib: An open-source Python library for
   sensitivity analysis. JOSS 2(9), 97. doi:10.21105/joss.00097.
"""
from __future__ import annotations

from collections import deque

import numpy as np
import pandas as pd

from lca.analysis import engine, sampling
from lca.analysis.compare import Choices, build_systems
from lca.core.parameters import formula_name, names_in
from lca.core.resources import require_memory
from lca.core.units import GRAMS_PER_KG
from lca.inventory import Inventory
from lca.inventory.overrides import normalise

#: Samples evaluated at once by the batched engine.
CHUNK = 4096


def reachable_activities(inventory: Inventory, providers) -> set[tuple[str, str]]:
    """Keys of every activity the given providers draw on, directly or further up the supply chain."""
    seen, queue = set(), deque(providers)
    while queue:
        key = queue.popleft()
        if key in seen or key[0] not in inventory.databases or key[1] not in inventory.databases[key[0]].activities:
            continue
        seen.add(key)
        queue.extend(e.input for e in inventory.activity(":".join(key)).exchanges if e.kind == "technosphere")
    return seen


def candidate_inputs(inventory: Inventory, chosen: Choices, methods, fixed: dict) -> dict[str, str]:
    """Input name -> Sobol group (the parameter's own name, a factor, or 'exchanges, <database>')."""
    systems = build_systems(inventory, chosen, fixed)
    reachable = reachable_activities(inventory, {link.provider for m in systems for link in m.links})
    parameters = sampling.uncertain_parameters(inventory, chosen.orbit)
    groups = {}
    shared = {formula_name(name): name for name in inventory.parameters}
    for name in parameters:
        if name in inventory.parameters:
            groups[name] = name
    for key in reachable:
        activity = inventory.activity(":".join(key))
        for exchange in activity.exchanges:
            for used in names_in(exchange.formula) if exchange.is_formula else ():
                for qualified in (shared.get(used), f"{key[0]}.{used}", f"{key[0]}:{key[1]}.{used}"):
                    if qualified in parameters:
                        groups[qualified] = qualified
    for name, (activity, _, _) in sampling.uncertain_exchanges(inventory).items():
        if activity.key in reachable:
            groups[name] = f"exchanges, {activity.database}"
    for name in sampling.uncertain_factors(inventory, methods):
        groups[name] = name
    return {name: group for name, group in groups.items() if name not in fixed}


def sobol_indices(inventory: Inventory, bd, chosen: Choices, overrides: dict | None, grid: str, n: int = 128,
                  seed: int = 1, method: str = "GWP100", progress=None) -> pd.DataFrame:
    """Sobol S1 and ST of the gap orbit - terrestrial(grid) [g CO2e per PFLOP-day], one row per input group."""
    from SALib.analyze import sobol as analyse
    from SALib.sample import sobol as sample

    fixed = normalise(inventory, overrides)
    inputs = candidate_inputs(inventory, chosen, [method], fixed)
    names = sorted(inputs)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
               "groups": [inputs[name] for name in names]}
    require_memory(8.0 * 3 * n * (len(names) + 2) * (len(names) + 4), f"a Sobol design of base size {n:,}",
                   "use a smaller --sobol (a power of 2 such as 128 or 1024)")
    design = sample.sample(problem, n, calc_second_order=False, seed=seed)
    design = np.clip(design, 1e-9, 1 - 1e-9)
    column = {name: i for i, name in enumerate(names)}
    orbit_name, ground_name = None, f"terrestrial, {grid}"
    gaps = []
    for start in range(0, len(design), CHUNK):
        rows = design[start:start + CHUNK]
        if progress:
            progress(f"Sobol: samples {start + 1}-{start + len(rows)} of {len(design)}")

        def u(name, count, rows=rows):
            return rows[:, column[name]] if name in column else None     # None: stays at its central value

        samples = sampling.draw(inventory, len(rows), None, chosen.orbit, [method], fixed, u=u)
        model = engine.assemble(inventory, bd, chosen, overrides, samples, [method])
        scores = engine.batched_scores(model, [method])
        orbit_name = model.systems[0]
        gaps.append((scores[(orbit_name, method)] - scores[(ground_name, method)]) * GRAMS_PER_KG)
    output = np.concatenate(gaps)
    result = analyse.analyze(problem, output, calc_second_order=False, seed=seed)
    frame = pd.DataFrame({"input": _group_names(problem), "S1": result["S1"], "S1_conf": result["S1_conf"],
                          "ST": result["ST"], "ST_conf": result["ST_conf"]})
    frame["target"] = f"{orbit_name} - {ground_name} [{method}, gCO2e/PFLOP_day]"
    frame["n_base"] = n
    return frame.sort_values("ST", ascending=False, ignore_index=True)


def _group_names(problem: dict) -> list[str]:
    """Group names in SALib's order (first appearance)."""
    seen = []
    for group in problem["groups"]:
        if group not in seen:
            seen.append(group)
    return seen

