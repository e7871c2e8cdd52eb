"""Colours and number formatting shared by the text panels.

Forward values are green and gradients red, as in the CS231n figures; the colours come
from the current theme so that switching theme (or ``ansi-dark`` with ``NO_COLOR``)
works. Numbers are formatted only through :mod:`tui_backprop.numfmt`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from textual.color import Color

from tui_backprop.numfmt import fmt_full, fmt_value


@dataclass(frozen=True)
class Look:
    """Styles and number format for one theme and precision."""

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

    def num(self, x) -> str:
        """A value or gradient as the panels show it (full precision when toggled)."""
        if x is None:
            return "—"
        return fmt_full(x) if self.full else fmt_value(x, self.precision)

    @classmethod
    def of(cls, variables: dict[str, str], precision: int = 4, full: bool = False,
           ansi: bool = False) -> Look:
        """Build from an app's CSS variables (``App.get_css_variables()``). An ANSI theme
        (``ansi=True``) gets the terminal's own named colours, and reverse video for the
        current line, so that ``NO_COLOR`` and 16-colour terminals stay readable."""
        if ansi:
            return cls(value=Style(color="green"), grad=Style(color="red"),
                       accent=Style(color="yellow", bold=True), muted=Style(dim=True),
                       warn=Style(color="yellow", bold=True), error=Style(color="red", bold=True),
                       bold=Style(bold=True), current_fill=Style(reverse=True),
                       precision=precision, full=full)

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

        return cls(
            value=Style(color=colour("text-success", "#8AD4A1")),
            grad=Style(color=colour("text-error", "#D17E92")),
            accent=Style(color=colour("text-accent", "#FFC473"), bold=True),
            muted=Style(dim=True),
            warn=Style(color=colour("text-warning", "#FFC473"), bold=True),
            error=Style(color=colour("text-error", "#D17E92"), bold=True),
            bold=Style(bold=True),
            current_fill=fill("accent", "#FEA62B", 0.25),
            precision=precision,
            full=full,
        )
