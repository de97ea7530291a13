"""Sweeps across grids x accelerators x launchers x orbits x years (and samples), serial or on Dask.

Deterministic configurations that differ only in the grid are one task (one comparison with all their
grids); a seeded Monte Carlo configuration is a task of its own. Workers open the same Brightway
directory read-only. With
no scheduler address a local Dask cluster is started; with ``--scheduler`` the
tasks go to that cluster. Seeds make the numbers identical serial or on Dask.
"""
from __future__ import annotations

import itertools
import os
from dataclasses import asdict, dataclass

import pandas as pd

from lca.analysis.compare import choices, compare
from lca.analysis.montecarlo import monte_carlo
from lca.brightway.workspace import Workspace
from lca.errors import InputError

#: Seconds to wait for a Dask scheduler to answer before giving up.
SCHEDULER_TIMEOUT = 5
#: Memory of one result row (system x method, or a Monte Carlo statistic), with pandas' overhead [bytes].
ROW_BYTES = 2048


class SchedulerError(InputError):
    """The Dask scheduler given with ``--scheduler`` cannot be reached."""


@dataclass(frozen=True)
class Configuration:
    accelerator: str
    launcher: str
    orbit: str
    grid: str
    year: int | None = None


def configurations(accelerators, launchers, orbits, grids, years=(None,)) -> list[Configuration]:
    """The cartesian product of the choices, in a stable order."""
    return [Configuration(*values) for values in itertools.product(accelerators, launchers, orbits, grids, years)]


def batches(configs: list[Configuration], mc: int = 0, size: int = 64) -> list[list[Configuration]]:
    """Configurations grouped into tasks, in their original order within each group.

    Deterministic configurations that differ only in the grid share one comparison (one factorisation, all
    grids as demands against it), up to ``size`` grids per task so a cluster still gets several tasks; a Monte
    Carlo configuration is a task of its own (its samples are seeded per configuration).
    """
    if mc:
        return [[configuration] for configuration in configs]
    groups: dict[tuple, list[Configuration]] = {}
    for configuration in configs:
        fixed = (configuration.accelerator, configuration.launcher, configuration.orbit, configuration.year)
        groups.setdefault(fixed, []).append(configuration)
    return [group[start:start + size] for group in groups.values() for start in range(0, len(group), size)]


def run_batch(batch: list[Configuration], workspace: Workspace, overrides: dict | None = None,
              mc: int = 0, seed: int = 1) -> list[dict]:
    """Rows of a batch of :func:`batches`, configuration by configuration: system x method totals, or Monte
    Carlo statistics [g CO2e / PFLOP-day]."""
    from lca.brightway import project

    inventory = workspace.inventory()
    bd = project.activate(workspace.brightway_dir)
    first = batch[0]
    grids = list(dict.fromkeys(configuration.grid for configuration in batch))
    chosen = choices(inventory, first.accelerator, None, grids, first.launcher, first.orbit, year=first.year)
    with workspace.reading():
        if mc:
            summary = monte_carlo(inventory, bd, chosen, overrides, mc, seed).summary()
            return [asdict(first) | row for row in summary.to_dict(orient="records")]
        result = compare(inventory, bd, chosen, overrides)
    totals = [{"system": r.system, "kind": r.kind, "grid": r.grid, "method": r.method, "value": r.value,
               "unit": r.unit} for r in result.table[result.table["stage"] == "total"].itertuples()]
    rows = []
    for configuration in batch:
        rows += [asdict(configuration) | {k: v for k, v in row.items() if k != "grid"} for row in totals
                 if row["kind"] != "terrestrial" or row["grid"] == configuration.grid]
    return rows


def sweep(configs: list[Configuration], workspace: Workspace, overrides: dict | None = None, mc: int = 0, seed: int = 1,
          scheduler: str | None = None,
          serial: bool = False, progress: bool = False, workers: int | None = None) -> pd.DataFrame:
    """Run every configuration; ``serial`` in this process, else on Dask (local cluster or ``scheduler``)."""
    from tqdm import tqdm

    from lca.core.resources import require_memory

    require_memory(ROW_BYTES * len(configs) * 16, f"a sweep of {len(configs):,} configurations",
                   "sweep fewer grids, accelerators, launchers, orbits or years at once")
    arguments = (workspace, overrides, mc, seed)
    tasks = batches(configs, mc)
    rows = []
    if serial:
        with tqdm(total=len(configs), desc="sweep", unit="configuration", disable=not progress) as bar:
            for batch in tasks:
                rows += run_batch(batch, *arguments)
                bar.update(len(batch))
        return pd.DataFrame(rows)
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers or min(2, os.cpu_count() or 1), threads_per_worker=1,
                               processes=True, dashboard_address=None)
    try:
        client = Client(scheduler or cluster, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(f"cannot reach the Dask scheduler at {scheduler or 'the local cluster'} within "
                             f"{SCHEDULER_TIMEOUT} s ({type(err).__name__}); check --scheduler, or run "
                             "without it (a local cluster) or with --serial") from None
    try:
        futures = client.map(run_batch, tasks, *[[a] * len(tasks) for a in arguments], pure=False)
        order = {future.key: index for index, future in enumerate(futures)}
        results = [None] * len(tasks)
        with tqdm(total=len(configs), desc="sweep", unit="configuration", disable=not progress) as bar:
            for future in as_completed(futures):
                index = order[future.key]
                results[index] = future.result()
                bar.update(len(tasks[index]))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for chunk in results:
        rows += chunk
    return pd.DataFrame(rows)

