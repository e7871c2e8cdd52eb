"""Terminal-level pieces Textual has no switch for: a no-colour filter that writes no
colour escapes at all, and scrollbars that draw only ASCII in an ASCII session."""

from __future__ import annotations

from rich.segment import Segment
from textual._context import active_app
from textual.color import Color
from textual.filter import LineFilter
from textual.scrollbar import ScrollBar, ScrollBarRender

__all__ = ["ModeScrollBarRender", "StrictNoColor", "install_scrollbar_glyphs"]


class StrictNoColor(LineFilter):
    """``NO_COLOR``: every colour removed from every segment, attributes (bold,
    underline, italic, reverse, dim) kept. Textual's own ``NoColor`` sets the colours to
    "default", which still writes SGR 39/49 around every span."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, None if style is None else style.without_color, control)
                for text, style, control in segments]


class ModeScrollBarRender(ScrollBarRender):
    """Textual's scrollbar, without its eighth-block glyphs (``▁▂▃`` ``▉▊▋``) when the
    app draws ASCII only: the thumb is then whole cells in reverse video (which also
    survives ``NO_COLOR``)."""

    _ASCII_BARS = [" "] * 8

    @classmethod
    def render_bar(cls, *args, **kwargs):  # type: ignore[override]
        try:
            app = active_app.get()
        except LookupError:
            app = None
        glyph_set = getattr(app, "glyphs", None)
        if glyph_set is None or not glyph_set.ascii:
            return super().render_bar(*args, **kwargs)
        return _AsciiBars.render_bar(*args, **kwargs)


class _AsciiBars(ScrollBarRender):
    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


def install_scrollbar_glyphs() -> None:
    """Make every scrollbar ask the running app's glyph set (idempotent). The renderer
    is a class attribute of ScrollBar; this one falls back to Textual's own drawing for
    any app without ASCII glyphs, so other apps in the process are unaffected."""
    if ScrollBar.renderer is ScrollBarRender:
        ScrollBar.renderer = ModeScrollBarRender
