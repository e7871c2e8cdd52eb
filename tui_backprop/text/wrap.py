"""Width in terminal cells, and line wrapping that Chinese reads well with.

Rich (and ``textwrap``) break lines only at spaces, so a Chinese sentence, which has
none, moves whole to the next line or is chopped anywhere. :func:`wrap` may break
between any two CJK characters, but never before closing punctuation (``，。：）``) or
after opening punctuation (``（“``), and keeps Latin words whole. Widths are cells
(:func:`cells`: a CJK character is two), never ``len()``. Pure: no Rich.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["cells", "wrap"]

#: No line starts with these (they close what came before).
_NO_START = frozenset("，。、：；！？）》」』】〕”’,.:;!?)]}%")
#: No line ends with these (they open what comes next).
_NO_END = frozenset("（《「『【〔“‘([{")


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


def _units(text: str) -> list[str]:
    """Unbreakable pieces, each with its trailing spaces: a Latin word, or one CJK
    character with any closing punctuation after it and opening punctuation before."""
    units: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = i
        while j < n and text[j] in _NO_END:
            j += 1
        if j < n and _wide(text[j]) and text[j] not in _NO_START:
            j += 1  # one CJK character
        else:  # a Latin word: up to a space or a CJK character
            while j < n and not text[j].isspace() and not (
                    _wide(text[j]) and text[j] not in _NO_START):
                j += 1
        while j < n and text[j] in _NO_START:
            j += 1
        while j < n and text[j].isspace():
            j += 1
        units.append(text[i:max(j, i + 1)])
        i = max(j, i + 1)
    return units


def _number_end(unit: str) -> bool:
    body = unit.rstrip()
    return bool(body) and body != unit and body[-1].isdigit()


def _bind_numbers(units: list[str]) -> list[list[str]]:
    """The units in groups that move together: a number stays on the line of the Chinese
    word it counts or that counts it, so the spaces in ``第 1 次`` or ``共 3 次`` are no
    place to break (Chinese puts a space around a Latin number only for the eye)."""
    groups: list[list[str]] = []
    for unit in units:
        if groups and groups[-1][-1] != groups[-1][-1].rstrip():
            prev = groups[-1][-1].rstrip()
            # 第 | 1 ...: a CJK character, then a number
            cjk_then_number = bool(prev) and _wide(prev[-1]) and (unit[0].isdigit() or (
                unit[0] in "-+" and unit[1:2].isdigit()))
            # ... 1 | 次: a number, then a CJK character
            number_then_cjk = (_number_end(groups[-1][-1]) and _wide(unit[0])
                               and unit[0] not in _NO_END)
            if cjk_then_number or number_then_cjk:
                groups[-1].append(unit)
                continue
        groups.append([unit])
    return groups


def _chop(unit: str, width: int) -> list[str]:
    """A piece wider than a line, cut at ``width`` cells."""
    out, line, used = [], "", 0
    for ch in unit:
        w = _char_cells(ch)
        if used + w > width and line:
            out.append(line)
            line, used = "", 0
        line += ch
        used += w
    return out + [line] if line else out


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` cells (each stripped of trailing
    spaces); existing line breaks are kept."""
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for group in _bind_numbers(_units(paragraph)):
            # a number and its measure word move together; a group wider than a whole
            # line is laid out piece by piece after all
            whole = "".join(group)
            pieces = [whole] if len(group) == 1 or cells(whole.rstrip()) <= width else group
            for unit in pieces:
                body = unit.rstrip()
                need = cells(body)
                if used + need <= width:
                    line += unit
                    used += cells(unit)
                    continue
                if line.strip():
                    lines.append(line.rstrip())
                line, used = "", 0
                if need > width:
                    chopped = _chop(body, width)
                    lines.extend(chopped[:-1])
                    line = chopped[-1] + unit[len(body):]
                else:
                    line = unit
                used = cells(line)
        lines.append(line.rstrip())
    return lines
