"""Python API: everything the ``lca`` command does, returning DataFrames or plain data.

Set the Brightway directory and the inventories folder once per process with
:func:`configure` (or the environment variables ``LCA_BRIGHTWAY_DIR`` and
``LCA_INVENTORIES``); every call then sets the project up on demand.

>>> from lca import api
>>> fp = api.footprint("background:electricity_FR", amount=1000)   # doctest: +SKIP
>>> fp.score                                                          # doctest: +SKIP
<Quantity(44.18, 'kgCO2e')>
"""
from __future__ import annotations

import os

import pandas as pd

from lca.brightway import calculation, project
from lca.brightway.methods import DEFAULT_METHOD
from lca.brightway.workspace import Workspace
from lca.core.flows import format_categories
from lca.inventory import Inventory
from lca.inventory.overrides import qualified_parameters

_WORKSPACE = [Workspace()]


def configure(brightway_dir: str | os.PathLike | None = None, inventories: str | os.PathLike | None = None) -> None:
    """Choose the Brightway directory and the inventories folder for this process."""
    current = workspace()
    _WORKSPACE[0] = Workspace.of(brightway_dir if brightway_dir is not None else current.brightway_dir,
                                 inventories if inventories is not None else current.inventories)


def workspace() -> Workspace:
    """The workspace the API uses (see :func:`configure`)."""
    return _WORKSPACE[0]


def use(chosen: Workspace) -> None:
    """Make ``chosen`` (a value :func:`workspace` returned earlier) the workspace the API uses again."""
    _WORKSPACE[0] = chosen


def inventory() -> Inventory:
    """The validated inventory (raises :class:`lca.inventory.InventoryError`)."""
    return workspace().inventory()


def setup(progress=None) -> project.SetupReport:
    """Build or update the Brightway project; a no-op when nothing changed."""
    return workspace().setup(progress)


def brightway(progress=None):
    """The ``bw2data`` module with the tool's project active and up to date (set up on demand)."""
    return workspace().brightway(progress)


def _check_overrides_used(inv, chosen, overrides, allow_unused: bool, cost: bool = False, methods=None) -> None:
    """An override that the comparison ``chosen`` (with its ``methods``, and its cost when ``cost``) never reads
    is an error unless ``allow_unused``."""
    if overrides and not allow_unused:
        from lca.analysis.compare import COMPARE_METHODS
        from lca.analysis.usage import check_used, comparison_parameters
        from lca.inventory.overrides import normalise

        values = normalise(inv, overrides)
        used = comparison_parameters(inv, chosen, values, methods or COMPARE_METHODS)
        if cost:
            from lca.analysis.cost import cost_parameters

            used |= cost_parameters(inv, chosen)
        check_used(values, used,
                   f"this comparison ({chosen.accelerator}, {chosen.launcher} to {chosen.orbit})")


def footprint(activity: str, amount: float = 1.0, method: str = DEFAULT_METHOD, overrides: dict | None = None,
              progress=None, allow_unused: bool = False) -> calculation.Footprint:
    """Climate impact of ``amount`` reference units of ``activity`` (name or ``database:code``).

    ``overrides`` maps parameter names (see :mod:`lca.inventory.overrides`) to values.
    The result's ``score`` is a pint quantity [kg CO2e]; ``by_stage``,
    ``by_step`` (process steps), ``by_activity`` and ``by_flow`` are
    DataFrames of contributions.
    """
    bd = brightway(progress)
    inv = inventory()
    if overrides and not allow_unused:
        from lca.analysis.usage import check_used, factor_parameters_of, formula_parameters
        from lca.brightway.methods import resolve
        from lca.inventory.overrides import normalise

        key = calculation.find_activity(inv, activity).key
        check_used(normalise(inv, overrides), formula_parameters(inv, [key])
                   | factor_parameters_of(inv, [resolve(inv, method).alias]), f"the supply chain of '{activity}'")
    with workspace().reading():
        return calculation.footprint(inv, bd, activity, amount, method, overrides)


def launch_drivers(launch_class: str = "leo", method: str = "GWP100", overrides: dict | None = None,
                   progress=None) -> pd.DataFrame:
    """Every launcher's footprint per kg payload to ``launch_class`` by stage, with its drivers: payload [kg],
    propellant per launch [kg] and per kg payload [kg/kg], emissions per kg propellant [kg CO2e/kg], reuse
    counts (:func:`lca.analysis.launch.launch_drivers`)."""
    from lca.analysis import launch

    bd = brightway(progress)
    with workspace().reading():
        return launch.launch_drivers(inventory(), bd, launch_class, method, overrides)


def launch_explanation(activity: str, method: str = "GWP100", overrides: dict | None = None,
                       progress=None) -> tuple[pd.DataFrame, str] | None:
    """For a per-kg launch activity of the catalogue: the drivers of every launcher to its launch class, and one
    sentence on why it comes out lower or higher than the default launcher (or, for the default, the lowest
    other). None for any other activity."""
    from lca.analysis import launch

    inv = inventory()
    found = launch.launcher_of(inv, ":".join(calculation.find_activity(inv, activity).key))
    if found is None:
        return None
    drivers = launch_drivers(found[1], method, overrides, progress)
    other = launch.partner(inv, drivers, found[0])
    return drivers, (launch.explain(drivers, found[0], other) if other else "")


def compare(accelerator: str | None = None, precision: str | None = None, grids: list[str] | None = None,
            launcher: str | None = None, orbit: str | None = None, overrides: dict | None = None,
            workload_flop: float | None = None, trajectory: bool = False, mc: int | None = None, seed: int | None = None,
            engine: str = "batched", year: int | None = None, progress=None, allow_unused: bool = False,
            scenario: str | os.PathLike | None = None, preset: str | os.PathLike | None = None, cost: bool = False,
            methods: list[str] | None = None, explain_median: bool = False):
    """Orbit vs terrestrial per PFLOP-day (:class:`lca.analysis.compare.Comparison`; ``.table`` is a tidy DataFrame
    of the central (deterministic) values).

    ``methods``: aliases reported beside GWP100 and GWP100+HA (e.g. ``['ODP-launch']``, ozone depletion in
    g CFC-11-eq per PFLOP-day; each row of ``.table`` carries its unit). ``.extra['per_launch']`` holds each
    method's score of one launch of the chosen launcher; ``.extra['fleet']`` the annual black-carbon and alumina
    emissions that ``fleet.orbital_compute_power`` of orbital compute implies, beside today's global totals
    (:mod:`lca.analysis.fleet`).

    ``.extra['monte_carlo']`` holds the Monte Carlo summary (median, 5-95 % and 2.5-97.5 % intervals,
    probability that orbit is lower) from correlated, seeded sampling of every uncertain input: ``mc`` samples
    (default :data:`lca.analysis.montecarlo.DEFAULT_SAMPLES`, seed ``DEFAULT_SEED``); ``mc=0``: deterministic only.
    Tidy forms: ``.stages`` (stage rows only), ``.totals_frame`` (totals per system and method) and
    ``.samples`` (the Monte Carlo totals, one row per sample).
    ``scenario`` (a name from :func:`scenarios` or the path of a scenario file) or ``preset`` (a study preset,
    :func:`presets`) supplies choices and parameter values; arguments given here win over the file's.
    With ``cost``, ``.extra['cost']`` is a :class:`lca.analysis.cost.CostResult`: the levelised cost per PFLOP-day
    of each system by stage (``.table``, ``.summary()``, DataFrames) from the same sampled inputs as the carbon
    Monte Carlo, and the cost of the carbon avoided per grid and method (``.abatement``).
    ``methods``: aliases (or full names) of the methods to report besides GWP100 (default GWP100 and GWP100+HA;
    any of :func:`list_methods`: GWP20, GTP100, GWP20+HA, GTP100+HA, HA-nonCO2, ...).
    With ``explain_median``, ``.extra['median_shifts']`` is the DataFrame of :func:`lca.analysis.skew.median_shifts`
    (why the Monte Carlo median sits away from the central value: each input alone at its median and mean).
    """
    from lca.analysis import compare as comparison
    from lca.analysis.montecarlo import DEFAULT_SAMPLES, DEFAULT_SEED, monte_carlo

    mc = DEFAULT_SAMPLES if mc is None else mc
    seed = DEFAULT_SEED if seed is None else seed

    inv = inventory()
    chosen_file, given = None, dict(overrides or {})
    if scenario is not None or preset is not None:
        chosen_file = read_scenario(scenario if preset is None else preset, "scenario" if preset is None else "preset")
        file_choices = chosen_file.choices
        accelerator, precision = accelerator or file_choices.get("accelerator"), precision or file_choices.get("precision")
        grids, launcher = grids or file_choices.get("grids"), launcher or file_choices.get("launcher")
        orbit = orbit or file_choices.get("orbit")
        overrides = chosen_file.overrides | dict(overrides or {})
    chosen = comparison.choices(inv, accelerator, precision, grids, launcher, orbit, trajectory, year)
    chosen_methods = comparison.compare_methods(inv, methods)
    checked = overrides
    if not cost and chosen_file is not None:         # a file's prices apply when cost is asked for
        from lca.models.cost import is_economic

        checked = {k: v for k, v in (overrides or {}).items()
                   if not (is_economic(k) and k in chosen_file.overrides and k not in given)}
    _check_overrides_used(inv, chosen, checked, allow_unused, cost, chosen_methods)
    bd = brightway(progress)
    with workspace().reading():
        result = comparison.compare(inv, bd, chosen, overrides, methods=chosen_methods, workload_flop=workload_flop)
        if mc:
            if progress:
                progress(f"Monte Carlo: {mc} samples, seed {seed}, {engine} engine")
            run = monte_carlo(inv, bd, chosen, overrides, mc, seed, methods=chosen_methods, engine_name=engine,
                              progress=progress is not None)
            result.extra["monte_carlo"], result.extra["monte_carlo_run"] = run.summary(), run
        if explain_median:
            from lca.analysis import skew

            if progress:
                progress("central vs median: each input alone at its median")
            result.extra["median_shifts"] = skew.median_shifts(inv, bd, result)
            result.extra["central_vs_median"] = skew.to_dict(result.extra["median_shifts"], result.units)
    if cost:
        from lca.analysis.cost import cost_of

        if progress:
            progress("cost per PFLOP-day and cost of the carbon avoided")
        result.extra["cost"] = cost_of(inv, result)
    if chosen_file is not None:
        result.extra[chosen_file.kind] = {"name": chosen_file.name, "path": chosen_file.path,
                                          "description": chosen_file.description, "sources": chosen_file.sources}
    return result


def when(year_from: int, year_to: int, grids: list[str] | None = None, accelerator: str | None = None,
         precision: str | None = None, launcher: str | None = None, orbit: str | None = None,
         overrides: dict | None = None, rates: dict[str, float] | None = None, mc: int | None = None,
         seed: int | None = None, progress=None, allow_unused: bool = False):
    """The year orbit wins (:class:`lca.analysis.outlook.Outlook`): per grid and year from ``year_from`` to
    ``year_to``, P(orbit lower-carbon) per method and P(orbit cheaper) over ``mc`` samples (default
    :data:`lca.analysis.outlook.DEFAULT_SAMPLES`), with the first year each exceeds 0.5 (``.table`` and
    ``.first_years`` are DataFrames). ``rates`` gives a grid its own decarbonisation rate [1/year]."""
    from lca.analysis import compare as comparison
    from lca.analysis import outlook
    from lca.analysis.cost import cost_parameters
    from lca.analysis.montecarlo import DEFAULT_SEED

    inv = inventory()
    if year_to < year_from:
        raise outlook.OutlookError(f"--to {year_to} is before --from {year_from}")
    chosen = comparison.choices(inv, accelerator, precision, grids, launcher, orbit, year=year_from)
    comparison.choices(inv, accelerator, precision, grids, launcher, orbit, year=year_to)   # checks the range
    chosen.year = None
    if overrides and not allow_unused:
        from lca.analysis.usage import check_used, comparison_parameters
        from lca.inventory.overrides import normalise

        values = normalise(inv, overrides)
        learning = {name for name in inv.parameters if name.startswith("outlook.")}
        check_used(values, comparison_parameters(inv, chosen, values) | cost_parameters(inv, chosen) | learning,
                   f"lca when ({chosen.accelerator}, {chosen.launcher} to {chosen.orbit})")
    bd = brightway(progress)
    n = outlook.DEFAULT_SAMPLES if mc is None else mc
    seed = DEFAULT_SEED if seed is None else seed
    if progress:
        progress(f"lca when: {year_to - year_from + 1} years x {n} samples, seed {seed}")
    with workspace().reading():
        return outlook.when(inv, bd, chosen, overrides, list(range(year_from, year_to + 1)), n, seed, rates=rates)


def read_scenario(name: str | os.PathLike, kind: str = "scenario"):
    """A validated scenario or study preset (:class:`lca.inventory.scenarios.Scenario`): a shipped name or a path."""
    from lca.inventory.scenarios import read_scenario as read

    return read(name, inventory(), kind, workspace().inventories)


def _scenario_table(kind: str) -> pd.DataFrame:
    from lca.inventory.scenarios import available

    rows = []
    for name in available(kind, workspace().inventories):
        file = read_scenario(name, kind)
        rows.append({"name": file.name, "description": file.description,
                     "choices": ", ".join(f"{k}={v}" for k, v in file.choices.items()),
                     "parameters": ", ".join(f"{e.name}={e.value} {e.unit}" for e in file.entries),
                     "sources": ", ".join(file.sources), "file": file.path})
    return pd.DataFrame(rows, columns=["name", "description", "choices", "parameters", "sources", "file"])


def reconcile(studies: list[str] | None = None, progress=None) -> list[dict]:
    """Reconciliation rows (:func:`lca.analysis.reconcile.reconcile`), one per study preset (default: every shipped
    one): published headline, ours under its assumptions and scope, ours by default, causes of the difference."""
    from lca.analysis.reconcile import reconcile as reconcile_one
    from lca.inventory.scenarios import available

    inv = inventory()
    names = studies or list(available("preset", workspace().inventories))
    files = [read_scenario(name, "preset") for name in names]
    bd = brightway(progress)
    with workspace().reading():
        return [reconcile_one(inv, bd, file) for file in files]


def scenarios() -> pd.DataFrame:
    """The shipped scenario files (``inventories/scenarios/``): name, description, choices, values, sources."""
    return _scenario_table("scenario")


def presets() -> pd.DataFrame:
    """The shipped study presets (``inventories/presets/``): name, description, choices, values, sources."""
    return _scenario_table("preset")


def workloads() -> pd.DataFrame:
    """The published training runs of ``inventories/workloads.yaml``: name, model, accelerator, accelerator-hours
    [h], published [tCO2e], scope, sources."""
    from lca.inventory.workloads import catalogue

    rows = [{"name": name, "model": w.model, "accelerator": w.accelerator, "accelerator_hours": w.accelerator_hours,
             "published_tCO2e": w.published["value"], "scope": ", ".join(w.scope), "sources": ", ".join(w.sources)}
            for name, w in catalogue(inventory(), workspace().inventories).items()]
    return pd.DataFrame(rows, columns=["name", "model", "accelerator", "accelerator_hours", "published_tCO2e",
                                       "scope", "sources"])


def workload(name: str | None = None, gpu_hours: float | None = None, accelerator: str | None = None,
             power_per_accelerator: float | str | None = None, power_basis: str | None = None,
             energy: float | str | None = None, pue: float | None = None, grid: str | None = None,
             grid_intensity: float | str | None = None, overrides: dict | None = None, mc: int | None = None,
             seed: int | None = None, progress=None, allow_unused: bool = False) -> dict:
    """A terrestrial workload by stage (:func:`lca.analysis.workload.run`): ``'stages'`` (stage, counted,
    energy_MWh, tCO2e) and ``'totals'`` (accelerator-hours [h], energy [MWh], PUE, grid intensity [g CO2e/kWh],
    tCO2e counted and over every stage, and for a catalogue run the published figure) as DataFrames.

    ``name`` replays a published run (:func:`workloads`) with its scope; the other arguments, given, win over its
    values. ``gpu_hours`` [h]; ``power_per_accelerator`` [W] (or text '400 W') with ``power_basis`` 'tdp' (the
    accelerator's rated power; node overhead applied) or 'measured' (the node share's measured average draw);
    ``energy`` [kWh] (or text '433 MWh'), facility energy instead of a power; ``grid_intensity`` [kg CO2e/kWh]
    (or text '57 g/kWh') sets the custom grid. ``mc`` Monte Carlo samples (default
    :data:`lca.analysis.montecarlo.DEFAULT_SAMPLES`; 0: deterministic only) give ``'samples'`` (the total over every
    stage per sample [tCO2e]) and its median and 5-95 % interval in ``'totals'``.
    """
    import dataclasses

    from lca.analysis.montecarlo import DEFAULT_SAMPLES, DEFAULT_SEED
    from lca.analysis.workload import configuration, run
    from lca.inventory.workloads import POWER_BASES, Workload, WorkloadError, catalogue, magnitude

    inv = inventory()
    if name is not None:
        runs = catalogue(inv, workspace().inventories)
        if name not in runs:
            raise WorkloadError(f"unknown workload '{name}'; known: {', '.join(runs) or '(none)'} "
                                "(`lca list workloads`)")
        base = runs[name]
    elif gpu_hours is None:
        raise WorkloadError("give a catalogue workload name or --gpu-hours")
    else:
        base = Workload(float(gpu_hours))
    if power_basis is not None and power_basis not in POWER_BASES:
        raise WorkloadError(f"power basis '{power_basis}'; expected one of {', '.join(POWER_BASES)}")
    given = {"accelerator_hours": None if gpu_hours is None else magnitude(gpu_hours, "hour", "--gpu-hours"),
             "accelerator": accelerator,
             "power_per_accelerator": None if power_per_accelerator is None else
             magnitude(power_per_accelerator, "W", "--power-per-accelerator"),
             "power_basis": power_basis, "pue": None if pue is None else magnitude(pue, "dimensionless", "--pue"),
             "energy": None if energy is None else magnitude(energy, "kWh", "--energy"),
             "grid": grid, "grid_intensity": None if grid_intensity is None else
             magnitude(grid_intensity, "kg/kWh", "--grid-intensity")}
    if given["grid"] is not None and given["grid_intensity"] is not None:
        raise WorkloadError("give --grid or --grid-intensity, not both")
    replaced = {k: v for k, v in given.items() if v is not None}
    for key, other in (("power_per_accelerator", "energy"), ("energy", "power_per_accelerator"),
                       ("grid", "grid_intensity"), ("grid_intensity", "grid")):
        if given[key] is not None:      # a value given here replaces the run's alternative to it
            replaced[other] = None
    spec = dataclasses.replace(base, **replaced)
    chosen, _ = configuration(inv, spec, overrides)
    _check_overrides_used(inv, chosen, overrides, allow_unused)
    bd = brightway(progress)
    with workspace().reading():
        return run(inv, bd, spec, overrides, DEFAULT_SAMPLES if mc is None else mc,
                   DEFAULT_SEED if seed is None else seed)


def sobol(accelerator: str | None = None, precision: str | None = None, grids: list[str] | None = None,
          launcher: str | None = None, orbit: str | None = None, overrides: dict | None = None,
          trajectory: bool = False, n: int | None = None, seed: int = 1, method: str = "GWP100", progress=None,
          target: str = "auto") -> pd.DataFrame:
    """Sobol first-order and total indices with 95 % intervals of orbit against ground (first grid), one row per
    input (:func:`lca.analysis.sobol.sobol_indices`; base sample ``n``, default
    :data:`lca.analysis.sobol.DEFAULT_BASE`; ``.attrs['warning']`` names too-wide intervals)."""
    from lca.analysis import compare as comparison
    from lca.analysis.sobol import DEFAULT_BASE, sobol_indices

    n = DEFAULT_BASE if n is None else n

    inv = inventory()
    chosen = comparison.choices(inv, accelerator, precision, grids, launcher, orbit, trajectory)
    bd = brightway(progress)
    with workspace().reading():
        return sobol_indices(inv, bd, chosen, overrides, chosen.grids[0], n, seed, method, progress, target)


def sweep(accelerators=None, launchers=None, orbits=None, grids=None, years=None, overrides: dict | None = None,
          mc: int = 0, seed: int = 1, scheduler: str | None = None, serial: bool = False,
          progress: bool = False, workers: int | None = None) -> pd.DataFrame:
    """Every combination of the choices (defaults where none given), serial or on Dask."""
    from lca.analysis.sweep import configurations
    from lca.analysis.sweep import sweep as run_sweep

    inv = inventory()
    defaults = inv.catalogue.defaults
    configs = configurations(accelerators or [defaults.accelerator], launchers or [defaults.launcher],
                             orbits or [defaults.orbit], grids or list(defaults.grids), years or [None])
    brightway()     # set the project up once, before workers open it
    ws = workspace()
    return run_sweep(configs, Workspace.of(ws.directory, ws.inventories), overrides, mc, seed, scheduler, serial,
                     progress, workers)


def breakeven(accelerator: str | None = None, precision: str | None = None, grids: list[str] | None = None,
              launcher: str | None = None, orbit: str | None = None, overrides: dict | None = None,
              method: str = "GWP100", trajectory: bool = False, progress=None,
              allow_unused: bool = False) -> pd.DataFrame:
    """Parity values per grid: one row per grid x quantity (current, parity, unit, note)."""
    from lca.analysis import compare as comparison

    inv = inventory()
    chosen = comparison.choices(inv, accelerator, precision, grids, launcher, orbit, trajectory)
    _check_overrides_used(inv, chosen, overrides, allow_unused)
    bd = brightway(progress)
    with workspace().reading():
        results = comparison.breakeven(inv, bd, chosen, overrides, method)
    return pd.DataFrame([{"grid": r.grid, "method": r.method, "orbit_total_gCO2e": r.orbit_total,
                          "terrestrial_total_gCO2e": r.terrestrial_total, "quantity": name, **entry}
                         for r in results for name, entry in r.values.items()])


def grids() -> pd.DataFrame:
    """Every grid code with its intensity, basis, year and source."""
    from lca.analysis.compare import grid_codes, grid_intensities

    inv = inventory()
    intensities = grid_intensities(inv)
    rows = []
    for code, key in grid_codes(inv).items():
        activity = inv.activity(":".join(key))
        exchange = activity.exchanges[0]
        props = {k: p.value for k, p in activity.properties.items()}
        rows.append({"code": code, "name": props.get("name", activity.name), "intensity_kgCO2e_per_kWh":
                     intensities.get(code), "basis": props.get("basis", ""),
                     "year": props.get("year", ""), "source": exchange.source})
    return pd.DataFrame(rows)


def accelerators() -> pd.DataFrame:
    """The accelerator catalogue: peak throughput per precision, TDP, die, memory, with sources."""
    inv = inventory()
    rows = []
    for name, reference in inv.catalogue.accelerators.items():
        activity = inv.activity(reference)
        row = {"accelerator": name, "activity": reference}
        shown = [(prop, parameter) for prop, parameter in activity.properties.items()
                 if prop.startswith("peak_") or prop in ("tdp", "die_area", "node", "hbm_capacity", "fab_location")]
        for prop, parameter in shown:
            row[prop] = parameter.value if not parameter.unit else f"{parameter.value} {parameter.unit}"
        row["sources"] = ", ".join(sorted({parameter.source for _, parameter in shown}))
        rows.append(row)
    return pd.DataFrame(rows)


def launchers() -> pd.DataFrame:
    """Launch vehicles the comparison offers, with their inventories and reuse parameters."""
    inv = inventory()
    rows = []
    for name, launcher in inv.catalogue.launchers.items():
        launch = inv.activity(launcher.launch("leo"))
        vehicle = next((inv.activity(":".join(e.input)) for e in launch.exchanges if e.kind == "technosphere"), launch)
        rows.append({"launcher": name, "leo": launcher.launch("leo") or "", "sso": launcher.launch("sso") or "",
                     "reuse_parameters": ", ".join(launcher.reuse_parameters),
                     "sources": ", ".join(sorted({e.source for e in vehicle.exchanges}))})
    return pd.DataFrame(rows)


def orbits() -> pd.DataFrame:
    """Orbit options with the parameters each sets."""
    inv = inventory()
    rows = []
    for name, option in inv.options.get("orbit", {}).items():
        row = {"orbit": name, "description": option.description,
               "launch": inv.catalogue.orbits.get(name, "not available")}
        row |= {p: f"{v.value} {v.unit}" for p, v in option.parameters.items()}
        row["sources"] = ", ".join(sorted({v.source for v in option.parameters.values()}))
        rows.append(row)
    return pd.DataFrame(rows)


def databases() -> pd.DataFrame:
    """One row per inventory database: name, activities, parameters, files."""
    inv = inventory()
    return pd.DataFrame([{"database": d.name, "activities": len(d.activities), "parameters": len(d.parameters),
                          "description": d.description, "files": ", ".join(d.files)}
                         for d in inv.databases.values()])


def activities(database: str | None = None) -> pd.DataFrame:
    """One row per activity: key, name, unit, location, stage, file."""
    inv = inventory()
    rows = [{"database": a.database, "code": a.code, "name": a.name, "unit": a.unit, "location": a.location,
             "stage": a.stage, "exchanges": len(a.exchanges), "file": a.file}
            for a in inv.activities() if database in (None, a.database)]
    return pd.DataFrame(rows, columns=["database", "code", "name", "unit", "location", "stage", "exchanges", "file"])


def methods() -> pd.DataFrame:
    """One row per climate method: alias, full name, unit, number of own factors, source."""
    inv = inventory()
    return pd.DataFrame([{"alias": m.alias, "name": " | ".join(m.name), "unit": m.unit, "shipped": m.shipped,
                          "extends": " | ".join(m.extends) if m.extends else "", "own_factors": len(m.factors),
                          "source": m.source, "description": m.description} for m in inv.methods.values()])


def parameters() -> pd.DataFrame:
    """Every overridable parameter with value, unit, distribution, bounds and source."""
    inv = inventory()
    rows = []
    for name, p in qualified_parameters(inv).items():
        low, high = p.bounds()
        rows.append({"name": name, "value": p.value, "unit": p.unit, "distribution": p.uncertainty["distribution"],
                     "low": low, "high": high, "source": p.source, "reliability": inv.sources[p.source].reliability,
                     "description": p.description, "file": p.file})
    return pd.DataFrame(rows, columns=["name", "value", "unit", "distribution", "low", "high", "source",
                                       "reliability", "description", "file"])


def sources() -> pd.DataFrame:
    """The source registry, one row per source with its full citation."""
    inv = inventory()
    return pd.DataFrame([s.as_record() for s in inv.sources.values()])


def flows() -> pd.DataFrame:
    """The tool's own elementary flows."""
    inv = inventory()
    return pd.DataFrame([{"code": f.code, "name": f.name, "categories": format_categories(f.categories),
                          "unit": f.unit, "description": f.description} for f in inv.flows.values()])


def contributions(result, methods=None, progress=None) -> pd.DataFrame:
    """Contribution of every exchange of every system of a comparison, by stage [g CO2e per PFLOP-day]
    (see :func:`lca.analysis.compare.link_contributions`)."""
    from lca.analysis.compare import link_contributions

    inv = inventory()
    bd = brightway(progress)
    with workspace().reading():
        return link_contributions(inv, bd, result, methods)


def contribution_trees(result, systems: list[str] | None = None, methods=None, cutoff: float | None = None,
                       progress=None) -> list:
    """Contribution trees of the systems of a comparison (all, or those named) for each method
    (:class:`lca.analysis.tree.Tree`, scores in g CO2e per PFLOP-day; ``tree.frame()`` is the indented table),
    by Brightway's graph traversal with the comparison's overrides (see :mod:`lca.analysis.tree`)."""
    from lca.analysis.tree import DEFAULT_CUTOFF
    from lca.analysis.tree import contribution_trees as trees

    inv = inventory()
    bd = brightway(progress)
    with workspace().reading():
        return trees(inv, bd, result, systems, methods, DEFAULT_CUTOFF if cutoff is None else cutoff)


def sensitivity(result, parameters: list[str] | None = None, methods=None, progress=None) -> pd.DataFrame:
    """One-at-a-time (tornado) sensitivity of a comparison to its main parameters (see
    :func:`lca.analysis.sensitivity.tornado`)."""
    from lca.analysis.sensitivity import tornado

    inv = inventory()
    bd = brightway(progress)
    with workspace().reading():
        return tornado(inv, bd, result, parameters, methods)


def breakeven_of(result, method: str = "GWP100", progress=None) -> pd.DataFrame:
    """:func:`breakeven` for the configuration of a comparison (its choices, year included, and overrides)."""
    from lca.analysis import compare as comparison

    inv = inventory()
    bd = brightway(progress)
    with workspace().reading():
        results = comparison.breakeven(inv, bd, result.choices, dict(result.overrides), method)
    return pd.DataFrame([{"grid": r.grid, "method": r.method, "orbit_total_gCO2e": r.orbit_total,
                          "terrestrial_total_gCO2e": r.terrestrial_total, "quantity": name, **entry}
                         for r in results for name, entry in r.values.items()])


def footprints(methods: tuple[str, ...] | None = None, progress=None) -> pd.DataFrame:
    """Footprints of every launch, PV, GPU and support activity by stage [kg CO2e per reference unit]
    (see :func:`lca.analysis.footprints.footprint_table`)."""
    from lca.analysis.footprints import FOOTPRINT_METHODS, footprint_table

    inv = inventory()
    bd = brightway(progress)
    with workspace().reading():
        return footprint_table(inv, bd, methods or FOOTPRINT_METHODS, progress)


def report_data(comparison, progress=None, activity_footprints: bool = False, argv: list[str] | None = None,
                reconciliation: bool = True):
    """Everything the workbook shows for ``comparison`` (:class:`lca.report.ReportData`): its results,
    process contributions, break-even, tornado, grids, parameters and sources (same configuration and overrides)."""
    from lca.analysis.sensitivity import default_value
    from lca.report import ReportData, results_table

    inv = inventory()
    methods = list(dict.fromkeys(comparison.table["method"]))
    chosen = comparison.choices
    if progress:
        progress("report: contributions by process")
    contributions_ = contributions(comparison, methods)
    if progress:
        progress("report: contribution trees (graph traversal)")
    # trees in g CO2e (the sheet's unit): the climate methods; an ozone method scores the ground system zero
    trees = contribution_trees(comparison, methods=comparison.climate_methods)
    if progress:
        progress("report: break-even")
    parity = pd.concat([breakeven_of(comparison, method) for method in methods], ignore_index=True)
    if progress:
        progress("report: one-at-a-time sensitivity")
    tornado = sensitivity(comparison, methods=methods)
    chosen_grids = grids()
    chosen_grids = chosen_grids[chosen_grids["code"].isin(chosen.grids)].copy()
    chosen_grids["order"] = chosen_grids["code"].map({g: i for i, g in enumerate(chosen.grids)})
    chosen_grids = chosen_grids.sort_values("order").drop(columns="order").reset_index(drop=True)
    if "custom" in chosen.grids:
        value = comparison.overrides.get("background.custom_grid_intensity",
                                         default_value(inv, chosen, "background.custom_grid_intensity"))
        chosen_grids.loc[chosen_grids["code"] == "custom", "intensity_kgCO2e_per_kWh"] = value
    activity_table = footprints(progress=progress) if activity_footprints else None
    reconciled = None
    if reconciliation:
        from lca.analysis.reconcile import reconciliation_table

        if progress:
            progress("report: reconciliation with published studies")
        reconciled = reconciliation_table(reconcile(progress=progress))
    from lca.analysis import launch

    if progress:
        progress("report: launch drivers per kg payload")
    launch_class = inv.catalogue.orbits[chosen.orbit]
    drivers = launch_drivers(launch_class, "GWP100", comparison.overrides)
    other = launch.partner(inv, drivers, chosen.launcher) if chosen.launcher in set(drivers["launcher"]) else None
    shifts = comparison.extra.get("median_shifts")
    if shifts is None and comparison.extra.get("monte_carlo") is not None:
        from lca.analysis import skew

        if progress:
            progress("report: central vs Monte Carlo median")
        with workspace().reading():
            shifts = skew.median_shifts(inv, brightway(progress), comparison)
    return ReportData(comparison, inv, results_table(comparison), contributions_, parity, tornado, chosen_grids,
                      parameters(), sources(), argv, activity_table, reconciliation=reconciled, trees=trees,
                      launch_drivers=drivers,
                      launch_explanation=launch.explain(drivers, chosen.launcher, other) if other else "",
                      median_shifts=shifts)


def write_report(comparison, path="reports/lca-report.xlsx", argv: list[str] | None = None, progress=None,
                 activity_footprints: bool = False, html=None):
    """Gather :func:`report_data` for ``comparison`` and write the analyst's workbook to ``path`` (None: no
    workbook) and, with ``html``, the HTML companion (:mod:`lca.report.html`) to that path, from the same data;
    return the workbook's path (the HTML one without a workbook)."""
    from lca.report import write_comparison_report
    from lca.report.html import write_html

    if path is None and html is None:
        raise ValueError("write_report needs a workbook path or an html path")
    data = report_data(comparison, progress, activity_footprints, argv)
    written = write_comparison_report(data, path, progress) if path is not None else None
    if html is not None:
        if progress:
            progress(f"report: writing {html}")
        html_path = write_html(data, html)
        written = written or html_path
    return written


def write_samples(comparison, path) -> str:
    """Write the Monte Carlo samples of ``comparison`` to the CSV file ``path`` (atomically): one row per sample,
    the sampled inputs (named as ``--set`` takes them) then the totals, ``<system> | <method> [g CO2e/PFLOP-day]``.
    Returns the path; an :class:`lca.errors.InputError` when the comparison ran without Monte Carlo."""
    from lca.core.files import atomic_path
    from lca.errors import InputError

    totals = comparison.samples
    if totals is None:
        raise InputError("--samples needs Monte Carlo samples; drop --mc 0")
    totals = totals.copy()
    totals.columns = [f"{system} | {method} [g CO2e/PFLOP-day]" for system, method in totals.columns]
    frame = comparison.input_samples.join(totals)
    with atomic_path(path) as tmp:
        frame.to_csv(tmp)
    return str(path)


def readme(path="README.md", check: bool = False, progress=None) -> tuple[bool, str]:
    """Write the answer block of the README at ``path`` from the default comparison with its default Monte Carlo,
    and the reconciliation block from :func:`reconcile` (:mod:`lca.report.readme`); with ``check``, only compare.
    Returns (up to date before the call, the blocks)."""
    from pathlib import Path

    from lca.analysis.reconcile import summary
    from lca.core.files import atomic_path
    from lca.report.readme import RECONCILIATION_BEGIN, RECONCILIATION_END, answer_block, reconciliation_block, replace_block

    result = compare(progress=progress)
    chosen = result.choices
    names = dict(zip(grids()["code"], grids()["name"]))
    block = answer_block(result, names, f"{chosen.accelerator}, {chosen.precision}, {chosen.launcher} to "
                                        f"{chosen.orbit}")
    studies = reconciliation_block(summary(reconcile(progress=progress)))
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    updated = replace_block(replace_block(text, block, str(path)), studies, str(path), RECONCILIATION_BEGIN,
                            RECONCILIATION_END)
    block = f"{block}\n\n{studies}"
    if not check and updated != text:
        with atomic_path(path) as tmp:
            Path(tmp).write_text(updated, encoding="utf-8")
    return updated == text, block
