"""How the text panels draw: one style per role, resolved once per theme and colour mode,
the glyphs of the output mode, and the number format.

Every panel asks ``app.look`` (a :class:`Look`) for a role's style (``look.value``,
``look.grad``, ``look.local``, ``look.current`` ...) and for its glyphs
(``look.glyphs``, ``look.bar_glyphs``, ``look.spark_bars``), never for a colour.

The colour mode (:func:`colour_mode`) decides how values, gradients and the current
gate are told apart:

=========  ==========================  =====================  ======================
mode       forward value               gradient               current gate / line
=========  ==========================  =====================  ======================
``color``  the theme's green           the theme's red        accent fill (the
                                                              circuit: double border)
``16``     green (SGR 32/92)           red (SGR 31/91)        reverse + bold
``mono``   plain                       underline + ``∇``      reverse + bold
                                       (ASCII ``g:``) mark
=========  ==========================  =====================  ======================

``mono`` is ``NO_COLOR``: no colour escapes at all, only attributes (bold, underline,
italic, reverse, dim), which every terminal and screen reader keeps. Local gradients are
the accent colour (italic in ``mono``). ``look.grad_mark`` is the text mark a panel puts
before a gradient that no column header or position names (empty outside ``mono``), and
:meth:`Look.help_keys` names the catalogue keys that describe the mode to the user.
Numbers are formatted only through :mod:`tui_backprop.numfmt`.
"""

from __future__ import annotations

from dataclasses import field

from rich.style import Style
from textual.color import Color

from tui_backprop._frozen import frozen
from tui_backprop.numfmt import fmt_full, fmt_value
from tui_backprop.text.glyphs import UNICODE, Glyphs

__all__ = ["BAR_GLYPHS", "COLOUR_MODES", "SPARK_BARS", "Look", "colour_mode", "standard_colours"]

#: The colour modes, from most colour to none.
COLOUR_MODES = ("color", "16", "mono")

#: The status bar's progress bar: (done, to come, the cursor) per glyph set.
BAR_GLYPHS = {False: ("━", "─", "●"), True: ("=", "-", "*")}
#: A sparkline's eight levels, lowest first, per glyph set (the ASCII one rises from
#: the baseline to the top of the cell).
SPARK_BARS = {False: "▁▂▃▄▅▆▇█", True: "__..--^^"}

# Colours that Rich's 16-colour palette matches exactly (rich._palettes.STANDARD_PALETTE),
# so a 16-colour terminal gets distinct SGR codes for values and gradients. (A pastel
# theme colour such as #8AD4A1 or #D17E92 downgrades to the same ANSI white, 37.)
_STANDARD = {
    # dark background: the bright colours (SGR 92, 91, 93, 93, 96)
    True: {"text-success": "#55FF55", "text-error": "#FF5555", "text-accent": "#FFFF55",
           "text-warning": "#FFFF55", "text-primary": "#55FFFF"},
    # light background: the normal ones (SGR 32, 31, 35, 33, 34)
    False: {"text-success": "#00AA00", "text-error": "#AA0000", "text-accent": "#AA00AA",
            "text-warning": "#AA5500", "text-primary": "#0000AA"},
}


def standard_colours(dark: bool) -> dict[str, str]:
    """The CSS variables a 16-colour terminal gets instead of the theme's text colours."""
    return dict(_STANDARD[dark])


def colour_mode(color_system: str | None, no_color: bool) -> str:
    """``mono`` under ``NO_COLOR``; ``16`` on a 16-colour terminal (``TERM=xterm``,
    ``TERM=linux``: Rich's ``standard`` or ``windows`` colour system); else ``color``."""
    if no_color or color_system is None:
        return "mono"
    if color_system in ("standard", "windows"):
        return "16"
    return "color"


@frozen
class Look:
    """Styles, glyphs and number format for one theme, colour mode and precision."""

    value: Style
    grad: Style
    accent: Style
    muted: Style
    warn: Style
    error: Style
    bold: Style
    current_fill: Style
    precision: int = 4
    full: bool = False
    #: ``color``, ``16`` or ``mono`` (see the module docstring)
    mode: str = "color"
    glyphs: Glyphs = field(default=UNICODE)
    #: a local gradient (the chain rule's other factor)
    local: Style = field(default_factory=Style)
    #: the current gate's or line's text (a fill alone would vanish under NO_COLOR)
    current: Style = field(default_factory=lambda: Style(bold=True, reverse=True))

    @property
    def grad_mark(self) -> str:
        """Put before a gradient no header or position names: ``∇`` (ASCII ``g:``) when
        colour cannot tell it from a value, else nothing."""
        if self.mode != "mono":
            return ""
        return "g:" if self.glyphs.ascii else "∇"

    @property
    def bar_glyphs(self) -> tuple[str, str, str]:
        """The progress bar's glyphs: done, still to come, the cursor."""
        return BAR_GLYPHS[self.glyphs.ascii]

    @property
    def spark_bars(self) -> str:
        """A sparkline's eight levels, lowest first."""
        return SPARK_BARS[self.glyphs.ascii]

    def help_keys(self) -> list[str]:
        """The catalogue keys (``help.colours.*``) that say what this mode shows; their
        parameters come from :meth:`help_params`."""
        keys = ["help.colours.nocolor" if self.mode == "mono" else "help.colours.color"]
        if self.glyphs.ascii:
            keys.append("help.colours.ascii")
        return keys

    def help_params(self) -> dict[str, str]:
        """The parameters every ``help.colours.*`` message takes (the glyphs it names
        are shown as the Unicode forms the ASCII ones stand for)."""
        return {"grad": self.grad_mark or "∇", "partial": UNICODE.partial,
                "times": UNICODE.times, "dot": UNICODE.dot}

    def num(self, x) -> str:
        """A value or gradient as the panels show it (full precision when toggled)."""
        if x is None:
            return self.glyphs.missing
        return fmt_full(x) if self.full else fmt_value(x, self.precision)

    @classmethod
    def of(cls, variables: dict[str, str], precision: int = 4, full: bool = False,
           ansi: bool = False, *, mode: str = "color", glyphs: Glyphs = UNICODE,
           dark: bool = True, bold_numbers: bool = False) -> Look:
        """Build from an app's CSS variables (``App.get_css_variables()``).

        ``mode`` is the colour mode (:func:`colour_mode`). An ANSI theme (``ansi=True``)
        gets the terminal's own named colours. ``bold_numbers`` (the projector theme)
        draws values and gradients bold, for the back of a lecture hall."""
        common = dict(precision=precision, full=full, mode=mode, glyphs=glyphs)
        number = Style(bold=True) if bold_numbers else Style()
        if mode == "mono":
            # attributes only: NO_COLOR keeps them, and they differ for every role
            return cls(value=number, grad=number + Style(underline=True),
                       accent=Style(bold=True, italic=True), local=Style(italic=True),
                       muted=Style(dim=True), warn=Style(bold=True),
                       error=Style(bold=True, underline=True), bold=Style(bold=True),
                       current_fill=Style(reverse=True),
                       current=Style(bold=True, reverse=True), **common)
        if ansi:
            return cls(value=Style(color="green") + number, grad=Style(color="red") + number,
                       accent=Style(color="yellow", bold=True), local=Style(color="yellow"),
                       muted=Style(dim=True), warn=Style(color="yellow", bold=True),
                       error=Style(color="red", bold=True), bold=Style(bold=True),
                       current_fill=Style(reverse=True),
                       current=Style(bold=True, reverse=True), **common)

        def colour(name: str, fallback: str) -> str:
            try:
                return Color.parse(variables.get(name, fallback)).hex6
            except Exception:  # a theme with an odd value: fall back, never crash
                return Color.parse(fallback).hex6

        def fill(name: str, fallback: str, alpha: float) -> Style:
            base = Color.parse(variables.get("background", "#000000"))
            try:
                tint = Color.parse(variables.get(name, fallback))
            except Exception:
                tint = Color.parse(fallback)
            return Style(bgcolor=base.blend(tint, alpha).hex6)

        accent = colour("text-accent", "#FFC473")
        if mode == "16":
            # a blended fill has no 16-colour form: the current line is reverse video
            current_fill = Style(reverse=True)
            current = Style(bold=True, reverse=True)
        else:
            current_fill = fill("accent", "#FEA62B", 0.25)
            current = Style(color=accent, bold=True) + current_fill
        return cls(
            value=Style(color=colour("text-success", "#8AD4A1")) + number,
            grad=Style(color=colour("text-error", "#D17E92")) + number,
            accent=Style(color=accent, bold=True),
            local=Style(color=accent),
            muted=Style(dim=True),
            warn=Style(color=colour("text-warning", "#FFC473"), bold=True),
            error=Style(color=colour("text-error", "#D17E92"), bold=True),
            bold=Style(bold=True),
            current_fill=current_fill,
            current=current,
            **common,
        )
