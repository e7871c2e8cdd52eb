"""Handouts: the HTML page opens offline in a real browser with every step on it, and the
SVG is well-formed XML with no external reference.

add-mul is CS231n's f = (x + y) * z at x = -2, y = 5, z = -4: five steps (forward q,
forward f, the seed, backward f, backward q); by hand f = -12, dq = z = -4, dz = q = 3,
dx = dy = -4.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from tui_backprop.engine import load
from tui_backprop.export.handout import render_html, render_svg

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def no_external_references(text: str) -> None:
    """Nothing to fetch: no URL (other than the SVG namespace name, which is never
    fetched), no link, script, import, src or url()."""
    assert "http" not in text.replace(SVG_NS, "")
    for pattern in (r"<link\b", r"<script\b", r"@import", r"\bsrc\s*=", r"url\((?!#)",
                    r"href=\"(?!#)"):
        assert not re.search(pattern, text, re.I), pattern


class Sections(HTMLParser):
    """The text of each ``<section id="step-K">`` (and of its circuit) in a DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: dict[str, list[str]] = {}
        self.circuits: dict[str, list[str]] = {}
        self._section: str | None = None
        self._in_circuit = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and (a.get("id") or "").startswith("step-"):
            self._section = a["id"]
            self.steps[self._section] = []
            self.circuits[self._section] = []
        elif tag == "pre" and self._section and "circuit" in (a.get("class") or ""):
            self._in_circuit = True

    def handle_endtag(self, tag):
        if tag == "section":
            self._section = None
        elif tag == "pre":
            self._in_circuit = False

    def handle_data(self, data):
        if self._section:
            self.steps[self._section].append(data)
            if self._in_circuit:
                self.circuits[self._section].append(data)


def sections(dom: str) -> tuple[dict[str, str], dict[str, str]]:
    parser = Sections()
    parser.feed(dom)
    return ({k: "".join(v) for k, v in parser.steps.items()},
            {k: "".join(v) for k, v in parser.circuits.items()})


def test_svg_is_well_formed_and_self_contained():
    svg = render_svg(load("add-mul"), 4, lang="en", ascii=False)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    no_external_references(svg)
    text = "".join(root.itertext()).replace("\xa0", " ")
    assert "Step 4 of 5" in text and "Backward" in text        # the title names the step
    assert "-12" in text and "╔" in text                       # f's value; the current box


def test_ascii_svg_and_html_hold_only_ascii():
    scenario = load("cs231n-staged")
    svg = render_svg(scenario, 3, lang="zh", ascii=True)
    ET.fromstring(svg)
    assert svg.isascii()
    page = render_html(scenario, lang="zh", ascii=True)
    assert page.isascii()
    no_external_references(page)


def test_html_is_self_contained_and_names_every_step():
    page = render_html(load("add-mul"), lang="en", ascii=False)
    no_external_references(page)
    steps, circuits = sections(page)
    assert list(steps) == [f"step-{k}" for k in range(1, 6)]
    assert "Step 4 of 5" in steps["step-4"]
    # the backward step of f: its gradients dq = -4 and dz = 3 on the wires
    assert re.search(r"(?<![\d.])-4(?![\d.])", circuits["step-4"])
    assert re.search(r"(?<![\d.-])3(?![\d.])", circuits["step-4"])
    # before the backward pass no wire carries a gradient: the only -4 is z's value
    assert len(re.findall(r"(?<![\d.])-4(?![\d.])", circuits["step-1"])) == 1


def test_chinese_html_speaks_chinese():
    page = render_html(load("add-mul"), lang="zh", ascii=False)
    steps, _ = sections(page)
    assert "第 4 步（共 5 步）" in steps["step-4"] and "反向传播" in steps["step-4"]
    assert 'lang="zh-Hans"' in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (Debian: apt-get "
                                            "install chromium) to open the handout in")
def test_html_handout_opens_in_a_headless_browser(tmp_path):
    path = tmp_path / "handout.html"
    path.write_text(render_html(load("add-mul"), lang="en", ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--user-data-dir=" + str(tmp_path / "profile"),
         "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    steps, circuits = sections(proc.stdout)
    assert len(steps) == 5
    assert "Step 4 of 5" in steps["step-4"] and "Backward" in steps["step-4"]
    assert "upstream" in steps["step-4"]                     # the inspector's words
    assert re.search(r"(?<![\d.])-12(?![\d.])", circuits["step-2"])   # f = -12


def test_export_command_writes_files_and_refuses_bad_steps(cli, tmp_path):
    out = tmp_path / "f.svg"
    result = cli("export", "add-mul", "--format", "svg", "--step", "5", "--lang", "en",
                 "-o", out)
    assert result.code == 0 and result.err == ""
    ET.fromstring(out.read_text(encoding="utf-8"))
    result = cli("export", "add-mul", "--format", "svg", "--step", "6")
    assert result.code == 2 and result.err_lines == [
        "tui-backprop: error: --step must be from 1 to 5 (the steps of the first iteration),"
        " got 6"]
    result = cli("export", "add-mul", "--format", "html", "--step", "2")
    assert result.code == 2 and len(result.err_lines) == 1
    result = cli("export", tmp_path / "missing.toml", "--format", "html")
    assert result.code == 2 and len(result.err_lines) == 1
