"""Uncertainty distributions: the data's spelling and Brightway's (stats_arrays).

Data files describe uncertainty in the exchange's or parameter's own unit::

    {distribution: triangular, low: L, high: H}   # mode = the central value
    {distribution: uniform, low: L, high: H}
    {distribution: lognormal, gsd: G}             # median = the central value, G > 1
    {distribution: normal, sd: S}
    {distribution: none}                          # exact (stoichiometry, definitions)

:func:`to_stats_arrays` turns one of these into the fields Brightway stores on an
exchange (``uncertainty type``, ``loc``, ``scale``, ``minimum``, ``maximum``).
"""
from __future__ import annotations

import math

from lca.errors import InputError

#: stats_arrays distribution ids.
STATS_ARRAYS_ID = {"none": 1, "lognormal": 2, "normal": 3, "uniform": 4, "triangular": 5}
_REQUIRED = {
    "none": (),
    "lognormal": ("gsd",),
    "normal": ("sd",),
    "uniform": ("low", "high"),
    "triangular": ("low", "high"),
}


#: Largest geometric standard deviation accepted: beyond it a lognormal samples values that overflow.
MAX_GSD = 100.0


class DistributionError(InputError):
    """An uncertainty description that is incomplete or inconsistent."""


def _finite(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DistributionError(f"'{field}' must be a number, got {value!r}")
    if not math.isfinite(value):
        raise DistributionError(f"'{field}' must be finite, got {value!r}")
    return float(value)


def validate(spec: dict, central: float) -> dict:
    """Check ``spec`` against the central value and return a normalised copy.

    Parameters
    ----------
    spec : dict
        Uncertainty as written in the data (see module docstring).
    central : float
        The central value (amount or parameter value) [same unit as the bounds].
    """
    if not isinstance(spec, dict):
        raise DistributionError(f"expected a mapping like {{distribution: triangular, low: .., high: ..}}, got {spec!r}")
    kind = spec.get("distribution")
    if not isinstance(kind, str) or kind not in _REQUIRED:
        raise DistributionError(f"unknown distribution {kind!r}; expected one of {', '.join(_REQUIRED)}")
    extra = set(spec) - {"distribution", *_REQUIRED[kind]}
    if extra:
        expected = ", ".join(_REQUIRED[kind]) or "none"
        raise DistributionError(f"{kind}: unexpected field(s) {', '.join(sorted(extra))}; expected {expected}")
    out = {"distribution": kind}
    for field in _REQUIRED[kind]:
        if field not in spec:
            raise DistributionError(f"{kind}: missing '{field}'")
        out[field] = _finite(spec[field], field)
    if kind in ("triangular", "uniform"):
        if not out["low"] <= central <= out["high"]:
            raise DistributionError(f"{kind}: need low <= value <= high, got {out['low']} <= {central} <= {out['high']}")
        if kind == "uniform" and out["low"] == out["high"]:
            raise DistributionError("uniform: low equals high; use {distribution: none}")
    if kind == "lognormal":
        if out["gsd"] <= 1:
            raise DistributionError(f"lognormal: gsd must be > 1, got {out['gsd']}")
        if out["gsd"] > MAX_GSD:
            raise DistributionError(f"lognormal: gsd must be at most {MAX_GSD:g} (a factor of {MAX_GSD:g} either "
                                    f"way covers 68% of the values), got {out['gsd']:g}")
        if central <= 0:
            raise DistributionError(f"lognormal: the value must be > 0, got {central}")
    if kind == "normal" and out["sd"] <= 0:
        raise DistributionError(f"normal: sd must be > 0, got {out['sd']}")
    return out


def scaled(spec: dict, factor: float) -> dict:
    """The same distribution for a value multiplied by ``factor`` (a unit conversion)."""
    out = dict(spec)
    for field in ("low", "high", "sd"):
        if field in out:
            out[field] = out[field] * factor
    if factor < 0 and "low" in out:
        out["low"], out["high"] = out["high"], out["low"]
    return out


def to_stats_arrays(spec: dict, central: float) -> dict:
    """Brightway exchange fields for ``spec`` around ``central``."""
    kind = spec["distribution"]
    fields = {"uncertainty type": STATS_ARRAYS_ID[kind], "loc": central}
    if kind == "lognormal":
        fields.update(loc=math.log(central), scale=math.log(spec["gsd"]))
    elif kind == "normal":
        fields.update(scale=spec["sd"])
    elif kind in ("uniform", "triangular"):
        fields.update(minimum=spec["low"], maximum=spec["high"])
    return fields


def bounds(spec: dict, central: float, coverage: float = 0.95) -> tuple[float, float]:
    """Low and high values: the range of bounded distributions, else the central ``coverage`` interval."""
    kind = spec["distribution"]
    if kind in ("uniform", "triangular"):
        return spec["low"], spec["high"]
    if kind == "none":
        return central, central
    from scipy import stats

    z = stats.norm.ppf(0.5 + coverage / 2)
    if kind == "lognormal":
        return central / spec["gsd"] ** z, central * spec["gsd"] ** z
    return central - z * spec["sd"], central + z * spec["sd"]



def ppf(spec: dict, central, u):
    """Inverse CDF: values of the distribution at probabilities ``u`` [unit of ``central``].

    The same function serves Monte Carlo (``u`` uniform random) and Sobol
    sampling (``u`` from a Saltelli design), so both use the data's
    distributions exactly as Brightway would (stats_arrays conventions:
    lognormal median = ``central``, triangular mode = ``central``).
    """
    import numpy as np
    from scipy import stats

    u = np.asarray(u, dtype=float)
    kind = spec["distribution"]
    if kind == "none":
        return np.full_like(u, central, dtype=float)
    if kind == "lognormal":
        return stats.lognorm.ppf(u, s=math.log(spec["gsd"]), scale=central)
    if kind == "normal":
        return stats.norm.ppf(u, loc=central, scale=spec["sd"])
    low, high = spec["low"], spec["high"]
    if high == low:
        return np.full_like(u, central, dtype=float)
    if kind == "uniform":
        return low + u * (high - low)
    return stats.triang.ppf(u, c=(central - low) / (high - low), loc=low, scale=high - low)


def cdf(spec: dict, central: float, x: float) -> float:
    """Probability that the distribution is at or below ``x`` [-] (the inverse of :func:`ppf`; a distribution
    of kind ``none`` is a step at ``central``)."""
    from scipy import stats

    kind = spec["distribution"]
    if kind == "none":
        return float(x >= central)
    if kind == "lognormal":
        return float(stats.lognorm.cdf(x, s=math.log(spec["gsd"]), scale=central))
    if kind == "normal":
        return float(stats.norm.cdf(x, loc=central, scale=spec["sd"]))
    low, high = spec["low"], spec["high"]
    if high == low:
        return float(x >= central)
    if kind == "uniform":
        return float(min(1.0, max(0.0, (x - low) / (high - low))))
    return float(stats.triang.cdf(x, c=(central - low) / (high - low), loc=low, scale=high - low))


def mean(spec: dict, central: float) -> float:
    """Expected value of the distribution [unit of ``central``]."""
    kind = spec["distribution"]
    if kind in ("none", "normal"):
        return central
    if kind == "lognormal":
        return central * math.exp(math.log(spec["gsd"]) ** 2 / 2)
    if kind == "uniform":
        return (spec["low"] + spec["high"]) / 2
    return (spec["low"] + central + spec["high"]) / 3
