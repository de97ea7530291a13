"""Central vs Monte Carlo median (lca.analysis.skew): each input alone at its median, checked against the
deterministic comparison solved with that value as an override, and the medians of the inputs by hand."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from lca.analysis import skew
from lca.core import distributions


@pytest.fixture(scope="module")
def shifted(bw_project):
    comparison = bw_project.compare(grids=["US"], mc=500, explain_median=True)
    return comparison, comparison.extra["median_shifts"]


def row(frame, system, name, method="GWP100"):
    (r,) = frame[(frame["system"] == system) & (frame["input"] == name) & (frame["method"] == method)].to_dict(
        "records")
    return r


def test_triangular_median_and_mean_by_hand(shifted):
    """orbit.lifetime, triangular 2 / 5 / 10 years: F(5) = 3/8 < 1/2, so the median solves
    1 - (10 - m)^2 / (8 x 5) = 1/2: m = 10 - sqrt(20) = 5.527864; mean (2 + 5 + 10) / 3 = 5.666667."""
    comparison, frame = shifted
    lifetime = row(frame, comparison.orbit.name, "orbit.lifetime")
    assert lifetime["configured"] == 5
    assert lifetime["input median"] == pytest.approx(10 - math.sqrt(20), rel=1e-9)
    assert lifetime["input mean"] == pytest.approx(17 / 3, rel=1e-12)
    assert lifetime["distribution"] == "triangular 2 / 5 / 10 year"


def test_point_zero_is_the_central_comparison(shifted):
    comparison, frame = shifted
    for method in ("GWP100", "GWP100+HA"):
        for system, total in comparison.totals(method).items():
            assert frame.attrs["summary"][(method, system)]["central"] == pytest.approx(total, rel=1e-6)


@pytest.mark.parametrize("name", ["orbit.lifetime", "launch.ground_ops_commodity", "pv.movpe_electricity"])
def test_total_at_input_median_equals_the_comparison_with_that_override(shifted, bw_project, name):
    """A system-model parameter (orbit.lifetime) and two that inventory formulas use (launch ground operations,
    MOVPE electricity of the space cells): the batched point equals a full deterministic solve at that value."""
    comparison, frame = shifted
    orbit = comparison.orbit.name
    r = row(frame, orbit, name)
    solved = bw_project.compare(grids=["US"], mc=0, overrides={name: r["input median"]}).totals("GWP100")[orbit]
    assert r["at input median"] == pytest.approx(solved, rel=1e-6)
    assert r["shift at median"] == pytest.approx(solved - r["central"], rel=1e-5)
    mean_solved = bw_project.compare(grids=["US"], mc=0, overrides={name: r["input mean"]}).totals("GWP100")[orbit]
    assert r["at input mean"] == pytest.approx(mean_solved, rel=1e-6)


def test_right_skewed_ranges_raise_the_orbit_median(shifted):
    """The Monte Carlo median of the orbit lies well above its central value, and the inputs alone at their
    medians move it the same way (the sum of their shifts is positive and a material part of the gap)."""
    comparison, frame = shifted
    entry = frame.attrs["summary"][("GWP100", comparison.orbit.name)]
    gap = entry["mc median"] - entry["central"]
    assert gap > 0.3 * entry["central"]
    assert 0.2 * gap < entry["sum of shifts at median"] < 1.5 * gap
    top = frame[(frame["system"] == comparison.orbit.name) & (frame["method"] == "GWP100")].iloc[0]
    assert abs(top["shift at median"]) == frame[(frame["system"] == comparison.orbit.name)
                                                & (frame["method"] == "GWP100")]["shift at median"].abs().max()


def test_json_form_lists_the_top_inputs(shifted):
    comparison, _ = shifted
    data = json.loads(json.dumps(comparison.to_dict()))
    block = data["central_vs_median"]
    assert "median of the total" in block["meaning"]
    orbit = next(e for e in block["systems"] if e["system"] == comparison.orbit.name and e["method"] == "GWP100")
    assert orbit["unit"] == "gCO2e/PFLOP_day"
    assert len(orbit["inputs"]) == skew.LISTED and orbit["mc median"] > orbit["central"]


@pytest.mark.parametrize("spec, central", [({"distribution": "triangular", "low": 0.05, "high": 2.0}, 0.3),
                                           ({"distribution": "uniform", "low": 1.0, "high": 3.0}, 2.5),
                                           ({"distribution": "lognormal", "gsd": 3.0}, 100.0),
                                           ({"distribution": "normal", "sd": 2.0}, 10.0)])
def test_cdf_inverts_ppf(spec, central):
    u = np.array([0.01, 0.2, 0.5, 0.8, 0.99])
    values = distributions.ppf(spec, central, u)
    assert [distributions.cdf(spec, central, v) for v in values] == pytest.approx(list(u), abs=1e-9)


def test_cli_explain_median_refuses_several_scenarios(bw_project, capsys):
    from lca import cli

    assert cli.main(["compare", "--scenario", "target", "--explain-median", "--mc", "0"]) == 2
    assert "--explain-median explains one comparison" in capsys.readouterr().err


def test_ozone_shifts_carry_the_ozone_unit(bw_project):
    comparison = bw_project.compare(grids=["US"], mc=0, methods=["ODP-launch"], explain_median=True)
    block = comparison.to_dict()["central_vs_median"]
    units = {e["method"]: e["unit"] for e in block["systems"]}
    assert units["ODP-launch"] == "gCFC11e/PFLOP_day" and units["GWP100"] == "gCO2e/PFLOP_day"
    orbit = next(e for e in block["systems"] if e["method"] == "ODP-launch" and e["system"] == comparison.orbit.name)
    assert "mc median" not in orbit                       # no Monte Carlo: the central value and the shifts only
    assert orbit["central"] == pytest.approx(comparison.totals("ODP-launch")[comparison.orbit.name], rel=1e-6)
