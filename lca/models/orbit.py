"""Orbital compute per PFLOP-day: power, thermal and mass sizing of a solar-powered node.

The node is sized per accelerator slot. Its electrical load is the node power
times an orbital PUE. A solar array sized for end-of-life power covers the load
and recharges the batteries on the orbit of the worst season (longest eclipse,
:mod:`lca.models.eclipse`); the batteries carry the load through that eclipse.
All electrical energy the array delivers, the load plus power-conversion and
battery round-trip losses, leaves as heat through radiators sized with the
Stefan-Boltzmann law. Mass
per kW of IT follows; propellant for drag make-up and disposal
(:mod:`lca.models.propulsion`) adds to the launched mass; re-entry follows. Accelerators fail at random
(hard failures, destructive single-event effects) and wear out when the
total ionising dose reaches their tolerance; a fraction of random failures
(``orbit.resupply_fraction``, 0 = no repair) is replaced by modules launched
on resupply flights, the rest stay dark. Delivered compute is the slot's
service life times its mean availability.

References
----------
.. [1] Kopp, G.; Lean, J.L. (2011). A new, lower value of total solar
   irradiance. GRL 38, L01706. doi:10.1029/2010GL045777.
.. [2] Wertz, J.R.; Everett, D.F.; Puschell, J.J. (2011). Space Mission
   Engineering: The New SMAD. Microcosm Press (power and thermal sizing).
.. [3] Turyshev, S.G. (2025). Orbital data centres: power, thermal and mass
   scaling (see inventories/sources/systems.yaml for the full citation).
.. [4] Aguera y Arcas, B. et al. (2025). Towards a future space-based, highly
   scalable AI infrastructure system design. arXiv:2511.19468 (Trillium TPU
   proton tests: HBM anomalies from ~2 krad(Si), no hard failure to 15 krad(Si)).
"""
from __future__ import annotations

import numpy as np
import pint

from lca.core.units import Q_
from lca.models import Link, ModelError, SystemModel
from lca.models.eclipse import eclipse_fraction, orbital_period
from lca.models.propulsion import disposal_delta_v, drag_makeup_delta_v, exponential_density, propellant_mass
from lca.models.terrestrial import accelerator_time, node_power


def radiator_area(heat: pint.Quantity, sides: float, emissivity: float, temperature: pint.Quantity,
                  absorbed_flux: pint.Quantity, sigma: pint.Quantity) -> pint.Quantity:
    """Radiator panel area to reject ``heat`` [m^2].

    Net flux per m^2 of panel = sides x emissivity x sigma x T^4 - absorbed flux.

    Parameters
    ----------
    heat : Quantity
        Heat to reject [W].
    sides : float
        Radiating faces of the panel [-].
    emissivity : float
        Infrared emissivity [-].
    temperature : Quantity
        Radiating surface temperature [K].
    absorbed_flux : Quantity
        Environmental heat absorbed per m^2 of panel [W/m^2].
    sigma : Quantity
        Stefan-Boltzmann constant [W/m^2/K^4].
    """
    net = sides * emissivity * sigma * temperature ** 4 - absorbed_flux
    if np.any(net.m_as("W/m^2") <= 0):
        raise ModelError(f"the radiator absorbs more than it emits at {temperature:~P}; raise the temperature")
    return (heat / net).to("m^2")


def heat_dissipated(load: pint.Quantity, sunlit_fraction: float, conversion_efficiency: float,
                    battery_efficiency: float) -> pint.Quantity:
    """Orbit-average heat dissipated on board [kW]: the load plus conversion and battery losses.

    Over one orbit, in sunlight for ``sunlit_fraction`` f of the time, the array
    supplies the load in sunlight and recharges what the batteries deliver in
    eclipse, through the power conversion chain; every joule it delivers ends as
    heat on board: Q = P_load x (f + (1 - f) / eta_batt) / eta_conv [2]_. The
    radiator rejects this orbit average (its thermal mass buffers the orbit).

    Parameters
    ----------
    load : Quantity
        Electrical load at the point of use [kW].
    sunlit_fraction : float
        Sunlit fraction f of the sizing orbit [-].
    conversion_efficiency : float
        Array-to-load efficiency eta_conv [-].
    battery_efficiency : float
        Battery round-trip efficiency eta_batt [-].
    """
    f = sunlit_fraction
    return (load * (f + (1 - f) / battery_efficiency) / conversion_efficiency).to("kW")


def array_power_bol(load: pint.Quantity, sunlit_fraction: float, conversion_efficiency: float,
                    battery_efficiency: float, degradation: pint.Quantity, lifetime: pint.Quantity) -> pint.Quantity:
    """Beginning-of-life array rating that still covers the load at end of life [W].

    The array delivers the orbit's whole energy, :func:`heat_dissipated`, while
    sunlit: P_EOL x f = Q, so P_EOL = P_load x (f + (1 - f) / eta_batt) /
    (eta_conv x f); P_BOL = P_EOL / (1 - d)^L [2]_.

    Parameters
    ----------
    load : Quantity
        Electrical load [kW].
    sunlit_fraction : float
        Sunlit fraction of the sizing (worst-season) orbit [-].
    conversion_efficiency, battery_efficiency : float
        Array-to-load and battery round-trip efficiencies [-].
    degradation : Quantity
        Relative loss of array output per year [1/year].
    lifetime : Quantity
        Mission life [year].
    """
    eol = heat_dissipated(load, sunlit_fraction, conversion_efficiency, battery_efficiency) / sunlit_fraction
    years = lifetime.m_as("year")
    return (eol / (1 - degradation.m_as("1/year")) ** years).to("W")


def battery_capacity(load: pint.Quantity, eclipse: pint.Quantity, depth_of_discharge: float) -> pint.Quantity:
    """Battery capacity to carry ``load`` [kW] through ``eclipse`` [min] at a usable depth of discharge [kWh]."""
    return (load * eclipse / depth_of_discharge).to("kWh")


def mission_delta_v(p: dict[str, pint.Quantity]) -> pint.Quantity:
    """Delta-v over the mission: drag make-up for ``orbit.lifetime`` plus the disposal burn [m/s].

    Density from the exponential atmosphere band of the orbit times the solar-cycle factor;
    see :mod:`lca.models.propulsion`.

    Parameters
    ----------
    p : dict
        Parameter quantities (``orbit.altitude``, ``orbit.density_*``, ``orbit.atmospheric_density_factor``,
        ``orbit.ballistic_coefficient``, ``orbit.disposal_perigee_altitude``, ``orbit.lifetime``, Earth
        constants).
    """
    altitude, radius, gm = p["orbit.altitude"], p["orbit.earth_radius"], p["orbit.earth_gm"]
    density = exponential_density(altitude, p["orbit.density_base_altitude"], p["orbit.density_base"],
                                  p["orbit.density_scale_height"]) * p["orbit.atmospheric_density_factor"]
    drag = drag_makeup_delta_v(density, altitude, p["orbit.ballistic_coefficient"], radius, gm) * p["orbit.lifetime"]
    return (drag + disposal_delta_v(altitude, p["orbit.disposal_perigee_altitude"], radius, gm)).to("m/s")


def mean_availability(failure_rate: pint.Quantity, lifetime: pint.Quantity):
    """Mean fraction of a slot still working over ``lifetime`` with no repair [-]: (1 - e^-lambda L) / (lambda L)."""
    x = np.asarray((failure_rate * lifetime).m_as(""), dtype=float)
    safe = np.where(x == 0, 1.0, x)
    availability = np.where(x == 0, 1.0, -np.expm1(-safe) / safe)
    return float(availability) if availability.ndim == 0 else availability


def service_life(lifetime: pint.Quantity, tid_tolerance: pint.Quantity, dose_rate: pint.Quantity) -> pint.Quantity:
    """Useful life of an accelerator slot: the mission life or the total-ionising-dose life if shorter [year].

    TID life = tolerance / dose rate; past it the accelerator is taken as failed (wear-out) [4]_.

    Parameters
    ----------
    lifetime : Quantity
        Mission life [year].
    tid_tolerance : Quantity
        Total ionising dose the accelerator tolerates [Gy] (1 Gy = 100 rad).
    dose_rate : Quantity
        Dose behind the node's shielding [Gy/year].
    """
    tid_life = (tid_tolerance / dose_rate).m_as("year")
    return Q_(np.minimum(lifetime.m_as("year"), tid_life), "year")


def replacements(failure_rate: pint.Quantity, life: pint.Quantity, availability, resupply_fraction: float):
    """Replacement modules per slot over ``life`` when a fraction of random failures is resupplied [-].

    Failures occur at ``failure_rate`` while the slot is working (a fraction ``availability`` of the
    time) and ``resupply_fraction`` of them are replaced: n = r x lambda x L x A.

    Parameters
    ----------
    failure_rate : Quantity
        Random failure rate of the accelerator module [1/year].
    life : Quantity
        Service life of the slot [year].
    availability : float
        Mean fraction of the slot working [-].
    resupply_fraction : float
        Fraction r of failures replaced [-].
    """
    return resupply_fraction * (failure_rate * life).m_as("") * availability


def system(p: dict[str, pint.Quantity], accelerator: tuple[str, str], host: tuple[str, str], peak: pint.Quantity,
           tdp: pint.Quantity, array: tuple[str, str], array_specific_power: pint.Quantity,
           launch: tuple[str, str], launcher: str, orbit: str,
           support: dict[str, tuple[str, str]]) -> SystemModel:
    """Exchanges of one orbital PFLOP-day.

    Parameters
    ----------
    p : dict
        Parameter quantities by dotted name (``compute.*``, ``orbit.*``, ``terrestrial.node_power_overhead``).
    accelerator, host : (database, code)
        Accelerator product and its host share [item]; air cooling is replaced by a cold plate.
    peak : Quantity
        Dense peak throughput [FLOP/s].
    tdp : Quantity
        Accelerator thermal design power [W].
    array : (database, code)
        Space solar array per W at beginning of life [Wp].
    array_specific_power : Quantity
        Array specific power [Wp/kg].
    launch : (database, code)
        Launch per kg of payload to the orbit [kg].
    launcher, orbit : str
        Names of the launcher and the orbit (for the system name).
    support : dict
        (database, code) by role of ``orbit_support`` in ``inventories/systems.yaml``: battery [kWh],
        radiator [m^2], cold_plate [item], bus_structure [kg], fabrication [kg], reentry [kg], downlink [TB],
        operations [year].
    """
    hours = accelerator_time(peak, p["compute.mfu"].m_as(""), p["compute.goodput"].m_as(""))
    it_power = node_power(tdp, p["terrestrial.node_power_overhead"].m_as(""))
    load = (it_power * p["orbit.pue"]).to("kW")
    lifetime = p["orbit.lifetime"]
    conversion = p["orbit.power_conversion_efficiency"].m_as("")
    round_trip = p["orbit.battery_round_trip_efficiency"].m_as("")
    worst = eclipse_fraction(p["orbit.altitude"], p["orbit.worst_season_beta"], p["orbit.earth_radius"])
    eclipse = worst * orbital_period(p["orbit.altitude"], p["orbit.earth_radius"], p["orbit.earth_gm"])
    heat = heat_dissipated(load, 1 - worst, conversion, round_trip)
    area = radiator_area(heat, p["orbit.radiator_sides"].m_as(""), p["orbit.radiator_emissivity"].m_as(""),
                         p["orbit.radiator_temperature"], p["orbit.radiator_absorbed_flux"], p["orbit.stefan_boltzmann"])
    array_w = array_power_bol(load, 1 - worst, conversion, round_trip, p["orbit.array_degradation"], lifetime)
    battery = battery_capacity(load, eclipse, p["orbit.battery_depth_of_discharge"].m_as(""))
    masses = {
        "solar array": (Q_(array_w.m_as("W"), "Wp") / array_specific_power).to("kg"),
        "radiators": (area * p["orbit.radiator_areal_mass"]).to("kg"),
        "batteries": (battery / p["orbit.battery_specific_energy"]).to("kg"),
        "bus structure": (it_power * p["orbit.bus_structure_specific_mass"]).to("kg"),
        "avionics and communications": (it_power * p["orbit.avionics_comms_specific_mass"]).to("kg"),
        "shielding": (it_power * p["orbit.shielding_specific_mass"]).to("kg"),
        "compute hardware": (it_power * p["orbit.compute_specific_mass"]).to("kg"),
    }
    dry_mass = sum(masses.values(), Q_(0, "kg"))
    delta_v = mission_delta_v(p)
    propellant = propellant_mass(dry_mass, delta_v, p["orbit.propulsion_specific_impulse"], p["orbit.standard_gravity"])
    launched = dry_mass + propellant
    life = service_life(lifetime, p["orbit.accelerator_tid_tolerance"], p["orbit.radiation_dose_rate"])
    module_rate = p["orbit.accelerator_failure_rate"] + p["orbit.radiation_failure_rate"]
    resupply = p["orbit.resupply_fraction"].m_as("")
    availability = mean_availability((1 - resupply) * module_rate + p["orbit.satellite_failure_rate"], life)
    share = (hours / (life * availability)).m_as("")               # slots per PFLOP-day
    spares = replacements(module_rate, life, availability, resupply)
    module_kg = (it_power * (p["orbit.compute_specific_mass"] + p["orbit.shielding_specific_mass"])
                 * (1 + p["orbit.resupply_mass_overhead"])).m_as("kg")
    resupplied_kg = spares * module_kg                               # launched, built and re-entered per slot
    bus_kg = sum(masses[k].m_as("kg") for k in ("bus structure", "avionics and communications", "shielding"))
    data = (p["orbit.ground_data_intensity"] * it_power * hours).to("TB")
    spacecraft_years = (it_power / p["orbit.spacecraft_it_power"] * hours).to("year")
    links = [
        Link(accelerator, share * (1 + spares), "accelerator and host embodied", "accelerator"),
        Link(host, share * (1 + spares), "accelerator and host embodied", "host share"),
        Link(array, array_w.m_as("W") * share, "PV manufacture", "space solar array"),
        Link(support["battery"], battery.m_as("kWh") * share, "bus and radiators", "batteries"),
        Link(support["radiator"], area.m_as("m^2") * share, "bus and radiators", "radiators"),
        Link(support["cold_plate"], share, "bus and radiators", "cold plate"),
        Link(support["bus_structure"], bus_kg * share, "bus and radiators",
             "bus structure, avionics, shielding"),
        Link(support["fabrication"], (dry_mass.m_as("kg") + resupplied_kg) * share,
             "bus and radiators", "fabrication, assembly, integration and test"),
        Link(launch, (launched.m_as("kg") + resupplied_kg) * share, "launcher manufacture", f"launch, {launcher}",
             role="launch"),
        Link(support["reentry"],
             (dry_mass.m_as("kg") + resupplied_kg) * share * p["orbit.reentry_fraction"].m_as(""),
             "re-entry", "re-entry at end of life"),
        Link(support["downlink"], data.m_as("TB"), "ground segment", "data downlink"),
        Link(support["operations"], spacecraft_years.m_as("year"), "ground segment",
             "mission operations"),
    ]
    sizing = {"accelerator time": hours, "IT power": it_power, "electrical load": load,
              "eclipse fraction (worst season)": Q_(worst, ""), "longest eclipse": eclipse.to("minute"),
              "heat dissipated": heat,
              "solar array (BOL)": array_w, "radiator area": area, "battery capacity": battery,
              **{f"mass: {k}": v for k, v in masses.items()}, "mass: total": dry_mass,
              "delta-v over life": delta_v, "mass: propellant": propellant, "mass: launched": launched,
              "specific mass": (dry_mass / it_power).to("kg/kW"), "service life": life,
              "mean availability": Q_(availability, ""),
              "replacement modules per slot": Q_(spares, ""), "mass: resupplied per slot": Q_(resupplied_kg, "kg"),
              "slots per PFLOP-day": Q_(share, ""), "data downlinked": data,
              "spacecraft time": spacecraft_years}
    return SystemModel(f"orbit, {orbit}, {launcher}", "orbit", links, sizing)
