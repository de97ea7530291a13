"""The README's answer table and sentence are what `lca compare` computes under the default configuration
(default Monte Carlo: 10,000 samples, seed 1, as the README states)."""
from __future__ import annotations

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def api(bw_project):
    return bw_project


def test_readme_answer_is_the_default_comparison(api):
    up_to_date, block = api.readme(REPO / "README.md", check=True)
    assert up_to_date, "README.md's answer differs from `lca compare`; run `lca readme`"
    result = api.compare()
    mc = result.extra["monte_carlo"]
    assert int(mc["n"].iloc[0]) == 10_000 and "10,000 Monte Carlo samples, seed 1" in block
    from lca.report.text import probability, with_interval

    orbit = mc[(mc["system"] == result.orbit.name) & (mc["method"] == "GWP100")].iloc[0]
    assert f"| {with_interval(orbit['median'], orbit['p5'], orbit['p95'])} |" in block
    us = mc[(mc["system"] == "terrestrial, US") & (mc["method"] == "GWP100")].iloc[0]
    assert f"probability that orbit is lower-carbon {probability(us['p_orbit_lower'])} against the US grid" in block


def test_readme_does_not_repeat_the_wrong_reentry_attribution():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "re-entry alumina another 0.33 t" not in text
    flat = text.replace("\n  ", " ")
    assert "0.34 t is black carbon from re-entry" not in flat      # the worst-case index used as the central one
    assert "0.18 t from re-entry of the spacecraft (black carbon at a central index of 0.0205 kg/kg" in flat


def test_check_reports_a_drifted_readme_and_the_command_repairs_it(api, tmp_path, bw_dir):
    from lca import cli
    from lca.report.readme import BEGIN, END, RECONCILIATION_BEGIN, RECONCILIATION_END

    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{BEGIN}\n| orbit | 27,800 |\n{END}\n\n{RECONCILIATION_BEGIN}\n{RECONCILIATION_END}\n",
                      encoding="utf-8")
    common = ["--brightway-dir", str(bw_dir), "--quiet", "--file", str(readme)]
    with pytest.raises(SystemExit) as stopped:
        cli.main(["readme", "--check", *common])
    assert stopped.value.code == 1
    assert cli.main(["readme", *common]) == 0
    assert cli.main(["readme", "--check", *common]) == 0
    assert "**In one sentence:** Under the default configuration" in readme.read_text(encoding="utf-8")
    readme.write_text(f"# x\n\n{BEGIN}\n{END}\n", encoding="utf-8")             # no reconciliation markers
    with pytest.raises(ValueError, match="reconciliation: begin"):
        api.readme(readme)


def test_readme_reconciliation_is_lca_reconcile(api):
    from lca.analysis.reconcile import summary
    from lca.report.text import significant

    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = summary(api.reconcile())
    assert len(table) == 5
    for row in table.to_dict(orient="records"):
        line = next(line for line in text.splitlines() if line.startswith(f"| {row['study']} |"))
        assert f"| {significant(row['ours g/PFLOP-day'])} |" in line and f"| {row['published']} |" in line


def test_the_readme_python_example_runs(api, bw_dir):
    """The README's Python block, run as written (only the Brightway directory is this session's)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    assert 'api.configure(brightway_dir="/tmp/bw")' in block
    block = block.replace('api.configure(brightway_dir="/tmp/bw")', f"api.configure(brightway_dir={str(bw_dir)!r})")
    scope: dict = {}
    exec(compile(block, "README.md (python example)", "exec"), scope)
    result = scope["result"]
    assert result.samples.shape[0] == 10_000
    assert set(result.stages["stage"]) and "total" not in set(result.stages["stage"])
