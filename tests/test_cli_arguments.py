"""Arguments as people type them: several values after one option, global options before or after the command."""
import json

import pytest

from lca import cli


@pytest.mark.parametrize("argv", [["compare", "--grid", "US", "FR", "CN"],
                                  ["compare", "--grid", "US", "--grid", "FR", "--grid", "CN"],
                                  ["compare", "--grid", "US", "FR", "--grid", "CN"]])
def test_grids_can_follow_one_option_or_repeat_it(argv):
    assert cli.build_parser().parse_args(argv).grid == ["US", "FR", "CN"]


@pytest.mark.parametrize("argv", [["--brightway-dir", "B", "--inventories", "I", "--json", "--quiet", "setup"],
                                  ["setup", "--brightway-dir", "B", "--inventories", "I", "--json", "--quiet"],
                                  ["--brightway-dir", "B", "--json", "setup", "--inventories", "I", "--quiet"]])
def test_global_options_go_before_or_after_the_command(argv):
    args = cli.build_parser().parse_args(argv)
    assert (args.brightway_dir, args.inventories, args.json, args.quiet) == ("B", "I", True, True)


def test_without_global_options_the_defaults_hold():
    args = cli.build_parser().parse_args(["list", "grids"])
    assert (args.brightway_dir, args.inventories, args.json, args.quiet) == (None, None, False, False)


def test_a_global_option_before_the_command_reaches_it(mini_root, tmp_path, capsys):
    assert cli.main(["--inventories", str(mini_root), "--json", "--brightway-dir", str(tmp_path / "bw"),
                     "list", "databases"]) == 0
    names = {row["database"] for row in json.loads(capsys.readouterr().out)}
    assert names == {path.name for path in mini_root.iterdir() if path.is_dir() and path.name not in ("sources", "parameters")}


@pytest.mark.parametrize("value, shown", [(31778.058, "31,780"), (377060.3, "377,100"), (983.0, "983.0"),
                                          (0.08094, "0.08094"), (0.0, "0"), (1.2e-05, "1.2e-05"),
                                          (-2176.7, "-2,177"), (8.935e7, "89,350,000"), (3e16, "3e+16")])
def test_table_numbers_are_four_significant_figures_with_separators(value, shown):
    from lca.cli import _float_text

    assert _float_text(value) == shown
