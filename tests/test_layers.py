"""The package's layer order (docs/architecture.md), checked on the source: every import of the package's
own modules, at module level or inside functions, goes to the same layer or a lower one; the import graph has
no cycles; no private name is imported from another module."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lca"

#: Layer of each top-level part of the package, lowest first (docs/architecture.md).
LAYERS = {
    "lca": 0, "lca.errors": 0,
    "lca.core": 1,
    "lca.inventory": 2, "lca.models": 2,
    "lca.brightway": 3,
    "lca.analysis": 4,
    "lca.report": 5,
    "lca.api": 6, "lca.doctor": 6,
    "lca.cli": 7, "lca.__main__": 8,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The part of the package ``module`` belongs to (the longest key of LAYERS that prefixes it)."""
    return max((key for key in LAYERS if module == key or module.startswith(key + ".")), key=len)


def imports(path: Path, module: str | None = None) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, imported names) of every import of the package's own modules."""
    module = module or module_name(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names if alias.name.split(".")[0] == "lca"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] == "lca":
                found.append((node.lineno, base, [alias.name for alias in node.names]))
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def resolved(base: str, names: list[str]) -> list[str]:
    """The modules an import statement loads: ``from lca.x import y`` loads lca.x.y where that is a module."""
    targets = [f"{base}.{name}" for name in names if f"{base}.{name}" in MODULES]
    return targets + ([base] if len(targets) < len(names) or not names else [])


def test_the_layer_table_covers_every_module():
    assert all(layer_of(module) for module in MODULES)


def upward_imports(module: str, path: Path) -> list[str]:
    """Imports in ``path`` (the source of ``module``) of a module in a higher layer, or a sideways one."""
    own = layer_of(module)
    wrong = []
    for line, base, names in imports(path, module):
        for target in resolved(base, names):
            other = layer_of(target)
            if other != own and LAYERS[other] >= LAYERS[own]:
                wrong.append(f"line {line}: {target} ({other}, layer {LAYERS[other]})")
    return wrong


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_layer(module):
    wrong = upward_imports(module, MODULES[module])
    assert not wrong, f"{module} ({layer_of(module)}, layer {LAYERS[layer_of(module)]}) imports upwards: {wrong}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_is_imported_across_modules(module):
    private = [f"line {line}: {base}.{name}" for line, base, names in imports(MODULES[module])
               for name in names if name.startswith("_") and not name.startswith("__")]
    assert not private, f"{module} imports private names: {private}"


def test_the_import_graph_has_no_cycles():
    graph = {module: {t for _, base, names in imports(path) for t in resolved(base, names)
                      if t in MODULES and t != module and not module.startswith(t + ".") and t != "lca"}
             for module, path in MODULES.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_checker_finds_upward_and_sideways_imports(tmp_path):
    """The checker itself, on a made-up module: the API (above) is found everywhere below it, a model sideways
    from the inventory layer and above the core; the units module and the error hierarchy (below) never."""
    source = tmp_path / "fake.py"
    source.write_text("from lca import api, errors\nfrom lca.core.units import Q_\n\n\ndef f():\n"
                      "    from lca.models import orbit\n")
    api, model = "line 1: lca.api (lca.api, layer 6)", "line 6: lca.models.orbit (lca.models, layer 2)"
    assert upward_imports("lca.core.fake", source) == [api, model]
    assert upward_imports("lca.inventory.fake", source) == [api, model]
    assert upward_imports("lca.analysis.fake", source) == [api]
    assert upward_imports("lca.cli.fake", source) == []
