"""Footprints of every activity of the domain databases, by life-cycle stage, for several methods."""
from __future__ import annotations

import pandas as pd

from lca.brightway.calculation import Calculator, stage_scores
from lca.inventory import Inventory

#: The databases whose activities the per-activity footprint table covers.
FOOTPRINT_DATABASES = ("launch", "pv", "gpu", "systems_support", "systems")
#: The methods of the per-activity footprint table.
FOOTPRINT_METHODS = ("GWP100", "GWP100+HA", "HA-nonCO2", "GWP20")


def footprint_table(inventory: Inventory, bd, methods: tuple[str, ...] = FOOTPRINT_METHODS, progress=None) -> pd.DataFrame:
    """Tidy footprints: one row per activity x method x stage [kg CO2e per reference unit]."""
    activities = ([a for a in inventory.activities() if a.database in FOOTPRINT_DATABASES]
                  or list(inventory.activities()))
    rows = []
    calculator = Calculator(inventory, bd, methods[0])
    for method in methods:
        if progress:
            progress(f"footprints of {len(activities)} activities, {method}")
        calculator.switch_method(method)
        for activity in activities:
            score = calculator.unit_score(activity.key)
            stages = stage_scores(inventory, calculator.lca, calculator.keys, score, calculator.links)
            base = {"database": activity.database, "code": activity.code, "activity": activity.name,
                    "per": f"1 {activity.unit}", "method": method}
            rows.append(base | {"stage": "total", "score_kgCO2e": score})
            rows += [base | {"stage": stage, "score_kgCO2e": value} for stage, value in sorted(stages.items())]
    return pd.DataFrame(rows)
