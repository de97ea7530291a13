"""Stratospheric ozone depletion potentials (ODP) of what launches and re-entries emit above the tropopause.

The ODP of a species is the steady-state ozone loss per unit mass emission rate relative to that of CFC-11
[kg CFC-11-eq per kg]. For chlorine injected directly into the stratosphere the semi-empirical ODP of the WMO
assessments (Solomon et al. 1992, JGR 97) is adapted: CFC-11 emitted at E [kg/yr] holds a stratospheric
inorganic-chlorine mixing ratio of ``3 f E tau / (M_CFC11 N_atm)`` (its fractional release ``f`` at the mean age
of the reference air, its lifetime ``tau``), while a rocket injecting ``n`` chlorine atoms per molecule of molar
mass ``M`` at E holds ``n E tau_inj / (M N_strat)`` in the stratosphere's share ``s = N_strat / N_atm`` of the
air, ``tau_inj`` being the residence time of the injected chlorine. Their ratio::

    ODP = (n / 3) (M_CFC11 / M) tau_inj / (f tau s)

NOx, alumina and black carbon are given as multiples of the chlorine ODP per kg (relative efficiencies: alumina's
from Jackman et al. 1998, GRL 25:907, NOx's and soot's judged; see ``inventories/parameters/ozone.yaml``).
Troposphere emissions get no factor (HCl and NOx there are washed out before they reach the stratosphere). The
derivation and its limits: ``docs/methods/ozone.md``.
"""
from __future__ import annotations

from dataclasses import dataclass

from lca.core.distributions import bounds
from lca.core.parameters import Parameter
from lca.core.units import Q_

#: Chlorine atoms per molecule of CFC-11 (CCl3F), the reference of every ODP.
CFC11_CHLORINE_ATOMS = 3
#: Bands above the tropopause (flow categories of ``inventories/biosphere.yaml``).
STRATOSPHERE, MESOSPHERE, REENTRY = "air::stratosphere", "air::mesosphere", "air::re-entry ablation"


@dataclass(frozen=True)
class Range:
    """A factor's low, central (mode) and high values [kg CFC-11-eq per kg]."""

    low: float
    central: float
    high: float

    def times(self, factor: float) -> Range:
        """Every value times ``factor`` (>= 0)."""
        return Range(self.low * factor, self.central * factor, self.high * factor)


def direct_injection_odp(chlorine_atoms: int, molar_mass, residence, cfc11_fractional_release: float, cfc11_lifetime,
                         stratospheric_air_fraction: float, cfc11_molar_mass) -> float:
    """ODP of a chlorine species injected directly into the stratosphere [kg CFC-11-eq per kg].

    Parameters
    ----------
    chlorine_atoms : chlorine atoms per molecule (HCl: 1; Cl inventoried per Cl atom: 1) [-]
    molar_mass : molar mass of the species as inventoried [g/mol] (pint quantity)
    residence : stratospheric residence time of the injected chlorine [year] (pint quantity)
    cfc11_fractional_release : fractional release of CFC-11 in the reference air (0.47) [-]
    cfc11_lifetime : atmospheric lifetime of CFC-11 [year] (pint quantity)
    stratospheric_air_fraction : share of the atmosphere's mass above the tropopause [-]
    cfc11_molar_mass : molar mass of CFC-11 [g/mol] (pint quantity)

    References
    ----------
    Solomon, S., Mills, M., Heidt, L.E., Pollock, W.H., Tuck, A.F. (1992), On the evaluation of ozone depletion
    potentials, JGR 97 (semi-empirical ODP); Newman et al. (2007), ACP 7:4537 (fractional release);
    SPARC (2013), Report No. 6 (CFC-11 lifetime).
    """
    mass_ratio = (Q_(cfc11_molar_mass) / Q_(molar_mass)).m_as("")
    time_ratio = (Q_(residence) / Q_(cfc11_lifetime)).m_as("")
    return (chlorine_atoms / CFC11_CHLORINE_ATOMS) * mass_ratio * time_ratio / (
        cfc11_fractional_release * stratospheric_air_fraction)


def _range(parameter: Parameter) -> Range:
    low, high = bounds(parameter.uncertainty, float(parameter.value))
    return Range(low, float(parameter.value), high)


def _q(parameter: Parameter, value: float):
    return Q_(value, parameter.unit)


def chlorine_odp(parameters: dict[str, Parameter], species: str) -> Range:
    """ODP range of ``species`` ('HCl' or 'Cl') injected above the tropopause [kg CFC-11-eq per kg].

    The ODP rises with the residence time and falls with CFC-11's fractional release, its lifetime and the
    stratosphere's share of the air; the low and high ends take each input at the end of its range that
    moves the ODP that way (so the range is the envelope of the input ranges).
    """
    molar = parameters["ozone.hcl_molar_mass" if species == "HCl" else "ozone.cl_molar_mass"]
    names = ("ozone.injected_cly_residence", "ozone.cfc11_fractional_release", "ozone.cfc11_lifetime",
             "ozone.stratospheric_air_fraction")
    residence, release, lifetime, share = (_range(parameters[n]) for n in names)
    p = {n: parameters[n] for n in names}

    def odp(tau_inj, f, tau, s):
        return direct_injection_odp(1, Q_(float(molar.value), molar.unit), _q(p[names[0]], tau_inj), f,
                                    _q(p[names[2]], tau), s, Q_(float(parameters["ozone.cfc11_molar_mass"].value),
                                                                parameters["ozone.cfc11_molar_mass"].unit))

    return Range(odp(residence.low, release.high, lifetime.high, share.high),
                 odp(residence.central, release.central, lifetime.central, share.central),
                 odp(residence.high, release.low, lifetime.low, share.low))


def launch_odp_factors(parameters: dict[str, Parameter]) -> dict[tuple[str, str], Range]:
    """ODP ranges of every launch and re-entry flow above the tropopause, by (flow name, categories)
    [kg CFC-11-eq per kg of the flow].

    Chlorine (HCl; reactive Cl and Cl2 as Cl) keeps its ODP above 50 km (it descends into the stratosphere).
    NOx, alumina and black carbon are their relative efficiency's range times the central HCl ODP (the
    efficiencies' ranges, up to a factor of 25, are the uncertainty; compounding the chlorine range into them
    would make triangular factors whose mean is several times their central value). NOx above 50 km is also
    scaled by the central share that reaches the stratosphere, its range spanning both judged ranges' ends.
    """
    hcl, cl = chlorine_odp(parameters, "HCl"), chlorine_odp(parameters, "Cl")
    nox_r = _range(parameters["ozone.nox_relative_efficiency"])
    survival = _range(parameters["ozone.nox_above_stratopause_survival"])
    nox = nox_r.times(hcl.central)
    nox_high = Range(nox.low * survival.low, nox.central * survival.central, nox.high * survival.high)
    alumina = _range(parameters["ozone.alumina_relative_efficiency"]).times(hcl.central)
    soot = _range(parameters["ozone.bc_relative_efficiency"]).times(hcl.central)
    out = {}
    for band in (STRATOSPHERE, MESOSPHERE, REENTRY):
        out[("Hydrogen chloride", band)] = hcl
        out[("Chlorine, reactive", band)] = cl
        out[("Nitrogen oxides", band)] = nox if band == STRATOSPHERE else nox_high
        out[("Aluminium oxide, particulate", band)] = alumina
        out[("Black carbon", band)] = soot
    return out
