"""Benchmark: batched Monte Carlo engine vs the bw2calc loop, on the same samples.

One command (from the repository root):

    python benchmarks/montecarlo.py                 # 10,000 samples, default comparison, GWP100

It draws the samples once, assembles the sampled matrices once, then times
``batched_scores`` (numpy, all samples at once) and ``bw2calc_scores`` (bw2calc
iterating over the same samples as array datapackages), checks that they agree
to 1e-9 relative, and prints both timings and their ratio. The Brightway
directory is $LCA_BRIGHTWAY_DIR, or a temporary one.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

import numpy as np


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--method", action="append", help="method alias (default GWP100)")
    parser.add_argument("--grid", action="append", help="grid codes (default: the comparison's defaults)")
    args = parser.parse_args(argv)
    methods = args.method or ["GWP100"]
    directory = os.environ.get("LCA_BRIGHTWAY_DIR") or tempfile.mkdtemp(prefix="lca-bench-")

    from lca import api
    from lca.analysis import engine, sampling
    from lca.analysis.compare import choices
    from lca.brightway import project

    api.configure(brightway_dir=directory)
    inventory = api.inventory()
    bd = project.ready(directory)
    chosen = choices(inventory, grids=args.grid)
    start = time.perf_counter()
    samples = sampling.draw(inventory, args.samples, args.seed, chosen.orbit, methods)
    model = engine.assemble(inventory, bd, chosen, None, samples, methods)
    prepare = time.perf_counter() - start
    start = time.perf_counter()
    batched = engine.batched_scores(model, methods)
    t_batched = time.perf_counter() - start
    start = time.perf_counter()
    reference = engine.bw2calc_scores(model, methods, progress=sys.stderr.isatty())
    t_bw2calc = time.perf_counter() - start
    worst = max(float(np.max(np.abs(batched[k] - reference[k]) / np.maximum(np.abs(reference[k]), 1e-300)))
                for k in reference)
    print(f"samples: {args.samples}, systems: {len(model.systems)}, methods: {', '.join(methods)}, "
          f"cores: {os.cpu_count()}")
    print(f"sampling + assembling matrices (shared by both): {prepare:.2f} s")
    print(f"bw2calc loop:   {t_bw2calc:.2f} s")
    print(f"batched engine: {t_batched:.3f} s")
    print(f"ratio (bw2calc / batched): {t_bw2calc / t_batched:.0f}x")
    print(f"largest relative difference: {worst:.2e} ({'OK' if worst <= 1e-9 else 'ABOVE 1e-9'})")
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
