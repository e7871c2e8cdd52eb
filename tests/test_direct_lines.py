"""The line panels draw their lines themselves (``tui/direct.py``) instead of through
Textual's per-line box pipeline. The reference is Textual's own pipeline: for every
panel, in every state that changes how a line looks (a step's highlight, focus and its
background tint, a theme, 16 colours, ``NO_COLOR``'s monochrome filter, a scrolled
panel), both must give the same strips, cell for cell and style for style."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.geometry import Region
from textual.widget import Widget

from tui_backprop.tui._textual_patch import DirectLines
from tui_backprop.tui.app import create_app


def _cells(strips) -> list[list[tuple[str, object]]]:
    return [[(ch, seg.style) for seg in Segment.simplify(strip) for ch in seg.text]
            for strip in strips]


def _compare(app) -> int:
    checked = 0
    for widget in app.screen.query("*"):
        if not isinstance(widget, DirectLines) or not widget.display:
            continue
        region = widget.region
        if region.width <= 0 or region.height <= 0:
            continue
        assert widget._direct_box() is not None, type(widget).__name__
        crop = region.reset_offset
        mine = widget.render_lines(crop)
        widget._styles_cache.clear()
        theirs = Widget.render_lines(widget, crop)
        assert _cells(mine) == _cells(theirs), type(widget).__name__
        # column and row crops, as the compositor asks for a partly covered widget
        if region.width > 4 and region.height > 2:
            for part in (Region(2, 0, region.width - 3, region.height),
                         Region(0, 1, region.width, region.height - 1)):
                widget._styles_cache.clear()
                assert _cells(widget.render_lines(part)) == \
                    _cells(Widget.render_lines(widget, part)), type(widget).__name__
        checked += 1
    return checked


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("theme", [None, "projector"])
async def test_direct_lines_equal_textuals_pipeline(size, theme):
    app = create_app("cs231n-staged", lang="en", ascii=False, theme=theme)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for keys in ((), ("right",) * 5, ("b",), ("tab",), ("tab",), ("tab",)):
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            assert _compare(app) >= 3


async def test_direct_lines_no_color_and_16_colours(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = create_app("network-2-2-2", lang="en", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.get_line_filters()  # NO_COLOR: the monochrome filter is in force
        for key in ("right",) * 7 + ("tab", "down", "down"):
            await pilot.press(key)
        await pilot.pause()
        assert _compare(app) >= 3


async def test_a_panel_with_a_box_keeps_textuals_pipeline():
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        inspector = app.debugger.inspector
        inspector.styles.padding = (0, 1)
        await pilot.pause()
        assert inspector._direct_box() is None
        crop = inspector.region.reset_offset
        assert _cells(inspector.render_lines(crop)) == \
            _cells(Widget.render_lines(inspector, crop))


async def test_a_style_changed_after_a_pass_reaches_the_panels():
    """A pass keeps what it worked out of the styles until one of them changes: a change
    to the panel's own styles or to an ancestor's must show in the next pass."""
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert _compare(app) >= 3
        inspector = app.debugger.inspector
        crop = inspector.region.reset_offset
        assert not any(seg.style and seg.style.italic
                       for seg in inspector.render_lines(crop)[1])
        app.debugger.styles.text_style = "italic"  # an ancestor of every panel
        await pilot.pause()
        assert _compare(app) >= 3
        assert inspector.rich_style.italic
        assert any(seg.style and seg.style.italic for seg in inspector.render_lines(crop)[1])
        inspector.styles.background = "#ff0000"  # the panel's own
        await pilot.pause()
        assert _compare(app) >= 3
        app.theme = "projector"  # a theme switched at run time restyles every panel
        await pilot.pause()
        assert _compare(app) >= 3
        inside = list(inspector.render_lines(crop)[1])[1]  # after the left border
        assert inside.style.bgcolor.triplet == (255, 0, 0)
