"""Strips without per-strip memo caches (tui/_textual_patch.py patches ``Strip.__init__``):
every operation the compositor and the panels use must give what Textual's own strips
give, and a strip must keep nothing it derives alive."""

from __future__ import annotations

import sys

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import ANSIToTruecolor, Monochrome
from textual.strip import Strip

from tui_backprop.tui import _textual_patch

RED = Style(color="red", bold=True)
BLUE = Style(bgcolor="blue")
#: a wide character straddles some of the cuts below
SEGMENTS = [Segment("ab", RED), Segment("数字", None), Segment(" x=1.5 ", BLUE),
            Segment("", RED), Segment("∂L", RED)]


def _cells(strip) -> list[tuple[str, object]]:
    return [(ch, seg.style) for seg in Segment.simplify(strip) for ch in seg.text]


def _ops():
    """Every Strip operation the panels, DirectLines and the compositor call."""
    cls = Strip
    s = cls(SEGMENTS)
    return {
        "cell_length": s.cell_length,
        "text": s.text,
        "crop": [_cells(s.crop(a, b)) for a, b in ((0, 3), (3, 6), (2, 9), (5, 40))],
        "divide": [[_cells(p) for p in s.divide(cuts)] for cuts in ([3], [1, 4, 9], [20])],
        "apply_style": _cells(s.apply_style(BLUE)),
        "crop_extend": _cells(s.crop_extend(1, 30, BLUE)),
        "adjust": [_cells(s.adjust_cell_length(n, RED)) for n in (4, 13, 30)],
        "simplify": _cells(s.simplify()),
        # (the line filters see styled segments only: DirectLines applies the base style)
        "filter": [_cells(cls(list(Segment.apply_style(SEGMENTS, Style(color="white"))))
                          .apply_filter(f, Color(0, 0, 0)))
                   for f in (Monochrome(), ANSIToTruecolor(_ansi_theme()))],
        "blank": _cells(cls.blank(5, RED)),
        "render": s.render(_console()),
    }


def _ansi_theme():
    from textual._ansi_theme import DEFAULT_TERMINAL_THEME
    return DEFAULT_TERMINAL_THEME


def _console():
    from rich.console import Console
    return Console(color_system="256", force_terminal=True, width=80)


@pytest.fixture
def installed():
    if not _textual_patch.install():
        pytest.skip("untested Textual version: Textual's own Strip is used")


def test_same_results_as_textuals_own_strips(installed, monkeypatch) -> None:
    ours = _ops()
    monkeypatch.setattr(Strip, "__init__", _textual_patch.STRIP_INIT)
    assert _ops() == ours


def _derived(strip) -> list:
    return [strip.crop(1, 5), strip.apply_style(BLUE), strip.crop_extend(0, 20, None),
            strip.adjust_cell_length(30), strip.divide([2, 4])]


def test_keeps_nothing_it_derives(installed, monkeypatch) -> None:
    strip = Strip(SEGMENTS)
    # held by the list alone: as many references as a new object's in a list
    alone = [sys.getrefcount(d) for d in [Strip([])]][0]
    assert [sys.getrefcount(d) for d in _derived(strip)] == [alone] * 5
    # computed again, not looked up: equal strips, new objects
    first = strip.crop(1, 5)
    assert strip.crop(1, 5) is not first
    assert _cells(strip.crop(1, 5)) == _cells(first)
    # ... while Textual's own strip keeps in its caches what it derived (what is saved)
    monkeypatch.setattr(Strip, "__init__", _textual_patch.STRIP_INIT)
    plain = Strip(SEGMENTS)
    assert [sys.getrefcount(d) for d in _derived(plain)] == [alone + 1] * 5


def test_installed_patches_strip_and_keeps_the_original(installed) -> None:
    assert Strip.__init__ is _textual_patch._strip_init
    assert _textual_patch.STRIP_INIT is not _textual_patch._strip_init
    # Textual's own __init__ still has the slots this module sets (fails loudly if a
    # Textual version renames them: then this module's version pin must not pass)
    probe = Strip.__new__(Strip)
    _textual_patch.STRIP_INIT(probe, SEGMENTS)
    for name in ("_divide_cache", "_crop_cache", "_style_cache", "_filter_cache",
                 "_line_length_cache", "_crop_extend_cache", "_offsets_cache"):
        assert type(getattr(probe, name)).__name__ == "FIFOCache", name
