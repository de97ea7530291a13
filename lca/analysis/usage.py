"""Which parameters a calculation actually reads, so that an override nothing reads is an error, not a no-op.

A comparison reads the shared parameters and the accelerator and array properties its models use, and every
parameter in the formulas of the activities in its systems' supply chains (database parameters, activity
properties and shared parameters, and what their own formulas name). A footprint reads the formulas of the
activity's supply chain.
"""
from __future__ import annotations

from lca.analysis.compare import COMPARE_METHODS, Choices, build_systems
from lca.analysis.sampling import derived_inputs
from lca.core.parameters import formula_name, names_in
from lca.errors import InputError
from lca.inventory import Inventory
from lca.inventory.overrides import factor_parameters


class UnusedOverrideError(InputError):
    """Overrides of parameters the configuration never reads."""


def formula_parameters(inventory: Inventory, roots: list[tuple[str, str]]) -> set[str]:
    """Qualified names of the parameters the formulas of ``roots`` and their supply chains refer to."""
    shared = {formula_name(name): name for name in inventory.parameters}
    used, seen, stack = set(), set(), list(roots)
    while stack:
        key = stack.pop()
        if key in seen or key[0] not in inventory.databases or key[1] not in inventory.databases[key[0]].activities:
            continue
        seen.add(key)
        database = inventory.databases[key[0]]
        activity = database.activities[key[1]]
        names = set()
        for exchange in activity.exchanges:
            if exchange.kind == "technosphere":
                stack.append(tuple(exchange.input))
            if exchange.is_formula:
                names |= names_in(exchange.formula)
        while names:
            name = names.pop()
            if name in activity.properties:
                qualified, parameter = f"{key[0]}:{key[1]}.{name}", activity.properties[name]
            elif name in database.parameters:
                qualified, parameter = f"{key[0]}.{name}", database.parameters[name]
            elif name in shared:
                qualified, parameter = shared[name], inventory.parameters[shared[name]]
            else:
                continue
            if qualified not in used:
                used.add(qualified)
                if isinstance(parameter.value, str):          # a parameter defined by a formula
                    names |= names_in(parameter.value)
    return used


def factor_parameters_of(inventory: Inventory, methods) -> set[str]:
    """Names (``cf:...``) of the own characterisation factors of ``methods`` (aliases)."""
    return {name for name in factor_parameters(inventory) if name.split(":")[1] in set(methods)}


def comparison_parameters(inventory: Inventory, chosen: Choices, values: dict[str, float],
                          methods=COMPARE_METHODS) -> set[str]:
    """Qualified names of every parameter the comparison ``chosen`` reads, its methods' factors included."""
    reads: set[str] = set()
    systems = build_systems(inventory, chosen, values, reads)
    providers = [link.provider for model in systems for link in model.links]
    fleet = {name for name in inventory.parameters if name.startswith("fleet.")}     # lca.analysis.fleet reads them
    return (reads | formula_parameters(inventory, providers) | factor_parameters_of(inventory, methods)
            | derived_inputs(inventory, methods) | fleet)


def check_used(overrides: dict[str, float], used: set[str], what: str) -> None:
    """Raise :class:`UnusedOverrideError` naming the overrides outside ``used``."""
    unused = sorted(set(overrides) - used)
    if unused:
        raise UnusedOverrideError(f"{', '.join(unused)}: not used by {what}, so the override would change nothing; "
                                  "check the name and the configuration, or pass --allow-unused")
