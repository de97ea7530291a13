"""Inventories -> openLCA JSON-LD archive (olca-schema), read back with olca-schema's own reader."""
import math

import olca_schema as o
import pytest
from olca_schema.zipio import ZipReader

from lca.inventory import read_inventory
from lca.inventory.jsonld import JsonLdError, export_jsonld, stable_id, unit_of
from tests.conftest import INVENTORIES, run_cli


@pytest.fixture(scope="module")
def shipped():
    return read_inventory(INVENTORIES)


@pytest.fixture(scope="module")
def archive(shipped, tmp_path_factory):
    return export_jsonld(shipped, tmp_path_factory.mktemp("jsonld") / "inventory.zip")


def _exchanges(reader, database, code):
    process = reader.read_process(stable_id("process", database, code))
    assert process is not None, f"{database}:{code} not in the archive"
    return process, {(e.flow.name, e.unit.name): e for e in process.exchanges}


def test_launch_process_exchanges_match_the_yaml_by_hand(archive):
    # launch/manufacture.yaml structure_aluminium_US: buy_to_fly_structure (1.5) * (1 - space_grade_inventory (0))
    # kg of wrought aluminium, fab_electricity_aluminium (16 kWh/kg) * (1 - 0) kWh of US electricity.
    with ZipReader(archive) as reader:
        process, exchanges = _exchanges(reader, "launch", "structure_aluminium_US")
        reference = [e for e in process.exchanges if e.is_quantitative_reference]
        assert len(reference) == 1 and reference[0].amount == 1.0 and reference[0].unit.name == "kg"
        aluminium = next(e for e in process.exchanges if e.default_provider
                         and e.default_provider.id == stable_id("process", "background", "aluminium_alloy_wrought"))
        assert aluminium.amount == pytest.approx(1.5, rel=1e-12) and aluminium.unit.name == "kg" and aluminium.is_input
        grid = next(e for e in process.exchanges if e.default_provider
                    and e.default_provider.id == stable_id("process", "background", "electricity_US"))
        assert grid.amount == pytest.approx(16.0, rel=1e-12) and grid.unit.name == "kWh"
        assert "source: lca_fabrication_electricity_derivation" in grid.description
        assert "fab_electricity_aluminium*(1 - space_grade_inventory)" in grid.description
        co2 = next(e for e in process.exchanges if e.flow.id == "349b29d1-3e58-4c66-98b9-9d1a076efd2e")
        assert co2.amount == 0.0 and not co2.is_input               # biosphere3 UUID kept; an emission
        assert reader.read_process(aluminium.default_provider.id) is not None
        cited = {s.name for s in process.process_documentation.sources}
        assert cited == {"assumption_launch_manufacturing", "lca_fabrication_electricity_derivation",
                         "osoro2023_saleos_wilson"}


def test_pv_process_exchanges_match_the_yaml_by_hand(archive):
    # pv/space.yaml ge_wafer per m2: ge_wafer_thickness 140 um * germanium_density 5323 kg/m3 / ge_utilisation 0.35
    # = 2.1292 kg germanium; ge_wafer_electricity 150 kWh/m2 of EU27 electricity (pv/parameters.yaml).
    with ZipReader(archive) as reader:
        process, _ = _exchanges(reader, "pv", "ge_wafer")
        assert next(e for e in process.exchanges if e.is_quantitative_reference).unit.name == "m2"
        by_provider = {e.default_provider.id: e for e in process.exchanges if e.default_provider}
        germanium = by_provider[stable_id("process", "pv", "germanium")]
        assert germanium.amount == pytest.approx(140e-6 * 5323 / 0.35, rel=1e-9) and germanium.unit.name == "kg"
        electricity = by_provider[stable_id("process", "background", "electricity_EU27")]
        assert electricity.amount == pytest.approx(150.0, rel=1e-12) and electricity.unit.name == "kWh"


def test_every_activity_is_a_process_and_every_exchange_flow_and_provider_exists(shipped, archive):
    with ZipReader(archive) as reader:
        processes = list(reader.read_each(o.Process))
        flows = set(reader.ids_of(o.Flow))
        units = {u.id for g in reader.read_each(o.UnitGroup) for u in g.units}
        ids = {p.id for p in processes}
        sources = set(reader.ids_of(o.Source))
    assert len(processes) == sum(len(d.activities) for d in shipped.databases.values())
    for process in processes:
        for exchange in process.exchanges:
            assert exchange.flow.id in flows, (process.name, exchange.flow.name)
            assert exchange.unit.id in units
            assert exchange.default_provider is None or exchange.default_provider.id in ids
        assert {s.id for s in process.process_documentation.sources} <= sources


def test_uncertainties_are_openlca_distributions_in_the_exchange_unit(shipped, archive):
    spec = {}
    for activity in shipped.activities():
        for exchange in activity.exchanges:
            kind = (exchange.uncertainty or {}).get("distribution")
            if kind in ("triangular", "lognormal") and kind not in spec:
                spec[kind] = (activity, exchange)
    assert set(spec) == {"triangular", "lognormal"}
    with ZipReader(archive) as reader:
        for kind, (activity, exchange) in spec.items():
            process = reader.read_process(stable_id("process", *activity.key))
            got = next(e for e in process.exchanges if not e.is_quantitative_reference
                       and math.isclose(e.amount, exchange.amount) and e.uncertainty is not None
                       and f"source: {exchange.source}" in e.description)
            if kind == "triangular":
                assert got.uncertainty.distribution_type == o.UncertaintyType.TRIANGLE_DISTRIBUTION
                assert (got.uncertainty.minimum, got.uncertainty.mode, got.uncertainty.maximum) == pytest.approx(
                    (exchange.uncertainty["low"], exchange.amount, exchange.uncertainty["high"]))
            else:
                assert got.uncertainty.distribution_type == o.UncertaintyType.LOG_NORMAL_DISTRIBUTION
                assert got.uncertainty.geom_mean == pytest.approx(exchange.amount)
                assert got.uncertainty.geom_sd == pytest.approx(exchange.uncertainty["gsd"])


def test_unit_without_a_group_is_a_clear_error():
    assert unit_of("cm**2") == ("area", "cm2")
    with pytest.raises(JsonLdError, match="unit 'kg/m\\^3'.*UNIT_GROUPS"):
        unit_of("kg/m^3")


def test_cli_writes_the_archive_for_one_database(tmp_path):
    target = tmp_path / "pv.zip"
    done = run_cli("inventory", "export", "--jsonld", str(target), "--database", "pv",
                   env={"LCA_BRIGHTWAY_DIR": str(tmp_path / "bw")})
    assert done.returncode == 0, done.stderr
    with ZipReader(target) as reader:
        assert {p.category for p in reader.read_each(o.Process)} == {"pv"}
    assert not list(tmp_path.glob("*.tmp*"))                  # atomic write leaves no temporaries
