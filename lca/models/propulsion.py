"""Station-keeping and disposal propellant of a low-orbit spacecraft.

Drag decelerates a spacecraft of ballistic coefficient B = m / (C_D A) at
a = rho v^2 / (2 B); holding the altitude for a year costs delta-v = a x 1 yr
[1]_. The atmospheric density follows the exponential model
rho = rho_0 exp(-(h - h_0) / H) with Vallado's tabulated base density rho_0 and
scale height H for the band containing h [1]_. Disposal lowers the perigee from
the circular orbit to a re-entry perigee with one burn at apogee [2]_.
Propellant follows the rocket equation m_p = m_dry (exp(dv / (g_0 Isp)) - 1) [2]_.

References
----------
.. [1] Vallado, D.A. (2013). Fundamentals of Astrodynamics and Applications,
   4th ed. Microcosm Press (Sect. 8.6.2, Table 8-4 exponential atmosphere;
   drag acceleration a = 1/2 rho v^2 C_D A / m).
.. [2] Wertz, J.R.; Everett, D.F.; Puschell, J.J. (2011). Space Mission
   Engineering: The New SMAD. Microcosm Press (Sect. 10.4 and 18.1:
   orbit maintenance, disposal delta-v, rocket equation).
"""
from __future__ import annotations

import numpy as np
import pint


def exponential_density(altitude: pint.Quantity, base_altitude: pint.Quantity, base_density: pint.Quantity,
                        scale_height: pint.Quantity) -> pint.Quantity:
    """Atmospheric density rho = rho_0 exp(-(h - h_0) / H) [kg/m^3].

    Parameters
    ----------
    altitude : Quantity
        Altitude h [km].
    base_altitude : Quantity
        Base altitude h_0 of the table band containing h [km].
    base_density : Quantity
        Density rho_0 at h_0 [kg/m^3].
    scale_height : Quantity
        Scale height H of the band [km].
    """
    return (base_density * np.exp(-((altitude - base_altitude) / scale_height).m_as(""))).to("kg/m^3")


def drag_makeup_delta_v(density: pint.Quantity, altitude: pint.Quantity, ballistic_coefficient: pint.Quantity,
                        earth_radius: pint.Quantity, earth_gm: pint.Quantity) -> pint.Quantity:
    """Delta-v per year that cancels drag on a circular orbit, rho v^2 / (2 B) x 1 yr [m/s/year].

    Parameters
    ----------
    density : Quantity
        Atmospheric density at the orbit [kg/m^3].
    altitude : Quantity
        Orbit altitude [km].
    ballistic_coefficient : Quantity
        B = m / (C_D A) [kg/m^2].
    earth_radius, earth_gm : Quantity
        Earth radius [km] and GM [km^3/s^2]; circular speed v = sqrt(GM / (R + h)).
    """
    speed_squared = earth_gm / (earth_radius + altitude)
    return (density * speed_squared / (2 * ballistic_coefficient)).to("m/s/year")


def disposal_delta_v(altitude: pint.Quantity, perigee_altitude: pint.Quantity, earth_radius: pint.Quantity,
                     earth_gm: pint.Quantity) -> pint.Quantity:
    """Delta-v of one apogee burn lowering the perigee of a circular orbit to ``perigee_altitude`` [m/s].

    dv = sqrt(GM / r_a) - sqrt(GM x 2 r_p / (r_a (r_a + r_p))), r_a = R + h, r_p = R + h_p.
    """
    r_a = earth_radius + altitude
    r_p = earth_radius + perigee_altitude
    circular = (earth_gm / r_a) ** 0.5
    apogee = (earth_gm * 2 * r_p / (r_a * (r_a + r_p))) ** 0.5
    return (circular - apogee).to("m/s")


def propellant_mass(dry_mass: pint.Quantity, delta_v: pint.Quantity, specific_impulse: pint.Quantity,
                    standard_gravity: pint.Quantity) -> pint.Quantity:
    """Propellant for ``delta_v`` by the rocket equation, m_dry (exp(dv / (g_0 Isp)) - 1) [kg].

    Parameters
    ----------
    dry_mass : Quantity
        Spacecraft mass without propellant [kg].
    delta_v : Quantity
        Total velocity change over the life [m/s].
    specific_impulse : Quantity
        Specific impulse Isp [s].
    standard_gravity : Quantity
        g_0 [m/s^2].
    """
    exponent = (delta_v / (standard_gravity * specific_impulse)).m_as("")
    return (dry_mass * np.expm1(exponent)).to("kg")
