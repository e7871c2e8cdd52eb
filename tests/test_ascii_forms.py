"""ASCII output says what the Unicode says: the lecture's σ(1 - σ) (σ times 1 - σ, σ
the sigmoid's output) must not read as sigmoid applied to (1 - σ), and a header title
cut to the terminal's width ends in ``...`` (Textual's own ``…`` cannot be shown)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from textual.content import Content
from textual.geometry import Region
from textual.widgets._header import HeaderTitle

from tui_backprop.text.glyphs import to_ascii
from tui_backprop.tui.app import create_app
from tui_backprop.tui.help import HelpScreen
from tui_backprop.tui.lines import Fitted

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.mark.parametrize("text, expected", [
    # juxtaposition is a product in the notes: written out in ASCII
    ("σ(1 - σ)", "sigmoid*(1 - sigmoid)"),
    ("its cached output, σ(1 - σ).", "its cached output, sigmoid*(1 - sigmoid)."),
    ("σ(1 − σ)", "sigmoid*(1 - sigmoid)"),  # with the minus sign
    ("σ(z)(1 - σ(z)) = 0.73 × 0.27", "sigmoid(z)*(1 - sigmoid(z)) = 0.73 x 0.27"),
    ("σ(x)(1-σ(x))", "sigmoid(x)*(1-sigmoid(x))"),
    # a call stays a call
    ("f = σ(1) ≈ 0.73", "f = sigmoid(1) ~= 0.73"),
    ("log(1 - σ(z))", "log(1 - sigmoid(z))"),
    ("(x + σ(y)) / (σ(x) + (x + y)²)", "(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)"),
])
def test_a_sigmoid_product_is_explicit_in_ascii(text, expected):
    assert to_ascii(text) == expected


def test_every_scenario_text_is_unambiguous_in_ascii():
    """No bundled scenario's description, in ASCII, applies sigmoid to an expression
    holding a bare ``sigmoid`` (a value) or puts a call right before a parenthesis."""
    for path in sorted(SCENARIOS.glob("*.toml")):
        text = to_ascii(tomllib.loads(path.read_text("utf-8")).get("description", ""))
        assert not re.search(r"sigmoid\([^()]*\bsigmoid\b(?!\()[^()]*\)", text), path
        assert not re.search(r"sigmoid\([^()]*\)\(", text), path


async def test_the_ascii_help_writes_the_product():
    app = create_app("cs231n-staged", lang="en", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = str(app.screen.query_one(".scenario-description").render())
        assert "cached output, sigmoid*(1 - sigmoid)." in " ".join(shown.split())


@pytest.mark.parametrize("ascii, mark", [(True, "..."), (False, "…")])
async def test_a_cut_title_ends_in_an_ellipsis(ascii, mark):
    title = tomllib.loads((SCENARIOS / "cs231n-staged.toml").read_text("utf-8"))["title"]
    app = create_app("cs231n-staged", lang="en", ascii=ascii)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.query_one(HeaderTitle)
        row = "".join(seg.text for seg in header.render_lines(
            Region(0, 0, header.size.width, 1))[0]).strip()
        whole = title + " — tui-backprop"
        whole = to_ascii(whole) if ascii else whole
        assert len(whole) > header.size.width  # it is cut
        assert row.endswith(mark), row
        assert row[:-len(mark)] and whole.startswith(row[:-len(mark)].rstrip()), row
        assert row.isascii() or not ascii


def test_fitted_cuts_in_cells_and_keeps_what_fits():
    wide = Content("梯度梯度")  # 8 cells
    assert str(Fitted(wide, "...")) == "梯度梯度"
    assert Fitted(wide, "...").fit(8).plain == "梯度梯度"
    assert Fitted(wide, "...").fit(7).plain == "梯度..."  # never half a character
    assert Fitted(Content("abcdef"), "...").fit(5).plain == "ab..."
    assert Fitted(Content("abcdef"), "…").fit(5).plain == "abcd…"
