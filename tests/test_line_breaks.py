"""Where lines break, on screen: the help in Chinese breaks between characters (not only
at spaces), an inline Latin token (``CS231n``, ``?``, a number) stays with the Chinese
character beside it, a help key's description wraps under its own column, and a short
bracketed group such as the inspector's ``(1 of 1)`` is never split.

The expected lines are read off the catalogue's own sentences and the widths of the
screen, not copied from a run: e.g. at 80x24 the help's text column is 68 cells wide,
so a line of the Chinese "reading the screen" paragraph must be filled to within one
Chinese character (2 cells, or 6 for a number bound to its neighbours) of that."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.widgets import Static

from tui_backprop.text import en, zh
from tui_backprop.text.wrap import cells, spans, wrap
from tui_backprop.tui.app import create_app
from tui_backprop.tui.help import HelpScreen
from tui_backprop.tui.lines import Hanging, wrap_hanging

# ------------------------------------------------------------------------ text.wrap


def test_a_latin_token_stays_with_the_chinese_beside_it():
    text = zh.MESSAGES["tui.help.colours"]  # 与 CS231n 讲义一致：...
    for width in range(cells("与 CS231n 讲"), 80):
        lines = wrap(text, width)
        assert not any(line.endswith(("与", "CS231n")) for line in lines), (width, lines)
        assert not any(line.startswith(("CS231n", "讲义")) for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # a width the sentence's first line used to waste (everything after "与 CS231n"
    # moved to the next line): now the line is filled
    first = wrap(text, 66)[0]
    assert first.startswith("与 CS231n 讲义一致") and cells(first) >= 64


def test_a_token_after_a_chinese_full_stop_starts_its_own_piece():
    """``? 表示被隐藏的数``: the ``?`` is the subject of the next sentence, so it is no
    closing punctuation glued to the ``。`` before it and goes with ``表示``."""
    text = zh.MESSAGES["tui.help.markers"].format(marker="▶", partial="∂")
    for width in range(cells("? 表"), 80):
        lines = wrap(text, width)
        assert not any(line.endswith("?") for line in lines), (width, lines)
        assert not any(line.endswith("▶") for line in lines), (width, lines)
        assert not any(line[:1] in "，。：；）" for line in lines), (width, lines)
        assert all(cells(line) <= width for line in lines)


def test_chinese_lines_are_filled():
    """No line but a paragraph's last is left shorter than the width less one Chinese
    character (or a bound group, at most ``与 CS231n 讲`` = 13 cells wide)."""
    for key in ("tui.help.colours", "tui.help.click", "tui.help.reload"):
        text = zh.MESSAGES[key]
        for width in range(20, 70):
            lines = wrap(text, width)
            assert all(cells(line) >= width - 13 for line in lines[:-1]), (key, width, lines)
    # here the widest bound group is "中 ∂ 后" (7 cells): at most 6 cells are left over
    text = zh.MESSAGES["tui.help.markers"].format(marker="▶", partial="∂")
    for width in range(20, 70):
        lines = wrap(text, width)
        assert all(cells(line) >= width - 6 for line in lines[:-1]), (width, lines)


def test_a_short_bracketed_group_is_never_split():
    line = "+=  dW1[0,0]: 0 + 0.0004386 = 0.0004386  (1 of 1)"
    for width in range(len("(1 of 1)"), len(line)):
        lines = wrap(line, width)
        assert sum("(1 of 1)" in part for part in lines) == 1, (width, lines)
    # a formula's parenthesised operand stays whole, with what is glued to it
    assert wrap("den = (x + y)² + 1", 13) == ["den =", "(x + y)² + 1"]
    # a long group still breaks at its spaces
    long = "(" + en.MESSAGES["tui.help.edit"] + ")"
    assert len(wrap(long, 30)) == 2


def test_a_matrix_breaks_after_a_row():
    text = "a = [[1, 2], [3, 4], [5, 6]]"
    # the row "[5, 6]]" does not fit on the first line: the line ends after a row
    parts = [text[s:e] for s, e in spans(text, 24, 20, prefer="], ")]
    assert parts == ["a = [[1, 2], [3, 4],", "[5, 6]]"]


def test_a_word_wider_than_the_line_is_cut():
    assert wrap("abcdefghij xy", 4) == ["abcd", "efgh", "ij", "xy"]
    assert wrap("上游梯度上游", 5) == ["上游", "梯度", "上游"]


# ------------------------------------------------------------------- hanging lines


def test_a_hanging_line_continues_under_its_column(tmp_path):
    from rich.console import Console

    text = Hanging(hang=14, fallback=2)
    text.append("  e           ")
    text.append(en.MESSAGES["tui.help.edit"])
    lines = [t.plain for t in wrap_hanging(text, Console(), 54, 14, 2)]
    assert lines == ["  e           edit the selected leaf's value (number",
                     " " * 14 + "or nested list)"]


# --------------------------------------------------------------------------- screen


def _screen_lines(widget) -> list[str]:
    """What ``widget`` shows, a string per row (trailing spaces off)."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return ["".join(seg.text for seg in strip).rstrip() for strip in strips]


async def test_chinese_help_breaks_between_characters():
    app = create_app("cs231n-staged", lang="zh", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = app.screen.query_one(".help-text", Static)
        width = help_text.size.width
        rows = _screen_lines(help_text)
        colours = next(i for i, row in enumerate(rows) if row.startswith("与"))
        assert rows[colours].startswith("与 CS231n 讲义一致")
        # filled to within a Chinese character of the column's width
        assert cells(rows[colours]) >= width - 2, (width, rows[colours])
        marker = next(i for i, row in enumerate(rows) if row.startswith("当前的门"))
        assert "▶ 标出" in rows[marker] and cells(rows[marker]) >= width - 2
        assert not any(row.endswith("?") for row in rows), rows


async def test_help_descriptions_hang_under_their_column():
    app = create_app("cs231n-staged", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        rows = _screen_lines(app.screen.query_one(".help-text", Static))
        edit = next(i for i, row in enumerate(rows) if row.lstrip().startswith("e "))
        column = rows[edit].index("edit the selected")
        assert rows[edit + 1].strip(), rows[edit:edit + 2]  # it does wrap at 80x24
        assert len(rows[edit + 1]) - len(rows[edit + 1].lstrip()) == column, \
            rows[edit:edit + 2]


async def test_the_inspector_keeps_a_count_whole():
    """At 120x40 the network's first backward step fills its ``+=`` lines to just past
    the inspector's width: ``(1 of 1)`` moves whole, not ``(1 of`` / ``1)``."""
    app = create_app("network-2-2-2", lang="en", ascii=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        rows = _screen_lines(app.query_one("#inspector"))
        counts = [row for row in rows if " of " in row]
        assert counts, rows
        for row in counts:
            assert row.count("(") == row.count(")"), rows


def test_plain_text_for_tests():
    """The help's Statics still read as their plain text (str of the visual)."""
    from tui_backprop.tui.lines import Prose

    assert str(Prose([Text("a"), Text("b c")])) == "a\nb c"
