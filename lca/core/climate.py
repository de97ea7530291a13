"""Climate metrics of short-lived emissions from their physics: AGWP, AGTP and the CO2-equivalent factor.

A species emitted as a pulse of 1 kg whose burden decays with e-folding time ``tau`` [yr] and whose
radiative efficiency is ``RE`` [W m-2 per kg of burden] has (IPCC AR5 WG1 Ch. 8 Supplementary Material,
Eqs. 8.SM.9 and 8.SM.15, the same formulas as IPCC AR6 WG1 Ch. 7 Supplementary Material, Section 7.SM.5):

    AGWP_x(H) = RE * tau * (1 - exp(-H / tau))                                  [W m-2 yr kg-1]
    AGTP_x(H) = RE * tau * sum_j q_j / (tau - d_j) * (exp(-H / tau) - exp(-H / d_j))   [K kg-1]

with the two-box temperature impulse response R_T(t) = sum_j q_j / d_j exp(-t / d_j) of AR6 (q_j
[K (W m-2)-1], d_j [yr]: the values the AR6 Chapter 7 metrics were computed with, repository
IPCC-WG1/Chapter-7, notebooks/335_chapter7_generate_metrics.ipynb). The metric is the ratio to CO2:

    GWP_x(H) = efficacy * AGWP_x(H) / AGWP_CO2(H),   GTP_x(H) = efficacy * AGTP_x(H) / AGTP_CO2(H)

The measurable input for rocket emissions is the steady-state forcing per emission rate
``F = RE * tau`` [W m-2 per (kg yr-1) = W m-2 yr kg-1] (a constant emission rate E [kg yr-1] gives the
burden E * tau and the forcing F * E), so the functions take ``F`` and ``tau`` and recover ``RE = F / tau``.
``efficacy`` [dimensionless] is the surface-temperature response per unit forcing relative to that of CO2
(Hansen et al. 2005, J. Geophys. Res. 110, D18104, doi:10.1029/2005JD005776): 1 gives the conventional
forcing-based metric; values near zero or below zero represent absorbing aerosol above the tropopause that
heats the stratosphere and leaves little or net negative surface warming (Ross et al. 2010, GRL,
doi:10.1029/2010GL044548; Maloney et al. 2022, JGR Atmospheres, doi:10.1029/2021JD036373).

Every function works on floats or numpy arrays (element-wise), so Monte Carlo samples of the inputs give
samples of the factor. No constants live here: the inputs are parameters in ``inventories/parameters/climate.yaml``.
"""
from __future__ import annotations

import numpy as np

#: Metrics with their kind and horizon [yr].
METRICS = {"GWP20": ("GWP", 20.0), "GWP100": ("GWP", 100.0), "GTP100": ("GTP", 100.0)}


def agwp_short_lived(forcing_per_rate, lifetime, horizon):
    """Absolute global warming potential of a 1 kg pulse of a species with one e-folding lifetime.

    Parameters
    ----------
    forcing_per_rate : float or array
        Steady-state forcing per emission rate, F = RE * tau [W m-2 per (kg yr-1)].
    lifetime : float or array
        Atmospheric e-folding (residence) time tau [yr], > 0.
    horizon : float
        Time horizon H [yr].

    Returns
    -------
    float or array
        AGWP_x(H) = F * (1 - exp(-H / tau)) [W m-2 yr kg-1].

    References
    ----------
    IPCC AR5 WG1 Ch. 8 SM, Eq. 8.SM.9; IPCC AR6 WG1 Ch. 7 SM, Section 7.SM.5.
    """
    tau = np.asarray(lifetime, dtype=float)
    return np.asarray(forcing_per_rate, dtype=float) * (1.0 - np.exp(-horizon / tau))


def agtp_short_lived(forcing_per_rate, lifetime, horizon, q, d):
    """Absolute global temperature change potential at ``horizon`` of a 1 kg pulse (two-box response).

    Parameters
    ----------
    forcing_per_rate : float or array
        F = RE * tau [W m-2 per (kg yr-1)].
    lifetime : float or array
        tau [yr], > 0 and different from each d_j.
    horizon : float
        H [yr].
    q : sequence of two floats or arrays
        Response amplitudes q_j [K (W m-2)-1].
    d : sequence of two floats or arrays
        Response time constants d_j [yr].

    Returns
    -------
    float or array
        AGTP_x(H) = F * sum_j q_j / (tau - d_j) * (exp(-H / tau) - exp(-H / d_j)) [K kg-1].

    References
    ----------
    IPCC AR5 WG1 Ch. 8 SM, Eq. 8.SM.15; IPCC AR6 WG1 Ch. 7 SM, Section 7.SM.5 (parameters as used for
    AR6 Table 7.15: IPCC-WG1/Chapter-7, notebooks/335_chapter7_generate_metrics.ipynb).
    """
    tau = np.asarray(lifetime, dtype=float)
    total = 0.0
    for q_j, d_j in zip(q, d):
        d_j = np.asarray(d_j, dtype=float)
        total = total + np.asarray(q_j, dtype=float) / (tau - d_j) * (np.exp(-horizon / tau) - np.exp(-horizon / d_j))
    return np.asarray(forcing_per_rate, dtype=float) * total


def co2_equivalent(metric: str, forcing_per_rate, lifetime, efficacy, reference, q=None, d=None):
    """CO2-equivalent characterisation factor [kg CO2e per kg emitted] of a short-lived emission.

    Parameters
    ----------
    metric : str
        One of :data:`METRICS` (``GWP20``, ``GWP100``, ``GTP100``).
    forcing_per_rate : float or array
        F [W m-2 per (kg yr-1)].
    lifetime : float or array
        tau [yr].
    efficacy : float or array
        Surface-temperature response per unit forcing relative to CO2 [dimensionless].
    reference : float or array
        AGWP_CO2(H) [W m-2 yr kg-1] for a GWP, AGTP_CO2(H) [K kg-1] for a GTP (IPCC AR6 WG1 Table 7.15).
    q, d : sequences of two floats or arrays
        Temperature impulse response (GTP only): q_j [K (W m-2)-1], d_j [yr].

    Returns
    -------
    float or array
        efficacy * AGWP_x(H) / AGWP_CO2(H) or efficacy * AGTP_x(H) / AGTP_CO2(H).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    kind, horizon = METRICS[metric]
    if kind == "GWP":
        absolute = agwp_short_lived(forcing_per_rate, lifetime, horizon)
    else:
        if q is None or d is None:
            raise ValueError("a GTP needs the temperature impulse response q and d")
        absolute = agtp_short_lived(forcing_per_rate, lifetime, horizon, q, d)
    return np.asarray(efficacy, dtype=float) * absolute / np.asarray(reference, dtype=float)
