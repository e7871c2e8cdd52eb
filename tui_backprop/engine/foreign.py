"""Messages that come from other parsers (:mod:`tomllib`, Python's own ``ast.parse``)
as catalogue messages, so a Chinese session does not read them in English.

Each table maps the other parser's English sentence (a pattern; its named groups become
parameters: quoted characters, keys, line numbers) to a catalogue key. A sentence no
table knows (a newer Python's wording) is kept in the parser's own words and marked as
such (``diag.detail.toml`` / ``diag.detail.python``), never dropped.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

import re

from ..text.catalogue import Msg

#: tomllib's messages (CPython 3.11-3.13 ``tomllib/_parser.py``), without the position.
TOML_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"Invalid statement", "diag.toml.statement"),
    (r"Expected newline or end of document after a statement", "diag.toml.newline"),
    (r"Expected '=' after a key in a key/value pair", "diag.toml.equals"),
    (r"Expected '\]' at the end of a table declaration", "diag.toml.table_end"),
    (r"Expected '\]\]' at the end of an array declaration", "diag.toml.array_end"),
    (r"Expected (?P<what>'.*')", "diag.toml.expected"),
    (r"Found invalid character (?P<char>.+)", "diag.toml.invalid_char"),
    (r"Cannot declare (?P<key>.+) twice", "diag.toml.declare_twice"),
    (r"Cannot overwrite a value", "diag.toml.overwrite"),
    (r"Cannot mutate immutable namespace (?P<key>.+)", "diag.toml.immutable"),
    (r"Cannot redefine namespace (?P<key>.+)", "diag.toml.redefine"),
    (r"Invalid initial character for a key part", "diag.toml.key_start"),
    (r"Unclosed array", "diag.toml.unclosed_array"),
    (r"Unclosed inline table", "diag.toml.unclosed_table"),
    (r"Duplicate inline table key (?P<key>.+)", "diag.toml.duplicate_key"),
    (r"Unescaped '\\' in a string", "diag.toml.backslash"),
    (r"Invalid hex value", "diag.toml.hex"),
    (r"Escaped character is not a Unicode scalar value", "diag.toml.scalar"),
    (r"Unterminated string", "diag.toml.unterminated"),
    (r"Illegal character (?P<char>.+)", "diag.toml.illegal_char"),
    (r"Invalid date or datetime", "diag.toml.date"),
    (r"Invalid value", "diag.toml.value"),
)

#: The syntax errors of Python's parser (3.11-3.13) a scenario's code is likely to
#: meet: unbalanced brackets, stray characters, bad literals, indentation.
PYTHON_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"invalid syntax\. Perhaps you forgot a comma\?", "diag.syntax.comma"),
    (r"invalid syntax\. Maybe you meant '==' or ':=' instead of '='\?", "diag.syntax.equals"),
    (r"invalid syntax", "diag.syntax.invalid"),
    (r"(?P<bracket>'.')\s*was never closed", "diag.syntax.never_closed"),
    (r"unmatched (?P<bracket>'.')", "diag.syntax.unmatched"),
    (r"closing parenthesis (?P<close>'.') does not match opening parenthesis "
     r"(?P<open>'.') on line (?P<line>\d+)", "diag.syntax.mismatch_line"),
    (r"closing parenthesis (?P<close>'.') does not match opening parenthesis "
     r"(?P<open>'.')", "diag.syntax.mismatch"),
    (r"unexpected indent", "diag.syntax.indent"),
    (r"unindent does not match any outer indentation level", "diag.syntax.unindent"),
    (r"expected an indented block.*", "diag.syntax.indented_block"),
    (r"invalid decimal literal", "diag.syntax.literal.decimal"),
    (r"invalid hexadecimal literal", "diag.syntax.literal.hexadecimal"),
    (r"invalid octal literal", "diag.syntax.literal.octal"),
    (r"invalid binary literal", "diag.syntax.literal.binary"),
    (r"leading zeros in decimal integer literals are not permitted.*",
     "diag.syntax.leading_zeros"),
    (r"unterminated string literal \(detected at line (?P<line>\d+)\)",
     "diag.syntax.unterminated"),
    (r"unterminated triple-quoted string literal \(detected at line (?P<line>\d+)\)",
     "diag.syntax.unterminated_triple"),
    (r"invalid character (?P<char>'.+') \((?P<code>U\+[0-9A-F]+)\)", "diag.syntax.char"),
    (r"invalid non-printable character (?P<code>U\+[0-9A-F]+)", "diag.syntax.nonprintable"),
    (r"unexpected character after line continuation character",
     "diag.syntax.continuation"),
    (r"unexpected EOF while parsing", "diag.syntax.eof"),
    (r"expected (?P<what>'.+')", "diag.syntax.expected"),
    (r"cannot assign to .*", "diag.syntax.assign"),
    (r"positional argument follows keyword argument.*", "diag.syntax.positional"),
    (r"(?:source code (?:string )?cannot contain null bytes|.*null character.*)",
     "diag.code.null"),
)

#: The tables compiled, on first use: only a broken scenario needs them (compiling
#: both at import cost ~3 ms of every start-up).
_compiled: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {}


def _table(name: str, table: tuple[tuple[str, str], ...]):
    compiled = _compiled.get(name)
    if compiled is None:
        compiled = _compiled[name] = tuple((re.compile(p), k) for p, k in table)
    return compiled


def _match(text: str, table, fallback: str) -> Msg:
    text = " ".join(text.split())
    for pattern, key in table:
        m = pattern.fullmatch(text)
        if m:
            return Msg(key, **m.groupdict())
    return Msg(fallback, text=text)


def toml_detail(text: str) -> Msg:
    """A :mod:`tomllib` error (its position already removed) as a message."""
    return _match(text, _table("toml", TOML_MESSAGES), "diag.detail.toml")


def python_detail(text: str) -> Msg:
    """A syntax error of Python's parser as a message."""
    return _match(text, _table("python", PYTHON_MESSAGES), "diag.detail.python")
