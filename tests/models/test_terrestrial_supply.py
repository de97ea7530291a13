"""Electricity supply of a terrestrial data centre (lca.models.terrestrial.electricity_supply) by hand."""
import pytest

from lca.core.units import Q_
from lca.models import ModelError
from lca.models.terrestrial import electricity_supply


def test_grid_only_is_grossed_up_for_losses():
    """100 kWh used, 5 % T&D loss: 100 / 0.95 = 105.263 kWh generated."""
    supply = electricity_supply(Q_(100, "kWh"), 0.0, 1.0, 0.0, 0.05)
    assert supply["grid"].m_as("kWh") == pytest.approx(105.263, abs=1e-3)
    assert supply["ppa"].m_as("kWh") == 0 and supply["onsite"].m_as("kWh") == 0


def test_mixed_supply_by_hand():
    """100 kWh: PPA 50 % with 60 % hourly matching -> 30 kWh matched, /0.95 = 31.579 kWh; on-site 20 % = 20 kWh
    (no loss); grid the rest, 100 - 30 - 20 = 50 kWh, /0.95 = 52.632 kWh (the unmatched PPA hours included)."""
    supply = electricity_supply(Q_(100, "kWh"), 0.5, 0.6, 0.2, 0.05)
    assert supply["ppa"].m_as("kWh") == pytest.approx(31.579, abs=1e-3)
    assert supply["onsite"].m_as("kWh") == pytest.approx(20.0)
    assert supply["grid"].m_as("kWh") == pytest.approx(52.632, abs=1e-3)


def test_shares_above_one_are_refused():
    with pytest.raises(ModelError, match="ppa_share \\+ terrestrial.onsite_gas_share"):
        electricity_supply(Q_(100, "kWh"), 0.7, 1.0, 0.4, 0.05)
