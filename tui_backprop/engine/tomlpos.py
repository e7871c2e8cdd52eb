"""Where every key of a TOML document sits: one pass over the text, built once.

:mod:`tomllib` returns values but no positions. The loader needs the line of any key to
report an error there, so this module reads the (already validated) text once with one
regular expression and records, for every key path, the offset of its key and of its
value. Paths are tuples: ``("inputs", "x")``, ``("graph", "code")`` for
``graph.code = …`` as well as for ``graph = { code = … }``, and
``("network", "layers", 1, "weights")`` for a key in the second ``[[network.layers]]``
(or the second inline table of ``network.layers = [{…}, {…}]``).

Looking a key up is a dictionary access, so reporting 10,000 errors costs no more than
reading the file once (finding each key by rescanning the text was quadratic).

The text must be valid TOML (:func:`tomllib.loads` accepted it); on anything else the
scan stops early and the index simply holds fewer keys.
"""

from __future__ import annotations

import bisect
import re
from array import array

from .._frozen import frozen

_TOKEN = re.compile(r'''
    (?P<nl>\r?\n)
  | (?P<ws>[ \t]++)
  | (?P<comment>\#[^\n]*+)
  | (?P<mlb>"""(?:[^"\\]++|\\[\s\S]|""?+(?!"))*+"""(?:"{1,2}(?!"))?)
  | (?P<mll>\'\'\'[\s\S]*?\'\'\'(?:\'{1,2}(?!\'))?)
  | (?P<bs>"(?:[^"\\\n]++|\\.)*+")
  | (?P<ls>\'[^\'\n]*+\')
  | (?P<punct>[\[\]{}=,.])
  | (?P<bare>[^\s\[\]{}=,.\#"\']++)
''', re.VERBOSE)

#: A whole ``key = value`` line with a bare key and a plain value (a number, boolean or
#: date without a space): the common case, read in one step instead of five tokens.
_SIMPLE = re.compile(r'''([A-Za-z0-9_-]++)[ \t]*+=[ \t]*+([^\s\[\]{}"\'\#,=]++)[ \t]*+
                         (?:\#[^\n]*+)?(?=\r?\n|\Z)''', re.VERBOSE)

_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\",
            "e": "\x1b"}
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[ \t]*\r?\n[ \t\r\n]*|.)")

STRING_KINDS = ("mlb", "mll", "bs", "ls")


@frozen(slots=True)
class KeyPos:
    """Offsets in the text: where the key's first character is, and where its value
    starts (with the value's token kind: a string kind, ``"["``, ``"{"`` or ``"table"``
    for a ``[header]``)."""

    key: int
    value: int
    kind: str


def _unescape(body: str) -> str:
    def sub(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "uU":
            try:
                return chr(int(e[1:], 16))
            except (ValueError, OverflowError):
                return ""
        if e[0] in " \t\r\n":
            return ""  # a line-ending backslash trims the newline and what follows
        return _ESCAPES.get(e, e)
    return _ESCAPE.sub(sub, body)


def key_text(kind: str, text: str) -> str:
    """A key token's name: bare as written, quoted with its escapes decoded."""
    if kind == "bs":
        return _unescape(text[1:-1])
    if kind == "ls":
        return text[1:-1]
    return text


class KeyIndex:
    """Positions of every key of one TOML text (see the module docstring)."""

    def __init__(self, text: str):
        self.text = text
        # every key's KeyPos packed into one int (a KeyPos and its two offsets are ~110
        # bytes; a file of 400,000 short keys holds that many)
        self._packed: dict[tuple, int] = {}
        self._kinds: list[str] = []
        self._kind_codes: dict[str, int] = {}
        #: array-of-tables paths (without index) and how many tables each holds so far
        self.arrays: dict[tuple, int] = {}
        # (an array of machine integers: a list would hold an int object per line)
        self._line_starts = array("q", [0])
        self._line_starts.extend(m.end() for m in re.finditer(r"\n", text))
        self.n_lines = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        # Tokens are read one at a time as the scan needs them (never kept in a list:
        # that was a tuple per token, ~300 bytes per byte of a file of short keys).
        self._cur: tuple[str | None, str, int] = (None, "", 0)
        self._end = 0
        self._next()
        try:
            self._document()
        except (IndexError, ValueError):
            pass  # not valid TOML after all: keep what was found

    # -- positions ---------------------------------------------------------------
    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a text offset."""
        i = bisect.bisect_right(self._line_starts, offset) - 1
        return min(i + 1, self.n_lines), offset - self._line_starts[i] + 1

    @staticmethod
    def line_col_of(text: str, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset`` in ``text`` (without an index)."""
        return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1

    def get(self, path: tuple) -> KeyPos | None:
        """Where the key ``path`` sits, or None."""
        packed = self._packed.get(path)
        if packed is None:
            return None
        packed, kind = divmod(packed, 256)
        key, delta = divmod(packed, 2**32)
        return KeyPos(key, key + delta, self._kinds[kind])

    def __len__(self) -> int:
        return len(self._packed)

    # -- the scan ----------------------------------------------------------------
    def _peek(self) -> tuple[str | None, str, int]:
        """The current token: ``(kind, text, offset)``; kind ``None`` at the end."""
        return self._cur

    def _next(self, n: int = 1) -> None:
        """Step over ``n`` tokens (a string or comment is one token, read in one step)."""
        for _ in range(n):
            m = _TOKEN.search(self.text, self._end)
            if m is None:
                self._cur, self._end = (None, "", len(self.text)), len(self.text)
            else:
                self._cur, self._end = (m.lastgroup, m.group(), m.start()), m.end()

    def _skip(self, newlines: bool) -> None:
        skip = ("ws", "comment", "nl") if newlines else ("ws", "comment")
        while self._cur[0] in skip:
            self._next()

    def _record(self, path: tuple, key: int, value: int, kind: str) -> None:
        if path not in self._packed:
            code = self._kind_codes.get(kind)
            if code is None:  # (a handful: string kinds, "[", "{", "table", a digit...)
                if len(self._kinds) >= 255:  # (only text that is not TOML has more)
                    kind = "?"
                code = self._kind_codes.setdefault(kind, len(self._kinds))
                if code == len(self._kinds):
                    self._kinds.append(kind)
            self._packed[path] = ((key << 32) + (value - key) << 8) + code

    def _key(self) -> tuple[list[str], int]:
        """A dotted key: its parts and the offset of its first character."""
        parts: list[str] = []
        start = None
        while True:
            self._skip(False)
            kind, text, off = self._peek()
            if kind not in ("bare", "bs", "ls"):
                raise ValueError("expected a key")
            if start is None:
                start = off
            parts.append(key_text(kind, text))
            self._next()
            self._skip(False)
            if self._peek()[1] != ".":
                return parts, start
            self._next()

    def _resolve(self, parts: list[str]) -> tuple:
        """A header's path, with the current index of every array of tables in it."""
        out: list = []
        for p in parts:
            out.append(p)
            n = self.arrays.get(tuple(out))
            if n:
                out.append(n - 1)
        return tuple(out)

    def _document(self) -> None:
        table: tuple = ()
        while True:
            self._skip(True)
            kind, text, off = self._peek()
            if kind is None:
                return
            if text == "[":
                self._next()
                double = self._peek()[1] == "[" and self._peek()[2] == off + 1
                if double:
                    self._next()
                parts, key_off = self._key()
                for k in range(1, len(parts)):  # [a.b.c] defines a and a.b where it is
                    self._record(self._resolve(parts[:k]), off, off, "table")
                if double:
                    base = self._resolve(parts[:-1]) + (parts[-1],)
                    n = self.arrays.get(base, 0)
                    self.arrays[base] = n + 1
                    self._record(base, off, off, "table")
                    table = base + (n,)
                else:
                    table = self._resolve(parts)
                self._record(table, off, off, "table")
                self._next(2 if double else 1)  # the closing bracket(s)
                continue
            if kind == "bare":
                m = _SIMPLE.match(self.text, off)
                if m is not None:
                    v = m.group(2)
                    self._record(table + (m.group(1),), off, m.start(2), v[:1])
                    self._end = m.end()
                    self._next()
                    continue
            self._pair(table)

    def _pair(self, prefix: tuple) -> None:
        parts, key_off = self._key()
        path = prefix
        for p in parts[:-1]:  # a dotted key defines its tables where it is written
            path = path + (p,)
            self._record(path, key_off, key_off, "table")
        path = path + (parts[-1],)
        self._skip(False)
        self._next()  # '='
        self._skip(False)
        kind, text, off = self._peek()
        self._record(path, key_off, off, kind if kind in STRING_KINDS else text[:1])
        self._value(path)

    def _value(self, path: tuple) -> None:
        kind, text, _ = self._peek()
        if text == "{":
            self._next()
            while True:
                self._skip(False)
                if self._peek()[1] == "}":
                    self._next()
                    return
                self._pair(path)
                self._skip(False)
                if self._peek()[1] == ",":
                    self._next()
        elif text == "[":
            self._next()
            n = 0
            while True:
                self._skip(True)
                if self._peek()[1] == "]":
                    self._next()
                    return
                _, text, off = self._peek()
                if text == "{":  # an inline table in an array: its keys are paths too
                    self._record(path + (n,), off, off, "{")
                self._value(path + (n,))
                n += 1
                self._skip(True)
                if self._peek()[1] == ",":
                    self._next()
        elif kind in STRING_KINDS:
            self._next()
        else:  # a number, boolean or date (a date may hold a space or dots)
            if kind is None:
                raise ValueError("expected a value")
            while self._peek()[0] in ("bare", "ws") or self._peek()[1] == ".":
                self._next()


# ------------------------------------------------------------------------ code lines


@frozen(slots=True)
class CodeMap:
    """Where each line of a string value (the ``code``) sits in the file.

    ``starts[k]`` is the text offset of line ``k + 1``'s first character. For a string
    written with ``\\n`` escapes on one line, many code lines share one file line.
    """

    index: KeyIndex
    starts: tuple[int, ...]
    escaped: bool  # a basic string: columns must step over escape sequences

    @classmethod
    def of(cls, index: KeyIndex, pos: KeyPos) -> CodeMap | None:
        text = index.text
        tok = _TOKEN.match(text, pos.value)
        if tok is None or tok.lastgroup not in STRING_KINDS:
            return None
        raw = tok.group()
        q = 3 if tok.lastgroup in ("mlb", "mll") else 1
        start = pos.value + q
        body = raw[q:-q]
        if q == 3 and body.startswith("\n"):  # TOML drops a newline right after """
            start, body = start + 1, body[1:]
        elif q == 3 and body.startswith("\r\n"):
            start, body = start + 2, body[2:]
        escaped = tok.lastgroup in ("mlb", "bs")
        starts = [start]
        if not escaped:
            starts += [start + m.end() for m in re.finditer(r"\n", body)]
        else:
            # walk the escapes: a newline is written as itself or as the escape \n
            i = 0
            for m in re.finditer(r"\n|\\(?:u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[ \t]*\r?\n"
                                 r"[ \t\r\n]*|.)", body):
                i = m.end()
                if m.group() == "\n" or m.group() == "\\n":
                    starts.append(start + i)
        return cls(index, tuple(starts), escaped)

    def position(self, line: int | None, col: int | None) -> tuple[int | None, int | None]:
        """The file's (line, column) of the code's (line, column); never past the end of
        the code (a position after its last line is put on that line)."""
        if line is None:
            return self.index.line_col(self.starts[0])[0], None
        k = min(max(line, 1), len(self.starts)) - 1
        off = self.starts[k]
        if col is None:
            return self.index.line_col(off)[0], None
        off = self._advance(off, col - 1)
        return self.index.line_col(off)

    def _advance(self, off: int, chars: int) -> int:
        """The text offset ``chars`` decoded characters after ``off``."""
        text = self.index.text
        if not self.escaped:
            return min(off + chars, len(text))
        while chars > 0 and off < len(text):
            if text[off] == "\\":
                m = _ESCAPE.match(text, off)
                off = m.end() if m else off + 1
            else:
                off += 1
            chars -= 1
        return off
