"""Unit registry: definitions in lca/units.txt."""
import pytest

from lca.core.units import Q_, UnitError, brightway_word, conversion_factor, from_brightway_word, parse_unit


def test_pflop_day_is_1e15_flop_per_second_for_one_day():
    # 1e15 FLOP/s * 86400 s = 8.64e19 FLOP (definition in the functional unit)
    assert Q_(1, "PFLOP_day").to("FLOP").magnitude == pytest.approx(8.64e19, rel=1e-15)


def test_co2e_is_its_own_dimension():
    assert conversion_factor("tCO2e", "kgCO2e") == pytest.approx(1000.0)
    assert conversion_factor("kgCO2e", "gCO2e") == pytest.approx(1000.0)
    with pytest.raises(UnitError, match="dimension"):
        conversion_factor("kgCO2e", "kg")


def test_energy_conversion_and_wrong_dimension():
    assert conversion_factor("MJ", "kWh") == pytest.approx(1 / 3.6)
    with pytest.raises(UnitError, match="dimension"):
        conversion_factor("kWh", "kg")


def test_ton_is_refused_as_ambiguous():
    with pytest.raises(UnitError, match="ambiguous"):
        parse_unit("ton")
    assert conversion_factor("t*km", "kg*km") == pytest.approx(1000.0)


def test_unknown_unit_is_named():
    with pytest.raises(UnitError, match="unknown unit 'kWhh'"):
        parse_unit("kWhh")


@pytest.mark.parametrize("unit, word", [("kg", "kilogram"), ("kWh", "kilowatt hour"), ("item", "unit"),
                                         ("m^3", "cubic meter"), ("t*km", "ton kilometer"), ("MJ", "megajoule")])
def test_brightway_words_round_trip(unit, word):
    assert brightway_word(unit) == word
    assert conversion_factor(from_brightway_word(word), unit) == pytest.approx(1.0)


def test_data_volume_has_its_own_dimension():
    assert conversion_factor("TB", "GB") == pytest.approx(1000.0)
    with pytest.raises(UnitError, match="dimension"):
        conversion_factor("kWh/TB", "kWh")
