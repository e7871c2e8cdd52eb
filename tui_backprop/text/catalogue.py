"""The message catalogue: every sentence, heading and label a view shows, in English
(:mod:`.en`) and Simplified Chinese (:mod:`.zh`), looked up by key.

A view never holds prose; it holds a :class:`Msg` (a key and its parameters) and a
renderer turns it into text with the :class:`Messages` of the chosen language::

    msgs = messages("zh")
    msgs("trace.phase.forward")                     # "前向传播"
    msgs.render(Msg("gate.mul.forward", a="q", b="z"))

Templates use ``str.format`` fields by name (``{name}``); a parameter may itself be a
:class:`Msg`, rendered in the same language. A key missing from a language is
an error (``KeyError``), never a silent fall-back to English: the tests check that both
tables have the same keys with the same parameters.

The language comes from ``--lang en|zh`` or, without one, from the locale
(:func:`language_from_env`). Pure: no Textual, no Rich.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import field
from importlib import import_module
from types import MappingProxyType
from typing import Any

from .._frozen import frozen

__all__ = ["LANGUAGES", "Messages", "Msg", "gate_message", "gate_params", "language_from_env",
           "local_message_key", "messages", "params_of", "resolve_language", "t"]



class _Languages(Mapping[str, Mapping[str, str]]):
    """The language tables (read-only), each imported the first time it is used: an
    English session never loads the Chinese one."""

    #: language -> the module of this package that holds its ``MESSAGES``
    _MODULES = {"en": "en", "zh": "zh"}

    def __init__(self) -> None:
        self._tables: dict[str, Mapping[str, str]] = {}

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        table = self._tables.get(lang)
        if table is None:
            if lang not in self._MODULES:
                raise KeyError(lang)
            module = import_module(f".{self._MODULES[lang]}", __package__)
            table = self._tables[lang] = MappingProxyType(dict(module.MESSAGES))
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(self._MODULES)

    def __len__(self) -> int:
        return len(self._MODULES)

    def __contains__(self, lang: object) -> bool:
        return lang in self._MODULES


#: The languages the catalogue has, each a table of key -> template.
LANGUAGES: Mapping[str, Mapping[str, str]] = _Languages()


@frozen
class Msg:
    """A message not yet in any language: a catalogue key and its parameters. Parameters
    are text (names, formulas) or numbers (formatted by the renderer)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", MappingProxyType(params))


_FORMATTER = string.Formatter()


def params_of(template: str) -> frozenset[str]:
    """The parameter names a template uses (``{name}`` fields)."""
    return frozenset(name for _, name, _, _ in _FORMATTER.parse(template) if name)


@frozen
class Messages:
    """The catalogue bound to one language."""

    lang: str

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"no language {self.lang!r} (languages: "
                             f"{', '.join(LANGUAGES)})")

    @property
    def table(self) -> Mapping[str, str]:
        return LANGUAGES[self.lang]

    def __call__(self, key: str, /, **params: Any) -> str:
        """The message ``key`` with its parameters filled in."""
        return self.table[key].format(**{k: self._param(v) for k, v in params.items()})

    def _param(self, value: Any) -> Any:
        """A parameter as text: a :class:`Msg` (a message inside a message, such as the
        kind of value a diagnostic found) in this language, a number as views show it."""
        return self.render(value) if isinstance(value, Msg) else _text(value)

    def has(self, key: str) -> bool:
        return key in self.table

    def render(self, msg: Msg) -> str:
        """A :class:`Msg` in this language."""
        return self(msg.key, **msg.params)

    def parts(self, key: str, /, **params: Any) -> list[tuple[str, str | None]]:
        """The message cut at its parameters: ``(text, None)`` for the template's own
        words and ``(text, name)`` for a filled-in parameter, in reading order. A
        renderer styles the parameters (a value green, a gradient red) whatever order a
        language puts them in."""
        out: list[tuple[str, str | None]] = []
        for literal, name, spec, conv in _FORMATTER.parse(self.table[key]):
            if literal:
                out.append((literal, None))
            if name is not None:
                value = params[name]
                text = self._param(value) if not (spec or conv) else \
                    _FORMATTER.format_field(_FORMATTER.convert_field(value, conv), spec or "")
                out.append((text, name))
        return out

    def sentences(self, msgs) -> str:
        """Several messages as one paragraph (a space between English sentences, none
        between Chinese ones)."""
        return self("sep.sentence").join(self.render(m) for m in msgs)


def _text(value: Any) -> Any:
    """Numbers in messages read as the views show them (``0.1``, not ``0.1000``)."""
    if isinstance(value, float):
        from ..numfmt import fmt_scalar

        return fmt_scalar(value, 6)
    return value


def messages(lang: str) -> Messages:
    """The catalogue in ``lang`` (``"en"`` or ``"zh"``)."""
    return Messages(lang)


def t(key: str, /, lang: str = "en", **params: Any) -> str:
    """One message in ``lang``: ``t("trace.phase.forward", lang="zh")``."""
    return Messages(lang)(key, **params)


def language_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for: the first set of ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG`` (POSIX precedence); ``zh*`` is Chinese, anything else (or nothing) English."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def resolve_language(lang: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``lang`` when given (``--lang``), else the locale's language."""
    return lang if lang is not None else language_from_env(environ)


# ------------------------------------------------------------------------- gate messages


def gate_params(names: Sequence[str] = (), c: float | None = None) -> dict[str, str]:
    """The parameters of every gate message: ``a``, ``b`` (input names; ``a``/``b`` when
    unknown) and ``c`` (the constant operand as a label shows it)."""
    from ..engine.gates import fmt_const  # lazy: the engine's compatibility path imports us

    names = list(names) + ["a", "b"][len(names):]
    return {"a": names[0], "b": names[1], "c": fmt_const(c)}


def gate_message(op: str, phase: str, c: float | None = None,
                 names: Sequence[str] = ()) -> Msg:
    """What gate ``op`` does in ``phase`` (``forward`` or ``backward``), as a message."""
    return Msg(f"gate.{op}.{phase}", **gate_params(names, c))


def local_message_key(op: str, i: int) -> str:
    """The catalogue key of input ``i``'s local-gradient wording, for gates whose local
    gradient is described in words (``1 if x > 0 else 0``, ``d{a} = upstream @ {b}ᵀ``)
    rather than a pure formula. The stack gate takes any number of inputs and shares
    one wording."""
    return f"gate.{op}.local.{0 if op == 'stack' else i}"
