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
