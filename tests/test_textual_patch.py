"""The byte-saving patch of Textual's update encoders (tui/_textual_patch.py).

It replaces private Textual methods, so these tests fail loudly when Textual changes
underneath: the version must be one the patch was checked against, the patched methods
must still exist with the attributes the patch reads, and in a real pty, with a real
terminal emulator (pyte), the screen after a walk of steps must equal a full repaint of
the same state, cell for cell, characters *and* colours/attributes.
"""

from __future__ import annotations

import fcntl
import os
import struct
import sys
import termios
from pathlib import Path

import pytest

from tui_backprop.tui import _textual_patch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _floor import TermScreen, differing_cells  # noqa: E402
from _pty import PtyProcess  # noqa: E402


def test_installed_textual_is_a_version_the_patch_was_checked_against():
    # If this fails, Textual moved: re-check _textual_patch against the new
    # textual/_compositor.py, then add the version to TESTED_TEXTUAL.
    assert _textual_patch.supported(), "Textual version not covered by _textual_patch"


def test_the_private_methods_and_attributes_the_patch_relies_on_still_exist():
    from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
    from textual.strip import Strip

    assert callable(ChopsUpdate.render_segments) and callable(LayoutUpdate.render_segments)
    assert callable(Strip.render_ansi) and callable(Strip.render_style)
    assert callable(Compositor._regions_to_spans)
    update = ChopsUpdate([{0: None}], [(0, 0, 1)], [[1]])
    assert (update.chops, update.spans, update.chop_ends) == ([{0: None}], [(0, 0, 1)], [[1]])
    # spans are half-open [x1, x2): the patch crops with that convention
    from textual.geometry import Region
    assert list(Compositor._regions_to_spans([Region(3, 0, 4, 1)])) == [(0, 3, 7)]


def test_install_replaces_both_encoders():
    from textual._compositor import ChopsUpdate, LayoutUpdate

    assert _textual_patch.install()
    assert ChopsUpdate.render_segments is _textual_patch._chops_render_segments
    assert LayoutUpdate.render_segments is _textual_patch._layout_render_segments


def test_crop_never_splits_a_wide_character():
    from rich.segment import Segment
    from textual.strip import Strip

    strip = Strip([Segment("ab"), Segment("梯度x")])  # cells: a b 梯梯 度度 x
    offset, segments = _textual_patch._crop(strip, 3, 5)  # starts inside 梯, ends inside 度
    assert offset == 2
    assert "".join(s.text for s in segments) == "梯度"
    offset, segments = _textual_patch._crop(strip, 0, 2)
    assert (offset, "".join(s.text for s in segments)) == (0, "ab")


def _resize(p: PtyProcess, cols: int, rows: int) -> None:
    fcntl.ioctl(p.master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def _env() -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color"}
    for name in ("COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM"):
        env.pop(name, None)
    return env


def _argv(scenario: str, patched: bool) -> list[str]:
    code = ("import sys\n"
            "from tui_backprop.tui import _textual_patch\n"
            + ("" if patched else "_textual_patch.install = lambda: False\n")
            + "from tui_backprop.tui.app import create_app\n"
            "create_app(sys.argv[1]).run()\n")
    return [sys.executable, "-c", code, scenario]


def _walk(p: PtyProcess, keys: list[str]) -> None:
    p.read_until_quiet(0.5, 30, ready=lambda: b"quit" in p.output_since(0))
    for key in keys:
        p.press(key)
        p.read_until_quiet(0.2, 10)


STAGED_KEYS = ["right"] * 9 + ["b"] + ["left"] * 3 + ["i", "right"]
NETWORK_KEYS = ["right"] * 12 + ["f", "right", "right", "left"]


def test_stepped_screen_equals_a_full_repaint_cell_for_cell():
    cols, rows = 80, 24
    with PtyProcess(_argv("cs231n-staged", True), cols, rows, env=_env()) as p:
        _walk(p, STAGED_KEYS)
        stepped = TermScreen(cols, rows)
        stepped.feed(p.output_since(0))
        assert "BACKWARD step 15/17" in stepped.text()
        # taller and back: a full repaint (a LayoutUpdate) of the same layout and width
        _resize(p, cols, rows + 6)
        p.read_until_quiet(0.4, 10)
        mark = len(p.chunks)
        _resize(p, cols, rows)
        p.read_until_quiet(0.6, 10)
        repainted = TermScreen(cols, rows)
        repainted.feed(p.output_since(mark))
    diff = differing_cells(stepped.snapshot(), repainted.snapshot())
    assert not diff, f"{len(diff)} cells differ, first: {diff[:3]}\n{stepped.text()}"


@pytest.mark.parametrize(("scenario", "size", "keys"), [
    ("cs231n-staged", (80, 24), STAGED_KEYS),
    ("network-2-2-2", (120, 40), NETWORK_KEYS),
])
def test_patched_output_draws_exactly_what_textuals_own_encoder_draws(scenario, size, keys):
    """The same walk with and without the patch ends on the same screen, every cell's
    character and attributes, and the patched run writes fewer bytes after its first
    frame."""
    cols, rows = size
    screens, sizes = [], []
    for patched in (False, True):
        with PtyProcess(_argv(scenario, patched), cols, rows, env=_env()) as p:
            p.read_until_quiet(0.5, 30, ready=lambda p=p: b"quit" in p.output_since(0))
            start = len(p.chunks)
            _walk(p, keys)
            term = TermScreen(cols, rows)
            term.feed(p.output_since(0))
            screens.append(term.snapshot())
            sizes.append(len(p.output_since(start)))
    diff = differing_cells(*screens)
    assert not diff, f"{len(diff)} cells differ, first: {diff[:3]}"
    assert sizes[1] < sizes[0]


def _dispatch(method, pump, name, message):
    return [(cls, bound.__func__) for cls, bound in method(pump, name, message)]


async def test_dispatch_plans_yield_what_textuals_mro_walk_yields():
    """The cached dispatch plan gives every pump the same handlers, in the same order, as
    Textual's walk of its MRO: for every widget of the debugger and for messages with
    and without handlers."""
    from textual import events, messages

    from tui_backprop.tui.app import create_app

    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (original,) = _textual_patch.GET_DISPATCH_METHODS
        patched = _textual_patch._get_dispatch_methods
        compared = handled = 0
        for pump in [app, *app.screen.walk_children(with_self=True)]:
            for message in (events.Key("right", None), events.Idle(), events.Mount(),
                            events.Resize(app.size, app.size), events.Focus(),
                            events.Blur(), events.Leave(pump), messages.Prompt(),
                            messages.Update(pump) if pump is not app else events.Idle()):
                for name in (message.handler_name, "on_idle"):
                    theirs = _dispatch(original, pump, name, message)
                    assert _dispatch(patched, pump, name, message) == theirs, (pump, name)
                    compared += 1
                    handled += bool(theirs)
        assert compared > 200 and handled > 50


async def test_dispatch_plans_keep_on_selectors_and_prevent_default():
    """``@on`` handlers with selectors still match per message, and a handler that
    prevents the default stops the classes after it."""
    from textual import on
    from textual.app import App
    from textual.widgets import Button

    calls: list[str] = []

    class Base(App):
        def on_button_pressed(self, event: Button.Pressed) -> None:
            calls.append("base")

    class Demo(Base):
        def compose(self):
            yield Button("a", id="a")
            yield Button("b", id="b")

        @on(Button.Pressed, "#a")
        def pressed_a(self, event: Button.Pressed) -> None:
            calls.append("a")

        @on(Button.Pressed, "#b")
        def pressed_b(self, event: Button.Pressed) -> None:
            calls.append("b")
            event.prevent_default()

    _textual_patch.install()
    app = Demo()
    async with app.run_test() as pilot:
        await pilot.click("#a")
        await pilot.pause()
        await pilot.click("#b")
        await pilot.pause()
    assert calls == ["a", "base", "b"]
