"""The tool's one error hierarchy.

Every error the tool raises on purpose derives from :class:`LcaError`. The command line
catches the two kinds below: an :class:`InputError` (bad input, unknown names, a file that
cannot be read or written) ends with ``error: ...`` and exit code 2; a
:class:`CalculationError` (a model or matrix that cannot be solved) with exit code 3.
"""


class LcaError(Exception):
    """Base of every error raised on purpose by this package (signals such as SIGTERM are not errors)."""


class InputError(LcaError, ValueError):
    """Bad input: the message names the file, row or field and what was expected (exit code 2)."""


class CalculationError(LcaError):
    """A calculation that cannot be carried out with valid input, e.g. a singular matrix (exit code 3)."""
