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

    #: the widget's base style while a pass draws its lines (``rich_style`` walks every
    #: ancestor's styles: once per pass, not once per line)
    _pass_style = None

    @property
    def base_style(self):
        """The widget's Rich base style (its colours on its background)."""
        style = self._pass_style
        return style if style is not None else self.rich_style  # type: ignore[attr-defined]

    def _direct_box(self) -> tuple[str, str, str, str] | None:
        """The panel's border edges (top, right, bottom, left; ``""`` for none) if its
        lines can be drawn directly: ``None`` when anything else but the content and a
        plain border decides how a line looks (then Textual's own pipeline draws it)."""
        styles = self.styles  # type: ignore[attr-defined]
        if any(styles.padding) or any(edge for edge, _ in styles.outline):
            return None
        if styles.tint.a or styles.text_opacity != 1.0 or self.opacity != 1.0:  # type: ignore[attr-defined]
            return None
        if styles.has_rule("hatch") and styles.hatch != "none":
            return None
        return tuple(edge for edge, _ in styles.border)  # type: ignore[return-value]

    def render_lines(self, crop: Region) -> list[Strip]:
        box = self._direct_box()
        if box is None:
            return super().render_lines(crop)  # type: ignore[misc]
        top_edge, right_edge, bottom_edge, left_edge = box
        base_background, background = self.background_colors  # type: ignore[attr-defined]
        inner, outer = self._styles_cache.get_inner_outer(  # type: ignore[attr-defined]
            base_background, background)
        inner_rich = inner.rich_style
        # as StylesCache.render_widget: the whole region, and the content inside it
        full_width, full_height = self.region.size  # type: ignore[attr-defined]
        width, height = self.content_region.size  # type: ignore[attr-defined]
        top, bottom = (1 if top_edge else 0), (1 if bottom_edge else 0)
        x1, x2 = crop.column_span
        lines = crop.line_range
        # the top and bottom borders (with the title): Textual's pipeline and its cache
        head = range(lines.start, min(lines.stop, top))
        tail = range(max(lines.start, full_height - bottom, top), lines.stop)
        body = range(max(lines.start, top), min(lines.stop, full_height - bottom))
        strips: list[Strip] = []
        if head:
            strips += super().render_lines(  # type: ignore[misc]
                Region(x1, head.start, x2 - x1, len(head)))
        sides = _sides(self, box, inner, outer, base_background) \
            if left_edge or right_edge else None
        render_line = self.render_line  # type: ignore[attr-defined]
        content: list[Strip] = []
        self._pass_style = self.rich_style  # type: ignore[attr-defined]
        try:
            for y in body:
                line = (render_line(y - top).adjust_cell_length(width, inner_rich)
                        if y - top < height else Strip.blank(width, inner_rich))
                if sides is not None:
                    left, right = sides
                    line = Strip([*left, *line, *right], full_width)
                elif width != full_width:  # as Textual: the strip spans the region
                    line = Strip(list(line), full_width)
                content.append(line)
        finally:
            self._pass_style = None
        for line_filter in self.get_line_filters():  # type: ignore[attr-defined]
            content = [strip.apply_filter(line_filter, background) for strip in content]
        if (x1, x2) != (0, full_width):
            content = [strip.crop(x1, x2) for strip in content]
        strips += content
        if tail:
            strips += super().render_lines(  # type: ignore[misc]
                Region(x1, tail.start, x2 - x1, len(tail)))
        return strips


def _sides(widget, box, inner, outer, base_background) -> tuple[list, list]:
    """The left and right border segments of a content row, as Textual draws them."""
    from textual._border import get_box  # the function StylesCache.render_line uses
    from textual.style import Style

    _, right_edge, _, left_edge = box
    opacity = widget.opacity
    (_, _), (_, right_color), (_, _), (_, left_color) = widget.styles.border
    left = right = ()
    if left_edge:
        style = Style(foreground=base_background + left_color.multiply_alpha(opacity))
        left = (get_box(left_edge, inner, outer, style)[1][0],)
    if right_edge:
        style = Style(foreground=base_background + right_color.multiply_alpha(opacity))
        right = (get_box(right_edge, inner, outer, style)[1][2],)
    return list(left), list(right)
