"""The byte floor of a screen update, computed with a real terminal emulator (pyte).

Feed everything a program writes to :class:`TermScreen`; :meth:`TermScreen.snapshot`
returns the cells (character and attributes). :func:`floor_bytes` counts the bytes the
smallest sensible update would need to turn one snapshot into the next:

- the changed cells only, grouped into runs of adjacent changed cells on a row;
- one absolute cursor move (``ESC[row;colH``) per run;
- the characters themselves, UTF-8 encoded;
- one SGR sequence (``ESC[0;…m``) each time the style differs from the one in force,
  and one reset at the end.

256-colour escapes are counted as ``38;5;NNN`` (8 characters), 16-colour ones as 2 digits,
so the floor matches the way the benchmarks run the app (``TERM=xterm-256color``).
"""

from __future__ import annotations

import pyte

Cell = tuple[str, tuple]
Snapshot = list[list[Cell]]

_NAMED = set(pyte.graphics.FG_ANSI.values()) | set(pyte.graphics.BG_ANSI.values()) | {
    "default"}


class TermScreen:
    """A pyte screen fed with raw bytes."""

    def __init__(self, cols: int, rows: int) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    def resize(self, cols: int, rows: int) -> None:
        self.screen.resize(rows, cols)

    def snapshot(self) -> Snapshot:
        s = self.screen
        out: Snapshot = []
        for y in range(s.lines):
            row = s.buffer[y]
            out.append([(row[x].data, _style(row[x])) for x in range(s.columns)])
        return out

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)


def _style(ch) -> tuple:
    return (ch.fg, ch.bg, ch.bold, ch.italics, ch.underscore, ch.reverse, ch.strikethrough)


def _colour_len(colour: str) -> int:
    if colour == "default":
        return 0
    return 2 if colour in _NAMED else len("38;5;123")


def _sgr_len(style: tuple) -> int:
    fg, bg, *flags = style
    parts = [n for n in (_colour_len(fg), _colour_len(bg)) if n] + [1 for f in flags if f]
    if not parts:
        return len("\x1b[0m")
    return len("\x1b[0;m") + sum(parts) + len(parts) - 1


def floor_bytes(before: Snapshot, after: Snapshot) -> int:
    """Bytes needed to rewrite only the cells that differ between two snapshots."""
    total = 0
    current: tuple | None = None
    for y, (old, new) in enumerate(zip(before, after, strict=False)):
        x = 0
        width = len(new)
        while x < width:
            if old[x] == new[x]:
                x += 1
                continue
            total += len(f"\x1b[{y + 1};{x + 1}H")
            while x < width and old[x] != new[x]:
                data, style = new[x]
                if style != current:
                    total += _sgr_len(style)
                    current = style
                total += len(data.encode()) if data else 0
                x += 1
    if current is not None:
        total += len("\x1b[0m")
    return total


def differing_cells(a: Snapshot, b: Snapshot) -> list[tuple[int, int, Cell, Cell]]:
    """Every cell where two snapshots differ: ``(row, col, a's cell, b's cell)``."""
    return [(y, x, ca, cb) for y, (ra, rb) in enumerate(zip(a, b, strict=False))
            for x, (ca, cb) in enumerate(zip(ra, rb, strict=False)) if ca != cb]
