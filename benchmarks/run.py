"""Benchmarks of issue 17, each against a baseline measured in the same run, with its target.

One command (from the repository root):

    python benchmarks/run.py            # about 2-4 minutes on 2 cores
    python benchmarks/run.py --quick    # fewer samples and configurations (a smoke run)

Figures (whole-process wall times; each repeated and the median kept):

1. the import floor: ``python -c "import bw2calc, bw2data, pint, pandas, numpy, scipy"`` (the baseline);
2. deterministic ``lca compare --json --mc 0`` over every grid: target at most 1.5 x the floor;
3. ``lca compare --mc 10000`` over every grid: target at most 3 x the floor and peak memory under 1 GB;
4. the batched engine (stage attribution included) against the bw2calc loop on the same samples
   (``benchmarks/montecarlo.py``): target at least 1,000 x, agreement 1e-9;
5. a sweep of about 1,000 configurations (every grid x 7 years): target under 60 s serial, and at least 1.7 x
   faster on a two-worker local ``distributed`` cluster than on one worker.

The Brightway directory is a temporary one, set up (and its inventory cache filled) before timing starts, so
the figures are those of an analyst's second and later commands.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "import bw2calc, bw2data, pint, pandas, numpy, scipy"
YEARS = [str(year) for year in range(2025, 2032)]


def timed(command: list[str], env: dict, repeat: int = 1) -> tuple[float, float]:
    """Median wall time [s] of ``command`` over ``repeat`` runs, and the largest peak RSS [MB] of a run."""
    times, peaks = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        peaks.append(max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    return statistics.median(times), max(peaks)


def line(name: str, value: str, ratio: str, target: str, met: bool | None) -> None:
    verdict = "" if met is None else ("met" if met else "MISSED")
    print(f"{name:<48} {value:>14} {ratio:>10}   target {target:<22} {verdict}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples and configurations")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timed command (median kept)")
    args = parser.parse_args(argv)
    python = sys.executable
    lca = [python, "-m", "lca.cli", "--quiet"]
    directory = tempfile.mkdtemp(prefix="lca-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LCA_", "BRIGHTWAY"))}
    env["LCA_BRIGHTWAY_DIR"] = directory
    subprocess.run([*lca, "setup"], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    listed = subprocess.run([*lca, "--json", "list", "grids"], env=env, check=True, capture_output=True, text=True)
    grids = [row["code"] for row in json.loads(listed.stdout)]
    mc = 1000 if args.quick else 10_000
    years = YEARS[:2] if args.quick else YEARS

    timed([python, "-c", FLOOR], env, 1)          # warm the file cache: a cold first import is not the floor
    floor, _ = timed([python, "-c", FLOOR], env, args.repeat)
    line("import floor (baseline)", f"{floor:.2f} s", "1.00", "", None)

    wall, _ = timed([*lca, "compare", "--json", "--mc", "0", "--grid", *grids], env, args.repeat)
    line(f"compare --json, {len(grids)} grids", f"{wall:.2f} s", f"{wall / floor:.2f}", "<= 1.5 x floor",
         wall / floor <= 1.5)

    wall, peak = timed([*lca, "compare", "--json", "--mc", str(mc), "--grid", *grids], env, 1)
    line(f"compare --mc {mc}, {len(grids)} grids", f"{wall:.2f} s", f"{wall / floor:.2f}", "<= 3 x floor",
         wall / floor <= 3)
    line("  peak memory", f"{peak:.0f} MB", "", "< 1024 MB", peak < 1024)

    engine = subprocess.run([python, str(ROOT / "benchmarks" / "montecarlo.py"), "--samples",
                             "200" if args.quick else "1000"], env=env, check=True, capture_output=True, text=True)
    print("engine vs bw2calc loop (benchmarks/montecarlo.py):")
    for text in engine.stdout.strip().splitlines():
        print(f"  {text}")

    sweep = [*lca, "sweep", "--grid", *grids, "--year", *years, "--json"]
    configurations = len(grids) * len(years)
    serial, _ = timed([*sweep, "--serial"], env, 1)
    line(f"sweep, {configurations} configurations, serial", f"{serial:.2f} s", "", "< 60 s", serial < 60)
    one, _ = timed([*sweep, "--workers", "1"], env, 1)
    two, _ = timed([*sweep, "--workers", "2"], env, 1)
    line("  local cluster, 1 worker", f"{one:.2f} s", "1.00", "", None)
    line("  local cluster, 2 workers", f"{two:.2f} s", f"{one / two:.2f}", ">= 1.7 x one worker", one / two >= 1.7)
    return 0


if __name__ == "__main__":
    sys.exit(main())
