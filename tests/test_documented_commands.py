"""Documentation that runs (issue 19, item 6): every ``lca ...`` command in the README's code blocks and in every
subcommand's ``--help`` examples (its epilog, :data:`lca.cli.EXAMPLES`) is executed, in process, through the CLI's
``main`` with the session's Brightway project, and must exit 0 (or the exit code its comment documents,
``# exit N``).

Commands are taken as written. Synopsis lines of the README are expanded the way a reader would: ``a|b|c`` runs
each alternative, ``[...]`` optional parts are left out, and ``inv-*.xlsx`` is globbed in the working folder.

Two reductions keep the suite fast, both switched off by ``LCA_DOCS_FULL=1`` (then every command runs exactly as
documented, which takes several minutes):

- the default Monte Carlo sample count (10,000) and Sobol base (4,096) of commands that do not set them are
  lowered to :data:`SAMPLES` (``LCA_DOCS_SAMPLES``, default 64) by patching the defaults, not the command text;
- the commands in :data:`SLOW` get the options listed there appended (the README's ``lca report`` leaves out the
  per-activity footprints, and is then the ``lca report --help`` example, run once; its ``lca sweep`` runs
  serially instead of starting a Dask cluster).

About 60 s of CPU on top of the session's Brightway project (the one report takes about 40 s of it).

The working folder is a temporary copy of README.md (``lca readme`` rewrites the copy, ``lca report`` writes
``reports/`` there) and the ``lca inventory`` commands work on a temporary copy of the inventories
(``LCA_INVENTORIES``), so no command writes into the repository.
"""
from __future__ import annotations

import contextlib
import glob
import io
import os
import re
import shlex
import shutil

import pytest
from conftest import INVENTORIES, REPO

from lca.cli import EXAMPLES, build_parser, main

FULL = os.environ.get("LCA_DOCS_FULL") == "1"
SAMPLES = int(os.environ.get("LCA_DOCS_SAMPLES", "64"))
#: Documented commands that are too slow for the suite, and what the fast run appends to them.
SLOW = {
    "lca report --out reports/lca-report.xlsx": ["--no-activity-footprints"],
    "lca sweep --grid US --grid FR --launcher falcon9 --launcher starship-v3 --year 2024 --year 2030": ["--serial"],
}


def _strip_optional(tokens: list[str]) -> list[str]:
    out, depth = [], 0
    for token in tokens:
        opened = token.count("[")
        if depth or opened:
            depth += opened - token.count("]")
            continue
        if token != "...":
            out.append(token)
    return out


def _expand(line: str) -> list[str]:
    """The commands a documented line stands for (alternatives ``a|b`` each, optional ``[...]`` parts left out)."""
    tokens = _strip_optional(shlex.split(line, comments=True))
    commands = [[]]
    for token in tokens:
        choices = token.split("|") if "|" in token and not token.startswith("-") else [token]
        commands = [c + [choice] for c in commands for choice in choices]
    return [shlex.join(c) for c in commands]


def readme_commands() -> list[tuple[str, str]]:
    """(where, command) for every ``lca`` line in the README's bash blocks; a synopsis continues on indented lines."""
    text = (REPO / "README.md").read_text()
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        lines = block.splitlines()
        for index, line in enumerate(lines):
            if not line.startswith("lca "):
                continue
            full = line.split("  #")[0] if "[" in line else line
            for more in lines[index + 1:]:
                if not more.startswith(" ") or not more.strip().startswith("["):
                    break
                full += " " + more.split("  #")[0].strip()
            found += [("README.md", command) for command in _expand(full)]
    return found


def help_commands() -> list[tuple[str, str]]:
    """(where, command) for every example in every subcommand's ``--help`` epilog, read from the parser."""
    parser = build_parser()
    found = []
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        parsers = {name: sub}
        nested = [a for a in sub._actions if a.dest == "action"]
        if nested:
            parsers = {f"{name} {n}": p for n, p in nested[0].choices.items()}
        for label, p in parsers.items():
            for line in (p.epilog or "").splitlines()[1:]:
                found.append((f"lca {label} --help", line.strip()))
    return found


def _expected_code(command: str) -> int:
    match = re.search(r"#.*\bexit (\d)", command)
    return int(match.group(1)) if match else 0


def test_every_subcommand_has_examples_and_each_is_parsed():
    commands = help_commands()
    labels = {where for where, _ in commands}
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    names = [n for n in subparsers.choices if n != "inventory"] + ["inventory validate", "inventory export",
                                                                   "inventory import"]
    assert sorted(labels) == sorted(f"lca {n} --help" for n in names)
    assert sum(len(v) for v in EXAMPLES.values()) == len(commands)


def test_the_readme_synopsis_lines_expand_as_a_reader_reads_them():
    assert _expand("lca list scenarios|presets   # shipped") == ["lca list scenarios", "lca list presets"]
    assert _expand("lca compare [--grid CODE ...] [--mc N (default 10000; 0: deterministic) --seed S] [--json]") \
        == ["lca compare"]
    assert _expand('lca footprint "launch, Starship V3" --set a=50') == ["lca footprint 'launch, Starship V3' --set a=50"]
    commands = [c for _, c in readme_commands()]
    assert "lca list workloads" in commands and "lca inventory import 'inv-*.xlsx'" in commands
    assert len(commands) >= 30


@pytest.fixture(scope="module")
def docs_folder(tmp_path_factory, bw_project):
    folder = tmp_path_factory.mktemp("docs")
    shutil.copy(REPO / "README.md", folder / "README.md")
    shutil.copytree(INVENTORIES, folder / "inventories-copy")
    return folder


#: Commands that need the workbooks an earlier command wrote run after it (export before import).
ORDER = ("lca inventory export", "lca inventory import")


def _argv(command: str) -> list[str]:
    """The arguments the test passes to ``main``: as documented, plus (fast run) the :data:`SLOW` additions."""
    argv = shlex.split(command, comments=True)
    return argv[1:] + ([] if FULL else SLOW.get(shlex.join(argv), []))


def _all_commands():
    """Every documented command once: one that the README and a ``--help`` both give (after the :data:`SLOW`
    additions) runs once, under both names."""
    merged: dict[tuple, list] = {}
    for where, command in readme_commands() + help_commands():
        merged.setdefault(tuple(_argv(command)), [[], command])[0].append(where)
    commands = [(" and ".join(wheres), command) for wheres, command in merged.values()]
    return sorted(commands, key=lambda c: next((i for i, p in enumerate(ORDER) if c[1].startswith(p)), -1))


@pytest.mark.parametrize("where, command", _all_commands(), ids=[f"{w}: {c[:70]}" for w, c in _all_commands()])
def test_documented_command_runs(where, command, docs_folder, bw_dir, monkeypatch):
    from lca.analysis import montecarlo, sobol

    argv = _argv(command)
    if not FULL:
        monkeypatch.setattr(montecarlo, "DEFAULT_SAMPLES", SAMPLES)
        monkeypatch.setattr(sobol, "DEFAULT_BASE", SAMPLES)
        monkeypatch.setattr("lca.cli.SOBOL_BASE", SAMPLES)
    monkeypatch.chdir(docs_folder)
    monkeypatch.setenv("LCA_BRIGHTWAY_DIR", str(bw_dir))
    if argv[0] == "inventory":
        monkeypatch.setenv("LCA_INVENTORIES", str(docs_folder / "inventories-copy"))
    argv = [match for a in argv for match in (sorted(glob.glob(a)) or [a] if "*" in a else [a])]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:          # argparse: a documented command that does not parse
            code = exit.code
    assert code == _expected_code(command), f"{where}: {command}\nexit {code}\n{err.getvalue()[-3000:]}"
    assert "Traceback" not in err.getvalue()
    from lca import api

    api.configure(brightway_dir=bw_dir, inventories=INVENTORIES)      # as the session fixtures expect it
