"""Draw a plain panel's lines without Textual's per-line box pipeline.

Textual renders every widget line through ``StylesCache.render_line``, which works out
borders, padding, outlines, hatching, tint and opacity for each line: about a fifth of a
millisecond a line on this project's 2-core machine, and stepping redraws ~20 lines. Our
line panels (circuit, code, values, inspector, explanation, status) have none of those
(they are separated by title rules, not borders), so for them a line is simply the
widget's own ``render_line`` on the panel's background, through the app's line filters
(monochrome, ANSI colours). :class:`DirectLines` does exactly that, and hands any widget
that *does* have a box (a border, padding, an outline, a tint, opacity, a title) back to
Textual's pipeline unchanged.

The output is the same strips Textual's pipeline returns for such a widget (the SVG
snapshot tests and ``tests/test_textual_patch.py``'s pty repaint check compare the
screen); it relies only on public Widget API, so Textual's version pin in
``_textual_patch.py`` covers it.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip


class DirectLines:
    """Mixin for a Line-API widget (before ``ScrollView``/``Widget`` in the bases)."""

    def _has_box(self) -> bool:
        """Whether anything but the content decides how a line looks (then Textual's
        own pipeline draws it)."""
        styles = self.styles  # type: ignore[attr-defined]
        if self._border_title is not None or self._border_subtitle is not None:  # type: ignore[attr-defined]
            return True
        if any(styles.padding):
            return True
        if any(edge for edge, _ in styles.border) or any(edge for edge, _ in styles.outline):
            return True
        if styles.tint.a or styles.text_opacity != 1.0 or self.opacity != 1.0:  # type: ignore[attr-defined]
            return True
        return styles.has_rule("hatch") and styles.hatch != "none"

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._has_box():
            return super().render_lines(crop)  # type: ignore[misc]
        base_background, background = self.background_colors  # type: ignore[attr-defined]
        inner = self._styles_cache.get_inner_outer(  # type: ignore[attr-defined]
            base_background, background)[0].rich_style
        width, height = self.content_region.size  # type: ignore[attr-defined]
        render_line = self.render_line  # type: ignore[attr-defined]
        strips = [render_line(y).adjust_cell_length(width, inner) if y < height
                  else Strip.blank(width, inner) for y in crop.line_range]
        for line_filter in self.get_line_filters():  # type: ignore[attr-defined]
            strips = [strip.apply_filter(line_filter, background) for strip in strips]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips
