"""The report of a comparison with the ozone method: its own sheet in CFC-11-eq (never CO2e), the climate sheets
without it, and the fleet-scale sheet."""
from __future__ import annotations

import pytest

from lca.report import excel


@pytest.fixture(scope="module")
def ozone_book(bw_project):
    comparison = bw_project.compare(grids=["US"], methods=["ODP-launch"], mc=200)
    data = bw_project.report_data(comparison, argv=["lca", "compare", "--method", "ODP-launch"])
    book, _ = excel.build_workbook(data)
    return comparison, book


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:] if row[0] is not None]


def test_ozone_sheet_in_cfc11_equivalents(ozone_book):
    comparison, book = ozone_book
    ozone = rows(book[excel.OZONE_SHEET])
    per_day = {r["system"]: r for r in ozone if r["per"] == "PFLOP-day"}
    totals = comparison.totals("ODP-launch")
    assert {r["unit"] for r in per_day.values()} == {"gCFC11e/PFLOP_day"}
    for system, value in totals.items():
        assert per_day[system]["central"] == pytest.approx(value)
    orbit = per_day[comparison.orbit.name]
    assert orbit["p5"] <= orbit["median"] <= orbit["p95"]
    launch = [r for r in ozone if r["per"] == "launch"]
    assert launch[0]["unit"] == "kgCFC11e/launch"
    assert launch[0]["central"] == pytest.approx(comparison.extra["per_launch"]["values"]["ODP-launch"]["value"])
    # climate sheets carry no ozone column; the Monte Carlo rows of the Results sheet carry the ozone unit
    header = [c.value for c in book["Summary"][1]]
    assert not [h for h in header if h and "ODP" in str(h)]
    results = [r for r in rows(book["Results"]) if r["method"] == "ODP-launch"]
    assert results and {r["unit"] for r in results if r["statistic"] != "p_orbit_lower"} == {"gCFC11e/PFLOP_day"}


def test_fleet_sheet_is_the_comparisons_fleet(ozone_book):
    comparison, book = ozone_book
    table_and_note = rows(book[excel.FLEET_SHEET])
    fleet = [r for r in table_and_note if r["species"] is not None]
    notes = [r["fleet [GW]"] for r in table_and_note if r["species"] is None]
    assert len(notes) == 1 and notes[0].startswith("ozone: ") and "% of global column ozone" in notes[0]
    expected = comparison.extra["fleet"]["rates"]
    assert [(r["species"], r["band"]) for r in fleet] == [(r["species"], r["band"]) for r in expected]
    for got, want in zip(fleet, expected):
        assert got["fleet [t/year]"] == pytest.approx(want["t_per_year"])
        assert (got["linear stretched"] == "yes") == want["stretched"]
    assert fleet[0]["note"] == comparison.extra["fleet"]["note"]


def test_ozone_sheet_says_what_a_zero_means_and_the_claim_holds(ozone_book, bw_project):
    """The note under the Ozone table says the supply chains' ordinary ozone-depleting substances are not
    inventoried; that is checked, not assumed: EF 3.1 ODPs alone score every system of the shipped inventories 0,
    and ODP-launch scores the terrestrial system 0 and the orbit above 0 (its launch terms)."""
    comparison, book = ozone_book
    sheet = book[excel.OZONE_SHEET]
    texts = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any("no ordinary ozone-depleting substances" in str(t) for t in texts)
    ef = bw_project.compare(grids=["US"], methods=["ODP-EF3.1"], mc=0).totals("ODP-EF3.1")
    assert len(ef) and (ef == 0).all(), ef
    launch = comparison.totals("ODP-launch")
    assert launch[comparison.orbit.name] > 0
    assert all(v == 0 for k, v in launch.items() if k != comparison.orbit.name)
