"""Eclipse geometry of a circular orbit: the worst season sizes the array and the battery.

A circular orbit of altitude h around a spherical Earth of radius R, with the
Sun at beta angle b above the orbit plane, spends the fraction

    f_e = arccos( sqrt(h^2 + 2 R h) / ((R + h) cos b) ) / pi    if |b| < arcsin(R / (R + h))
    f_e = 0                                                      otherwise

of each orbit in the Earth's (cylindrical) shadow [1]_, [2]_. The power system
must close its energy balance on the orbit with the longest eclipse, i.e. at
the smallest |b| the orbit sees in a year (for a dawn-dusk sun-synchronous
orbit, near the June solstice; for an inclined LEO or GEO, b = 0).

References
----------
.. [1] Vallado, D.A. (2013). Fundamentals of Astrodynamics and Applications,
   4th ed. Microcosm Press (Sect. 5.3, satellite eclipse; cylindrical shadow).
.. [2] Wertz, J.R.; Everett, D.F.; Puschell, J.J. (2011). Space Mission
   Engineering: The New SMAD. Microcosm Press (Sect. 9.3, eclipse duration
   as a function of the beta angle).
"""
from __future__ import annotations

import numpy as np
import pint


def orbital_period(altitude: pint.Quantity, earth_radius: pint.Quantity, earth_gm: pint.Quantity) -> pint.Quantity:
    """Period of a circular orbit, T = 2 pi sqrt((R + h)^3 / GM) [min].

    Parameters
    ----------
    altitude : Quantity
        Orbit altitude h [km].
    earth_radius : Quantity
        Earth radius R [km].
    earth_gm : Quantity
        Geocentric gravitational constant GM [km^3/s^2].
    """
    return (2 * np.pi * ((earth_radius + altitude) ** 3 / earth_gm) ** 0.5).to("minute")


def eclipse_fraction(altitude: pint.Quantity, beta: pint.Quantity, earth_radius: pint.Quantity):
    """Fraction of one orbit in the Earth's shadow at Sun beta angle ``beta`` [-].

    Parameters
    ----------
    altitude : Quantity
        Orbit altitude h [km].
    beta : Quantity
        Angle of the Sun above the orbit plane [degree].
    earth_radius : Quantity
        Earth radius R [km].

    Returns
    -------
    float or ndarray
        f_e in [0, 0.5) [-]; 0 when |beta| >= arcsin(R / (R + h)) (no eclipse).
    """
    h = np.asarray(altitude.m_as("km"), dtype=float)
    r = np.asarray(earth_radius.m_as("km"), dtype=float)
    b = np.asarray(beta.m_as("radian"), dtype=float)
    shadowed = np.abs(b) < np.arcsin(r / (r + h))
    x = np.sqrt(h ** 2 + 2 * r * h) / ((r + h) * np.cos(np.where(shadowed, b, 0.0)))
    fraction = np.where(shadowed, np.arccos(np.clip(x, -1.0, 1.0)) / np.pi, 0.0)
    return float(fraction) if fraction.ndim == 0 else fraction
