"""The ``lca`` command: parses arguments, calls :mod:`lca.api`, prints tables or JSON.

User errors (bad input, unknown names) end with one line ``error: ...`` on
stderr and exit code 2; failed calculations exit 3. Tracebacks are shown only
for bugs.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap

import pandas as pd

from lca import __version__
from lca.analysis.montecarlo import DEFAULT_SAMPLES, DEFAULT_SEED
from lca.analysis.sobol import DEFAULT_BASE as SOBOL_BASE
from lca.analysis.sobol import TARGETS as SOBOL_TARGETS
from lca.errors import CalculationError, InputError

EXIT_USER_ERROR = 2
EXIT_CALCULATION_ERROR = 3
DEFAULT_FOOTPRINT_METHODS = ("GWP100", "HA-nonCO2")
REPORT_PATH = "reports/lca-report.xlsx"


class UsageError(InputError):
    """A command-line value that parses but makes no sense (a negative workload, ...)."""


def _parse_set(values: list[str]) -> dict[str, str]:
    overrides = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise argparse.ArgumentTypeError(f"--set expects NAME=VALUE (like orbit.lifetime='7 year'), got '{item}'")
        overrides[name.strip()] = value.strip()
    return overrides


def _finite_float(text: str) -> float:
    """argparse type: a finite number (NaN and inf never reach a calculation or a report)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got '{text}'") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got '{text}'")
    return value


def _int_at_least(minimum: int):
    """argparse type: a whole number >= ``minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, got {value}")
        return value
    return parse


_non_negative_int = _int_at_least(0)     # seeds, --mc (0: deterministic)
_positive_int = _int_at_least(1)         # rows to show, samples, workers


def _output_path(suffix: str):
    """argparse type: a non-empty file path ending in ``suffix``."""
    def check(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"expected a {suffix} file path, got ''")
        if not text.lower().endswith(suffix):
            raise argparse.ArgumentTypeError(f"expected a file name ending in {suffix}, got '{text}'")
        return text
    check.__name__ = f"{suffix} path"
    return check


def _float_text(value: float) -> str:
    """A table number: four significant figures with thousands separators (31778.06 -> '31,780'), scientific
    notation only below 0.001 or from 1e15."""
    from lca.report.text import significant

    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 1e-3 <= abs(value) < 1e15:
        return significant(value, 4)
    return f"{value:.4g}"


def _print_table(frame: pd.DataFrame, columns: list[str] | None = None) -> None:
    if frame.empty:
        print("(none)")
        return
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 60, "display.float_format", _float_text):
        print(frame[columns] if columns else frame.to_string(index=False))


def _json_default(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def _dump(data) -> None:
    print(json.dumps(data, indent=2, default=_json_default, allow_nan=False))


def _progress(args):
    if args.quiet or args.json:
        return None
    return lambda message: print(f"[lca] {message}", file=sys.stderr, flush=True)


def cmd_setup(args, api) -> None:
    report = api.setup(progress=_progress(args))
    if args.json:
        _dump({"directory": report.directory, "built": report.built, "removed": report.removed,
               "seconds": round(report.seconds, 3)})
        return
    if report.changed:
        print(f"Brightway project ready in {report.directory} ({report.seconds:.1f} s); built: "
              f"{', '.join(report.built) or 'nothing'}" + (f"; removed: {', '.join(report.removed)}" if report.removed else ""))
    else:
        print(f"Brightway project up to date in {report.directory} ({report.seconds:.2f} s)")


_LISTS = {name: name for name in ("databases", "activities", "methods", "parameters", "sources", "flows", "grids",
                                  "accelerators", "launchers", "orbits", "scenarios", "presets", "workloads")}


def cmd_list(args, api) -> None:
    function = getattr(api, _LISTS[args.what])
    frame = function(args.database) if args.what == "activities" else function()
    if args.json:
        _dump(json.loads(frame.to_json(orient="records")))
        return
    short = {"activities": ["database", "code", "name", "unit", "stage"],
             "parameters": ["name", "value", "unit", "distribution", "low", "high", "source"],
             "sources": ["id", "reliability", "citation"],
             "methods": ["alias", "name", "own_factors", "source"],
             "scenarios": ["name", "description", "sources"], "presets": ["name", "description", "sources"]}.get(args.what)
    _print_table(frame[short] if short else frame)


def cmd_footprint(args, api) -> None:
    overrides = _parse_set(args.set)
    results = [api.footprint(args.activity, args.amount, method, overrides, progress=_progress(args),
                             allow_unused=args.allow_unused)
               for method in (args.method or DEFAULT_FOOTPRINT_METHODS)]
    explained = api.launch_explanation(args.activity, "GWP100", overrides, progress=_progress(args))
    if args.json:
        first = results[0]
        extra = {} if explained is None else {
            "launch_drivers": json.loads(explained[0].to_json(orient="records")), "launch_explanation": explained[1]}
        _dump({"activity": first.activity, "key": list(first.key), "amount": first.amount, "unit": first.unit,
               "overrides": first.overrides, "results": [r.to_dict(args.top) for r in results]} | extra)
        return
    from lca.report.text import unit_words

    first = results[0]
    print(f"{first.activity} ({first.key[0]}:{first.key[1]}), {first.amount:g} {first.unit}")
    for result in results:
        unit = unit_words(f"{result.score.units:~}")
        print(f"\n{result.method}: {result.score.magnitude:.6g} {unit}   [{' | '.join(result.method_name)}]")
        if result.score.magnitude == 0:
            continue
        print("  by stage:")
        _print_table(result.by_stage[["stage", "score", "share"]])
        print("  by process step (each foreground activity with the supply it draws):")
        _print_table(result.by_step.head(args.top)[["step", "score", "share"]])
        print(f"  top {args.top} activities (direct emissions x supply):")
        _print_table(result.by_activity.head(args.top)[["database", "code", "score", "share"]])
        print(f"  top {args.top} flows:")
        _print_table(result.by_flow.head(args.top)[["flow", "categories", "score", "share"]])
    if explained is not None:
        drivers, sentence = explained
        print("\nwhy, per kg payload (GWP100, every launcher to the same orbit class; kg CO2e per kg payload, "
              "propellant in kg per kg payload, production and combustion in kg CO2e per kg propellant):")
        _print_table(drivers[["launcher", "total", "combustion", "propellant production", "manufacture",
                              "propellant_per_kg_payload", "propellants", "production_per_kg_propellant",
                              "combustion_per_kg_propellant", "reuses"]].rename(columns={
                                  "propellant_per_kg_payload": "propellant/kg", "production_per_kg_propellant":
                                  "production/kg prop", "combustion_per_kg_propellant": "combustion/kg prop"}))
        if sentence:
            print(textwrap.fill(sentence, 118))


def _system_options(args) -> dict:
    return {"accelerator": args.accelerator, "precision": args.precision, "grids": args.grid,
            "launcher": args.launcher, "orbit": args.orbit, "overrides": _parse_set(args.set),
            "trajectory": args.grid_trajectory}


def cmd_compare(args, api) -> None:
    if args.workload_flop is not None and not (math.isfinite(args.workload_flop) and args.workload_flop > 0):
        raise UsageError(f"--workload-flop must be a positive finite number of FLOP, got {args.workload_flop}")
    options = _system_options(args)
    if args.assumptions:
        from lca.report import read_assumptions

        options = read_assumptions(args.assumptions, api.inventory()).merged(options)
    if args.mc == 1:
        raise UsageError(f"--mc needs at least 2 samples (or 0: deterministic only), got {args.mc}")
    if args.scenario or args.preset:
        if args.explain_median:
            raise UsageError("--explain-median explains one comparison; drop --scenario/--preset or --explain-median")
        _compare_files(args, api, options)
        return
    result = api.compare(**options, allow_unused=args.allow_unused, workload_flop=args.workload_flop, mc=args.mc,
                         seed=args.seed, engine=args.engine, progress=_progress(args), cost=args.cost,
                         methods=args.method, explain_median=args.explain_median)
    if args.out or args.html:
        api.write_report(result, args.out, argv=sys.argv, progress=_progress(args), html=args.html)
        if not args.json:
            for path in (args.out, args.html):
                if path:
                    print(f"wrote {path}")
    if args.samples:
        path = api.write_samples(result, args.samples)
        if not args.json:
            print(f"wrote {path}")
    data = result.to_dict()
    if args.json:
        _dump(data)
        return
    climate = [m for m, unit in data["units"].items() if unit == data["unit"]]
    print(f"g CO2e per PFLOP-day ({data['accelerator']}, {data['precision']}, {data['launcher']}, "
          f"{data['orbit']})")
    if "monte_carlo" in data:
        _print_monte_carlo(data, climate)
    frame = pd.DataFrame([{"system": s["label"], **{m: s["total"][m] for m in climate}} for s in data["systems"]])
    print("\ncentral (deterministic) values:")
    _print_table(frame)
    if "monte_carlo" in data:
        _print_central_note(data)
    labels = {s["name"]: s["label"] for s in data["systems"]}
    if "central_vs_median" in data:
        _print_median_shifts(data["central_vs_median"], labels, climate)
    print("\nby stage, GWP100, central (deterministic):")
    stages = pd.DataFrame({s["label"]: s["by_stage"]["GWP100"] for s in data["systems"]}).fillna(0.0)
    _print_table(stages.reset_index().rename(columns={"index": "stage"}))
    for method, unit in data["units"].items():
        if method not in climate:
            _print_other_method(data, method, unit)
    _print_fleet(data["fleet"])
    if "cost" in data:
        _print_cost(data["cost"], labels)


def _print_central_note(data: dict) -> None:
    """Why the central values and the Monte Carlo medians differ, in one line (the orbit, GWP100)."""
    orbit = data["systems"][0]
    stats = orbit.get("monte_carlo", {}).get("GWP100")
    central = orbit["total"].get("GWP100")
    if stats and central:
        print(f"note: central values put every input at its configured (most likely) value; many ranges are "
              f"right-skewed, so the Monte Carlo median of the orbit (GWP100) is {stats['median'] / central:.2f} x "
              f"its central value (`lca compare --explain-median` lists the inputs that move it)")


def _print_median_shifts(shifts: dict, labels: dict[str, str], climate: list[str]) -> None:
    """Per climate method and system: central, Monte Carlo median, and the inputs that move it most when each
    alone goes to the median of its distribution."""
    print(f"\ncentral vs Monte Carlo median, g CO2e per PFLOP-day ({shifts['meaning']}):")
    for entry in shifts["systems"]:
        if entry["method"] not in climate:
            continue
        head = (f"\n{labels.get(entry['system'], entry['system'])}, {entry['method']}: central "
                f"{entry['central']:,.0f}")
        if entry.get("mc median") is not None:
            head += f", Monte Carlo median {entry['mc median']:,.0f}, mean {entry['mc mean']:,.0f}"
        print(head + f"; sum of the shifts at the inputs' medians {entry['sum of shifts at median']:+,.0f}")
        rows = [{"input": r["input"], "distribution": r["distribution"],
                 "median of input": "" if r["input median"] is None else f"{r['input median']:.4g}",
                 "shift at median": f"{r['shift at median']:+,.0f}", "shift at mean": f"{r['shift at mean']:+,.0f}"}
                for r in entry["inputs"]]
        _print_table(pd.DataFrame(rows))


def _print_cost(cost: dict, labels: dict[str, str]) -> None:
    """Levelised cost per PFLOP-day (central, and Monte Carlo median [5-95 %] with P(orbit cheaper)) by system
    and stage, then the cost of the carbon avoided per grid and method, its sign in words."""
    from lca.report.text import probability, with_interval

    print(f"\nlevelised cost, {cost['unit'].replace('_', ' ')}" + (f" (Monte Carlo {cost['n']:,} samples, seed "
                                                                   f"{cost['seed']}, paired with the carbon samples)"
                                                                   if cost["n"] else "") + ":")
    rows = []
    for system in cost["systems"]:
        row = {"system": labels.get(system["system"], system["system"]), "central": system["central"]}
        if system["median"] is not None:
            row["median [5-95 %]"] = with_interval(system["median"], system["p5"], system["p95"])
            row["P(orbit cheaper)"] = "" if system["p_orbit_cheaper"] is None else probability(system["p_orbit_cheaper"])
        rows.append(row)
    _print_table(pd.DataFrame(rows))
    print("\ncost by stage, central:")
    stages = pd.DataFrame({labels.get(k, k): v for k, v in cost["by_stage"].items()})
    _print_table(stages.reset_index().rename(columns={"index": "stage"}))
    print(f"\ncost of the carbon avoided by orbit, {cost['abatement_unit'].replace('_', ' ')} = (cost orbit - cost "
          "ground) / (emissions ground - emissions orbit):")
    rows = []
    for entry in cost["abatement"]:
        row = {"grid": entry["grid"], "method": entry["method"], "central": entry["central"], "sign": entry["sign"]}
        if entry["median"] is not None:
            row["median [5-95 %]"] = with_interval(entry["median"], entry["p5"], entry["p95"])
            shares = {k[len("share "):]: v for k, v in entry.items() if k.startswith("share ") and v}
            row["share of samples"] = ", ".join(f"{k} {probability(v)}" for k, v in shares.items())
            if entry.get("median_where_cleaner") is not None:
                row["median where orbit cleaner"] = f"{entry['median_where_cleaner']:,.0f}"
        rows.append(row)
    _print_table(pd.DataFrame(rows))
    for meaning in dict.fromkeys(entry["meaning"] for entry in cost["abatement"]):
        print(f"  {meaning}")


def _print_other_method(data: dict, method: str, unit: str) -> None:
    """A method whose unit is not CO2e (ozone: g CFC-11-eq per PFLOP-day): its own table, its unit named."""
    from lca.report.text import OZONE_COVERAGE, unit_words, with_interval

    print(f"\n{method} [{unit_words(unit)}]:")
    rows = []
    for system in data["systems"]:
        row = {"system": system["label"], "central": system["total"][method]}
        stats = system.get("monte_carlo", {}).get(method)
        if stats:
            row["median [5-95 %]"] = with_interval(stats["median"], stats["p5"], stats["p95"])
        rows.append(row)
    _print_table(pd.DataFrame(rows))
    launch = data["per_launch"]["values"][method]
    print(f"one launch ({data['per_launch']['activity']}): {launch['value']:.4g} "
          f"{unit_words(launch['unit'])}")
    print(f"note: {OZONE_COVERAGE}")


def _print_fleet(fleet: dict) -> None:
    """Implied annual black-carbon and alumina emissions of the fleet beside today's global totals, and the
    column ozone loss its chlorine-equivalent emissions imply."""
    from lca.report.text import fleet_ozone_words

    print(f"\nfleet of {fleet['fleet_power']['value']:g} GW of orbital compute "
          f"({fleet['pflop_days_per_year']:.4g} PFLOP-days a year): implied emissions [t/year]")
    rows = [{"species": r["species"], "band": r["band"], "fleet t/yr": r["t_per_year"],
             "today global t/yr": "" if r["global_t_per_year"] is None else r["global_t_per_year"],
             "x today": "" if r["multiple_of_global"] is None else f"{r['multiple_of_global']:.3g}",
             "linear stretched": "yes" if r["stretched"] else ""} for r in fleet["rates"] if r["t_per_year"]]
    _print_table(pd.DataFrame(rows))
    print(("WARNING: " if fleet["stretched"] else "") + fleet["note"]
          + f" (flag above {fleet['linear_limit_multiple']:g} x; --set fleet.orbital_compute_power='5 GW')")
    print(fleet_ozone_words(fleet["ozone"]))


def _print_monte_carlo(data: dict, methods: list[str] | None = None) -> None:
    """The Monte Carlo answer: median [5-95 %] and P(orbit lower) per system and method, rounded to what the
    interval supports."""
    from lca.report.text import probability, with_interval

    first = next(iter(next(iter(data["systems"]))["monte_carlo"].values()))
    print(f"Monte Carlo, {first['n']:,} samples, seed {first['seed']}: median [5-95 % interval], "
          "P(orbit lower) = share of samples in which orbit is lower than that system")
    rows = []
    for system in data["systems"]:
        row = {"system": system["label"]}
        for method, stats in system["monte_carlo"].items():
            if methods is not None and method not in methods:
                continue
            row[method] = with_interval(stats["median"], stats["p5"], stats["p95"])
            row[f"P(orbit lower) {method}"] = "" if stats["p_orbit_lower"] is None else probability(
                stats["p_orbit_lower"])
        rows.append(row)
    _print_table(pd.DataFrame(rows))


def _system_label(system: dict) -> str:
    """A system's name without the scenario-dependent parts: 'orbit' or 'terrestrial, <grid>'."""
    return "orbit" if system["kind"] == "orbit" else system["name"]


def _compare_files(args, api, options) -> None:
    """``lca compare --scenario A --scenario B`` (and ``--preset``): one comparison per file, side by side."""
    if args.out:
        raise UsageError("--out writes the report of one comparison; drop --scenario/--preset or --out")
    files = [("scenario", name) for name in args.scenario or []] + [("preset", name) for name in args.preset or []]
    results = {}
    for kind, name in files:
        result = api.compare(**options, allow_unused=args.allow_unused, workload_flop=args.workload_flop,
                             mc=args.mc, seed=args.seed, engine=args.engine, progress=_progress(args),
                             cost=args.cost, methods=args.method, **{kind: name})
        label = result.extra[kind]["name"]
        if label in results:
            raise UsageError(f"{kind} '{label}' given twice")
        results[label] = result.to_dict() | {kind: result.extra[kind]}
    if args.json:
        _dump({"scenarios": results})
        return
    rows = {}
    for label, data in results.items():
        monte_carlo = {(m["system"], m["method"]): m for m in data.get("monte_carlo", [])}
        for system in data["systems"]:
            for method, value in system["total"].items():
                row = rows.setdefault((_system_label(system), method), {"system": _system_label(system),
                                                                         "method": method})
                row[f"{label}"] = value
                stats = monte_carlo.get((system["name"], method))
                if stats:
                    row[f"{label} median"] = stats["median"]
                    row[f"{label} 5%"], row[f"{label} 95%"] = stats["p5"], stats["p95"]
                    if stats.get("p_orbit_lower") is not None:
                        row[f"{label} P(orbit lower)"] = round(stats["p_orbit_lower"], 2)
    print("g CO2e per PFLOP-day, one column block per scenario (central values"
          + (")" if args.mc == 0 else ", Monte Carlo median, 5-95 % interval and, for each grid, P(orbit lower))"))
    for label, data in results.items():
        kind = "scenario" if "scenario" in data else "preset"
        print(f"  {label}: {data['accelerator']}, {data['precision']}, {data['launcher']}, {data['orbit']}; "
              f"{data[kind]['description']}")
    _print_table(pd.DataFrame(list(rows.values())))
    for label, data in results.items():
        if "cost" in data:
            print(f"\n{label}:", end="")
            _print_cost(data["cost"], {s["name"]: _system_label(s) for s in data["systems"]})


def cmd_tree(args, api) -> None:
    from lca.analysis.tree import check_cutoff
    from lca.report.text import significant

    cutoff = check_cutoff(args.cutoff)
    options = _system_options(args)
    if args.system == "terrestrial" and not args.grid:
        raise UsageError("--system terrestrial needs --grid CODE (see `lca list grids`)")
    result = api.compare(**options, allow_unused=args.allow_unused, mc=0, progress=_progress(args))
    names = [m.name for m in (result.terrestrial if args.system == "terrestrial" else [result.orbit])]
    trees = api.contribution_trees(result, names, [args.method or "GWP100"], cutoff, progress=_progress(args))
    if args.json:
        _dump({"trees": [tree.to_dict() for tree in trees]})
        return
    for tree in trees:
        frame = tree.frame()
        print(f"{tree.label}, {tree.method}: {tree.total:,.6g} g CO2e per PFLOP-day; inputs under "
              f"{tree.cutoff:g} of the total not followed (their sum in 'under cut-off'); Brightway graph "
              f"traversal, {tree.calculations} calculations")
        shown = pd.DataFrame({
            "activity": frame["activity"], "amount": [f"{v:.4g}" for v in frame["amount"]], "unit": frame["unit"],
            "cumulative [g CO2e]": [significant(v, 4) for v in frame["score"]],
            "direct [g CO2e]": [significant(v, 4) for v in frame["direct"]],
            "under cut-off [g CO2e]": [significant(v, 4) if n else "" for v, n in zip(frame["rest"],
                                                                                      frame["rest_inputs"])],
            "share": [f"{v:.1%}" for v in frame["share"]]})
        width = int(shown["activity"].str.len().max())
        print(shown.to_string(index=False, justify="left", formatters={"activity": lambda s: f"{s:<{width}}"}))
        print()


def cmd_workload(args, api) -> None:
    if args.name is None and args.gpu_hours is None:
        raise UsageError("give a published run (`lca list workloads`) or --gpu-hours")
    if args.mc == 1:
        raise UsageError(f"--mc needs at least 2 samples (or 0: deterministic only), got {args.mc}")
    result = api.workload(args.name, args.gpu_hours, args.accelerator, args.power_per_accelerator, args.power_basis,
                          args.energy, args.pue, args.grid, args.grid_intensity, _parse_set(args.set), mc=args.mc,
                          seed=args.seed, progress=_progress(args), allow_unused=args.allow_unused)
    totals = json.loads(result["totals"].to_json(orient="records"))[0]
    stages = json.loads(result["stages"].to_json(orient="records"))
    if args.json:
        _dump({"totals": totals, "stages": stages, "unit": "tCO2e", "method": "GWP100"})
        return
    intensity = totals["grid_intensity_gCO2e_per_kWh"]
    print(f"{totals['workload']}: {totals['accelerator_hours']:,.0f} accelerator-hours on {totals['accelerator']}, "
          f"{totals['energy_MWh']:,.1f} MWh (PUE {totals['pue']:g}), grid {totals['grid']}"
          + ("" if intensity is None else f" {intensity:g} g CO2e/kWh") + "; GWP100")
    if "mc_median_tCO2e_every_stage" in totals:
        from lca.report.text import with_interval

        print(f"Monte Carlo, {totals['mc_n']:,} samples, seed {totals['mc_seed']}, every stage: "
              + with_interval(totals["mc_median_tCO2e_every_stage"], totals["mc_p5_tCO2e_every_stage"],
                              totals["mc_p95_tCO2e_every_stage"]) + " t CO2e (median [5-95 % interval])")
    print("central (deterministic) values:")
    _print_table(result["stages"])
    print(f"total counted ({totals['scope']}): {totals['tCO2e']:,.4g} t CO2e; every stage: "
          f"{totals['tCO2e_every_stage']:,.4g} t CO2e")
    if "published_tCO2e" in totals:
        print(f"published: {totals['published_tCO2e']:,.4g} t CO2e ({totals['published_locator']}); replay "
              f"{totals['difference_percent']:+.2f} %")


def cmd_reconcile(args, api) -> None:
    rows = api.reconcile(args.preset, progress=_progress(args))
    if args.json:
        _dump({"unit": "gCO2e/PFLOP_day", "studies": rows})
        return
    print("Published studies against this tool (orbit, GWP100 unless named; g CO2e per PFLOP-day and per kWh of IT "
          "energy; 'ours' under the study's assumptions and scope)")
    from lca.analysis.reconcile import summary

    _print_table(summary(rows))
    for row in rows:
        print(f"\n{row['study']}: from our default ({row['ours_default']['orbit']:.4g}) to ours under its assumptions "
              f"({row['ours_study']['orbit']:.4g}), g CO2e/PFLOP-day")
        _print_table(pd.DataFrame([{"cause": c["cause"], "system": c["system"], "delta": c["delta"],
                                    "per kWh IT": c["delta_per_kwh_it"], "in sum": "yes" if c["in_sum"] else "no"}
                                   for c in row["causes"]]))


def cmd_sensitivity(args, api) -> None:
    if args.sobol < 2:
        raise UsageError(f"--sobol needs a base sample size of at least 2 (a power of 2), got {args.sobol}")
    options = _system_options(args)
    options["grids"] = [args.grid[0]] if args.grid else None
    frame = api.sobol(**options, n=args.sobol, seed=args.seed, method=args.method or "GWP100",
                      progress=_progress(args), target=args.sobol_target)
    warning = frame.attrs.get("warning", "")
    note = frame.attrs.get("target_note", "")
    if args.json:
        _dump({"target": frame["target"].iloc[0], "target_note": note, "n_base": args.sobol, "warning": warning,
               "indices": json.loads(frame.to_json(orient="records"))})
        return
    print(f"Sobol indices of {frame['target'].iloc[0]} (base sample {args.sobol}); S1 first-order, ST total, "
          "[low, high] 95 % bootstrap intervals")
    if note:
        print(f"note: {note}")
    shown = frame.head(args.top).copy()
    for index in ("S1", "ST"):
        shown[index] = [f"{v:.2f} [{lo:.2f}, {hi:.2f}]" for v, lo, hi in
                        zip(shown[index], shown[f"{index}_low"], shown[f"{index}_high"])]
    _print_table(shown[["input", "S1", "ST"]])
    print("\nin words (drivers: ST > 0.05, or the five largest):")
    for sentence in frame.loc[frame["reported"], "words"]:
        print(f"  {sentence}.")
    if warning:
        print(f"\n{warning}")


def cmd_sweep(args, api) -> None:
    frame = api.sweep(accelerators=args.accelerator, launchers=args.launcher, orbits=args.orbit, grids=args.grid,
                      years=args.year, overrides=_parse_set(args.set), mc=args.mc or 0, seed=args.seed,
                      scheduler=args.scheduler, serial=args.serial, progress=not (args.quiet or args.json),
                      workers=args.workers)
    if args.csv:
        from lca.core.files import atomic_path

        with atomic_path(args.csv) as tmp:
            frame.to_csv(tmp, index=False)
    if args.out:
        from lca.report.sweep import write_sweep

        write_sweep(frame, api.inventory(), args.out, argv=sys.argv, seed=args.seed if args.mc else None)
    if args.json:
        _dump(json.loads(frame.to_json(orient="records")))
        return
    _print_table(frame)


def _parse_rates(values: list[str]) -> dict[str, float]:
    rates = {}
    for item in values or []:
        grid, sep, value = item.partition("=")
        try:
            rate = float(value.rstrip("%")) / (100 if value.strip().endswith("%") else 1)
        except ValueError:
            rate = None
        if not sep or not grid.strip() or rate is None or not math.isfinite(rate):
            raise UsageError(f"--rate expects GRID=RATE (a fraction per year like US=0.05, or US=5%), got '{item}'")
        rates[grid.strip()] = rate
    return rates


def cmd_when(args, api) -> None:
    if args.mc is not None and args.mc < 2:
        raise UsageError(f"--mc needs at least 2 samples, got {args.mc}")
    result = api.when(args.year_from, args.year_to, args.grid, args.accelerator, args.precision, args.launcher,
                      args.orbit, _parse_set(args.set), _parse_rates(args.rate), mc=args.mc, seed=args.seed,
                      progress=_progress(args), allow_unused=args.allow_unused)
    if args.out:
        from lca.core.files import atomic_path
        from lca.report.charts import when_png

        with atomic_path(args.out) as tmp:
            when_png(result.table, tmp, f"The year orbit wins? {result.choices.accelerator}, {result.choices.launcher} "
                                        f"to {result.choices.orbit}, {result.n:,} samples per year")
        if not args.json:
            print(f"wrote {args.out}")
    if args.json:
        _dump(result.to_dict())
        return
    from lca.report.text import probability

    print(f"P(orbit lower-carbon) and P(orbit cheaper) by year ({result.choices.accelerator}, "
          f"{result.choices.launcher} to {result.choices.orbit}; {result.n:,} samples per year, seed {result.seed}; "
          "systems installed that year)")
    wide = {}
    for r in result.table.itertuples():
        row = wide.setdefault(r.year, {"year": r.year})
        row[f"{r.grid} lower-carbon {r.method}"] = probability(r.p_orbit_lower_carbon)
        row[f"{r.grid} cheaper"] = probability(r.p_orbit_cheaper)
    _print_table(pd.DataFrame(list(wide.values())))
    print("\nfirst year each probability exceeds 0.5 (none: not within the range):")
    firsts = result.first_years.astype(object).where(result.first_years.notna(), "none")
    _print_table(firsts)


def cmd_breakeven(args, api) -> None:
    frame = api.breakeven(**_system_options(args), method=args.method or "GWP100", progress=_progress(args),
                          allow_unused=args.allow_unused)
    if args.json:
        _dump(json.loads(frame.to_json(orient="records")))
        return
    _print_table(frame[["grid", "quantity", "current", "parity", "unit", "note"]])


def cmd_inventory(args, api) -> None:
    from lca.inventory import excel

    if args.action == "validate":
        inv = api.inventory()
        count = sum(len(d.activities) for d in inv.databases.values())
        message = (f"inventories OK: {len(inv.databases)} databases, {count} activities, "
                   f"{len(inv.sources)} sources, {len(inv.parameters)} shared parameters")
        _dump({"ok": True, "databases": len(inv.databases), "activities": count}) if args.json else print(message)
    elif args.action == "export":
        if not args.xlsx and not args.jsonld:
            raise UsageError("lca inventory export: give --xlsx FILE.xlsx and/or --jsonld FILE.zip")
        paths = excel.export_workbook(api.inventory(), args.xlsx, args.database) if args.xlsx else []
        if args.jsonld:
            from lca.inventory.jsonld import export_jsonld

            paths.append(export_jsonld(api.inventory(), args.jsonld, args.database))
        _dump({"written": [str(p) for p in paths]}) if args.json else print("\n".join(f"wrote {p}" for p in paths))
    elif args.action == "import":
        notes: list[str] = []
        written = excel.import_workbook(args.files, api.inventory(), args.to, notes=notes)
        if args.json:
            _dump({"written": [str(p) for p in written], "changes": notes})
        elif written:
            print("updated:\n" + "\n".join(f"  {p}" for p in written) + "\nchanges:\n"
                  + "\n".join(f"  {n}" for n in notes))
        else:
            print("no changes (every cell as exported)")


def cmd_doctor(args, api) -> None:
    from lca.doctor import run_checks

    checks = run_checks(args.brightway_dir, args.inventories)
    ok = all(check.ok for check in checks)
    if args.json:
        _dump({"ok": ok, "checks": [check.as_dict() for check in checks]})
    else:
        width = max(len(check.name) for check in checks)
        for check in checks:
            print(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<{width}}  {check.message}")
            if not check.ok and check.fix:
                print(f"      {'':<{width}}  fix: {check.fix}")
        print("all checks passed" if ok else f"{sum(not c.ok for c in checks)} check(s) failed")
    if not ok:
        raise SystemExit(1)


def cmd_report(args, api) -> None:
    out = args.out or (None if args.html else REPORT_PATH)
    result = api.compare(progress=_progress(args), cost=True)          # the default configuration, with its cost
    api.write_report(result, out, argv=sys.argv, progress=_progress(args),
                     activity_footprints=not args.no_activity_footprints, html=args.html)
    written = [str(path) for path in (out, args.html) if path]
    if args.json:
        _dump({"written": written[0], "files": written})
    else:
        for path in written:
            print(f"wrote {path}")


def cmd_readme(args, api) -> None:
    up_to_date, block = api.readme(args.file, check=args.check, progress=_progress(args))
    if args.json:
        _dump({"file": args.file, "up_to_date": up_to_date, "checked_only": args.check, "block": block})
    elif args.check:
        print(f"{args.file}: the answer is up to date" if up_to_date else
              f"{args.file}: the answer differs from `lca compare`; run `lca readme` to update it")
    else:
        print(f"{args.file}: {'already up to date' if up_to_date else 'answer updated'}")
    if args.check and not up_to_date:
        raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lca", description="Lifecycle carbon accounting of AI compute in orbit "
                                     "and on terrestrial grids (Brightway 2.5).")
    parser.add_argument("--version", action="version", version=f"lca {__version__}")

    def global_options(target, default):
        """The options every command takes, before or after the command name (``default`` SUPPRESS after it,
        so an option given before the command is not reset by the subcommand's default)."""
        target.add_argument("--brightway-dir", default=default, help="Brightway directory owned by this tool "
                            "(default: $LCA_BRIGHTWAY_DIR or the user data dir)")
        target.add_argument("--inventories", default=default,
                            help="inventories folder (default: $LCA_INVENTORIES or the shipped one)")
        target.add_argument("--json", action="store_true", default=default or False, help="print JSON for scripts")
        target.add_argument("--quiet", action="store_true", default=default or False, help="no progress messages")

    global_options(parser, None)
    common = argparse.ArgumentParser(add_help=False)
    global_options(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("setup", parents=[common], help="build or update the Brightway project (offline)")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("list", parents=[common], help="list databases, activities, methods, parameters, sources")
    p.add_argument("what", choices=sorted(_LISTS))
    p.add_argument("--database", help="only this database (activities)")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("footprint", parents=[common], help="climate footprint of an activity with contributions")
    p.add_argument("activity", help="activity name or database:code")
    p.add_argument("--amount", type=_finite_float, default=1.0, help="amount in the activity's unit (default 1)")
    p.add_argument("--method", action="extend", nargs="+", help="method alias or name; several allowed "
                   f"(default: {', '.join(DEFAULT_FOOTPRINT_METHODS)})")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a parameter, with a unit: "
                   "--set launch.reuses_f9_booster=20")
    p.add_argument("--top", type=_positive_int, default=10, help="rows of activity and flow contributions (default 10)")
    p.add_argument("--allow-unused", action="store_true",
                   help="accept --set overrides of parameters this activity's supply chain never reads")
    p.set_defaults(func=cmd_footprint)

    system = argparse.ArgumentParser(add_help=False)
    system.add_argument("--accelerator", help="accelerator (see `lca list accelerators`)")
    system.add_argument("--precision", help="precision of the peak throughput: bf16 (default), fp8, fp16, ...")
    system.add_argument("--grid", action="extend", nargs="+", metavar="CODE",
                        help="terrestrial grid codes: --grid US FR CN or repeated (see `lca list grids`; "
                        "case-insensitive: us is US, and the output says so; `custom` uses "
                        "background.custom_grid_intensity)")
    system.add_argument("--launcher", help="launch vehicle (see `lca list launchers`)")
    system.add_argument("--orbit", help="orbit (see `lca list orbits`)")
    system.add_argument("--set", action="append", metavar="NAME=VALUE",
                        help="override a parameter, with a unit: --set orbit.lifetime='7 year'")
    system.add_argument("--allow-unused", action="store_true",
                        help="accept --set overrides of parameters this configuration never reads (default: an error)")
    system.add_argument("--grid-trajectory", action="store_true",
                        help="scale grid electricity by terrestrial.grid_decarbonisation_rate over the hardware life")

    p = sub.add_parser("compare", parents=[common, system], help="orbit vs terrestrial, g CO2e per PFLOP-day")
    p.add_argument("--method", action="extend", nargs="+", metavar="ALIAS", help="also report these methods (`lca list "
                   "methods`) beside GWP100 and GWP100+HA: GWP20+HA, GTP100+HA, HA-nonCO2, GWP20, GTP100, ODP-launch "
                   "(ozone, g CFC-11-eq per PFLOP-day), ...")
    p.add_argument("--workload-flop", type=float, help="also give totals for a workload of N FLOP")
    p.add_argument("--mc", type=_non_negative_int, help="Monte Carlo samples: median, 5-95%% interval and "
                   f"P(orbit lower) lead the output (default {DEFAULT_SAMPLES:,}; 0: deterministic only)")
    p.add_argument("--seed", type=_non_negative_int, default=DEFAULT_SEED,
                   help=f"Monte Carlo seed (default {DEFAULT_SEED})")
    p.add_argument("--engine", choices=("batched", "bw2calc"), default="batched",
                   help="Monte Carlo engine: batched numpy (default) or the bw2calc loop (reference)")
    p.add_argument("--cost", action="store_true", help="also the levelised cost per PFLOP-day by stage (USD 2024) and "
                   "the cost of the carbon avoided per grid, from the same Monte Carlo samples")
    p.add_argument("--explain-median", action="store_true", help="also why the Monte Carlo median sits away from "
                   "the central value: each uncertain input alone at the median (and mean) of its distribution")
    p.add_argument("--out", type=_output_path(".xlsx"), help="also write the Excel report to this .xlsx file")
    p.add_argument("--html", type=_output_path(".html"), help="also write the HTML companion of the report "
                   "(one offline file: the answer, tables, interactive charts)")
    p.add_argument("--samples", metavar="FILE.csv", type=_output_path(".csv"),
                   help="also write the Monte Carlo samples (inputs and totals, one row per sample) to this CSV file")
    p.add_argument("--scenario", action="append", metavar="NAME", help="a scenario (`lca list scenarios`) or the "
                   "path of your own scenario file; repeat to compare scenarios side by side")
    p.add_argument("--preset", action="append", metavar="NAME", help="a study preset (`lca list presets`) or a "
                   "path; repeatable, side by side with any --scenario")
    p.add_argument("--assumptions", metavar="FILE.xlsx", help="take the choices and parameter values from the "
                   "Assumptions sheet of a report (edit column 'value'); options given here win")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("tree", parents=[common, system], help="contribution tree of a system (Brightway graph "
                       "traversal): where in the supply chain its g CO2e per PFLOP-day sit")
    p.add_argument("--system", choices=("orbit", "terrestrial"), default="orbit",
                   help="the orbital system (default) or the terrestrial one of each --grid")
    p.add_argument("--method", help="method alias (default GWP100)")
    p.add_argument("--cutoff", type=_finite_float, default=0.01,
                   help="inputs under this fraction of the system total are not followed (default 0.01 = 1 %%)")
    p.set_defaults(func=cmd_tree)

    p = sub.add_parser("workload", parents=[common], help="a terrestrial workload by stage: energy [MWh], "
                       "accelerator-hours and t CO2e; or replay a published training run")
    p.add_argument("name", nargs="?", help="a published run to replay (`lca list workloads`); options given win")
    p.add_argument("--gpu-hours", type=_finite_float, metavar="H", help="accelerator-hours [h]")
    p.add_argument("--accelerator", help="accelerator (see `lca list accelerators`)")
    p.add_argument("--power-per-accelerator", metavar="W", help="power per accelerator, e.g. '400 W' (a number: W)")
    p.add_argument("--power-basis", choices=("tdp", "measured"), help="tdp: rated power, node overhead applied "
                   "(default); measured: measured average draw of the node share of one accelerator")
    p.add_argument("--energy", metavar="E", help="facility energy instead of a power, PUE included, e.g. '433 MWh'")
    p.add_argument("--pue", type=_finite_float, help="power usage effectiveness (terrestrial.pue)")
    p.add_argument("--grid", metavar="CODE", help="a grid code (`lca list grids`)")
    p.add_argument("--grid-intensity", metavar="'X g/kWh'", help="grid intensity, e.g. '57 g/kWh' (the custom grid, "
                   "background.custom_grid_intensity)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a parameter, with a unit")
    p.add_argument("--allow-unused", action="store_true", help="accept --set overrides nothing reads")
    p.add_argument("--mc", type=_non_negative_int, help="Monte Carlo samples of the total over every stage "
                   f"(default {DEFAULT_SAMPLES:,}; 0: deterministic only)")
    p.add_argument("--seed", type=_non_negative_int, default=DEFAULT_SEED, help=f"Monte Carlo seed (default "
                   f"{DEFAULT_SEED})")
    p.set_defaults(func=cmd_workload)

    p = sub.add_parser("reconcile", parents=[common], help="published studies vs this tool, the difference in "
                       "named causes")
    p.add_argument("--preset", action="append", metavar="NAME", help="only this study preset (repeatable; default: all)")
    p.set_defaults(func=cmd_reconcile)

    p = sub.add_parser("sensitivity", parents=[common, system],
                       help="Sobol indices of orbit against ground (first grid given), with 95%% intervals")
    p.add_argument("--sobol", type=_positive_int, default=SOBOL_BASE,
                   help=f"base sample size N (power of 2; N x (groups + 2) runs; default {SOBOL_BASE}, where every "
                   "driver's 95%% interval is narrower than 0.1)")
    p.add_argument("--sobol-target", choices=SOBOL_TARGETS, default=SOBOL_TARGETS[0],
                   help="auto (default): log_ratio where every sampled score is positive, else gap; log_ratio: "
                   "ln(orbit / ground) (converges); gap: orbit - ground [g CO2e/PFLOP-day]")
    p.add_argument("--seed", type=_non_negative_int, default=1, help="seed of the Sobol design")
    p.add_argument("--method", help="method alias (default GWP100)")
    p.add_argument("--top", type=_positive_int, default=20, help="rows to print")
    p.set_defaults(func=cmd_sensitivity)

    p = sub.add_parser("sweep", parents=[common], help="grids x accelerators x launchers x orbits x years on Dask")
    p.add_argument("--accelerator", action="extend", nargs="+", help="one or more (default: the default accelerator)")
    p.add_argument("--launcher", action="extend", nargs="+", help="one or more")
    p.add_argument("--orbit", action="extend", nargs="+", help="one or more")
    p.add_argument("--grid", action="extend", nargs="+", metavar="CODE", help="one or more (default: the default grids)")
    p.add_argument("--year", action="extend", nargs="+", type=int, help="one or more: evaluate grids in these years")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a parameter, with a unit")
    p.add_argument("--mc", type=_positive_int, help="Monte Carlo samples per configuration (default: deterministic)")
    p.add_argument("--seed", type=_non_negative_int, default=1, help="seed (same seed, same numbers, serial or on Dask)")
    p.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--serial", action="store_true", help="run in this process, without Dask")
    p.add_argument("--workers", type=_positive_int, help="worker processes of the local Dask cluster (default: 2)")
    p.add_argument("--csv", type=_output_path(".csv"), help="also write the table to this CSV file")
    p.add_argument("--out", type=_output_path(".xlsx"), help="also write a workbook: the table as a pivot-ready "
                   "Excel table, a chart of orbit and ground per grid, and the provenance")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("when", parents=[common], help="the year orbit wins: P(orbit lower-carbon) and P(orbit "
                       "cheaper) per grid and year, with grid decarbonisation, launcher learning and accelerator "
                       "efficiency by generation")
    p.add_argument("--from", dest="year_from", type=int, default=2026, help="first year (default 2026)")
    p.add_argument("--to", dest="year_to", type=int, default=2045, help="last year (default 2045)")
    p.add_argument("--grid", action="extend", nargs="+", metavar="CODE", help="one or more grid codes (default: the "
                   "default grids)")
    p.add_argument("--rate", action="append", metavar="GRID=RATE", help="a grid's own decarbonisation rate per year "
                   "(US=0.05 or US=5%%), instead of terrestrial.grid_decarbonisation_rate; repeatable")
    p.add_argument("--accelerator", help="accelerator (see `lca list accelerators`)")
    p.add_argument("--precision", help="precision of the peak throughput (default bf16)")
    p.add_argument("--launcher", help="launch vehicle (see `lca list launchers`)")
    p.add_argument("--orbit", help="orbit (see `lca list orbits`)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a parameter, with a unit "
                   "(outlook.launch_price_decline='0.2 1/year', ...)")
    p.add_argument("--allow-unused", action="store_true", help="accept --set overrides nothing reads")
    p.add_argument("--mc", type=_positive_int, help="Monte Carlo samples per year (default 1000)")
    p.add_argument("--seed", type=_non_negative_int, default=DEFAULT_SEED, help=f"seed (default {DEFAULT_SEED})")
    p.add_argument("--out", type=_output_path(".png"), help="also write the chart to this .png file")
    p.set_defaults(func=cmd_when)

    p = sub.add_parser("breakeven", parents=[common, system], help="parity conditions between orbit and ground")
    p.add_argument("--method", help="method alias (default GWP100)")
    p.set_defaults(func=cmd_breakeven)

    p = sub.add_parser("inventory", parents=[common], help="validate, export to Excel, import from Excel")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("validate", parents=[common], help="check every inventory file")
    a.set_defaults(func=cmd_inventory)
    a = actions.add_parser("export", parents=[common], help="write databases in bw2io's Excel format, one "
                           "workbook per database")
    a.add_argument("--xlsx", type=_output_path(".xlsx"), help="workbook to write (with several "
                   "databases: NAME-<database>.xlsx beside it, one each)")
    a.add_argument("--jsonld", type=_output_path(".zip"), help="also (or instead) write the databases as an "
                   "openLCA JSON-LD archive (olca-schema 2) to this .zip file")
    a.add_argument("--database", action="append", help="only this database (repeatable)")
    a.set_defaults(func=cmd_inventory)
    a = actions.add_parser("import", parents=[common], help="validate an edited workbook and load it back")
    a.add_argument("files", nargs="+", metavar="file", help="workbook(s) written by `lca inventory export` and edited")
    a.add_argument("--to", help="inventories folder to update (default: the one in use)")
    a.set_defaults(func=cmd_inventory)

    p = sub.add_parser("doctor", parents=[common], help="check the installation, Brightway directory, inventories "
                       "and project (exit 1 if a check fails)")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("report", parents=[common], help="write the default Excel report (the comparison under "
                       "the default configuration)")
    p.add_argument("--out", type=_output_path(".xlsx"),
                   help=f"workbook path (default {REPORT_PATH}, unless only --html is given)")
    p.add_argument("--html", type=_output_path(".html"), help="also (or, without --out, only) write the "
                   "self-contained offline HTML companion: the answer, tables and interactive charts")
    p.add_argument("--no-activity-footprints", action="store_true",
                   help="leave out the sheet of per-activity footprints (saves about 10-50 s)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("readme", parents=[common], help="write the README's answer table and sentence from the "
                       "default comparison (--check: exit 1 if the README differs)")
    p.add_argument("--file", default="README.md", help="the README to update (default README.md)")
    p.add_argument("--check", action="store_true", help="only compare; exit 1 when the README is out of date")
    p.set_defaults(func=cmd_readme)
    _add_examples(sub.choices)
    _add_examples(actions.choices)
    return parser


#: The examples at the end of each subcommand's ``--help`` (its epilog), one command per line with a comment.
#: tests/test_documented_commands.py runs every one of them (and every ``lca`` line of the README).
EXAMPLES = {
    "setup": ['lca setup                                  # build the Brightway project once (offline)'],
    "list": ['lca list grids                             # every grid code with its intensity and source',
             'lca list parameters --json                 # every parameter: value, unit, limits, source'],
    "footprint": ['lca footprint "launch to LEO, Falcon 9, per kg payload"   # with its drivers, in numbers',
                  'lca footprint "launch, Starship V3" --set launch.reuses_ss_booster=50 --top 5'],
    "compare": ['lca compare --grid US FR --mc 0              # central values only (seconds)',
                "lca compare --grid US --set orbit.lifetime='7 year' --mc 200 --seed 3",
                'lca compare --grid US --explain-median        # why the median is not the central value'],
    "workload": ['lca workload gpt-3 --mc 0                  # replay a published training run',
                 'lca workload --gpu-hours 1e6 --accelerator H100-SXM --power-per-accelerator "700 W" --pue 1.2 '
                 '--grid-intensity "120 g/kWh" --mc 0'],
    "reconcile": ['lca reconcile --preset starcloud          # the study, ours on its scope, the causes'],
    "sensitivity": ['lca sensitivity --grid US --sobol 64 --top 5    # a small base: quick, wide intervals'],
    "sweep": ['lca sweep --grid US FR --launcher falcon9 starship-v3 --serial'],
    "breakeven": ['lca breakeven --grid US FR                  # parity values, and whether any real grid comes close'],
    "validate": ['lca inventory validate'],
    "export": ['lca inventory export --xlsx inv.xlsx --database background   # one workbook'],
    "import": ['lca inventory import inv.xlsx               # after editing it; "no changes" if none'],
    "doctor": ['lca doctor'],
    "report": ['lca report --out reports/lca-report.xlsx --no-activity-footprints'],
    "readme": ['lca readme --file README.md                # rewrite its generated blocks'],
    "tree": ['lca tree --system orbit --grid US --cutoff 0.05   # where in the supply chain the impact sits'],
    "when": ['lca when --from 2026 --to 2040 --grid US CN --mc 200   # P(orbit lower-carbon), P(orbit cheaper) by year'],
}


def _add_examples(parsers: dict) -> None:
    for name, parser in parsers.items():
        if name in EXAMPLES:
            parser.formatter_class = argparse.RawDescriptionHelpFormatter
            parser.epilog = "examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])


def _file_system_error(err: OSError) -> str:
    """One line for a file-system error: what went wrong, with the path (read-only, full, not a directory ...)."""
    path = err.filename if err.filename is not None else ""
    reason = err.strerror or str(err)
    if isinstance(err, FileNotFoundError) and not err.strerror:
        return str(err)
    return f"cannot use '{path}': {reason}" if path else f"file system error: {reason}"


def _say_spelling(args, api) -> None:
    """Say (on stderr, unless --quiet/--json) when a grid code was read case-insensitively: 'us' as 'US'."""
    given = getattr(args, "grid", None)
    say = _progress(args)
    if not given or say is None:
        return
    from lca.analysis.compare import grid_codes

    codes = grid_codes(api.inventory())
    lowered = {code.lower(): code for code in codes}
    for code in [given] if isinstance(given, str) else given:
        if code not in codes and str(code).lower() in lowered:
            say(f"grid code '{code}' read as '{lowered[str(code).lower()]}' (grid codes are case-insensitive)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from lca.brightway import project
    from lca.core.files import raise_on_sigterm

    raise_on_sigterm()
    try:
        directory = project.brightway_dir(args.brightway_dir)
        from lca import api

        api.configure(brightway_dir=directory, inventories=args.inventories)
        _say_spelling(args, api)
        args.func(args, api)
    except argparse.ArgumentTypeError as err:
        parser.error(str(err))
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as err:       # read-only or full file system, a file where a folder should be ...
        print(f"error: {_file_system_error(err)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except CalculationError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_CALCULATION_ERROR
    except KeyboardInterrupt as err:
        print(f"error: {err or 'interrupted'}; nothing was replaced", file=sys.stderr)
        return 130
    except (ZeroDivisionError, OverflowError, FloatingPointError) as err:
        print(f"error: the calculation cannot be carried out with these values ({type(err).__name__}: {err}); "
              "check the parameter values (`lca list parameters` gives each one's allowed range)", file=sys.stderr)
        return EXIT_CALCULATION_ERROR
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
