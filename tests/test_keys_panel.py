"""The keys panel (palette: Keys) speaks the app's language: Textual's built-in keys
(scrolling, tab / shift+tab, ctrl+c, ctrl+q, ctrl+p, a text box's editing keys) show the
catalogue's words, like the app's own keys, wherever the focus is."""

from __future__ import annotations

import pytest
from textual.widgets import HelpPanel

from tui_backprop.text import en, zh
from tui_backprop.tui.app import create_app
from tui_backprop.tui.keys_panel import TEXTUAL_ACTIONS, _BindingsTable


def _listed(app) -> list[tuple[str, str, str]]:
    """``(action, description, tooltip)`` of every key the panel lists (after it drew)."""
    table = app.screen.query_one(_BindingsTable)
    table.render_bindings_table()
    return [(b.binding.action, b.binding.description, b.binding.tooltip)
            for b in app.screen.active_bindings.values()
            if not b.binding.system and b.binding.description]


async def _panel(app, pilot) -> list[tuple[str, str, str]]:
    app.action_show_help_panel()
    await pilot.pause()
    await pilot.pause()
    assert app.screen.query(HelpPanel)
    return _listed(app)


@pytest.mark.parametrize("lang, table", [("zh", zh.MESSAGES), ("en", en.MESSAGES)])
async def test_every_listed_key_is_the_catalogues(lang, table):
    words = set(table.values())
    app = create_app("cs231n-staged", lang=lang, ascii=False)
    seen: set[str] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # the debugger, with the focus on each of its panels in turn
        for _ in range(6):
            for action, description, tooltip in await _panel(app, pilot):
                assert description in words, (lang, action, description)
                assert not tooltip or tooltip in words, (lang, action, tooltip)
                seen.add(action)
            await pilot.press("tab")
        # a dialog with a text box (edit a leaf: pick it, then the value box)
        app.action_hide_help_panel()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        for action, description, tooltip in await _panel(app, pilot):
            assert description in words, (lang, action, description)
            assert not tooltip or tooltip in words, (lang, action, tooltip)
            seen.add(action)
    # the keys the QA pass found in English are among those checked
    assert {"scroll_up", "page_up", "page_left", "app.focus_next", "app.focus_previous",
            "screen.copy_text", "quit"} <= seen, seen
    assert {"cursor_left", "delete_left"} <= seen, seen  # the text box's


async def test_the_zh_panel_shows_chinese_for_textuals_keys():
    app = create_app("cs231n-staged", lang="zh", ascii=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        listed = {action: (d, t) for action, d, t in await _panel(app, pilot)}
        assert listed["scroll_up"][0] == zh.MESSAGES["tui.tkey.scroll_up"] == "向上滚动"
        assert listed["quit"] == ("退出", "退出程序，回到命令行。")
        assert listed["app.focus_next"][0] == "下一个面板"


def test_every_textual_action_has_words_in_both_languages():
    for key in set(TEXTUAL_ACTIONS.values()):
        assert f"tui.tkey.{key}" in en.MESSAGES and f"tui.tkey.{key}" in zh.MESSAGES, key
