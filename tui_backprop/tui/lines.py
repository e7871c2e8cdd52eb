"""A Line-API panel that shows a list of Rich ``Text`` lines and repaints only the lines
that changed: stepping through a big graph must not repaint (or re-layout) whole panels.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual._context import active_app
from textual.content import Content, Span
from textual.events import Resize
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from tui_backprop.text.wrap import spans
from tui_backprop.tui._textual_patch import DirectLines


def _runs(strip: Strip) -> tuple[str, list[tuple[int, int, Style | None]]]:
    """A rendered line's characters, and its style runs ``(start, end, style)``."""
    parts: list[str] = []
    runs: list[tuple[int, int, Style | None]] = []
    x = 0
    for seg in strip:
        text = seg.text
        if text:
            parts.append(text)
            runs.append((x, x + len(text), seg.style))
            x += len(text)
    return "".join(parts), runs


def _style_span(ra: list, rb: list) -> tuple[int, int] | None:
    """Where two lines' styles differ, first to last (None: nowhere). The runs cover the
    same cells: one interval per run boundary of either, not one comparison per cell."""
    i = j = x = 0
    first = end = None
    while i < len(ra) and j < len(rb):
        a_end, b_end = ra[i][1], rb[j][1]
        stop = a_end if a_end < b_end else b_end
        if ra[i][2] != rb[j][2]:
            if first is None:
                first = x
            end = stop
        x = stop
        if a_end == stop:
            i += 1
        if b_end == stop:
            j += 1
    return None if first is None else (first, end)


def _common_prefix(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start (a binary search of
    slice comparisons, each in C, instead of a Python loop over the characters)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def changed_span(a: Strip, b: Strip) -> tuple[int, int]:
    """``(first, end)``: the cells where two rendered lines differ (end exclusive).

    Cells are counted per character; a line with wide characters (CJK) falls back to
    the whole line."""
    ta, ra = _runs(a)
    tb, rb = _runs(b)
    if len(ta) != a.cell_length or len(tb) != b.cell_length:
        return 0, max(a.cell_length, b.cell_length)
    # compare cell by cell at the same x (the shorter line is padded with blanks)
    n = max(len(ta), len(tb))
    if len(ta) < n:
        ra.append((len(ta), n, None))
        ta += " " * (n - len(ta))
    if len(tb) < n:
        rb.append((len(tb), n, None))
        tb += " " * (n - len(tb))
    styles = _style_span(ra, rb)
    if ta == tb:
        return styles if styles is not None else (n, n)
    first = _common_prefix(ta, tb)
    end = n - _common_prefix(ta[::-1], tb[::-1])
    if styles is not None:
        first, end = min(first, styles[0]), max(end, styles[1])
    return first, end


class Hanging(Text):
    """A line whose wrapped continuation lines start at column ``hang`` (under its
    value), not at column 0: a wrapped matrix stays in its own column. Where that leaves
    too little room, they start at ``fallback`` (under the line's label)."""

    __slots__ = ("hang", "fallback")

    def __init__(self, *args, hang: int = 0, fallback: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hang = hang
        self.fallback = fallback


#: A hanging indent is dropped when it would leave fewer columns than this for the text.
MIN_HANG_ROOM = 16


def wrap_hanging(text: Text, console, width: int, hang: int, fallback: int = 0) -> list[Text]:
    """``text`` wrapped to ``width`` cells where :func:`tui_backprop.text.wrap.spans`
    allows a break (at spaces, between CJK characters, never inside a short group such
    as ``(1 of 1)``); lines after the first indented by ``hang`` (by ``fallback`` if that
    leaves too little room), and a matrix broken between its rows where it can be.
    A ``no_wrap`` text is cut as Rich cuts it (its ``overflow``)."""
    if text.no_wrap:
        return list(text.wrap(console, width))
    if "\n" in text.plain:
        return [line for part in text.split("\n", allow_blank=True)
                for line in wrap_hanging(part, console, width, hang, fallback)]
    width = max(1, width)
    if width - hang < MIN_HANG_ROOM:
        hang = fallback
    if hang <= 0 or width - hang < MIN_HANG_ROOM:
        hang = 0
    if text.cell_len <= width:
        return [text]
    out: list[Text] = []
    for i, (start, end) in enumerate(spans(text.plain, width, width - hang, prefer="], ")):
        part = text[start:end]
        if i and hang:
            line = Text(" " * hang, end="")
            line.append_text(part)
            part = line
        out.append(part)
    return out


class Prose(Visual):
    """What a ``Static`` shows: ``lines`` (Rich ``Text``, each may be a
    :class:`Hanging`) wrapped by :func:`wrap_hanging` to the width they are drawn at, so
    Chinese breaks between characters and continuation lines hang under their column
    (a ``Static`` given a ``Text`` breaks only at spaces). ``str()`` is the plain text."""

    def __init__(self, lines: list[Text]) -> None:
        self.lines = lines
        self._wrapped: tuple[int, list[Text]] | None = None

    def __str__(self) -> str:
        return "\n".join(text.plain for text in self.lines)

    def _wrap(self, width: int) -> list[Text]:
        if self._wrapped is None or self._wrapped[0] != width:
            console = active_app.get().console
            self._wrapped = width, [
                part for text in self.lines
                for part in wrap_hanging(text, console, width, getattr(text, "hang", 0),
                                         getattr(text, "fallback", 0))]
        return self._wrapped[1]

    def render_strips(self, width: int, height: int | None, style, options) -> list[Strip]:
        console = active_app.get().console
        base = style.rich_style
        strips = [Strip(part.render(console, end="")).apply_style(base)
                  for part in self._wrap(width)]
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules, container_width: int) -> int:
        widest = max((cell_len(line) for text in self.lines
                      for line in text.plain.split("\n")), default=0)
        return min(widest, container_width)

    def get_height(self, rules, width: int) -> int:
        return len(self._wrap(width))


def fit_cells(text: Text, width: int, ellipsis: str = "…", pad: bool = False) -> Text:
    """``text`` cut to ``width`` terminal cells, ending in ``ellipsis`` when cut (the
    ASCII glyph set's is ``...``); never half of a wide character. With ``pad``, padded
    with spaces to exactly ``width``. A copy: ``text`` is not changed."""
    text = text.copy()
    if text.cell_len > width:
        room = max(0, width - cell_len(ellipsis))
        text.truncate(room, overflow="crop")
        if text.cell_len > room:  # a wide character straddled the cut
            text.right_crop(1)
        text.append(ellipsis[:width])
    if pad and text.cell_len < width:
        text.append(" " * (width - text.cell_len))
    return text


class Fitted(Visual):
    """One line of ``Content`` cut to the width it is drawn at, ending in ``ellipsis``
    when cut (the header's title: Textual's own ``text-overflow: ellipsis`` always
    writes ``…``, which an ASCII terminal cannot show, so there it would be cut with
    no mark at all). ``str()`` is the whole plain text."""

    def __init__(self, content: Content, ellipsis: str = "…") -> None:
        self.content = content
        self.ellipsis = ellipsis

    def __str__(self) -> str:
        return self.content.plain

    @property
    def plain(self) -> str:
        """The whole text, uncut (as ``Content.plain``)."""
        return self.content.plain

    def fit(self, width: int) -> Content:
        """The content as it shows in ``width`` cells."""
        content = self.content
        if content.cell_length <= width:
            return content
        mark = self.ellipsis[:max(0, width)]
        cut = content.truncate(max(0, width - cell_len(mark))).rstrip()
        end = len(cut.plain)
        # the mark is styled as what it stands for (the dim app name): the spans that
        # reach the cut reach over the mark
        spans = [Span(sp.start, end + len(mark), sp.style) if sp.end >= end else sp
                 for sp in cut.spans]
        return Content(cut.plain + mark, spans)

    def render_strips(self, width: int, height: int | None, style, options) -> list[Strip]:
        return self.fit(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules, container_width: int) -> int:
        return min(self.content.cell_length, container_width)

    def get_height(self, rules, width: int) -> int:
        return 1


def fit_str(text: str, width: int, ellipsis: str = "…") -> str:
    """:func:`fit_cells` for a plain string."""
    if cell_len(text) <= width:
        return text
    return fit_cells(Text(text), width, ellipsis).plain


def pad_cells(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal cells (a CJK character is two)."""
    return text + " " * max(0, width - cell_len(text))


#: How many rendered lines a panel remembers before it starts again.
_RENDERED_MAX = 512


def _render_key(text: Text, width: int) -> tuple:
    """Everything that decides how ``text`` renders at ``width`` (-1: not wrapped)."""
    return (text.plain, tuple(text.spans), text.style, text.justify, text.overflow,
            text.no_wrap, text.end, text.tab_size, getattr(text, "hang", 0),
            getattr(text, "fallback", 0), type(text), width)


class LinesView(DirectLines, ScrollView):
    """Shows ``Text`` lines; wraps them to the width unless ``WRAP`` is False (then it
    scrolls sideways). ``set_lines`` diffs against what is on screen."""

    WRAP = True

    DEFAULT_CSS = """
    LinesView { overflow-x: auto; overflow-y: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source: list[Text] = []
        self._fills: list[Style | None] = []
        self._strips: list[Strip] = []
        self._strip_fills: list[Style | None] = []
        self._wrapped_at = -1
        #: rendered strips of recently shown lines, by what decides their rendering:
        #: stepping redraws every panel, but most lines are the same as a step ago
        self._rendered: dict[tuple, list[Strip]] = {}

    # ----------------------------------------------------------------- public

    def set_lines(self, lines: list[Text], fills: list[Style | None] | None = None) -> None:
        """Show ``lines``; ``fills`` gives an optional whole-row background per line."""
        self._source = lines
        self._fills = fills if fills is not None else [None] * len(lines)
        self._layout_lines()

    @property
    def plain_lines(self) -> list[str]:
        """The logical lines as plain text (tests read these)."""
        return [t.plain for t in self._source]

    @property
    def plain(self) -> str:
        return "\n".join(self.plain_lines)

    # ----------------------------------------------------------------- drawing

    def _wrap_width(self) -> int:
        return max(1, self.scrollable_content_region.width or self.size.width)

    def _wrap(self, width: int) -> tuple[list[Strip], list[Style | None]]:
        console = self.app.console
        strips: list[Strip] = []
        fills: list[Style | None] = []
        rendered = self._rendered
        if len(rendered) > _RENDERED_MAX:
            rendered.clear()
        for text, fill in zip(self._source, self._fills, strict=True):
            key = _render_key(text, width if self.WRAP else -1)
            lines = rendered.get(key)
            if lines is None:
                if self.WRAP:
                    hang, fallback = getattr(text, "hang", 0), getattr(text, "fallback", 0)
                    parts = (wrap_hanging(text, console, width, hang, fallback)
                             if text.plain else [text])
                    lines = [Strip(part.render(console, end="")) for part in parts]
                else:
                    lines = [Strip(text.render(console, end=""))]
                rendered[key] = lines
            for strip in lines:
                strips.append(strip)
                fills.append(fill)
        return strips, fills

    def _layout_lines(self) -> None:
        if not self.is_attached or self.size.width == 0:
            return  # hidden or not laid out yet: on_resize lays the lines out
        width = self._wrap_width()
        strips, fills = self._wrap(width)
        # The panel's room without scrollbars. Wrapped lines decide the vertical
        # scrollbar themselves: wrapped to the room they either fit it (no scrollbar,
        # the virtual size is the room) or they do not (wrapped to the room less the
        # scrollbar). Textual re-decides scrollbars only when the virtual size differs
        # from the region it laid out, so after a shrink had shown scrollbars for a
        # stale, larger virtual size, a virtual size equal to the region they leave
        # would keep them (and the narrower wrap) for good.
        room = self.container_size if self.container_size.width else self.size
        if self.WRAP and room.width:
            bar = self.styles.scrollbar_size_vertical
            fits = len(strips) <= room.height
            if fits and width != room.width:
                width = room.width
                strips, fills = self._wrap(width)
                fits = len(strips) <= room.height
            if not fits and width == room.width and room.width > bar:
                width = room.width - bar
                strips, fills = self._wrap(width)
        old, old_fills = self._strips, self._strip_fills
        self._strips, self._strip_fills = strips, fills
        # never narrower than the panel: a line getting shorter or longer within the
        # panel's width changes no virtual size (which would repaint the whole panel)
        widest = width if self.WRAP else max(max((s.cell_length for s in strips), default=0),
                                             width)
        # The virtual height never drops below the visible height, so a step that
        # changes the line count without overflowing the panel needs no re-layout.
        floor = room.height if self.WRAP else self.scrollable_content_region.height
        height = max(len(strips), floor)
        size = Size(widest, height)
        if size != self.virtual_size:
            self.virtual_size = size
        if self._wrapped_at != width:
            self._wrapped_at = width
            self.refresh()
            return
        scroll_x, top = self.scroll_offset
        visible = self.scrollable_content_region.height
        full = self.size.width
        dirty: list[Region] = []  # one refresh for all: each call has its own overhead
        for y in range(top, top + visible):
            a = strips[y] if y < len(strips) else None
            b = old[y] if y < len(old) else None
            fa = fills[y] if y < len(fills) else None
            fb = old_fills[y] if y < len(old_fills) else None
            if a is None and b is None and fa == fb:
                continue  # blank below the text before and after: nothing to repaint
            if fa != fb or a is None or b is None:
                dirty.append(Region(0, y - top, full, 1))
            elif a is not b and a != b:
                # repaint only the span that differs: fewer bytes to the terminal
                first, end = changed_span(a, b)
                if end > first:
                    dirty.append(Region(first - scroll_x, y - top, end - first, 1))
        if dirty:
            self.refresh(*dirty)

    def on_mount(self) -> None:
        self._layout_lines()

    def on_resize(self, event: Resize) -> None:
        self._wrapped_at = -1
        self._layout_lines()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, (scroll_x, scroll_y) = self.line_geometry()
        base = self.base_style
        i = scroll_y + y
        if i >= len(self._strips):
            return Strip.blank(width, base)
        fill = self._strip_fills[i]
        style = base + fill if fill is not None else base
        return self._strips[i].apply_style(style).crop_extend(scroll_x, scroll_x + width, style)
