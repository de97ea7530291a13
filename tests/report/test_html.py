"""The HTML companion: one offline file (nothing referenced over the network, a policy that loads nothing), and
rendered in headless Chromium without script errors, with the cover's answer and every chart drawn by plotly.

Chromium (the Debian package ``chromium``) is installed by the :func:`chromium` fixture where it is missing and
``apt-get`` can be run; the rendering tests are skipped only where it cannot be installed.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BROWSER_SECONDS = 180


@pytest.fixture(scope="module")
def page(us_fr_report_data, tmp_path_factory):
    from lca.report.html import write_html

    path = write_html(us_fr_report_data, tmp_path_factory.mktemp("html") / "us-fr.html")
    return path, path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary; installed with apt-get (Debian package ``chromium``) where missing and possible."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for command in (["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
                        ["sh", "-c", "apt-get update && apt-get install -y --no-install-recommends chromium"]):
            subprocess.run(command, capture_output=True, env=environment, timeout=1200)
            found = shutil.which("chromium")
            if found:
                return found
    pytest.skip("Chromium is not installed and cannot be installed here (needs apt-get as root)")


def browse(chromium: str, url: str, scratch: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run headless Chromium once on ``url`` with a fresh profile (and HOME) under ``scratch``."""
    profile = scratch / f"profile-{len(list(scratch.glob('profile-*')))}"
    profile.mkdir(parents=True)
    environment = dict(os.environ, HOME=str(profile))
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                           "--virtual-time-budget=10000", *extra, url], capture_output=True, text=True,
                          env=environment, timeout=BROWSER_SECONDS)


def status_of(dom: str) -> dict[str, str]:
    match = re.search(r'<div id="page-status"([^>]*)>(.*?)</div>', dom, re.S)
    assert match, "the page status element is missing from the DOM"
    attributes = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', match.group(1)))
    return attributes | {"text": html.unescape(match.group(2))}


class References(HTMLParser):
    """Every tag with its src/href attributes; script tags and their src."""

    def __init__(self):
        super().__init__()
        self.urls, self.scripts, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "data", "action", "poster"):
            if attrs.get(name):
                self.urls.append((tag, attrs[name]))
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "link":
            self.links.append(attrs)


def test_the_file_references_nothing_over_the_network(page, us_fr_report_data):
    from lca.report.html import CONTENT_SECURITY_POLICY

    _, text = page
    parser = References()
    parser.feed(text)
    assert not [url for _, url in parser.urls if re.match(r"\s*(https?:)?//", url, re.I)]
    assert all("src" not in attrs for attrs in parser.scripts) and len(parser.scripts) >= 3
    assert not parser.links                                          # styles are inline
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?https?:""", text, re.I)
    assert f'content="{CONTENT_SECURITY_POLICY}"' in text and "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "Plotly.newPlot" in text and len(text) > 3_000_000        # plotly.js inlined (about 4.6 MB)


def test_chromium_renders_the_answer_and_every_chart_without_errors(page, us_fr_report_data, chromium,
                                                                    tmp_path_factory):
    from lca.report.excel import answer_sentence

    path, text = page
    scratch = tmp_path_factory.mktemp("chromium")
    result = browse(chromium, path.as_uri(), scratch, "--dump-dom")
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    status = status_of(dom)
    charts = len(re.findall(r'<div id="[^"]+" class="chart"', text))
    methods = len(set(us_fr_report_data.results["method"]))
    assert charts == 3 * methods + len(us_fr_report_data.trees)      # totals, stages, tornado per method; Sankeys
    assert status["data-errors"] == "0", status["text"]
    assert status["data-charts"] == status["data-drawn"] == str(charts), status
    # each chart div holds plotly's rendering (class plot-container), Sankeys their node boxes
    drawn = re.findall(r'<div id="([^"]+)" class="chart[^"]*"[^>]*>\s*<div class="plot-container', dom)
    assert len(drawn) == charts
    assert dom.count('class="sankey-node') >= sum(len(t.nodes) for t in us_fr_report_data.trees)
    answer = answer_sentence(us_fr_report_data)
    assert html.escape(answer, quote=False) in dom
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert not console, console
    # a screenshot for the reviewer (its path is printed with -s)
    shot = scratch / "us-fr.png"
    taken = browse(chromium, path.as_uri(), scratch, f"--screenshot={shot}", "--window-size=1280,6400",
                   "--hide-scrollbars")
    assert taken.returncode == 0 and shot.stat().st_size > 100_000, taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {shot}")


def test_the_page_says_why_the_median_is_not_the_central_value(page, us_fr_report_data):
    """The central-vs-median section carries the same sentences as the workbook's sheet (the orbit first)."""
    from lca.report.excel import median_summary

    _, text = page
    assert "<h2>Central value vs Monte Carlo median</h2>" in text
    lines = median_summary(us_fr_report_data.median_shifts, ["GWP100", "GWP100+HA"])
    assert lines and all(html.escape(line) in text for line in lines)


def test_the_error_sentinel_reports_script_errors_and_blocked_loads(page, chromium, tmp_path_factory):
    """The check above can fail: the same page with a failing script and a remote image reports both."""
    path, text = page
    broken = path.with_name("broken.html")
    broken.write_text(text.replace("</body>", '<script>throw new Error("deliberate failure")</script>'
                                             '<img src="https://example.invalid/x.png"></body>'), encoding="utf-8")
    result = browse(chromium, broken.as_uri(), tmp_path_factory.mktemp("chromium-broken"), "--dump-dom")
    status = status_of(result.stdout)
    assert int(status["data-errors"]) >= 2, status
    assert "deliberate failure" in status["text"] and "example.invalid" in status["text"]
