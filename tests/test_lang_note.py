"""Chinese asked for on an ASCII terminal: the app says it shows English, in words."""

from __future__ import annotations

from tui_backprop.tui.app import create_app


async def _notes(**kwargs) -> list[str]:
    app = create_app("add-mul", **kwargs)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        return [n.message for n in app._notifications]


async def test_chinese_on_an_ascii_terminal_is_explained():
    notes = await _notes(lang="zh", ascii=True)
    assert any("Chinese needs a UTF-8 terminal" in n for n in notes), notes


async def test_no_note_where_the_language_is_shown():
    assert not any("UTF-8" in n for n in await _notes(lang="zh", ascii=False))
    assert not any("UTF-8" in n for n in await _notes(lang="en", ascii=True))
