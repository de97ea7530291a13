"""Global sensitivity of orbit against ground: Sobol first-order and total indices with bootstrap intervals (SALib).

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
from lca.errors import CalculationError
from lca.inventory import Inventory
from lca.inventory.overrides import normalise

#: Samples evaluated at once by the batched engine (each chunk assembles the model once).
CHUNK = 65536


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
    unused = sampling.derived_inputs(inventory, inventory.methods) - sampling.derived_inputs(inventory, methods)
    for name in parameters:
        if name in inventory.parameters and name not in unused:   # climate inputs only for the methods using them
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


#: Targets: the log of the ratio orbit / terrestrial (default: variance spread over orders of magnitude, so the
#: estimators converge) or the gap orbit - terrestrial [g CO2e per PFLOP-day] (dominated by the heavy upper tail
#: of the orbital result: its indices need far larger samples); ``auto`` takes the log ratio where every sampled
#: score is positive and the gap otherwise (a method whose factors can be negative, such as GWP100+HA with the
#: net-cooling low end of soot), and says so.
TARGETS = ("auto", "log_ratio", "gap")
#: Default base sample size N (a power of 2; N x (groups + 2) evaluations). Measured on the default
#: configuration against the US grid, log-ratio target: every index with ST > 0.05 has 95 % intervals of S1 and
#: ST narrower than WIDEST_INTERVAL (see the README's Sobol section).
DEFAULT_BASE = 4096
#: Bootstrap resamples of SALib's confidence intervals.
RESAMPLES = 200
#: Confidence level of the reported intervals.
CONFIDENCE = 0.95
#: Widest 95 % interval (upper - lower) of a reported index before a warning [-].
WIDEST_INTERVAL = 0.1
#: Indices reported as drivers: total index above this [-] (and the five largest in any case).
MATERIAL_ST = 0.05
TOP_REPORTED = 5


def sobol_indices(inventory: Inventory, bd, chosen: Choices, overrides: dict | None, grid: str,
                  n: int = DEFAULT_BASE, seed: int = 1, method: str = "GWP100", progress=None,
                  target: str = "auto") -> pd.DataFrame:
    """Sobol S1 and ST, with bootstrap 95 % intervals, of orbit against terrestrial(grid), one row per input group.

    ``target`` is ``log_ratio`` (ln(orbit / terrestrial) [-]), ``gap`` (orbit - terrestrial [g CO2e per
    PFLOP-day]) or ``auto`` (the log ratio where every sampled score is positive, else the gap;
    ``frame.attrs['target_note']`` says why when it is the gap). Columns: input, S1, S1_conf, ST, ST_conf
    (half-widths of the 95 % intervals), S1_low/S1_high,
    ST_low/ST_high, reported (a driver: ST > :data:`MATERIAL_ST` or among the :data:`TOP_REPORTED` largest),
    words (the indices in a sentence), target, n_base; ``frame.attrs['warning']`` says which reported index has
    an interval wider than :data:`WIDEST_INTERVAL` ('' when none).
    """
    from SALib.analyze import sobol as analyse

    if target not in TARGETS:
        raise ValueError(f"unknown Sobol target '{target}'; use one of {', '.join(TARGETS)}")
    fixed = normalise(inventory, overrides)
    inputs = candidate_inputs(inventory, chosen, [method], fixed)
    names = sorted(inputs)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names),
               "groups": [inputs[name] for name in names]}
    group_count = len(set(problem["groups"]))
    require_memory(8.0 * (3 * CHUNK * (len(names) + 4) + 2 * n * (group_count + 2) + 2 * n * len(names)),
                   f"a Sobol design of base size {n:,}", "use a smaller --sobol (a power of 2 such as 256 or 1024)")
    column = {name: i for i, name in enumerate(names)}
    orbit_name, ground_name = None, f"terrestrial, {grid}"
    outputs, done, total = [], 0, n * (group_count + 2)
    for rows in saltelli_blocks(problem, n, seed, CHUNK):
        if progress:
            progress(f"Sobol: samples {done + 1}-{done + len(rows)} of {total}")
        done += len(rows)
        rows = np.clip(rows, 1e-9, 1 - 1e-9)

        def u(name, count, rows=rows):
            return rows[:, column[name]] if name in column else None     # None: stays at its central value

        samples = sampling.draw(inventory, len(rows), None, chosen.orbit, [method], fixed, u=u)
        model = engine.assemble(inventory, bd, chosen, overrides, samples, [method])
        scores = engine.batched_scores(model, [method])
        orbit_name = model.systems[0]
        orbit, ground = scores[(orbit_name, method)], scores[(ground_name, method)]
        outputs.append((orbit, ground))
    orbit, ground = (np.concatenate([pair[i] for pair in outputs]) for i in (0, 1))
    positive = bool(np.all(orbit > 0) and np.all(ground > 0))
    note = ""
    if target == "auto":
        target = "log_ratio" if positive else "gap"
        if not positive:
            note = (f"target orbit - terrestrial: {int(np.sum(orbit <= 0) + np.sum(ground <= 0)):,} sampled {method} "
                    "scores are zero or negative, so ln(orbit / terrestrial) is undefined")
    if target == "log_ratio" and not positive:
        raise CalculationError(f"Sobol target log_ratio needs positive {method} scores of {orbit_name} and "
                               f"{ground_name}; use target gap or auto (--sobol-target gap)")
    output = np.log(orbit / ground) if target == "log_ratio" else (orbit - ground) * GRAMS_PER_KG
    result = analyse.analyze(problem, output, calc_second_order=False, seed=seed, num_resamples=RESAMPLES,
                             conf_level=CONFIDENCE)
    frame = pd.DataFrame({"input": _group_names(problem), "S1": result["S1"], "S1_conf": result["S1_conf"],
                          "ST": result["ST"], "ST_conf": result["ST_conf"]})
    frame = frame.sort_values("ST", ascending=False, ignore_index=True)
    for index in ("S1", "ST"):
        frame[f"{index}_low"] = frame[index] - frame[f"{index}_conf"]
        frame[f"{index}_high"] = frame[index] + frame[f"{index}_conf"]
    frame["reported"] = (frame["ST"] > MATERIAL_ST) | (frame.index < TOP_REPORTED)
    frame["words"] = [in_words(r) for r in frame.itertuples()]
    unit = "-" if target == "log_ratio" else "gCO2e/PFLOP_day"
    what = "ln(orbit / terrestrial)" if target == "log_ratio" else "orbit - terrestrial"
    frame["target"] = f"{what}: {orbit_name} vs {ground_name} [{method}, {unit}]"
    frame["n_base"] = n
    frame.attrs["warning"] = interval_warning(frame)
    frame.attrs["target_note"] = note
    return frame


def saltelli_blocks(problem: dict, n: int, seed: int | None, rows: int):
    """Saltelli's design without second order (the rows of ``SALib.sample.sobol.sample``, same order and values)
    in blocks of about ``rows`` rows: for each base sample, A, then A with each group's columns from B, then B.

    Built with numpy per block, so the design never sits in memory whole (SALib's loop over rows is slow for
    hundreds of inputs).
    """
    from scipy.stats import qmc

    width = problem["num_vars"]
    names = list(dict.fromkeys(problem["groups"]))
    group_of = np.array([names.index(g) for g in problem["groups"]])
    mask = group_of[None, :] == np.arange(len(names))[:, None]              # (groups, inputs)
    base = qmc.Sobol(d=2 * width, scramble=True, seed=seed).random(n)
    per = len(names) + 2
    step = max(1, rows // per)
    for start in range(0, n, step):
        a, b = base[start:start + step, :width], base[start:start + step, width:]
        block = np.empty((len(a), per, width))
        block[:, 0] = a
        block[:, 1:-1] = np.where(mask[None], b[:, None, :], a[:, None, :])
        block[:, -1] = b
        yield block.reshape(-1, width)


def in_words(row) -> str:
    """One index pair in words: the share of the target's variance an input explains alone and with its
    interactions, each with its 95 % interval."""
    return (f"{row.input} alone explains {row.S1:.0%} of the variance (95 % interval {row.S1_low:.0%} to "
            f"{row.S1_high:.0%}); with its interactions {row.ST:.0%} ({row.ST_low:.0%} to {row.ST_high:.0%})")


def interval_warning(frame: pd.DataFrame) -> str:
    """A warning naming the reported indices whose 95 % interval is wider than :data:`WIDEST_INTERVAL`."""
    reported = frame[frame["reported"]]
    wide = [f"{r.input} (S1 {2 * r.S1_conf:.2f}, ST {2 * r.ST_conf:.2f})" for r in reported.itertuples()
            if max(2 * r.S1_conf, 2 * r.ST_conf) > WIDEST_INTERVAL]
    if not wide:
        return ""
    return (f"warning: the 95 % interval of {len(wide)} reported Sobol index(es) is wider than {WIDEST_INTERVAL}: "
            f"{'; '.join(wide)}; use a larger base sample (--sobol {2 * int(frame['n_base'].iloc[0])} or more)")


def _group_names(problem: dict) -> list[str]:
    """Group names in SALib's order (first appearance)."""
    seen = []
    for group in problem["groups"]:
        if group not in seen:
            seen.append(group)
    return seen

