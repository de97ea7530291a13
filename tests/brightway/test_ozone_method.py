"""The ozone method in the Brightway project: plain bw2data/bw2calc read it, and one solid-motor launch (Ariane 62)
scores what its chlorine, alumina and NOx by hand give, inside the range of the cited chlorine inputs."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from lca.core.ozone import launch_odp_factors

#: Plain Brightway, no lca import: open the project, score one launch with the ozone method.
_PLAIN = """
import json, sys
import bw2data as bd, bw2calc as bc
bd.projects.set_current("lca-toolkit")
name = tuple(json.loads(sys.argv[1]))
method = bd.methods[name]
node = bd.get_node(database="launch", code="launch_ariane_62")
lca = bc.LCA({node: 1}, method=name)
lca.lci()
lca.lcia()
print(json.dumps({"score": lca.score, "unit": method["unit"], "lca_imported": "lca" in sys.modules,
                  "factors": len(bd.Method(name).load())}))
"""


@pytest.fixture(scope="module")
def ariane(bw_project):
    return bw_project.footprint("launch:launch_ariane_62", 1, "ODP-launch")


def test_plain_brightway_scores_a_launch_with_the_ozone_method(bw_project, bw_dir, ariane):
    method = bw_project.inventory().methods["ODP-launch"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LCA_", "BRIGHTWAY"))}
    env["BRIGHTWAY2_DIR"] = str(bw_dir)
    result = subprocess.run([sys.executable, "-c", _PLAIN, json.dumps(list(method.name))], capture_output=True,
                            text=True, env=env, timeout=300, cwd=str(bw_dir))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["lca_imported"] is False
    assert data["unit"] == "kg CFC-11-Eq"
    assert data["factors"] >= len(method.factors)          # EF 3.1 ODPs plus the 15 launch factors
    assert data["score"] == pytest.approx(ariane.score.magnitude, rel=1e-6)


def test_solid_motor_launch_by_hand_and_within_the_cited_range(bw_project, ariane):
    """Ariane 62: 2 P120C boosters; chlorine above the tropopause = 2 x propellant x stratospheric fraction x
    Cl mass fraction of the propellant (ammonium perchlorate share x M_Cl / M_NH4ClO4). Its ODP-launch score lies
    between that chlorine at the low and at the high ends of the chlorine ODP."""
    inventory = bw_project.inventory()
    launch = inventory.databases["launch"].parameters
    propellant = 2 * launch["prop_p120c"].value                                            # kg
    # sqrt law of the burn altitude profile: share burnt above the tropopause = 1 - sqrt(z_trop / h_burnout)
    above = 1 - math.sqrt(launch["tropopause_height"].value / launch["h_burnout_a6_p120c"].value)
    m = {k: launch[f"m_{k}"].value for k in ("n", "h", "cl", "o")}
    cl_fraction = launch["solid_ap_frac"].value * m["cl"] / (m["n"] + 4 * m["h"] + m["cl"] + 4 * m["o"])
    chlorine = propellant * above * cl_fraction                                            # kg Cl above 15 km
    assert 25e3 < chlorine < 40e3                         # about 0.2 kg Cl per kg AP/Al/HTPB, half above 15 km

    by_flow = ariane.by_flow
    cly = by_flow[by_flow["flow"].isin(["Hydrogen chloride", "Chlorine, reactive"])]["score"].sum()
    factors = launch_odp_factors(inventory.parameters)
    hcl, cl = factors[("Hydrogen chloride", "air::stratosphere")], factors[("Chlorine, reactive", "air::stratosphere")]
    # per kg of Cl the HCl factor is hcl x M_HCl / M_Cl = cl's, so the chlorine term is Cl mass x cl ODP
    assert hcl.central * (m["h"] + m["cl"]) / m["cl"] == pytest.approx(cl.central, rel=2e-3)
    assert cly == pytest.approx(chlorine * cl.central, rel=0.01)
    assert chlorine * cl.low < cly < chlorine * cl.high
    # alumina (same propellant, Al fraction), then the re-entry/NOx terms
    alumina = propellant * (above) * launch["solid_al_frac"].value * (2 * launch["m_al"].value + 3 * m["o"]) / (
        2 * launch["m_al"].value)
    al_term = by_flow[(by_flow["flow"] == "Aluminium oxide, particulate")
                      & by_flow["categories"].isin(["air::stratosphere", "air::mesosphere"])]["score"].sum()
    assert al_term == pytest.approx(alumina * factors[("Aluminium oxide, particulate", "air::stratosphere")].central,
                                    rel=0.01)
    # Jackman et al. 1998: a third of a solid motor's ozone loss is the alumina's (tolerance: tests/core/test_ozone.py)
    assert al_term / (al_term + cly) == pytest.approx(1 / 3, abs=0.04)
    assert cly + al_term < ariane.score.magnitude < 1.1 * (cly + al_term)     # NOx and the rest: a few per cent
