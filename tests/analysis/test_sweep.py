"""Sweeps batch the configurations that differ only in grid into one comparison, with the numbers of one
comparison per configuration."""
from __future__ import annotations

import pytest

from lca.analysis.sweep import batches, configurations


def test_batches_group_grids_keep_order_and_split_large_groups():
    configs = configurations(["H100"], ["starship-v3", "falcon9"], ["sso"], ["US", "FR", "CN"], [2024, 2030])
    tasks = batches(configs, size=2)
    flat = [c for batch in tasks for c in batch]
    assert len(flat) == len(configs) and set(flat) == set(configs)     # every one, once
    for batch in tasks:
        assert len(batch) <= 2
        assert len({(c.accelerator, c.launcher, c.orbit, c.year) for c in batch}) == 1
    assert len(tasks) == 2 * 2 * 2                           # 4 groups of 3 grids, each split 2 + 1
    assert batches(configs, mc=100) == [[c] for c in configs]


def test_a_batched_sweep_equals_one_comparison_per_configuration(bw_project):
    grids = ["US", "FR", "CN"]
    frame = bw_project.sweep(grids=grids, launchers=["falcon9"], serial=True)
    assert len(frame) == len(grids) * 2 * 2                  # grids x (orbit, ground) x methods
    for grid in grids:
        alone = bw_project.compare(grids=[grid], launcher="falcon9").table
        alone = alone[alone.stage == "total"].set_index(["system", "method"])["value"]
        rows = frame[frame.grid == grid].set_index(["system", "method"])["value"]
        assert set(rows.index) == set(alone.index)
        for key, value in rows.items():
            assert value == pytest.approx(alone[key], rel=1e-9), (grid, key)
