"""Defects found by looking at the product as a user would (the review after the merges
of the language, terminal-mode and class work): what a whole screen shows with a dialog
or the command palette open, in ASCII and in Chinese."""

from __future__ import annotations

import pytest

from tui_backprop.tui.app import create_app


def screen_text(app) -> list[str]:
    """The whole composed screen (every layer: dialogs and palette included), a row each."""
    return ["".join(seg.text for seg in strip)
            for strip in app.screen._compositor.render_strips()]


async def _open(pilot, app, key: str, typed: str = "") -> None:
    await pilot.press(key)
    await pilot.pause()
    await app.workers.wait_for_complete()
    for ch in typed:
        await pilot.press(ch)
    await pilot.pause(0.8 if typed else 0.1)  # the palette's "no match" waits 0.5 s


@pytest.mark.parametrize(("key", "typed"), [
    ("question_mark", ""), ("e", ""), ("t", ""), ("g", ""), ("o", ""),
    ("ctrl+p", ""), ("ctrl+p", "zzz"),
], ids=["help", "edit", "train", "check", "open", "palette", "palette-no-match"])
async def test_an_ascii_session_draws_dialogs_and_the_palette_in_ascii(key, typed):
    """Frames, input boxes, option lists, the palette's search icon and cut titles: not
    one non-ASCII character on the whole screen with the dialog open."""
    app = create_app("softmax-classifier", lang="en", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open(pilot, app, key, typed)
        assert app.screen is not app.debugger
        rows = screen_text(app)
        bad = sorted({ch for row in rows for ch in row if not ch.isascii()})
        assert bad == [], "\n".join(rows)
        if typed:
            assert any("No matches found" in row for row in rows)


async def test_the_ascii_probe_of_dialogs_sees_unicode_frames():
    """The control: the same dialog in a Unicode session draws non-ASCII frames."""
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open(pilot, app, "t")
        assert {"╭", "▔"} <= {ch for row in screen_text(app) for ch in row}


async def test_the_command_palette_speaks_chinese():
    """Placeholder, Textual's system commands and the "no match" line in Chinese."""
    app = create_app("softmax-classifier", lang="zh", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _open(pilot, app, "ctrl+p")
        text = "\n".join(screen_text(app))
        assert "搜索命令" in text and "Search for commands" not in text
        for ch in "主题":
            await pilot.press(ch)
        await pilot.pause(0.3)
        text = "\n".join(screen_text(app))
        assert "切换当前主题" in text and "Change the current theme" not in text
        for _ in range(2):
            await pilot.press("backspace")
        for ch in "zzz":
            await pilot.press(ch)
        await pilot.pause(0.8)
        text = "\n".join(screen_text(app))
        assert "没有找到匹配项" in text and "No matches found" not in text


async def test_the_theme_list_speaks_chinese():
    app = create_app("softmax-classifier", lang="zh", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.search_themes()
        await pilot.pause(0.3)
        text = "\n".join(screen_text(app))
        assert "搜索主题" in text and "Search for themes" not in text


async def test_the_help_names_the_full_precision_key_that_works_everywhere():
    """``d`` toggles full precision in every session (``F`` is the class's back-to-the-
    presenter key), so the help lists ``d``."""
    app = create_app("cs231n-sigmoid", lang="en", ascii=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        assert app.full_precision
        await _open(pilot, app, "question_mark")
        rows = screen_text(app)
        line = next(row for row in rows if "full precision in the inspector" in row)
        assert line.split("│")[1].split()[0] == "d", line


@pytest.mark.parametrize("scenario", ["network-2-2-2", "cs231n-staged"])
async def test_at_60_columns_no_explanation_is_cut_off(scenario):
    """At 60x20 an English explanation takes up to four lines (network-2-2-2's hidden
    multiply gates: swap, fan-out and +=); the explain line shows every one of them."""
    app = create_app(scenario, lang="en", ascii=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        explain = app.debugger.explain
        longest = 0
        for k in range(len(app.session.timeline.steps)):
            app.cursor = k
            await pilot.pause()
            longest = max(longest, len(explain._strips))
            assert len(explain._strips) <= explain.size.height, (k, explain.plain)
        if scenario == "network-2-2-2":
            assert longest == 4  # the case that was cut (the panel had 3 rows)
