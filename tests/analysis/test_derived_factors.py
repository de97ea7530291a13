"""Monte Carlo of the derived high-altitude factors: propagated from the inputs, shared across bands and methods,
and written to the Brightway project as plain numbers."""
import numpy as np
import pytest

from lca.analysis import sampling
from lca.inventory import derivations, read_inventory

BC = ("lca biosphere", "black_carbon_stratosphere")
BC_MESO = ("lca biosphere", "black_carbon_mesosphere")


@pytest.fixture(scope="module")
def real():
    return read_inventory()


def test_factor_samples_are_computed_from_the_input_samples(real):
    methods = ("GWP100+HA", "HA-nonCO2", "GTP100+HA")
    samples = sampling.draw(real, 4000, 7, None, methods)
    factor = next(f for f in real.methods["GWP100+HA"].factors if f.flow == BC)
    expected = derivations.evaluate(real.parameters, factor.derived, "GWP100",
                                    {n: samples.parameters[n] for n in derivations.inputs(factor.derived, "GWP100")
                                     if n in samples.parameters})
    np.testing.assert_allclose(samples.factors[("GWP100+HA", BC)], expected)
    # one draw of the inputs serves every method and band: the same efficacy signs everywhere
    np.testing.assert_array_equal(samples.factors[("GWP100+HA", BC)], samples.factors[("HA-nonCO2", BC)])
    efficacy = samples.parameters["climate.bc_efficacy"]
    for key in (("GWP100+HA", BC), ("GWP100+HA", BC_MESO), ("GTP100+HA", BC)):
        assert np.array_equal(samples.factors[key] < 0, efficacy < 0)
    # the low end: triangular(-0.5, 1.0, 1.2) puts 0.5**2 / (1.7 * 1.5) = 9.8 % of draws below zero
    assert (samples.factors[("GWP100+HA", BC)] < 0).mean() == pytest.approx(0.098, abs=0.02)


def test_a_fixed_input_or_factor_is_respected(real):
    fixed = {"climate.bc_efficacy": 0.0, "cf:GWP100+HA:lca biosphere:black_carbon_mesosphere": 5.0}
    samples = sampling.draw(real, 100, 3, None, ("GWP100+HA",), fixed)
    assert np.all(samples.factors[("GWP100+HA", BC)] == 0.0)
    assert ("GWP100+HA", BC_MESO) not in samples.factors      # the engine takes the fixed value


def test_the_project_holds_the_computed_numbers(bw_project, real):
    import bw2data as bd
    from bw2data.backends import ActivityDataset as AD

    method = real.methods["GTP100+HA"]
    flow_id = AD.get((AD.database == BC[0]) & (AD.code == BC[1])).id
    stored = dict((flow, cf["amount"] if isinstance(cf, dict) else cf) for flow, cf in bd.Method(method.name).load())
    factor = next(f for f in method.factors if f.flow == BC)
    assert stored[flow_id] == pytest.approx(factor.amount) and stored[flow_id] == pytest.approx(1.3957e4, rel=1e-3)
