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


class FormulaError(InputError):
    """A formula that cannot be parsed or evaluated."""


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


def _parse(formula: str) -> ast.Expression:
    if not isinstance(formula, str) or not formula.strip():
        raise FormulaError(f"expected a formula string, got {formula!r}")
    try:
        return ast.parse(formula.strip(), mode="eval")
    except SyntaxError as err:
        raise FormulaError(f"cannot parse formula '{formula}': {err.msg}") from err


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
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in scope:
                raise FormulaError(f"unknown name '{node.id}' in formula '{formula}'")
            return scope[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](visit(node.left), visit(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](visit(node.operand))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
                and not node.keywords):
            return _FUNCTIONS[node.func.id](*[visit(arg) for arg in node.args])
        raise FormulaError(f"'{ast.unparse(node)}' is not allowed in formula '{formula}'")

    try:
        result = visit(tree)
    except pint.errors.DimensionalityError as err:
        raise FormulaError(f"units do not add up in formula '{formula}': {err}") from err
    except (ZeroDivisionError, OverflowError, ValueError, FloatingPointError) as err:
        if isinstance(err, FormulaError):
            raise
        raise FormulaError(f"cannot evaluate formula '{formula}': {err}") from err
    return result if isinstance(result, pint.Quantity) else Q_(result, ureg.dimensionless)


def formula_name(parameter_name: str) -> str:
    """How a (possibly dotted) parameter name is written in formulas (``.`` -> ``__``)."""
    return parameter_name.replace(".", "__")
