"""Words of the report: the one-sentence answer, how to read the workbook, goal and scope (ISO 14044).

Everything here is built from the comparison and the inventory, so the text
and the numbers in the workbook cannot drift apart.
"""
from __future__ import annotations

import math

import pandas as pd

from lca.core.sources import RELIABILITY

QUESTION = ("Counting the rockets, the solar panels and the chips, is a PFLOP-day computed in orbit lower- or "
            "higher-carbon than one computed on a terrestrial grid, and under which conditions?")
UNIT_TEXT = "g CO2e per PFLOP-day"
#: How a unit symbol of lca/core/units.txt reads in words (longest first, so kg before g).
UNIT_WORDS = (("kgCO2e", "kg CO2e"), ("gCO2e", "g CO2e"), ("kgCFC11e", "kg CFC-11-eq"), ("gCFC11e", "g CFC-11-eq"),
              ("/PFLOP_day", " per PFLOP-day"), ("/launch", " per launch"))


def unit_words(unit: str) -> str:
    """A result unit as a reader writes it: ``gCFC11e/PFLOP_day`` -> ``g CFC-11-eq per PFLOP-day``."""
    for symbol, words in UNIT_WORDS:
        unit = unit.replace(symbol, words)
    return unit


def significant(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant figures with thousands separators (27834.7 -> '27,800')."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - exponent, 0)
    rounded = round(value, digits - 1 - exponent)
    return f"{rounded:,.{decimals}f}"


def ratio(value: float) -> str:
    return f"{significant(value)}×"


def _grid_label(code: str, names: dict[str, str]) -> str:
    name = names.get(code)
    return f"the {code} grid ({name})" if name and name != code else f"the {code} grid"


def supported_digits(value: float, low: float, high: float, most: int = 3) -> int:
    """Significant figures of ``value`` that an interval [``low``, ``high``] supports.

    The last digit kept is the second significant figure of the interval's half-width, as an uncertainty is
    quoted to two figures (a median of 50,876 with interval 25,149 to 134,143, half-width 54,497, is shown to
    the thousands: '51,000'), at least one and at most ``most`` digits. A zero-width interval keeps ``most``.
    """
    if not all(map(math.isfinite, (value, low, high))) or value == 0 or high <= low:
        return most
    step = math.floor(math.log10((high - low) / 2)) - 1
    return max(1, min(most, math.floor(math.log10(abs(value))) - step + 1))


def uncertain(value: float, low: float, high: float) -> tuple[str, str, str]:
    """``value``, ``low`` and ``high`` rounded to the same decimal place, the one the interval supports
    (:func:`supported_digits`)."""
    digits = supported_digits(value, low, high)
    if not math.isfinite(value) or value == 0:
        return significant(value), significant(low), significant(high)
    place = math.floor(math.log10(abs(value))) - digits + 1

    def at_place(x):
        if x is None or not math.isfinite(x) or x == 0:
            return significant(x)
        return significant(x, max(1, math.floor(math.log10(abs(x))) - place + 1))
    return at_place(value), at_place(low), at_place(high)


def with_interval(median: float, low: float, high: float) -> str:
    """'51,000 [25,000-130,000]': a median and its 5-95 % interval at the precision the interval supports."""
    m, lo, hi = uncertain(median, low, high)
    return f"{m} [{lo}-{hi}]"


def probability(p: float) -> str:
    """A probability to two decimals ('0.22'); 'n/a' when missing."""
    return "n/a" if p is None or not math.isfinite(p) else f"{p:.2f}"


def monte_carlo_sentence(monte_carlo: pd.DataFrame, orbit: str, grids: dict[str, str], grid_names: dict[str, str],
                          where: str) -> str:
    """The one-sentence answer from Monte Carlo statistics: medians, 5-95 % intervals, P(orbit lower)."""
    methods = [m for m in ("GWP100", "GWP100+HA") if m in set(monte_carlo["method"])]
    n = int(monte_carlo["n"].iloc[0]) if "n" in monte_carlo.columns else None
    parts = []
    for method in methods:
        rows = monte_carlo[monte_carlo["method"] == method]
        own = rows[rows["system"] == orbit].iloc[0]
        label = "GWP100" if method == "GWP100" else "GWP100+HA, with high-altitude effects"
        chances = [(grids.get(r.system), r.p_orbit_lower) for r in rows.itertuples() if r.system != orbit]
        featured = [c for c in chances if c[0] in ("US", "FR")] or chances[:2]
        against = " and ".join(f"{probability(p)} against {_grid_label(g, grid_names)}" for g, p in featured)
        if len(chances) > 2:
            low, high = min(p for _, p in chances), max(p for _, p in chances)
            against += (f" ({probability(low)} against all {len(chances)} grids)" if probability(low) == probability(high)
                        else f" ({probability(low)} to {probability(high)} across the {len(chances)} grids)")
        parts.append(f"median {with_interval(own['median'], own['p5'], own['p95'])} {UNIT_TEXT} ({label}), "
                     f"probability that orbit is lower-carbon {against}")
    runs = f" over {n:,} Monte Carlo samples" if n else ""
    return f"{where}, a PFLOP-day in orbit emits " + "; and ".join(parts) + f" (5-95 % intervals{runs})."


#: The dominant assumption of the high-altitude result, in words (docs/methods/high-altitude.md).
HA_ASSUMPTION = ("the soot index of methane engines (launch.bc_pei_methane, lognormal, median 0.5 g/kg) and "
                 "the surface efficacy of soot above the tropopause (climate.bc_efficacy): 1, the forcing-based "
                 "convention, at the central value; down to -0.5, the net surface cooling climate models find for "
                 "stratospheric soot (Ross et al. 2010; Maloney et al. 2022), at the low end")


#: What an ozone (kg CFC-11-eq) total covers: said beside every ozone table, since a zero reads as a measurement.
OZONE_COVERAGE = ("The shipped background inventories carry no ordinary ozone-depleting substances (the CFC, HCFC "
                  "and halon emissions of supply chains are cut off), so these totals are the launch and re-entry "
                  "terms only and a system without launches shows 0 by omission, not by measurement "
                  "(docs/methods/ozone.md).")


def median_words(shifts: pd.DataFrame, method: str, system: str, top: int = 3) -> str:
    """One sentence: how far the Monte Carlo median of ``system`` sits from its central total and the inputs
    that move it most (:func:`lca.analysis.skew.median_shifts`; a climate method, g CO2e per PFLOP-day)."""
    entry = shifts.attrs["summary"][(method, system)]
    rows = shifts[(shifts["method"] == method) & (shifts["system"] == system)].head(top)

    def signed(value):
        return ("+" if value > 0 else "") + significant(value)

    named = ", ".join(f"{r['input']} ({signed(r['shift at median'])})" for _, r in rows.iterrows())
    words = f"{system}, {method}: central {significant(entry['central'])} g CO2e per PFLOP-day"
    if "mc median" in entry:
        words += (f", Monte Carlo median {significant(entry['mc median'])} "
                  f"({entry['mc median'] / entry['central']:.2f} x central)")
    return (words + f"; each input alone at its median moves it by {signed(entry['sum of shifts at median'])} in "
            f"all, most: {named}")


def fleet_ozone_words(ozone: dict) -> str:
    """The fleet's chlorine-equivalent emissions and the column ozone loss they imply, in one sentence
    (:func:`lca.analysis.fleet.ozone_loss`)."""
    coefficient = ozone["loss_per_chlorine"]
    return (f"ozone: {ozone['chlorine_equivalent_t_per_year']:.3g} t/year of chlorine-equivalent above the tropopause "
            f"(ODP-launch weights), about {ozone['column_loss_percent']:.2g} % of global column ozone at steady "
            f"state ({coefficient['value']:g} {coefficient['unit']} of chlorine, {coefficient['source']}; central "
            "values)")


def high_altitude_note(monte_carlo: pd.DataFrame, orbit: str, method: str = "GWP100+HA") -> str:
    """The high-altitude result as a range with its low end, and the assumption that sets it, in one sentence;
    empty without Monte Carlo statistics of ``method``."""
    if monte_carlo is None or not len(monte_carlo) or "p5" not in monte_carlo.columns:
        return ""
    rows = monte_carlo[(monte_carlo["method"] == method) & (monte_carlo["system"] == orbit)]
    if rows.empty:
        return ""
    own = rows.iloc[0]
    low = own["p2_5"] if "p2_5" in own.index and math.isfinite(own["p2_5"]) else own["p5"]
    coverage = "2.5" if "p2_5" in own.index and math.isfinite(own["p2_5"]) else "5"
    return (f"With high-altitude effects ({method}) the orbital result ranges from {significant(low)} "
            f"({coverage} % quantile, the low end) to {significant(own['p95'])} {UNIT_TEXT} (95 %); the dominant "
            f"assumptions are {HA_ASSUMPTION} (docs/methods/high-altitude.md).")


def answer(summary: pd.DataFrame, orbit: str, grid_names: dict[str, str], configuration: str, is_default: bool,
           tornado_range: tuple[float, float] | None = None, monte_carlo: pd.DataFrame | None = None) -> str:
    """The answer in a few sentences: with Monte Carlo statistics, the one-sentence answer of
    :func:`monte_carlo_sentence` first, then the central (deterministic) values.

    ``summary`` has one row per system with columns system, kind, grid and
    one column per method (central totals in g CO2e per PFLOP-day).
    """
    methods = [m for m in ("GWP100", "GWP100+HA") if m in summary.columns]
    ground = summary[summary["kind"] == "terrestrial"]
    orbit_row = summary.set_index("system").loc[orbit]
    where = f"{'Under the default configuration' if is_default else 'Under this configuration'} ({configuration})"
    parts = []
    has_mc = monte_carlo is not None and len(monte_carlo) and {"p5", "p95"} <= set(monte_carlo.columns)
    if has_mc:
        parts.append(monte_carlo_sentence(monte_carlo, orbit, dict(zip(summary["system"], summary["grid"])),
                                           grid_names, where))
    for index, method in enumerate(methods):
        value = orbit_row[method]
        ratios = {grid: value / total for grid, total in zip(ground["grid"], ground[method]) if total}
        featured = [g for g in ("US", "FR") if g in ratios] or list(ratios)[:2]
        lower = sum(1 for r in ratios.values() if r < 1)
        label = "GWP100" if method == "GWP100" else "GWP100+HA, including high-altitude effects"
        if index == 0:
            text = (f"Central (deterministic) values: orbit emits {significant(value)} {UNIT_TEXT} ({label})"
                    if has_mc else f"{where}, orbit emits {significant(value)} {UNIT_TEXT} (central, "
                                   f"deterministic; {label})")
        else:
            text = f"Including high-altitude effects ({method}), orbit emits {significant(value)} {UNIT_TEXT}"
        if featured:
            text += ", " + " and ".join(f"{ratio(ratios[g])} {_grid_label(g, grid_names)}" for g in featured)
        if len(ratios) > 2:
            low_grid = min(ratios, key=ratios.get)
            high_grid = max(ratios, key=ratios.get)
            text += (f"; across the {len(ratios)} grids compared, from {ratio(ratios[low_grid])} ({low_grid}) to "
                     f"{ratio(ratios[high_grid])} ({high_grid})")
        if ratios:
            text += (f": lower-carbon than {lower} of {len(ratios)} grid(s)" if lower else
                     ": higher-carbon than every grid compared")
        parts.append(text + ".")
    if has_mc and (note := high_altitude_note(monte_carlo, orbit)):
        parts.append(note)
    if tornado_range is not None and all(map(math.isfinite, tornado_range)):
        parts.append(f"Setting the main parameters one at a time to the ends of their ranges moves the orbital "
                     f"GWP100 result between {significant(tornado_range[0])} and {significant(tornado_range[1])} "
                     f"{UNIT_TEXT} (sheet 'Sensitivity').")
    return " ".join(parts)


def how_to_read(sheets: list[str]) -> list[tuple[str, str]]:
    """One line per sheet of the workbook."""
    what = {
        "Cover": "this page: the question, the answer, how to read the workbook",
        "Goal and scope": "ISO 14044 goal and scope: functional unit, boundaries, cut-offs, allocation, methods, "
                          "data quality, limitations, and the critical-review requirement",
        "Summary": "total per system for each method, ratios to the orbit, Monte Carlo statistics where computed, "
                   "and charts of the medians with their 5-95 % intervals (stages without Monte Carlo)",
        "By stage": "each system's result split by life-cycle stage, with stacked bar charts (GWP100, GWP100+HA)",
        "By process": "every exchange of every system: amount of its provider, score of one unit, contribution "
                      "by stage; rows of a system add up to its total",
        "Contribution tree": "where in the supply chain each system's impact sits: an indented tree of "
                             "activities with cumulative and direct scores and shares, inputs under a 1 % cut-off "
                             "summed (Brightway graph traversal); the Sankey diagram is in the HTML companion",
        "Break-even": "the grid intensity, launch emissions per kg, specific mass, lifetime and launcher reuse "
                      "at which orbit and ground are equal, per grid and method",
        "Launch": "why the launchers differ per kg of payload (GWP100): propellant burned per kg payload, emissions "
                  "per kg propellant produced and burned, hardware over its reuse counts, every launcher",
        "Sensitivity": "one-at-a-time (tornado) sensitivity of every system to the main parameters' low and "
                       "high values, with a chart for the orbit per method (parameters in words, unit and range)",
        "Monte Carlo": "orbit minus each grid at every percentile of the Monte Carlo runs, with cumulative "
                       "distribution charts whose height at zero is P(orbit lower)",
        "Central vs median": "why the Monte Carlo median sits away from the central value: the total with each "
                             "uncertain input alone at the median (and the mean) of its distribution, all others "
                             "as configured, largest shifts first",
        "Sobol": "variance-based (Sobol) sensitivity indices",
        "Cost": "levelised cost per PFLOP-day of each system by cost stage (USD of 2024; capital recovered at the "
                "discount rate over each life), its Monte Carlo median and 5-95 % interval from the same samples "
                "as the carbon results, and the cost of the carbon avoided by orbit per grid, its sign in words",
        "Assumptions": "the configuration and main parameters of this run; edit column 'value' and rerun with "
                       "`lca compare --assumptions THIS_FILE.xlsx --out NEW.xlsx`",
        "Grids": "the grid electricity intensities used, with basis, year and source",
        "Sizing": "the sizing of each system per PFLOP-day (accelerator time, power, areas, masses)",
        "Ozone": "stratospheric ozone depletion (methods in kg CFC-11-eq, e.g. `--method ODP-launch`) per PFLOP-day "
                 "and per launch, in g or kg CFC-11-eq, never CO2e",
        "Fleet scale": "annual black-carbon and alumina emissions by altitude band implied by the fleet size "
                       "(fleet.orbital_compute_power) beside today's global rocket totals, flagged where the "
                       "linear per-kg factors are stretched",
        "Inventories": "every exchange of the inventory databases the systems draw on, with its source id",
        "Parameters": "every parameter with value, unit, distribution, range and source",
        "Sources": "the full citation of every source id",
        "Results": "the tidy table (system x method x stage x statistic) the other result sheets are built from",
        "Activity footprints": "footprint of one reference unit of every launch, PV, GPU and support activity, "
                               "by stage, four methods",
        "Reconciliation": "published studies (presets in inventories/presets/): their headline, ours under their "
                          "assumptions and scope, ours by default, and the difference in named causes",
        "Provenance": "tool and package versions, seed, input file hashes, time and command line",
    }
    return [(sheet, what.get(sheet, "")) for sheet in sheets]


def goal_and_scope(inventory, comparison, methods: list[str], link_frame: pd.DataFrame,
                   exchange_sources: pd.Series) -> list[tuple[str, str]]:
    """ISO 14044 goal and scope fields as (field, text) rows."""
    chosen = comparison.choices
    table = comparison.table
    scale = table.loc[table["stage"] == "total", "value"].abs().max()
    stages = {kind: sorted(set(table.loc[(table["kind"] == kind) & (table["stage"] != "total")
                                         & (table["value"].abs() > 1e-9 * scale), "stage"]))
              for kind in ("orbit", "terrestrial")}
    labels = {kind: list(dict.fromkeys(link_frame.loc[link_frame["kind"] == kind, "label"]))
              for kind in ("orbit", "terrestrial")}
    method_lines = []
    for alias in methods:
        method = inventory.methods.get(alias)
        if method is not None:
            method_lines.append(f"{alias}: {' | '.join(method.name)} (source {method.source}). "
                                f"{' '.join(str(method.description).split())}")
    counts = exchange_sources.map(lambda s: inventory.sources[s].reliability if s in inventory.sources else "unknown")
    shares = counts.value_counts(normalize=True)
    quality = ", ".join(f"{shares.get(r, 0.0):.0%} {r}" for r in RELIABILITY if shares.get(r, 0.0) > 0)
    overrides = ", ".join(f"{k} = {v:g}" for k, v in comparison.overrides.items()) or "none"
    return [
        ("Goal: intended application",
         "Compare the life-cycle greenhouse-gas emissions of AI compute delivered by a solar-powered compute "
         "satellite with the same compute delivered by a data centre on terrestrial grids, and find the "
         "conditions (grid intensity, launch emissions, spacecraft mass, lifetime, launcher reuse) under which "
         "either is lower."),
        ("Goal: reasons for the study",
         "Orbital data centres are proposed as a low-carbon alternative to terrestrial ones; the claim depends "
         "on the emissions of launching, building and retiring the spacecraft, which are counted here."),
        ("Goal: intended audience",
         "Sustainability analysts and their reviewers; the workbook is meant to be checked line by line."),
        ("Goal: comparative assertion",
         "This is a comparative study. Under ISO 14044:2006 a result communicated to any third party needs a "
         "third-party report (§5.2), and a comparative assertion intended to be disclosed to the public needs a "
         "critical review (§6.1), by a panel of interested parties (§6.3), and the further reporting of §5.3. "
         "This workbook has NOT been critically reviewed: do not present its result as a public comparative "
         "assertion (\"orbit is lower/higher-carbon than ground\") before such a review."),
        ("Functional unit",
         f"1 PFLOP-day = 8.64e19 floating-point operations of delivered compute at {chosen.precision} dense peak "
         f"on {chosen.accelerator} accelerators, at the utilisation (compute.mfu) and goodput (compute.goodput) "
         "of the Assumptions sheet; both systems deliver exactly this work."),
        ("Reference flows",
         "Per PFLOP-day, the 'By process' sheet lists each system's reference flows (accelerator-slot shares, "
         "kWh of grid electricity, kg launched, W of solar array, m2 of radiator ...); the 'Sizing' sheet shows "
         "the physical sizing behind them."),
        ("Systems compared",
         f"Orbit: {comparison.orbit.name} (launcher {chosen.launcher}, orbit {chosen.orbit}). Terrestrial: "
         f"{'; '.join(m.name for m in comparison.terrestrial)}."
         + (f" Grid intensities evaluated in {chosen.year} along terrestrial.grid_decarbonisation_rate."
            if getattr(chosen, "year", None) else "")
         + (" Grid electricity scaled by the decarbonisation trajectory over the hardware life." if chosen.trajectory
            else " Grid intensities constant over the hardware life.")),
        ("System boundary: orbit",
         "Cradle to grave of the orbital node, per PFLOP-day. Stages: " + "; ".join(stages["orbit"])
         + ". Exchanges: " + "; ".join(labels["orbit"]) + "."),
        ("System boundary: terrestrial",
         "Cradle to grave of the servers and accelerators (their end of life as electronic waste, cut-off), "
         "cradle to gate of the building, plus the use phase, per PFLOP-day. Stages: "
         + "; ".join(stages["terrestrial"]) + ". Exchanges: " + "; ".join(labels["terrestrial"]) + "."),
        ("Outside the boundary",
         "Anything not listed on the 'By process' sheet, including: recycling credits for recovered metals; "
         "end-of-life treatment of the data-centre building; networks between the data centre (or ground station) and "
         "users; construction energy of the site and refrigerant leakage (cut-off, see "
         "systems_support:data_centre_building); repair or replacement of failed hardware in orbit (none "
         "by default: failures reduce delivered compute instead; orbit.resupply_fraction replaces them by "
         "resupply launches); space debris and non-climate effects other than stratospheric ozone (toxicity, "
         "water, resources; ozone depletion is reported only with --method ODP-launch)."),
        ("Cut-off criteria",
         "No mass or energy cut-off rule is applied to the system models: every flow the models size is "
         "included. Inside the inventories, flows judged marginal in their sources are cut off where the "
         "activity comment says so; recycled-metal inputs enter burden-free (recycled-content cut-off)."),
        ("Allocation",
         "Attributional. Multi-output processes are avoided where possible; hardware and buildings are "
         "allocated to the PFLOP-day by time (use time / lifetime); launches by payload mass (kg launched); "
         "launcher manufacture by the number of reuses. No system expansion or avoided burdens."),
        ("LCIA methods", " ".join(method_lines) + " GWP100 is the headline; GWP100+HA adds the high-altitude "
         "non-CO2 effects of launch and re-entry, whose factors are uncertain by about an order of magnitude "
         "and must be read as a range."),
        ("Background data", "ecoinvent 3.9 biosphere flows and IPCC 2021 characterisation as shipped with bw2io; "
         "the tool's own cited inventories for everything else (no ecoinvent processes)."),
        ("Data quality",
         f"Every amount and parameter names a source (sheets 'Inventories', 'Parameters', 'Sources'). Of the "
         f"{len(exchange_sources)} exchanges of the databases used: {quality}. Each number carries an "
         "uncertainty distribution; the 'Sensitivity' sheet shows the effect of the main ones."),
        ("Configuration of this run",
         f"accelerator {chosen.accelerator}, precision {chosen.precision}, launcher {chosen.launcher}, orbit "
         f"{chosen.orbit}, grids {', '.join(chosen.grids)}; parameter overrides: {overrides}."),
        ("Limitations",
         "Orbital compute at this scale has not been built: the spacecraft mass, lifetime, failure rates and "
         "launcher reuse are projections with wide ranges. Grid intensities are annual averages (country grids "
         "production-based, US regions consumption-based; see the 'Grids' sheet), not marginal or hourly. "
         "Where a source gives only a CO2e total it is carried as fossil CO2, so GWP20 under-counts its "
         "methane share. Results are linear in the inputs; the tornado varies one parameter at a time and does "
         "not capture interactions. Brightway stores matrices in single precision (about 1e-7 relative)."),
    ]
