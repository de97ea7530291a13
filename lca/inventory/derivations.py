"""Derived characterisation factors: a factor of ``methods.yaml`` that names a derivation instead of a number.

A derivation (``derivations:`` in ``methods.yaml``) names three shared parameters of
``inventories/parameters/climate.yaml``: the forcing per emission rate F, the lifetime tau and the efficacy.
With the method's metric (``GWP20``, ``GWP100``, ``GTP100``) and the IPCC AR6 CO2 reference and temperature
impulse response parameters named here, :func:`evaluate` computes the factor [kg CO2e per kg] by
:func:`lca.core.climate.co2_equivalent`. Values given as arrays (Monte Carlo samples of the inputs) give an
array: the factor's uncertainty is propagated from its inputs' distributions, never sampled on its own.
"""
from __future__ import annotations

from lca.core import climate
from lca.core.parameters import Parameter
from lca.core.units import conversion_factor
from lca.inventory.model import Derivation

#: The CO2 reference of each metric: the parameter holding AGWP_CO2(H) or AGTP_CO2(H).
REFERENCE = {"GWP20": "climate.agwp_co2_20", "GWP100": "climate.agwp_co2_100", "GTP100": "climate.agtp_co2_100"}
REFERENCE_UNIT = {"GWP20": "W*yr/m**2/kg", "GWP100": "W*yr/m**2/kg", "GTP100": "K/kg"}
#: The AR6 two-box temperature impulse response (q1, q2 [K m2 W-1], d1, d2 [yr]), used by GTPs.
IRF = ("climate.irf_q1", "climate.irf_q2", "climate.irf_d1", "climate.irf_d2")
IRF_UNITS = ("K*m**2/W", "K*m**2/W", "yr", "yr")
#: The unit each input of a derivation is converted to before the physics sees it.
INPUT_UNITS = {"forcing": "W*yr/m**2/kg", "lifetime": "yr", "efficacy": "dimensionless"}
METRICS = tuple(climate.METRICS)


def inputs(derivation: Derivation, metric: str) -> tuple[str, ...]:
    """Names of every parameter the factor of ``derivation`` under ``metric`` depends on."""
    names = (derivation.forcing, derivation.lifetime, derivation.efficacy, REFERENCE[metric])
    return names + IRF if climate.METRICS[metric][0] == "GTP" else names


def evaluate(parameters: dict[str, Parameter], derivation: Derivation, metric: str, values: dict | None = None):
    """The factor [kg CO2e per kg] of ``derivation`` under ``metric``.

    Parameters
    ----------
    parameters : dict
        The shared parameters (``Inventory.parameters``), giving each input's central value and unit.
    derivation : Derivation
        Which parameters hold F, tau and the efficacy.
    metric : str
        ``GWP20``, ``GWP100`` or ``GTP100``.
    values : dict, optional
        Input values that replace the central ones, by parameter name, in each parameter's own unit
        (floats or arrays of samples).

    Returns
    -------
    float or numpy.ndarray
        efficacy x AGWP_x(H) / AGWP_CO2(H) (a GWP) or efficacy x AGTP_x(H) / AGTP_CO2(H) (a GTP).
    """
    values = values or {}

    def value(name: str, unit: str):
        parameter = parameters[name]
        raw = values.get(name, parameter.value)
        return raw * conversion_factor(parameter.unit or "dimensionless", unit)

    forcing = value(derivation.forcing, INPUT_UNITS["forcing"])
    lifetime = value(derivation.lifetime, INPUT_UNITS["lifetime"])
    efficacy = value(derivation.efficacy, INPUT_UNITS["efficacy"])
    reference = value(REFERENCE[metric], REFERENCE_UNIT[metric])
    q = d = None
    if climate.METRICS[metric][0] == "GTP":
        q1, q2, d1, d2 = (value(name, unit) for name, unit in zip(IRF, IRF_UNITS))
        q, d = (q1, q2), (d1, d2)
    result = climate.co2_equivalent(metric, forcing, lifetime, efficacy, reference, q, d)
    return float(result) if result.ndim == 0 else result
