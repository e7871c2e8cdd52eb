"""Terminal modes, checked where they matter: in a real pty (NO_COLOR writes no colour
escape at all; 16 colours give values and gradients different SGR codes; the hardware
cursor sits in the current gate's box), and with Textual's pilot (ASCII key names,
borders, themes). Every test pins its language and glyph set.

add-mul is CS231n's f = (x + y) * z at x = -2, y = 5, z = -4: by hand q = 3, f = -12,
and after the backward pass df = 1, dq = z = -4, dz = q = 3, dx = dy = dq = -4.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.binding import Binding

from tui_backprop.text.glyphs import ASCII, UNICODE
from tui_backprop.tui.app import create_app
from tui_backprop.tui.keybar import KeyBar
from tui_backprop.tui.look import Look, colour_mode, standard_colours

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _pty import PtyProcess, Screen  # noqa: E402  (the benchmarks' small emulator)

SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def sgr_params(raw: bytes) -> list[list[int]]:
    """Every SGR sequence's parameters (``ESC[0m`` and ``ESC[m`` are ``[0]``)."""
    out = []
    for m in SGR.finditer(raw.decode("utf-8", "replace")):
        out.append([int(p) if p else 0 for p in re.split("[;:]", m.group(1))] or [0])
    return out


def colour_codes(params: list[int]) -> list[int]:
    """The colour-setting parameters of one SGR sequence (38/48 with their arguments
    count as one), leaving attributes (bold, underline, reverse ...) out."""
    found, i = [], 0
    while i < len(params):
        p = params[i]
        if p in (38, 48, 58):
            found.append(p)
            kind = params[i + 1] if i + 1 < len(params) else 0
            i += 3 if kind == 5 else 5 if kind == 2 else 2
            continue
        if 30 <= p <= 39 or 40 <= p <= 49 or 90 <= p <= 97 or 100 <= p <= 107:
            found.append(p)
        i += 1
    return found


class AttrScreen(Screen):
    """The emulator, also remembering each cell's SGR attributes and foreground code."""

    def __init__(self, cols: int, rows: int) -> None:
        super().__init__(cols, rows)
        self.attrs = [[frozenset()] * cols for _ in range(rows)]
        self.fgs: list[list[int | None]] = [[None] * cols for _ in range(rows)]
        self._attr: set[int] = set()
        self._fg: int | None = None

    def _csi(self, params: str, final: str) -> None:
        if final != "m":
            super()._csi(params, final)
            return
        nums = [int(p) if p else 0 for p in re.split("[;:]", params)] if params else [0]
        i = 0
        while i < len(nums):
            p = nums[i]
            if p == 0:
                self._attr, self._fg = set(), None
            elif p in (1, 2, 3, 4, 5, 7, 9):
                self._attr.add(p)
            elif p in (22,):
                self._attr -= {1, 2}
            elif 23 <= p <= 29:
                self._attr.discard({23: 3, 24: 4, 25: 5, 27: 7, 29: 9}.get(p, -1))
            elif 30 <= p <= 37 or 90 <= p <= 97:
                self._fg = p
            elif p == 39:
                self._fg = None
            elif p in (38, 48):
                kind = nums[i + 1] if i + 1 < len(nums) else 0
                if p == 38:
                    self._fg = 1000 + (nums[i + 2] if kind == 5 else 0)
                i += 3 if kind == 5 else 5 if kind == 2 else 2
                continue
            i += 1

    def _put(self, ch: str) -> None:
        if 0 <= self.y < self.rows and self.x < self.cols:
            self.attrs[self.y][self.x] = frozenset(self._attr)
            self.fgs[self.y][self.x] = self._fg
        super()._put(ch)

    def tokens(self, rows: range, cols: range) -> list[tuple[str, frozenset, int | None]]:
        """Runs of non-blank cells with the same attributes and colour, in the given area."""
        out = []
        for y in rows:
            run, key = "", None
            for x in cols:
                ch = self.grid[y][x]
                k = (self.attrs[y][x], self.fgs[y][x])
                if ch.strip() and (not run or k == key):
                    run, key = run + ch, k
                    continue
                if run:
                    out.append((run, *key))
                run, key = (ch, k) if ch.strip() else ("", None)
            if run:
                out.append((run, *key))
        return out


def run_in_pty(env_extra: dict[str, str], keys: list[str], script: str,
               size: tuple[int, int] = (80, 24)) -> tuple[bytes, AttrScreen]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL_COLOR_SYSTEM", "LC_ALL", "LC_CTYPE")}
    env.update({"LANG": "en_US.UTF-8", "TERM": "xterm-256color"}, **env_extra)
    argv = [sys.executable, "-c", script]
    with PtyProcess(argv, *size, env=env) as p:
        p.read_until_quiet(0.5, 30, ready=lambda: b"quit" in p.output_since(0))
        for key in keys:
            p.press(key)
            p.read_until_quiet(0.3, 10)
        raw = p.output_since(0)
    screen = AttrScreen(*size)
    screen.feed(raw)
    return raw, screen


APP = "from tui_backprop.tui.app import create_app; create_app('add-mul', lang='en', ascii={})"


def circuit_area(screen: AttrScreen) -> tuple[range, range]:
    """The circuit panel's inside (it is the top-left panel, under the header)."""
    top = "".join(screen.grid[1])
    right = top.index("╮") if "╮" in top else top.index("+", 1)
    bottom = next(y for y in range(2, screen.rows) if screen.grid[y][0] in "╰+")
    return range(2, bottom), range(1, right)


def test_no_color_writes_no_colour_escapes_and_keeps_the_markers():
    """NO_COLOR=1 on a truecolor terminal: not one colour parameter in any SGR sequence;
    the circuit's gradients are underlined, its values not, the current gate reverse."""
    raw, screen = run_in_pty({"NO_COLOR": "1", "COLORTERM": "truecolor"}, ["b"],
                             APP.format(False) + ".run()", size=(120, 40))
    assert "step 5/5" in screen.text()
    params = sgr_params(raw)
    assert params, "no SGR at all: the test saw no frame"
    assert [p for p in params if colour_codes(p)] == []
    tokens = screen.tokens(*circuit_area(screen))
    underlined = {text for text, attrs, _ in tokens if 4 in attrs}
    not_underlined = {text for text, attrs, _ in tokens if 4 not in attrs}
    # gradients by hand: df = 1, dz = 3, dq = dx = dy = -4; values: x = -2, y = 5, f = -12
    # (3 is also q's value and -4 z's: those two appear both ways)
    assert {"1", "3", "-4"} <= underlined
    assert {"-2", "5", "-12", "3", "-4"} <= not_underlined
    assert not ({"-2", "5", "-12"} & underlined)
    # the current gate (q, the add gate, last in the backward pass): reverse and bold
    current = [text for text, attrs, _ in tokens if {1, 7} <= attrs]
    assert current == ["+"]


@pytest.mark.parametrize("term", ["xterm", "linux"])
def test_16_colours_give_values_and_gradients_different_codes(term):
    raw, screen = run_in_pty({"TERM": term}, ["b"], APP.format(False) + ".run()",
                             size=(120, 40))
    params = sgr_params(raw)
    codes = {c for p in params for c in colour_codes(p)}
    assert 38 not in codes and 48 not in codes               # 16 colours only
    tokens = screen.tokens(*circuit_area(screen))
    value_fg = {fg for text, _, fg in tokens if text in ("-2", "5", "-12")}
    minus_four = {fg for text, _, fg in tokens if text == "-4"}  # z's value, and dq, dx, dy
    assert len(value_fg) == 1, tokens
    (value,) = value_fg
    assert value in range(30, 38) or value in range(90, 98)
    gradient = minus_four - value_fg
    assert len(gradient) == 1 and gradient != {None}, tokens
    assert next(iter(gradient)) in set(range(30, 38)) | set(range(90, 98))


def test_the_terminal_cursor_sits_in_the_current_gates_box():
    """ASCII, so that the current (double) box is drawn with # corners and = edges.
    After one step the current gate is f's multiply box: the cursor is inside it."""
    raw, screen = run_in_pty({}, ["n"], APP.format(True) + ".run()")
    assert "step 2/5" in screen.text()
    x, y = screen.x, screen.y
    row = "".join(screen.grid[y])
    left, right = row.rfind("#", 0, x + 1), row.find("#", x)
    assert 0 <= left < x < right, (row, x)
    assert row[left + 1:right].strip() == "*"                 # the multiply gate's label
    # the box's top and bottom edges (a double box: "#===#") above and below the cursor
    column = ["".join(screen.grid[yy])[left:right + 1] for yy in range(screen.rows)]
    top = max(yy for yy in range(y) if not re.fullmatch(r"#[^#]*#", column[yy]) or
              re.fullmatch(r"#=+#", column[yy]))
    bottom = min(yy for yy in range(y + 1, screen.rows) if re.fullmatch(r"#=+#", column[yy])
                 or not re.fullmatch(r"#[^#]*#", column[yy]))
    assert re.fullmatch(r"#=+#", column[top]) and re.fullmatch(r"#=+#", column[bottom]), \
        column[top:bottom + 1]
    # and it follows the step: back to the add gate
    raw, screen = run_in_pty({}, ["n", "left"], APP.format(True) + ".run()")
    row = "".join(screen.grid[screen.y])
    left, right = row.rfind("#", 0, screen.x + 1), row.find("#", screen.x)
    assert row[left + 1:right].strip() == "+"


# ------------------------------------------------------------------ pilot tests


async def test_ascii_session_key_names_borders_and_header():
    app = create_app("add-mul", lang="en", ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.get_key_display(Binding("right", "x")) == "right"
        assert app.get_key_display(Binding("left", "x")) == "left"
        keys = [name for name, _desc in app.screen.query_one(KeyBar).shown()]
        assert "right" in keys and all(k.isascii() for k in keys)
        assert app.get_css_variables()["box"] == "ascii"
        assert app.debugger.circuit.styles.border.top[0] == "ascii"
        assert app.debugger.circuit.border_title.isascii()
        title = app.format_title("f = σ(x) — ∂", "Staged: σ")
        assert title.plain.isascii()
    unicode_app = create_app("add-mul", lang="en", ascii=False)
    async with unicode_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert unicode_app.get_key_display(Binding("right", "x")) == "→"
        assert unicode_app.get_css_variables()["box"] == "round"


async def test_chinese_footer_and_titles():
    app = create_app("add-mul", lang="zh", ascii=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        descriptions = [desc for _name, desc in app.screen.query_one(KeyBar).shown()]
        assert "下一步" in descriptions and "帮助" in descriptions
        assert not any(re.search("[A-Za-z]{3,}", d) for d in descriptions)
        assert app.debugger.circuit.border_title == "计算图"


async def test_projector_theme_from_the_factory_and_the_palette_remembers(tmp_path):
    chosen: list[str] = []
    app = create_app("add-mul", lang="en", ascii=False, theme="projector",
                     on_theme=lambda name: chosen.append(name))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "projector"
        assert app.look.value.bold and app.look.grad.bold          # numbers bold
        assert app.look.value.color != app.look.grad.color
        app.theme = "nord"
        await pilot.pause()
        assert not app.look.value.bold
    assert chosen == ["nord"]                                       # the user's pick


def test_look_modes_tell_values_gradients_and_the_current_gate_apart():
    mono = Look.of({}, mode="mono", glyphs=ASCII)
    for style in (mono.value, mono.grad, mono.local, mono.current, mono.error, mono.warn):
        assert style.color is None and style.bgcolor is None
    assert not mono.value.underline and mono.grad.underline
    assert mono.current.reverse and mono.current.bold
    assert mono.grad_mark == "g:" and Look.of({}, mode="mono").grad_mark == "∇"
    assert Look.of({}, mode="color").grad_mark == ""
    assert mono.help_keys() == ["help.colours.nocolor", "help.colours.ascii"]
    assert Look.of({}).help_keys() == ["help.colours.color"]
    assert mono.bar_glyphs == ("=", "-", "*") and mono.spark_bars.isascii()
    assert Look.of({}, glyphs=UNICODE).num(None) == "—" and mono.num(None) == "-"


@pytest.mark.parametrize("dark", [True, False])
def test_16_colour_variables_land_on_distinct_standard_colours(dark):
    variables = standard_colours(dark)
    look = Look.of(variables, mode="16", dark=dark)
    numbers = {role: RichColor.parse(style.color.name).downgrade(ColorSystem.STANDARD).number
               for role, style in (("value", look.value), ("grad", look.grad),
                                   ("local", look.local))}
    # Rich's standard palette: 2/10 green, 1/9 red
    assert numbers["value"] == (10 if dark else 2)
    assert numbers["grad"] == (9 if dark else 1)
    assert len(set(numbers.values())) == 3


def test_colour_mode_from_the_colour_system():
    assert colour_mode("truecolor", False) == "color"
    assert colour_mode("256", False) == "color"
    assert colour_mode("standard", False) == "16"
    assert colour_mode("truecolor", True) == "mono"
