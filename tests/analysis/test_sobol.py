"""Sobol indices: the design, the bootstrap intervals, the warning on wide intervals, the words."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def test_saltelli_blocks_are_salibs_design_in_pieces():
    from SALib.sample import sobol as sample

    from lca.analysis.sobol import saltelli_blocks

    problem = {"num_vars": 5, "names": list("abcde"), "bounds": [[0, 1]] * 5, "groups": ["g1", "g2", "g1", "g3", "g2"]}
    reference = sample.sample(problem, 16, calc_second_order=False, seed=3)
    for rows in (5, 20, 1000):                      # blocks of one base sample, several, all at once
        np.testing.assert_array_equal(np.concatenate(list(saltelli_blocks(problem, 16, 3, rows))), reference)


def test_additive_function_gets_its_analytic_indices_within_the_intervals():
    """y = x1 + 2 x2 on U(0,1): Var = 1/12 + 4/12, S1 = ST = 0.2 and 0.8 (hand calculation)."""
    from SALib.analyze import sobol as analyse

    from lca.analysis.sobol import CONFIDENCE, RESAMPLES, saltelli_blocks

    problem = {"num_vars": 2, "names": ["x1", "x2"], "bounds": [[0, 1]] * 2, "groups": ["x1", "x2"]}
    design = np.concatenate(list(saltelli_blocks(problem, 1024, 1, 4096)))
    result = analyse.analyze(problem, design[:, 0] + 2 * design[:, 1], calc_second_order=False, seed=1,
                             num_resamples=RESAMPLES, conf_level=CONFIDENCE)
    for index in ("S1", "ST"):                       # the analytic values lie inside the 95 % intervals
        assert np.all(np.abs(result[index] - [0.2, 0.8]) <= result[f"{index}_conf"])
        assert result[f"{index}_conf"].max() < 0.1


def _frame(rows):
    frame = pd.DataFrame(rows, columns=["input", "S1", "S1_conf", "ST", "ST_conf"])
    for index in ("S1", "ST"):
        frame[f"{index}_low"] = frame[index] - frame[f"{index}_conf"]
        frame[f"{index}_high"] = frame[index] + frame[f"{index}_conf"]
    frame["n_base"] = 256
    return frame


def test_warning_names_reported_indices_with_intervals_wider_than_a_tenth():
    from lca.analysis.sobol import interval_warning

    frame = _frame([("orbit.lifetime", 0.30, 0.02, 0.31, 0.06), ("compute.mfu", 0.10, 0.01, 0.12, 0.02),
                    ("pv.wafer_thickness", 0.0, 0.2, 0.01, 0.2)])
    frame["reported"] = [True, True, False]            # the last is no driver: its wide interval is not reported
    warning = interval_warning(frame)
    assert warning.startswith("warning: the 95 % interval of 1 reported Sobol index(es) is wider than 0.1: "
                              "orbit.lifetime (S1 0.04, ST 0.12)")
    assert "--sobol 512" in warning
    frame.loc[0, "ST_conf"] = 0.05                      # width exactly 0.1: not wider
    assert interval_warning(frame) == ""


def test_indices_in_words():
    from lca.analysis.sobol import in_words

    row = next(_frame([("orbit.lifetime", 0.25, 0.02, 0.24, 0.013)]).itertuples())
    assert in_words(row) == ("orbit.lifetime alone explains 25% of the variance (95 % interval 23% to 27%); with "
                             "its interactions 24% (23% to 25%)")


@pytest.fixture(scope="module")
def api(bw_project):
    return bw_project


def test_small_sobol_run_has_intervals_and_warns(api):
    frame = api.sobol(grids=["US"], n=16, seed=1)
    assert {"S1_low", "S1_high", "ST_low", "ST_high", "reported", "words"} <= set(frame.columns)
    assert (frame["ST_high"] >= frame["ST_low"]).all()
    assert frame["reported"].sum() >= 5
    assert frame.attrs["warning"].startswith("warning: the 95 % interval")      # 16 base samples are not enough
    assert frame["target"].iloc[0].startswith("ln(orbit / terrestrial)")


def test_auto_target_is_the_log_ratio_when_scores_are_positive_and_the_gap_otherwise(api):
    """GWP100 scores are all positive: auto is the log-ratio run itself. GWP100+HA samples the net-cooling low end
    of soot (negative factors), so some orbital scores are negative: auto falls back to the gap and says so, while
    an explicit log_ratio is refused."""
    from lca.errors import CalculationError

    auto = api.sobol(grids=["US"], n=16, seed=1)
    explicit = api.sobol(grids=["US"], n=16, seed=1, target="log_ratio")
    assert auto["ST"].tolist() == explicit["ST"].tolist() and auto.attrs["target_note"] == ""
    ha = api.sobol(grids=["US"], n=64, seed=1, method="GWP100+HA")   # 128 base rows: some with soot efficacy < 0
    assert ha["target"].iloc[0].startswith("orbit - terrestrial")
    assert "zero or negative" in ha.attrs["target_note"]
    with pytest.raises(CalculationError, match="log_ratio needs positive"):
        api.sobol(grids=["US"], n=64, seed=1, method="GWP100+HA", target="log_ratio")
