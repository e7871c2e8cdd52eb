"""How a view writes, decided once: the language (a :class:`Messages`), the glyph set
(ASCII or Unicode) and the number format (precision, full precision). The text and
markdown traces and every TUI panel write through one :class:`Words`, so a message, a
formula, a number and a shape come out the same everywhere.

Pure: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._frozen import frozen
from ..model.view import Formula, Num
from ..numfmt import DEFAULT_PRECISION, fmt_value
from ..text.catalogue import Messages, Msg, messages
from ..text.glyphs import Glyphs, glyphs
from .shapes import shape_label

__all__ = ["Words"]


@frozen
class Words:
    """How a view writes: the language, the glyph set (ASCII or not) and the number
    format (``precision`` significant digits, or every digit with ``full``)."""

    msgs: Messages
    g: Glyphs
    precision: int = DEFAULT_PRECISION
    full: bool = False

    @classmethod
    def of(cls, lang: str = "en", ascii: bool = False,
           precision: int = DEFAULT_PRECISION) -> Words:
        """A trace's words: ASCII output is English (Chinese has no ASCII form)."""
        return cls(messages("en" if ascii else lang), glyphs(ascii), precision)

    def __call__(self, key: str, /, **params: Any) -> str:
        return self.g.text(self.msgs(key, **params))

    def s(self, text: str) -> str:
        """Text from elsewhere (a formula, a name, a title) as this mode prints it."""
        return self.g.text(text)

    def num(self, num: Num | None, *, max_items: int = 6, full: bool | None = None) -> str:
        """A number of a view (``?`` when hidden, the missing mark when absent)."""
        if num is None:
            return self.g.missing
        return self.g.text(num.text(self.precision, full=self.full if full is None else full,
                                    max_items=max_items))

    def value(self, x) -> str:
        """A number that is not part of a step (a leaf's start value, a loss)."""
        return self.g.text(fmt_value(x, self.precision))

    def shape(self, shape) -> str:
        """A shape as the traces write it (``2×3``; ``scalar`` in words)."""
        from ..numfmt import fmt_shape

        return self("shape.scalar") if not shape else self.g.text(fmt_shape(shape))

    def shape_label(self, shape) -> str:
        """A shape as the TUI writes it beside a number: ``(5,)``, ``5×3``; a scalar in
        words."""
        return self("shape.scalar") if not shape else self.g.text(shape_label(shape))

    def d(self, out: str, wrt: str) -> str:
        return self.g.d(out, wrt)

    def formula(self, formula: Formula) -> str:
        return self.g.text(formula.render(self.msgs))

    def sentences(self, msgs: Sequence[Msg]) -> str:
        return self.g.text(self.msgs.sentences(msgs))

    def parts(self, key: str, /, **params: Any) -> list[tuple[str, str | None]]:
        """:meth:`Messages.parts` as this mode prints it."""
        return [(self.g.text(text), name) for text, name in self.msgs.parts(key, **params)]
