"""Width in terminal cells, and line wrapping that Chinese reads well with.

Rich, Textual and ``textwrap`` break lines only at spaces, so a Chinese sentence, which
has none, moves whole to the next line or is chopped anywhere. This module is the one
place that decides where a line may break; :func:`spans` says where (as offsets, so a
styled text can be cut at the same places) and :func:`wrap` cuts a string. A line may
break:

- at a space, and between any two CJK characters;
- never before closing punctuation (``，。：）``) or after opening punctuation (``（“``);
- never inside a short bracketed group such as ``(1 of 1)`` or ``(x + y)``
  (at most :data:`SHORT_GROUP` cells);
- never at the space that sets a Latin token (a number, a name, ``?``, ``CS231n``)
  off from the Chinese character next to it: Chinese puts that space there only for
  the eye, so ``与 CS231n 讲义`` breaks after ``讲``, not after ``与``.

A piece wider than a whole line is broken after all (a long word mid-word). Widths are
cells (:func:`cells`: a CJK character is two), never ``len()``. Pure: no Rich.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["SHORT_GROUP", "cells", "spans", "wrap"]

#: No line starts with these (they close what came before).
_NO_START = frozenset("，。、：；！？）》」』】〕”’,.:;!?)]}%")
#: No line ends with these (they open what comes next).
_NO_END = frozenset("（《「『【〔“‘([{")
#: Brackets whose short contents stay on one line, opening -> closing.
_BRACKETS = {"(": ")", "（": "）"}
#: A bracketed group at most this many cells wide is never broken inside.
SHORT_GROUP = 16


@lru_cache(maxsize=4096)
def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes (a CJK character takes two)."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(ch) for ch in text)


def _wide(ch: str) -> bool:
    return _char_cells(ch) == 2


def _short_group(text: str, i: int) -> int:
    """The end of the short bracketed group opening at ``text[i]`` (0: none there)."""
    close, depth, width = _BRACKETS[text[i]], 0, 0
    for j in range(i, len(text)):
        ch = text[j]
        width += _char_cells(ch)
        if width > SHORT_GROUP or ch == "\n":
            return 0
        if ch == text[i]:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return j + 1
    return 0


_WORD = re.compile(r"\S+\s*|\s+")


def _narrow(text: str) -> bool:
    """Whether every character of ``text`` takes one cell (no CJK: ASCII, ``σ``, ``×``)."""
    return text.isascii() or all(_char_cells(ch) == 1 for ch in set(text))


def _narrow_units(text: str) -> list[str]:
    """:func:`_units` of text with no CJK (the common case, and the hot one: every long
    line of the inspector): its words with their spaces, a word joined to the next where
    a short bracketed group spans the space between them."""
    words = _WORD.findall(text)
    if len(words) < 2 or "(" not in text:
        return words
    joined: set[int] = set()  # offsets of spaces a short group holds together
    i = text.find("(")
    while i >= 0:
        end = _short_group(text, i)
        if end:
            joined.update(k for k in range(i, end) if text[k] == " ")
        i = text.find("(", i + 1)
    if not joined:
        return words
    units: list[str] = []
    at = 0
    for word in words:
        if units and (at - 1) in joined:
            units[-1] += word
        else:
            units.append(word)
        at += len(word)
    return units


def _units(text: str) -> list[str]:
    """Unbreakable pieces, each with its trailing spaces: a Latin word, one CJK
    character with any closing punctuation after it and opening punctuation before, or
    a short bracketed group. Joined, they are ``text``."""
    if _narrow(text):
        return _narrow_units(text)
    units: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = i
        while j < n and text[j] in _NO_END and not (
                text[j] in _BRACKETS and _short_group(text, j)):
            j += 1
        if j < n and _wide(text[j]) and text[j] not in _NO_START and text[j] not in _BRACKETS:
            j += 1  # one CJK character
        else:  # a Latin word (up to a space or a CJK character) or a short group
            while j < n:
                if text[j] in _BRACKETS and (end := _short_group(text, j)):
                    j = end  # σ(x), (1 of 1), (x + y)²: one piece
                    continue
                if text[j].isspace() or (_wide(text[j]) and text[j] not in _NO_START):
                    break
                j += 1
        # closing punctuation stays with what it closes; ASCII punctuation after a
        # CJK full stop (。? ...) is a token of its own, not more of the full stop
        while j < n and text[j] in _NO_START and (
                _wide(text[j]) or j == i or text[j - 1] not in _NO_START or not _wide(
                    text[j - 1])):
            j += 1
        while j < n and text[j].isspace():
            j += 1
        j = max(j, i + 1)
        units.append(text[i:j])
        i = j
    return units


def _number_end(unit: str) -> bool:
    body = unit.rstrip()
    return bool(body) and body != unit and body[-1].isdigit()


def _latin(ch: str) -> bool:
    """Whether ``ch`` is part of a Latin token (not CJK, not a space)."""
    return not ch.isspace() and not _wide(ch)


def _bound(prev: str, unit: str) -> bool:
    """Whether the space that ends unit ``prev`` is no place to break before ``unit``."""
    body = prev.rstrip()
    if not body or body == prev:
        return False
    # 第 | 1 ...: a CJK character, then a number
    if _wide(body[-1]) and (unit[0].isdigit() or (unit[0] in "-+" and unit[1:2].isdigit())):
        return True
    # ... 1 | 次: a number, then a CJK character
    if _number_end(prev) and _wide(unit[0]) and unit[0] not in _NO_END:
        return True
    if len(prev) - len(body) != 1:
        return False  # two spaces or more set things apart on purpose
    # 与 | CS231n: a CJK character (not a closing mark), then a Latin token
    if _wide(body[-1]) and body[-1] not in _NO_START and _latin(unit[0]):
        return True
    # ? | 表示: a Latin token, then a CJK character (not an opening mark)
    return _latin(body[-1]) and _wide(unit[0]) and unit[0] not in _NO_END


def _groups(units: list[str]) -> list[list[str]]:
    """The units in groups that move together: a Latin token (a number, a name) stays
    on the line of the Chinese character next to it, so the spaces in ``第 1 次``,
    ``共 3 次`` or ``与 CS231n 讲义`` are no place to break."""
    groups: list[list[str]] = []
    for unit in units:
        if groups and _bound(groups[-1][-1], unit):
            groups[-1].append(unit)
        else:
            groups.append([unit])
    return groups


def _chop(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """``text[start:end]``, a piece wider than a line, cut every ``width`` cells (never
    half of a wide character)."""
    out: list[tuple[int, int]] = []
    first, used = start, 0
    for k in range(start, end):
        w = _char_cells(text[k])
        if used + w > width and k > first:
            out.append((first, k))
            first, used = k, 0
        used += w
    out.append((first, end))
    return out


def spans(text: str, width: int, rest: int | None = None,
          prefer: str | None = None) -> list[tuple[int, int]]:
    """Where to cut one paragraph ``text`` (no line breaks) into lines: ``(start, end)``
    offsets, the first line at most ``width`` cells, the others at most ``rest`` cells
    (``width`` if not given). Spaces where a line breaks belong to no line.

    With ``prefer`` (``"], "``: a matrix row's end), a full line is cut after the last
    ``prefer`` on it instead when that keeps at least a third of the line."""
    width = max(1, width)
    rest = width if rest is None else max(1, rest)
    pieces: list[tuple[int, str]] = []  # (offset, piece)
    at = 0
    units = _units(text)
    plain = _narrow(text)  # one cell a character, and no Chinese to bind to
    size = len if plain else cells
    for group in ([u] for u in units) if plain else _groups(units):
        whole = "".join(group)
        # a Latin token and its Chinese neighbour move together; a group wider than a
        # whole line is laid out piece by piece after all
        parts = [whole] if len(group) == 1 or size(whole.rstrip()) <= rest else group
        for part in parts:
            pieces.append((at, part))
            at += len(part)
    out: list[tuple[int, int]] = []
    w = width
    start = end = 0  # the line so far: text[start:end], without trailing spaces
    used = 0
    i = 0
    while i < len(pieces):
        at, part = pieces[i]
        body = part.rstrip()
        need = size(body)
        if used + need <= w:
            if body:
                end = at + len(body)
            used += size(part)
            i += 1
            continue
        if text[start:end].strip():
            cut = text.rfind(prefer, start, at) if prefer else -1
            if cut >= 0 and cells(text[start:cut]) >= w // 3 and cut + len(prefer) < at:
                # a matrix row's end: the rest of this line starts the next one
                end = cut + len(prefer.rstrip())
                resume = cut + len(prefer)
                i = next(k for k, (o, _) in enumerate(pieces) if o >= resume)
                out.append((start, end))
                w, start, end, used = rest, pieces[i][0], pieces[i][0], 0
                continue
            out.append((start, end))
        w = rest
        if need > w:
            chopped = _chop(text, at, at + len(body), w)
            out.extend(chopped[:-1])
            start, end = chopped[-1]
            used = cells(text[start:end]) + len(part) - len(body)
        else:
            start, end, used = at, at + len(body), size(part)
        i += 1
    out.append((start, end))
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` cells (each stripped of trailing
    spaces); existing line breaks are kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(paragraph[s:e] for s, e in spans(paragraph, width))
    return lines
