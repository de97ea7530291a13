"""A compute workload on the terrestrial side, in the terms publications use: accelerator-hours, power per
accelerator, PUE and grid intensity in; energy [MWh], accelerator-hours and tonnes of CO2e by stage out.

The workload is solved with the terrestrial model (:mod:`lca.models.terrestrial`) and the comparison
(:func:`lca.analysis.compare.compare`), not with physics of its own. The model sizes one PFLOP-day: accelerator
time ``t1`` [h], electricity ``P x PUE x t1``, hardware share ``t1 / lifetime`` and building, each proportional to
``t1``. A workload of ``H`` accelerator-hours is therefore the PFLOP-day result scaled by ``H / t1``, whatever the
MFU and goodput (they cancel). The stated figures enter as parameter values:

- power per accelerator ``W``, ``basis='tdp'``: the accelerator's ``tdp`` is ``W`` and the node overhead
  (``terrestrial.node_power_overhead``, host and network share) applies; ``basis='measured'``: ``W`` is the
  measured average draw of the node share of one accelerator, so the node overhead is 1;
- stated facility energy ``E`` (PUE included): the measured power ``E / (H x PUE)``, so the model's electricity is
  ``E`` as stated;
- ``pue``: ``terrestrial.pue``; a grid intensity: the custom grid (``background.custom_grid_intensity``).

A ``scope`` (the stages a publication counts) leaves the other stages out of the total; they are still reported,
marked not counted.

Monte Carlo (:func:`lca.analysis.montecarlo.monte_carlo`) samples every uncertain input except the stated ones
and MFU and goodput (:data:`CANCELLING`, held at their values: accelerator-hours are given, so the per-PFLOP-day
accelerator time is one constant and the workload is each sample's total times ``H / t1``); it reports the total
over every stage.

References
----------
.. [1] Patterson, D. et al. (2021). Carbon Emissions and Large Neural Network Training. arXiv:2104.10350
   (energy = accelerator-hours x power x PUE; CO2e = energy x grid intensity).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lca.analysis.compare import CUSTOM_GRID_PARAMETER as CUSTOM_GRID
from lca.analysis.compare import choices, compare, grid_intensities, inventory_value
from lca.analysis.montecarlo import INTERVAL, monte_carlo
from lca.core.units import GRAMS_PER_KG
from lca.inventory import Inventory
from lca.inventory.workloads import Workload, WorkloadError

METHOD = "GWP100"
#: Parameters that cancel out of a workload given in accelerator-hours (held fixed in Monte Carlo).
CANCELLING = ("compute.mfu", "compute.goodput")
GRAMS_PER_TONNE = 1e6
ELECTRICITY_STAGE = "operational electricity"
#: Transmission and distribution losses: counted on a named grid (its intensity is per kWh generated), not on
#: an intensity the user or a publication states per kWh consumed.
GRID_LOSS = "terrestrial.grid_loss"


def configuration(inventory: Inventory, workload: Workload, overrides: dict | None = None):
    """The comparison choices and parameter values that express ``workload`` (values given in ``overrides``
    win)."""
    if not workload.accelerator_hours > 0:
        raise WorkloadError(f"accelerator-hours must be positive, got {workload.accelerator_hours:g} h")
    grids = ["custom"] if workload.grid_intensity is not None else [workload.grid] if workload.grid else None
    chosen = choices(inventory, workload.accelerator, _precision(inventory, workload.accelerator), grids)
    product = inventory.catalogue.accelerators[chosen.accelerator]
    values = dict(workload.overrides)
    if workload.pue is not None:
        values["terrestrial.pue"] = workload.pue
    if workload.grid_intensity is not None:
        values[CUSTOM_GRID] = f"{workload.grid_intensity} kg/kWh"
        values[GRID_LOSS] = 0.0       # an intensity as stated applies to the kWh the site draws, losses included
    values |= dict(overrides or {})
    power, basis = workload.power_per_accelerator, workload.power_basis
    if workload.energy is not None:
        if power is not None:
            raise WorkloadError("give the power per accelerator or the energy, not both")
        pue = values.get("terrestrial.pue", inventory.parameters["terrestrial.pue"].value)
        power, basis = workload.energy * 1e3 / (workload.accelerator_hours * float(pue)), "measured"
    if power is not None:
        if not power > 0:
            raise WorkloadError(f"power per accelerator must be positive, got {power:g} W")
        values[f"{product}.tdp"] = f"{power} W"
        if basis == "measured":
            values["terrestrial.node_power_overhead"] = 1.0
    return chosen, values


def _precision(inventory: Inventory, accelerator: str | None) -> str | None:
    """The default precision, or, for an accelerator without it, its first: accelerator-hours are given, so the
    peak throughput (and hence the precision) cancels out of the workload."""
    catalogue = inventory.catalogue
    reference = catalogue.accelerators.get(accelerator or catalogue.defaults.accelerator)
    if reference is None:
        return None                                   # an unknown name: choices() names the known ones
    peaks = sorted(n[len("peak_"):] for n in inventory.activity(reference).properties if n.startswith("peak_"))
    return catalogue.defaults.precision if catalogue.defaults.precision in peaks else peaks[0]


def run(inventory: Inventory, bd, workload: Workload, overrides: dict | None = None, mc: int = 0,
        seed: int | None = None) -> dict:
    """The workload solved by stage: ``stages`` (stage, counted, energy_MWh, tCO2e), ``totals`` (one row), the
    per-PFLOP-day ``comparison`` behind them and, with ``mc`` samples, ``samples`` (the total over every stage
    per sample [tCO2e]) and its median and 5-95 % interval in ``totals``."""
    chosen, values = configuration(inventory, workload, overrides)
    values = {name: inventory.parameters[name].value for name in CANCELLING} | values
    result = compare(inventory, bd, chosen, values, methods=(METHOD,))
    ground = result.terrestrial[0]
    per_pflop_day_hours = ground.sizing["accelerator time"].m_as("hour")
    scale = workload.accelerator_hours / per_pflop_day_hours          # PFLOP-days at the model's MFU
    energy_mwh = ground.sizing["electricity"].m_as("MWh") * scale
    rows = result.stages[(result.stages["system"] == ground.name) & (result.stages["method"] == METHOD)]
    scope = workload.scope
    stages = pd.DataFrame({
        "stage": rows["stage"].to_numpy(),
        "counted": [scope is None or stage in scope for stage in rows["stage"]],
        "energy_MWh": [energy_mwh if stage == ELECTRICITY_STAGE else 0.0 for stage in rows["stage"]],
        "tCO2e": rows["value"].to_numpy() * scale / GRAMS_PER_TONNE})
    stages = stages[stages["tCO2e"] != 0].reset_index(drop=True)
    if ground.grid == "custom":
        intensity = inventory_value(inventory, CUSTOM_GRID, result.overrides)
    else:
        intensity = grid_intensities(inventory).get(ground.grid)
    total = float(stages.loc[stages["counted"], "tCO2e"].sum())
    totals = {"workload": workload.name or "workload", "accelerator": chosen.accelerator,
              "accelerator_hours": workload.accelerator_hours, "energy_MWh": energy_mwh,
              "pue": inventory_value(inventory, "terrestrial.pue", result.overrides), "grid": ground.grid,
              "grid_intensity_gCO2e_per_kWh": None if intensity is None else intensity * GRAMS_PER_KG,
              "tCO2e": total, "tCO2e_every_stage": float(stages["tCO2e"].sum()),
              "scope": "every stage" if scope is None else ", ".join(scope)}
    if workload.published:
        published = float(workload.published["value"])
        totals |= {"published_tCO2e": published, "difference_percent": (total / published - 1) * 100,
                   "tolerance_percent": workload.published.get("tolerance"),
                   "published_locator": workload.published["locator"]}
    samples = None
    if mc:
        sampled = monte_carlo(inventory, bd, chosen, values, mc, seed, methods=(METHOD,))
        samples = pd.Series(sampled.scores[(ground.name, METHOD)] * scale / GRAMS_PER_TONNE, name="tCO2e_every_stage")
        samples.index.name = "sample"
        totals |= {"mc_n": mc, "mc_seed": seed, "mc_median_tCO2e_every_stage": float(np.median(samples)),
                   "mc_p5_tCO2e_every_stage": float(np.percentile(samples, INTERVAL[0])),
                   "mc_p95_tCO2e_every_stage": float(np.percentile(samples, INTERVAL[1]))}
    return {"stages": stages, "totals": pd.DataFrame([totals]), "comparison": result, "workload": workload,
            "samples": samples}
