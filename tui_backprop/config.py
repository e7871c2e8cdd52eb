"""The user's remembered choices: theme, language, precision and ASCII.

One small TOML file in the user's config directory, found by the XDG Base Directory
rules: ``$XDG_CONFIG_HOME/tui-backprop/config.toml``, or
``~/.config/tui-backprop/config.toml`` when ``XDG_CONFIG_HOME`` is unset, empty or not
an absolute path (as the specification says). Read with :mod:`tomllib`; written by the
tiny writer below (four flat keys need no TOML library).

Which choice wins: an explicit command-line flag, then the config file, then the locale
(or the built-in default). A missing file is no news; a broken one (bad TOML, a value of
the wrong type or out of range, an unknown theme) is ignored with a one-line note and
never ends a run. Pure: no Textual, no Rich.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .text.catalogue import Messages, Msg, messages
from .text.escape import printable

__all__ = ["APP_DIR", "FILE_NAME", "Settings", "config_path", "load_settings", "save_settings",
           "to_toml"]

APP_DIR = "tui-backprop"
FILE_NAME = "config.toml"
LANGS = ("en", "zh")
#: Significant digits the views may show (float64 holds 17); the CLI's limit too.
MAX_PRECISION = 17


@dataclass(frozen=True)
class Settings:
    """Remembered choices; None means "not chosen" (the locale or the default decides)."""

    theme: str | None = None
    lang: str | None = None
    precision: int | None = None
    ascii: bool | None = None

    def merged(self, other: Settings) -> Settings:
        """These settings with every choice ``other`` makes (its non-None fields)."""
        return replace(self, **{f.name: getattr(other, f.name) for f in fields(other)
                                if getattr(other, f.name) is not None})

    def items(self) -> list[tuple[str, object]]:
        """The chosen settings, in file order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)
                if getattr(self, f.name) is not None]


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the config file lives (XDG Base Directory rules)."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CONFIG_HOME", "")
    if not base or not os.path.isabs(base):  # the spec: relative paths are invalid
        home = env.get("HOME") or str(Path.home())
        base = os.path.join(home, ".config")
    return Path(base) / APP_DIR / FILE_NAME


def _check(key: str, value: object, themes: frozenset[str] | None) -> Msg | None:
    """Why ``value`` is not a valid ``key`` (None when it is)."""
    if key == "theme":
        if not isinstance(value, str) or not value:
            return Msg("config.bad.theme")
        if themes is not None and value not in themes:
            return Msg("config.bad.no_theme", theme=printable(value))
    elif key == "lang":
        if value not in LANGS:
            return Msg("config.bad.lang", langs=", ".join(LANGS))
    elif key == "precision":
        if isinstance(value, bool) or not isinstance(value, int) \
                or not 1 <= value <= MAX_PRECISION:
            return Msg("config.bad.precision", most=MAX_PRECISION)
    elif key == "ascii":
        if not isinstance(value, bool):
            return Msg("config.bad.ascii")
    return None


def load_settings(path: Path | None = None, themes: frozenset[str] | None = None,
                  msgs: Messages | None = None) -> tuple[Settings, list[str]]:
    """The remembered settings and the notes about what was ignored (one line each,
    ``path: note: ...``, in the language of ``msgs``; English by default). Never
    raises: a file that cannot be read or parsed gives empty settings and a note; a bad
    value is dropped with a note, the rest kept."""
    path = config_path() if path is None else path
    m = msgs or messages("en")
    where = printable(str(path))

    def note(what: str, /, **params) -> str:
        return m("cli.note", where=where, note=m(what, **params))

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), []
    except OSError as exc:
        return Settings(), [note("config.note.unreadable",
                                 why=printable(exc.strerror or str(exc)))]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        detail = printable(" ".join(str(exc).split()))
        return Settings(), [note("config.note.not_toml", detail=detail)]
    notes: list[str] = []
    chosen: dict[str, object] = {}
    known = {f.name for f in fields(Settings)}
    for key, value in data.items():
        if key not in known:
            notes.append(note("config.note.unknown", key=printable(key)))
            continue
        problem = _check(key, value, themes)
        if problem is not None:
            notes.append(note("config.note.ignored", key=printable(key), problem=problem))
            continue
        chosen[key] = value
    return Settings(**chosen), notes  # type: ignore[arg-type]


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # a TOML basic string: escape the backslash, the quote and every control character
        out = []
        for ch in value:
            if ch in ('"', "\\"):
                out.append("\\" + ch)
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append(f"\\u{ord(ch):04X}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    raise TypeError(f"cannot write {type(value).__name__} to the config file")


def to_toml(settings: Settings) -> str:
    """The config file's text: a comment, then one ``key = value`` line per choice."""
    lines = ["# tui-backprop remembers these choices between runs; an option on the",
             "# command line wins over this file. Delete a line to forget a choice."]
    lines += [f"{key} = {_toml_value(value)}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None,
                  msgs: Messages | None = None) -> str | None:
    """Write ``settings`` (atomically: a temporary file renamed over the old one).
    Returns None, or a one-line note (in the language of ``msgs``) saying why they could
    not be saved."""
    path = config_path() if path is None else path
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(to_toml(settings), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        m = msgs or messages("en")
        return m("cli.note", where=printable(str(path)),
                 note=m("config.note.unsaved", why=printable(exc.strerror or str(exc))))
    return None
