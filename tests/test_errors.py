"""One error hierarchy: every error class of the package is an InputError (exit 2) or a CalculationError (exit 3)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import lca
from lca import cli
from lca.errors import CalculationError, InputError, LcaError


def error_classes():
    found = {}
    for info in pkgutil.walk_packages(lca.__path__, "lca."):
        if info.name == "lca.__main__":                  # importing it runs the command
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == info.name:
                found[f"{info.name}.{name}"] = value
    return found


def test_every_error_class_of_the_package_has_the_common_base():
    classes = error_classes()
    assert len(classes) >= 14                       # the classes named in issue 13, and the hierarchy itself
    stray = [name for name, cls in classes.items()
             if cls not in (LcaError, InputError, CalculationError) and not issubclass(cls, (InputError, CalculationError))]
    assert not stray, f"error classes outside the hierarchy: {stray}"
    assert issubclass(InputError, ValueError) and not issubclass(CalculationError, ValueError)


@pytest.mark.parametrize(("error", "code"), [(InputError("bad value in x.yaml"), 2),
                                             (CalculationError("singular matrix"), 3),
                                             (PermissionError(13, "Permission denied", "/ro/report.xlsx"), 2)])
def test_the_command_line_maps_each_kind_to_its_exit_code(monkeypatch, capsys, error, code):
    def fail(args, api):
        raise error

    monkeypatch.setattr(cli, "cmd_list", fail)          # build_parser binds the module's cmd_list
    assert cli.main(["list", "grids"]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    if isinstance(error, OSError):
        assert "/ro/report.xlsx" in err[0]
