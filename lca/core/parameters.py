"""Named, cited parameters and the unit-aware formulas that use them.

A formula is a plain arithmetic expression of parameter names and numbers
(``dry_mass / reuses``, ``exp(-defect_density * die_area)``). It is evaluated
with pint quantities, so a result of the wrong dimension is caught when the
data is loaded rather than as a wrong number in a report.
"""
from __future__ import annotations

import ast
import functools
import math
import operator
import re
from dataclasses import dataclass

import numpy as np
import pint

from lca.core import distributions
from lca.core.units import Q_, ureg
from lca.errors import InputError


@dataclass(frozen=True)
class Parameter:
    """A named input value with its unit, uncertainty and source.

    ``value`` is in ``unit``; ``uncertainty`` is a validated spec in the same
    unit (see :mod:`lca.core.distributions`). ``scope`` is the database name, or
    ``"global"`` for the shared system parameters.
    """

    name: str
    value: float | str
    unit: str
    uncertainty: dict
    source: str
    description: str = ""
    scope: str = "global"
    file: str = ""
    limits: tuple[float | None, float | None] = (None, None)
    exclusive: tuple[bool, bool] = (False, False)   # a limit that the value may not equal (zero divides)

    def limits_text(self) -> str:
        """The allowed range in interval notation: ``[0, 1]``, ``(0, inf)``."""
        return limits_text(self.limits, self.exclusive)

    def within_limits(self, value: float) -> bool:
        """Whether ``value`` [``unit``] lies in the parameter's allowed range."""
        return within_limits(value, self.limits, self.exclusive)

    @property
    def is_numeric(self) -> bool:
        return not isinstance(self.value, str)

    @property
    def quantity(self) -> pint.Quantity:
        """Value with unit."""
        return quantity(self.value, self.unit)

    def bounds(self) -> tuple[float, float]:
        """Low and high value [``unit``] (range, or central 95% interval)."""
        return distributions.bounds(self.uncertainty, self.value)


@functools.lru_cache(maxsize=65536)
def quantity(value: float, unit: str) -> pint.Quantity:
    """A cached quantity (parsing unit strings is the slow part of pint). Do not modify it in place."""
    return Q_(value, unit)


def limits_text(limits, exclusive=(False, False)) -> str:
    """An allowed range in interval notation (``[0.1, inf)``; an open end is ``-inf``/``inf``)."""
    low, high = limits
    return (f"{'(' if exclusive[0] or low is None else '['}{'-inf' if low is None else f'{low:g}'}, "
            f"{'inf' if high is None else f'{high:g}'}{')' if exclusive[1] or high is None else ']'}")


def within_limits(value: float, limits, exclusive=(False, False)) -> bool:
    """Whether ``value`` lies in the range ``limits`` (None: open), each end inclusive unless ``exclusive``."""
    low, high = limits
    if low is not None and (value < low or (exclusive[0] and value == low)):
        return False
    return not (high is not None and (value > high or (exclusive[1] and value == high)))


_INTERVAL = re.compile(r"^\s*([\[(])\s*([^,\s]+)\s*,\s*([^,\s]+)\s*([\])])\s*$")


def parse_limits(value) -> tuple[tuple[float | None, float | None], tuple[bool, bool]]:
    """``limits`` as written in the data: ``[low, high]`` (inclusive, ``null`` for open) or an interval string
    like ``"(0, 1]"`` (a round bracket excludes that end: zero is not allowed where it divides).

    Returns ((low, high), (low excluded, high excluded)); raises ValueError for anything else.
    """
    def end(item, infinite: str):
        if item is None or item == infinite:
            return None
        if isinstance(item, str):
            item = float(item)          # ValueError for text that is not a number
        if isinstance(item, bool) or not isinstance(item, (int, float)) or not math.isfinite(item):
            raise ValueError(item)
        return float(item)

    if isinstance(value, list) and len(value) == 2 and not any(isinstance(x, str) for x in value):
        limits, exclusive = (end(value[0], "-inf"), end(value[1], "inf")), (False, False)
    elif isinstance(value, str) and (match := _INTERVAL.match(value)):
        limits = (end(match.group(2), "-inf"), end(match.group(3), "inf"))
        exclusive = (match.group(1) == "(" and limits[0] is not None, match.group(4) == ")" and limits[1] is not None)
    else:
        raise ValueError(value)
    if limits[0] is not None and limits[1] is not None and limits[0] > limits[1]:
        raise ValueError(value)
    return limits, exclusive


class FormulaError(InputError):
    """A formula that cannot be parsed or evaluated."""


#: Bounds of the formula evaluator: longer formulas, more operations, larger exponents or results are errors
#: (so that a formula like ``9**9**9`` fails at once instead of computing for hours).
MAX_FORMULA_LENGTH = 1000
MAX_FORMULA_NODES = 200
MAX_EXPONENT = 100
MAX_MAGNITUDE = 1e300


_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def _dimensionless(x, name: str):
    if isinstance(x, pint.Quantity):
        if not x.dimensionless:
            raise FormulaError(f"{name}() needs a dimensionless argument, got {x.units:~}")
        return x.to("dimensionless").magnitude
    return x


def _exp(x):
    return np.exp(_dimensionless(x, "exp"))


def _log(x):
    return np.log(_dimensionless(x, "log"))


def _sqrt(x):
    return x ** 0.5


def _min(*args):
    return functools.reduce(np.minimum, args)


def _max(*args):
    return functools.reduce(np.maximum, args)


_FUNCTIONS = {"exp": _exp, "log": _log, "sqrt": _sqrt, "min": _min, "max": _max}


@functools.lru_cache(maxsize=65536)
def names_in(formula: str) -> frozenset[str]:
    """Parameter names a formula refers to (functions excluded)."""
    tree = _parse(formula)
    return frozenset(node.id for node in ast.walk(tree)
                     if isinstance(node, ast.Name) and node.id not in _FUNCTIONS and node.id != "pi")


@functools.lru_cache(maxsize=65536)
def _parse(formula: str) -> ast.Expression:
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError(f"expected a formula string, got {formula!r}")
    if len(formula) > MAX_FORMULA_LENGTH:
        raise FormulaError(f"formula of {len(formula)} characters; at most {MAX_FORMULA_LENGTH} are allowed")
    try:
        tree = ast.parse(formula.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        raise FormulaError(f"cannot parse formula '{formula}': {getattr(err, 'msg', type(err).__name__)}") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_FORMULA_NODES:
        raise FormulaError(f"formula '{formula[:60]}...' has more than {MAX_FORMULA_NODES} operations and names")
    return tree


def _magnitude(value):
    return value.magnitude if isinstance(value, pint.Quantity) else value


def _bounded(value, formula: str):
    """``value`` unless its magnitude exceeds :data:`MAX_MAGNITUDE` (an overflow in the making)."""
    if np.iscomplexobj(_magnitude(value)):
        raise FormulaError(f"formula '{formula}' gives a complex number (the square root or power of a negative value)")
    magnitude = np.abs(_magnitude(value))
    if np.any(magnitude > MAX_MAGNITUDE):
        raise FormulaError(f"formula '{formula}' gives a value larger than {MAX_MAGNITUDE:g}")
    return value


def _power(base, exponent, formula: str):
    size = np.abs(_dimensionless(exponent, "pow"))
    if np.any(size > MAX_EXPONENT):
        raise FormulaError(f"exponent larger than {MAX_EXPONENT} in formula '{formula}'")
    return operator.pow(base, exponent)


def evaluate(formula: str, scope: dict[str, pint.Quantity | float]) -> pint.Quantity:
    """Evaluate ``formula`` with the quantities in ``scope``.

    Only numbers, names from ``scope``, the constant ``pi``, + - * / **,
    unary minus and the functions exp, log, sqrt, min, max are allowed.
    Quantities may hold numpy arrays (one value per Monte Carlo sample).
    """
    tree = _parse(formula)
    scope = {"pi": math.pi, **scope}

    def visit(node):
        if isinstance(node, ast.Expression):
            return visit(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return _bounded(float(node.value), formula)       # float: no unbounded integer arithmetic
        if isinstance(node, ast.Name):
            if node.id not in scope:
                raise FormulaError(f"unknown name '{node.id}' in formula '{formula}'")
            return scope[node.id]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            return _bounded(_power(visit(node.left), visit(node.right), formula), formula)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _bounded(_BINARY[type(node.op)](visit(node.left), visit(node.right)), formula)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](visit(node.operand))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
                and not node.keywords and node.args):
            return _bounded(_FUNCTIONS[node.func.id](*[visit(arg) for arg in node.args]), formula)
        raise FormulaError(f"'{ast.unparse(node)}' is not allowed in formula '{formula}'")

    try:
        result = visit(tree)
    except pint.errors.DimensionalityError as err:
        raise FormulaError(f"units do not add up in formula '{formula}': {err}") from err
    except (ZeroDivisionError, OverflowError, ValueError, FloatingPointError, TypeError) as err:
        if isinstance(err, FormulaError):
            raise
        raise FormulaError(f"cannot evaluate formula '{formula}': {err}") from err
    return result if isinstance(result, pint.Quantity) else Q_(result, ureg.dimensionless)


def formula_name(parameter_name: str) -> str:
    """How a (possibly dotted) parameter name is written in formulas (``.`` -> ``__``)."""
    return parameter_name.replace(".", "__")
