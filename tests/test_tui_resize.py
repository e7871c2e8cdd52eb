"""A terminal resized and brought back shows what a fresh start at that size shows.

Textual re-decides a scroll view's scrollbars only when its virtual size differs from the
region it laid out: after a shrink had shown scrollbars for the stale, larger virtual size
of the inspector or the explain line, they stayed (a 2-column strip in the scrollbar's
colour) and the text stayed wrapped 2 columns short. Read in a real pty, through a real
terminal emulator (pyte), cell for cell: characters and colours/attributes.
"""

from __future__ import annotations

import fcntl
import os
import struct
import sys
import termios
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _floor import TermScreen, differing_cells  # noqa: E402
from _pty import PtyProcess  # noqa: E402

from tui_backprop.tui.app import create_app  # noqa: E402

#: cs231n-staged, backward step 15/17 (the sigmoid on x, its second ``+=``)
STAGED_KEYS = ["right"] * 9 + ["b"] + ["left"] * 2


def _resize(p: PtyProcess, cols: int, rows: int) -> None:
    fcntl.ioctl(p.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _env() -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "XDG_CONFIG_HOME": "/nonexistent"}
    for name in ("COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM"):
        env.pop(name, None)
    return env


def _screen(scenario: str, keys: list[str], size: tuple[int, int],
            detour: tuple[int, int] | None) -> TermScreen:
    """The screen after ``keys`` at ``size``; with ``detour``, resized to it and back."""
    cols, rows = size
    argv = [sys.executable, "-m", "tui_backprop", scenario, "--lang", "en", "--no-ascii"]
    with PtyProcess(argv, cols, rows, env=_env()) as p:
        p.read_until_quiet(0.5, 30, ready=lambda: b"quit" in p.output_since(0))
        for key in keys:
            p.press(key)
            p.read_until_quiet(0.2, 10)
        term = TermScreen(cols, rows)
        if detour is None:
            term.feed(p.output_since(0))
            return term
        _resize(p, *detour)
        p.read_until_quiet(0.5, 10)
        term.resize(*detour)
        term.feed(p.output_since(0))
        mark = len(p.chunks)
        _resize(p, cols, rows)
        p.read_until_quiet(0.6, 10)
        term.resize(cols, rows)
        term.feed(p.output_since(mark))
        return term


@pytest.mark.parametrize("detour", [(87, 24), (80, 27)], ids=["wider", "taller"])
def test_a_resize_and_back_gives_the_screen_of_a_fresh_start_cell_for_cell(detour):
    fresh = _screen("cs231n-staged", STAGED_KEYS, (80, 24), None)
    assert "BACKWARD step 15/17" in fresh.text()
    resized = _screen("cs231n-staged", STAGED_KEYS, (80, 24), detour)
    diff = differing_cells(fresh.snapshot(), resized.snapshot())
    assert not diff, (f"{len(diff)} cells differ, first: {diff[:3]}\n"
                      f"{fresh.text()}\n----\n{resized.text()}")


async def test_text_panels_drop_stale_scrollbars_and_rewrap_to_the_full_width():
    """The same, headless, for the two wrapped text panels: after 80x24 -> 87x24 ->
    80x24 and 80x24 -> 80x27 -> 80x24, no scrollbar, and lines wrapped to 80 columns
    (the explain line's first line is 80 cells long at this step, as on a fresh start)."""
    app = create_app("cs231n-staged", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in STAGED_KEYS:
            await pilot.press(key)
        await pilot.pause()
        explain, inspector = app.screen.explain, app.screen.inspector
        first = explain._strips[0].cell_length
        assert first > 78  # the sentence fills the row: a 2-column loss would show
        for detour in ((87, 24), (80, 27)):
            await pilot.resize_terminal(*detour)
            await pilot.pause()
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            await pilot.pause()
            for panel in (explain, inspector):
                assert not panel.show_vertical_scrollbar, (panel.id, detour)
                assert not panel.show_horizontal_scrollbar, (panel.id, detour)
                assert panel.scrollable_content_region.width == 80, (panel.id, detour)
            assert explain._strips[0].cell_length == first


@pytest.mark.parametrize(("scenario", "keys"), [
    ("vectorised-matmul", ("b", "left", "left")),
    ("network-2-2-2", ("end",)),  # its snapshot lost a row to a horizontal bar
])
async def test_an_inspector_that_overflows_keeps_its_scrollbar_and_wraps_beside_it(
        scenario, keys):
    """Only the vertical scrollbar, on a fresh start and after resizes, with the lines
    wrapped beside it (never a horizontal scrollbar: wrapped lines never need one)."""
    app = create_app(scenario, lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        inspector = app.screen.inspector
        for size in ((80, 24), (87, 24), (80, 24), (60, 20), (80, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert len(inspector._strips) > inspector.size.height  # it does overflow
            assert inspector.show_vertical_scrollbar
            assert not inspector.show_horizontal_scrollbar
            width = size[0] - inspector.styles.scrollbar_size_vertical
            assert max(s.cell_length for s in inspector._strips) <= width
