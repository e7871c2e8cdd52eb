"""The one place that touches Textual's private internals: fewer bytes per step.

Textual (8.2.x) turns each screen update into terminal output in
``textual._compositor.ChopsUpdate.render_segments`` (a partial update: the spans of lines
that changed) and ``LayoutUpdate.render_segments`` (a full repaint). Two things there cost
a classroom on a slow SSH link about a third of every step's bytes:

- a changed span that starts inside a widget's strip is re-sent from the strip's *left
  edge*, not from the first changed column (the ``TODO: crop to x extents`` in Textual);
- every segment is written as ``SGR + text + reset``, even when the next segment has the
  same style, so a run of equal styles repeats its colour escape per segment.

:func:`install` replaces both methods with versions that crop each span at its changed
columns and emit an SGR sequence only when the style actually changes (one ``ESC[0;…m``
per change, one reset at the end of the update, no redundant newlines between spans:
every span starts with an absolute cursor move). What the terminal ends up showing is
the same cell for cell; ``tests/test_textual_patch.py`` checks that in a real pty, with a
terminal emulator, against a full repaint, and fails loudly if Textual's internals change.

A third patch saves CPU, not bytes: Textual parses the CSS of every app from scratch
(its parse cache belongs to one ``Stylesheet``, and every ``reparse`` starts a new one),
~30 ms per app and again for each screen that brings CSS. In a served room that is
every session's start-up. :func:`install` makes the parse cache process-wide, keyed
on the CSS text, its origin and the CSS variables it was parsed with; the zygote's
warm-up fills it once and every forked session reuses the parsed rules. Textual
already shares parsed rules between the parses of one app (they are never mutated), so
sharing them between apps draws exactly the same thing.

The fourth saves CPU on every step: for a partial update Textual asks every widget
that overlaps the bounding box of the changed regions for *all* its lines in that box,
then throws away those on rows that did not change (at 80×24 a step changes ~17 rows
but renders ~72: the screen, the header, the footer, every container). The patched
``Compositor.render_partial_update`` asks each widget only for the rows, within its
region, that the update draws, and only where panels in front of it have not already
filled the row (the screen and the containers behind the panels are then not rendered
at all); widgets on no such row are not asked at all. The strips on the drawn rows are
the same ones; lines left unrendered keep their dirty mark in Textual's line cache and
are rendered when they are next drawn. A widget is asked for a row only where one of
the row's changed spans crosses its columns (a scrollbar beside a changed line is not
rendered again).

The fifth, :class:`DirectLines`, also saves CPU on every step: a mixin for the line
panels that draws their lines without Textual's per-line box pipeline (below).

The sixth saves CPU on every step and memory in every session: strips without their
seven per-strip memo caches (below).

Pinned to the Textual versions this was written and tested against; on any other
version :func:`install` does nothing and Textual's own code is used (the mixin then
hands every panel back to Textual's pipeline).
"""

from __future__ import annotations

import os

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from textual.cache import FIFOCache
from textual.strip import Strip

#: Textual versions whose compositor internals this module was checked against.
TESTED_TEXTUAL = ((8, 2),)

_installed = False


def _textual_version() -> tuple[int, int]:
    """Textual's major and minor version, from its ``.dist-info`` folder name beside the
    package (one directory listing; ``importlib.metadata.version`` scans every
    distribution on the path, ~60 ms of start-up), else from the metadata."""
    import textual

    site = os.path.dirname(os.path.dirname(textual.__file__))
    for name in os.listdir(site):
        if name.startswith("textual-") and name.endswith(".dist-info"):
            major, minor = name[len("textual-"):-len(".dist-info")].split(".")[:2]
            return int(major), int(minor)
    from importlib.metadata import version

    major, minor = version("textual").split(".")[:2]
    return int(major), int(minor)


def supported() -> bool:
    """Whether the installed Textual is one this module was tested against."""
    try:
        return _textual_version() in TESTED_TEXTUAL
    except Exception:  # noqa: BLE001 - an odd version string just means "not tested"
        return False


class _Writer:
    """Collects terminal output for one update, emitting an SGR only when it changes."""

    __slots__ = ("parts", "sgr", "color_system")

    def __init__(self, console: Console) -> None:
        self.parts: list[str] = []
        #: the SGR parameters in force on the terminal ("" = default attributes)
        self.sgr = ""
        self.color_system = console._color_system or ColorSystem.TRUECOLOR

    def move_to(self, x: int, y: int) -> None:
        self.parts.append(f"\x1b[{y + 1};{x + 1}H")

    def segments(self, segments) -> None:
        parts = self.parts
        for text, style, _control in segments:
            if not text:
                continue
            if style is None:
                ansi = ""
            else:
                ansi = style._ansi
                if ansi is None:
                    ansi = Strip.render_ansi(style, self.color_system)
                if style._link:
                    # a hyperlink wraps its text in OSC 8; keep Textual's own encoding
                    self._set("")
                    parts.append(Strip.render_style(style, text, self.color_system))
                    continue
            if ansi != self.sgr:
                self._set(ansi)
            parts.append(text)

    def _set(self, ansi: str) -> None:
        if ansi == self.sgr:
            return
        # reset first: the new style may lack an attribute (bold, reverse) the old one had
        self.parts.append(f"\x1b[0;{ansi}m" if ansi else "\x1b[0m")
        self.sgr = ansi

    def finish(self) -> str:
        self._set("")
        return "".join(self.parts)


def _crop(strip, start: int, end: int):
    """``strip`` cut to the cells ``[start, end)``, never through a double-width character.

    Returns ``(offset, segments)``: where the first kept cell is, relative to the strip, and
    the segments from there. A cut that would fall inside a wide character moves left to
    the character's first cell (and the right end moves right), so the character is
    re-sent whole instead of being split into two spaces.
    """
    segments = list(strip)
    pos = 0
    out: list[Segment] = []
    first = None
    for segment in segments:
        text = segment.text
        width = cell_len(text)
        seg_end = pos + width
        if seg_end <= start:
            pos = seg_end
            continue
        if pos >= end:
            break
        if pos >= start and seg_end <= end:
            if first is None:
                first = pos
            out.append(segment)
            pos = seg_end
            continue
        # a segment that straddles a cut: keep whole characters only
        style = segment.style
        kept: list[str] = []
        x = pos
        for ch in text:
            w = cell_len(ch)
            if x + w > start and x < end:
                if first is None:
                    first = x
                kept.append(ch)
            x += w
        if kept:
            out.append(Segment("".join(kept), style))
        pos = seg_end
    return (start if first is None else first), out


def _chops_render_segments(self, console: Console) -> str:
    """``ChopsUpdate.render_segments`` that sends only the changed cells of each span."""
    writer = _Writer(console)
    chops = self.chops
    chop_ends = self.chop_ends
    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            # spans are [x1, x2): x2 is exclusive, as in Compositor._regions_to_spans
            if strip is None or x >= x2 or end <= x1:
                continue
            if x >= x1 and end <= x2:
                writer.move_to(x, y)
                writer.segments(strip)
                continue
            lo = max(x1, x) - x
            hi = min(end, x2) - x
            offset, segments = _crop(strip, lo, hi)
            if segments:
                writer.move_to(x + offset, y)
                writer.segments(segments)
    return writer.finish()


def _layout_render_segments(self, console: Console) -> str:
    """``LayoutUpdate.render_segments`` with one SGR per style change."""
    writer = _Writer(console)
    x = self.region.x
    for y, line in enumerate(self.strips, self.region.y):
        writer.move_to(x, y)
        for strip in line:
            writer.segments(strip)
    return writer.finish()


def _render_partial_update(self):
    """``Compositor.render_partial_update`` that renders only the rows it will draw."""
    from bisect import bisect_left

    from textual._compositor import ChopsUpdate
    from textual.geometry import Region

    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    rows: dict[int, list[tuple[int, int]]] = {}
    for y, x1, x2 in spans:
        rows.setdefault(y, []).append((x1, x2))
    dirty_rows = sorted(rows)
    cuts = self.cuts
    chops: list[dict] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    # per dirty row, the chops [cut, next cut) that a span crosses and no widget has
    # filled yet: a row leaves when they are filled, and a container (or the screen)
    # behind panels that filled it is not rendered at all
    need: dict[int, list[int]] = {}
    for row, row_spans in rows.items():
        row_cuts = cuts[row]
        wanted = [cut for cut, end in zip(row_cuts, row_cuts[1:], strict=False)
                  if any(x1 < end and x2 > cut for x1, x2 in row_spans)]
        if wanted:
            need[row] = wanted
    crop_overlaps = crop.overlaps
    # front to back, as Compositor._get_renders: the first strip for a cut wins
    for widget, (region, clip) in self.visible_widgets.items():
        if not need:
            break
        if not crop_overlaps(clip):
            continue
        render_region = region.intersection(clip)
        x, y, width, height = render_region
        if not width or not height:
            continue
        first_cut, last_cut = render_region.column_span
        # the rows where one of this widget's chops is still needed
        drawn = [row for row in dirty_rows[bisect_left(dirty_rows, y):
                                           bisect_left(dirty_rows, y + height)]
                 if (wanted := need.get(row)) is not None
                 and any(first_cut <= cut < last_cut for cut in wanted)]
        # one render_lines call per run of consecutive rows
        start = 0
        while start < len(drawn):
            end = start + 1
            while end < len(drawn) and drawn[end] == drawn[end - 1] + 1:
                end += 1
            top, bottom = drawn[start], drawn[end - 1] + 1
            start = end
            strips = widget.render_lines(
                Region(x - region.x, top - region.y, width, bottom - top))
            for row, strip in zip(range(top, bottom), strips, strict=False):
                chops_line = chops[row]
                final_cuts = [cut for cut in cuts[row] if last_cut >= cut >= first_cut]
                cut_strips = strip.divide([cut - x for cut in final_cuts[1:]])
                get = chops_line.get
                for cut, piece in zip(final_cuts, cut_strips, strict=False):
                    if get(cut) is None:
                        chops_line[cut] = piece
                left = [cut for cut in need[row] if not first_cut <= cut < last_cut]
                if left:
                    need[row] = left
                else:
                    del need[row]
    chop_ends = [cut_set[1:] for cut_set in cuts]
    return ChopsUpdate(chops, spans, chop_ends)


#: Parsed CSS shared by every Stylesheet in the process: (css, origin, default?,
#: tie breaker, scope, variables) -> rule sets. Bounded: a theme switch adds one set of
#: entries per variable set; a long-lived process that cycles themes evicts the oldest.
_PARSED: dict[tuple, list] = {}
_PARSED_MAX = 2048


def _variables_key(stylesheet) -> tuple:
    """A hashable key for the stylesheet's CSS variables (memoised per variables dict;
    Textual replaces the dict, never mutates it, when variables change)."""
    variables = stylesheet._variables
    cached = getattr(stylesheet, "_tb_variables_key", None)
    if cached is not None and cached[0] is variables:
        return cached[1]
    key = tuple(sorted(variables.items()))
    stylesheet._tb_variables_key = (variables, key)
    return key


def _shared_parse_rules(original):
    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self))
        rules = _PARSED.get(key)
        if rules is None:
            # errors raise as before, and are not cached
            rules = original(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)))
            _PARSED[key] = rules
        return rules

    return _parse_rules


#: (pump class, message class, handler name) -> the classes of the pump's MRO that have a
#: handler for it: (class, decorated handlers in the message's MRO order, named method)
_DISPATCH: dict[tuple, tuple] = {}
_DISPATCH_MAX = 4096


def _dispatch_plan(pump_class, message_class, method_name: str) -> tuple:
    from textual.message import Message

    message_mro = [t for t in message_class.__mro__ if issubclass(t, Message)]
    plan = []
    for cls in pump_class.__mro__:
        decorated_handlers = cls.__dict__.get("_decorated_handlers")
        decorated = [handler for message_type in message_mro
                     for handler in decorated_handlers.get(message_type, [])] \
            if decorated_handlers else []
        method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
        if method is not None and getattr(method, "_textual_on", None):
            method = None
        if decorated or method is not None:
            plan.append((cls, decorated, method))
    return tuple(plan)


def _get_dispatch_methods(self, method_name, message):
    """``MessagePump._get_dispatch_methods`` with the walk of the pump's MRO (two dict
    lookups and an f-string per class, for every message and every idle event) done once
    per pump class, message class and handler name. What is decided per message stays
    per message: ``prevent_default`` between classes, and the ``@on`` selectors."""
    key = (self.__class__, message.__class__, method_name)
    plan = _DISPATCH.get(key)
    if plan is None:
        if len(_DISPATCH) >= _DISPATCH_MAX:
            _DISPATCH.clear()
        plan = _DISPATCH[key] = _dispatch_plan(*key)
    methods_dispatched: set = set()
    for cls, decorated, method in plan:
        if message._no_default_action:
            break
        for handler, selectors in decorated:
            if handler in methods_dispatched:
                continue
            if not selectors:
                yield cls, handler.__get__(self, cls)
                methods_dispatched.add(handler)
            else:
                if not message._sender:
                    continue
                for attribute, selector in selectors.items():
                    node = getattr(message, attribute)
                    if node is None:
                        break
                    if not isinstance(node, _Widget):
                        raise _OnNoWidget(f"on decorator can't match against {attribute!r} "
                                         "as it is not a widget.")
                    if not _match(selector, node):
                        break
                else:
                    yield cls, handler.__get__(self, cls)
                    methods_dispatched.add(handler)
        if method is not None:
            yield cls, method.__get__(self, cls)


#: bound by install() (Textual is loaded by then)
_Widget = _OnNoWidget = _match = None
#: Textual's own ``MessagePump._get_dispatch_methods`` once installed (tests compare)
GET_DISPATCH_METHODS: list = []


def install() -> bool:
    """Patch Textual's update encoders (once). Returns whether the patch is active."""
    global _installed, _Widget, _OnNoWidget, _match
    if _installed:
        return True
    if not supported():
        return False
    from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
    from textual._on import OnNoWidget
    from textual.css.match import match
    from textual.css.stylesheet import Stylesheet
    from textual.message_pump import MessagePump
    from textual.widget import Widget

    ChopsUpdate.render_segments = _chops_render_segments  # type: ignore[method-assign]
    LayoutUpdate.render_segments = _layout_render_segments  # type: ignore[method-assign]
    Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]
    Stylesheet._parse_rules = _shared_parse_rules(Stylesheet._parse_rules)  # type: ignore[method-assign]
    Strip.__init__ = _strip_init  # type: ignore[method-assign]
    _Widget, _OnNoWidget, _match = Widget, OnNoWidget, match
    GET_DISPATCH_METHODS.append(MessagePump._get_dispatch_methods)
    MessagePump._get_dispatch_methods = _get_dispatch_methods  # type: ignore[method-assign]
    _installed = True
    return True

# --------------------------------------------------------------------------- direct lines
# Textual renders every widget line through ``StylesCache.render_line``, which works out
# borders, padding, outlines, hatching, tint and opacity for each line: about a fifth of a
# millisecond a line on this project's 2-core machine, and a step redraws ~20 lines. Our
# line panels (circuit, code, values, inspector, explanation, status) have at most a plain
# border (their title rule), so for them a content line is the widget's own
# ``render_line`` on the panel's background between the border's side segments, through
# the app's line filters (monochrome, ANSI colours); the border rows themselves (with the
# title) still come from Textual's pipeline and its cache. Any widget with padding, an
# outline, a tint, opacity or hatching goes to Textual's pipeline unchanged, and so does
# every widget when this module is not installed (an untested Textual version).
# ``tests/test_direct_lines.py`` compares every panel's strips with Textual's pipeline in
# every state that changes how a line looks.


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

    #: (styles key, _PassLook) of the last pass
    _tb_look: tuple | None = None

    def _pass_look(self) -> _PassLook:
        """What a pass needs of this widget's styles and its ancestors' (the rich style,
        the border box, the background colours, the side segments), worked out again
        only when one of those styles changed. Textual counts every change of a node's
        styles (``RenderStyles._cache_key``: CSS, inline, a theme, a pseudo-class, an
        animation's frame); a step changes none, and each of these walks every ancestor."""
        key = tuple([(node, node.styles._cache_key)  # type: ignore[attr-defined]
                     for node in self.ancestors_with_self])  # type: ignore[attr-defined]
        cached = self._tb_look
        if cached is not None and cached[0] == key:
            return cached[1]
        look = _PassLook(self)
        self._tb_look = (key, look)
        return look

    #: (content width, scroll offset) while a pass draws the widget's lines
    _pass_geometry = None

    def line_geometry(self):
        """``(content width, scroll offset)`` for ``render_line``: worked out once per
        pass (the geometry walks the widget's styles), live outside one."""
        geometry = self._pass_geometry
        if geometry is None:
            return (self.scrollable_content_region.width,  # type: ignore[attr-defined]
                    self.scroll_offset)  # type: ignore[attr-defined]
        return geometry

    def render_lines(self, crop):
        look = self._pass_look()
        self._pass_style = look.rich_style
        self._pass_geometry = (self.scrollable_content_region.width,  # type: ignore[attr-defined]
                               self.scroll_offset)  # type: ignore[attr-defined]
        try:
            return self._render_lines(crop, look)
        finally:
            self._pass_style = self._pass_geometry = None

    def _render_lines(self, crop, look: _PassLook):
        from textual.geometry import Region

        box = look.box if _installed else None
        if box is None:
            return super().render_lines(crop)  # type: ignore[misc]
        top_edge, right_edge, bottom_edge, left_edge = box
        background = look.background
        inner_rich = look.inner_rich
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
        sides = look.sides
        render_line = self.render_line  # type: ignore[attr-defined]
        content: list[Strip] = []
        for y in body:
            line = (render_line(y - top).adjust_cell_length(width, inner_rich)
                    if y - top < height else Strip.blank(width, inner_rich))
            if sides is not None:
                left, right = sides
                line = Strip([*left, *line, *right], full_width)
            elif width != full_width:  # as Textual: the strip spans the region
                line = Strip(list(line), full_width)
            content.append(line)
        for line_filter in self.get_line_filters():  # type: ignore[attr-defined]
            content = [strip.apply_filter(line_filter, background) for strip in content]
        if (x1, x2) != (0, full_width):
            content = [strip.crop(x1, x2) for strip in content]
        strips += content
        if tail:
            strips += super().render_lines(  # type: ignore[misc]
                Region(x1, tail.start, x2 - x1, len(tail)))
        return strips


class _PassLook:
    """A widget's styles as a direct pass draws with them (see ``_pass_look``)."""

    __slots__ = ("rich_style", "box", "background", "inner_rich", "sides")

    def __init__(self, widget) -> None:
        self.rich_style = widget.rich_style
        self.box = box = widget._direct_box()
        self.background = self.inner_rich = self.sides = None
        if box is None:
            return
        base_background, background = widget.background_colors
        inner, outer = widget._styles_cache.get_inner_outer(base_background, background)
        self.background = background
        self.inner_rich = inner.rich_style
        if box[1] or box[3]:
            self.sides = _sides(widget, box, inner, outer, base_background)


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


# --------------------------------------------------------------------------- light strips
# Every ``Strip`` Textual 8.2 makes allocates seven memo caches (crop, divide, style,
# filter, line length, crop-extend, offsets: seven ``FIFOCache`` objects with their dicts,
# ~1 kB a strip) and keeps in them the strips it derives. A step makes thousands of
# strips that are used once (a row is styled, padded, given its border sides, filtered,
# cut at the compositor's cuts, each a new strip), and the panels keep hundreds of
# rendered lines of recently shown steps, each of which kept its derived strips alive.
# The patched ``Strip.__init__`` gives every strip one shared cache that never stores
# anything: every method works as before (its result is computed, not looked up).
# Measured headless at 80x24 stepping cs231n-sigmoid back and forth, alternately with
# Textual's own ``__init__`` (medians of 3 runs): the compositor's CPU per key 3.23 ->
# 3.03 ms and the panels' 4.21 -> 3.82 ms; a forked served session's private memory
# after 64 steps 19.0 -> 17.6 MB. (Dropping the caches of the panels' own strips only
# was slower than either: the strips derived from them were then made again on every
# revisit, each with its seven caches.) What it costs: compositing the same unchanged
# strips again (nothing a step does; a full repaint of an unchanged screen, back to back)
# recomputes their cuts instead of looking them up.


class _NoCache(FIFOCache):
    """A FIFOCache that never keeps anything (``get`` finds nothing)."""

    __slots__ = ()

    def __setitem__(self, key, value) -> None:
        pass

    set = __setitem__


_NO_CACHE = _NoCache(1)


def _strip_init(self, segments, cell_length: int | None = None) -> None:
    """``Strip.__init__`` without per-strip memo caches (see above)."""
    self._segments = list(segments)
    self._cell_length = cell_length
    self._divide_cache = self._crop_cache = self._style_cache = _NO_CACHE
    self._filter_cache = self._line_length_cache = _NO_CACHE
    self._crop_extend_cache = self._offsets_cache = _NO_CACHE
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


#: Textual's own ``Strip.__init__`` (tests compare the two)
STRIP_INIT = Strip.__init__
