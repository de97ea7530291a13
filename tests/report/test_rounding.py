"""Rounding that follows the uncertainty: hand-worked cases of :func:`lca.report.text.supported_digits`."""
from __future__ import annotations

import pytest

from lca.report.text import supported_digits, with_interval


@pytest.mark.parametrize(("value", "low", "high", "digits", "text"), [
    # half-width 54,497: its second figure is the thousands -> 51,000 (2 figures)
    (50876.0, 25149.0, 134143.0, 2, "51,000 [25,000-134,000]"),
    # half-width 8.9e6: second figure at 1e5 -> 5.0e6 shown as 5,000,000 (2 figures)
    (5023329.0, 1274662.0, 19109823.0, 2, "5,000,000 [1,300,000-19,100,000]"),
    # half-width 2.7: second figure at 0.1 -> 38.3 (3 figures, the most shown)
    (38.306, 36.0, 41.4, 3, "38.3 [36.0-41.4]"),
    # an interval wider than the value: one figure
    (4.2, 0.1, 90.0, 1, "4 [0.1-90]"),
    # no width: the most figures
    (1234.5, 1234.5, 1234.5, 3, "1,230 [1,230-1,230]"),
])
def test_digits_follow_the_interval(value, low, high, digits, text):
    assert supported_digits(value, low, high) == digits
    assert with_interval(value, low, high) == text


def test_the_high_altitude_note_gives_the_low_end_and_names_the_assumption():
    import pandas as pd

    from lca.report.text import high_altitude_note

    frame = pd.DataFrame([{"system": "orbit", "method": "GWP100+HA", "median": 1.2e6, "p5": 1.84e5, "p95": 4.8e6,
                           "p2_5": 5.58e4, "p97_5": 6.5e6},
                          {"system": "orbit", "method": "GWP100", "median": 6e4, "p5": 3.3e4, "p95": 1.29e5,
                           "p2_5": 2.96e4, "p97_5": 1.54e5}])
    note = high_altitude_note(frame, "orbit")
    assert "from 55,800 (2.5 % quantile, the low end) to 4,800,000" in note
    assert "surface efficacy of soot above the tropopause" in note and "net surface cooling" in note
    assert high_altitude_note(frame, "orbit", "GTP100+HA") == ""
