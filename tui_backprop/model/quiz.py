"""Predict, then reveal: what a quiz asks at a step, how a typed answer is read and
checked, the learner's score and a class's tally. Pure: no Textual, no Rich, no I/O.

* :func:`prompts_at` lists the numbers a step asks for, in the order they are asked, from
  its :class:`~tui_backprop.model.view.StepView` (as :class:`QuizSettings` allow): a
  forward step asks its output, then each local gradient; a backward step one upstream
  gradient, ``+=`` result or contribution; an update one updated param. Each comes with
  the chain-rule arithmetic that produces it (``upstream -4 × local 1 = -4``) and the
  masking predicate that hides it in every panel until it is revealed.
  :func:`prompt_at` is the first of them.
* :func:`parse_answer` reads ``-0.2*4``, ``1/4``, ``0.73*(1-0.73)`` with :mod:`ast`
  (numbers, ``+ - * / **``, parentheses, unary minus; nothing else; never ``eval``),
  with caps on length, nesting and magnitude.
* :func:`is_right` checks an answer with a tolerance suited to the displayed precision.
* :class:`Score` is a learner's score; :class:`Tally` is a class's answers to one prompt
  (how many answered, how many right, a small histogram, the most common wrong answer).
"""

from __future__ import annotations

import ast
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np

from ..numfmt import DEFAULT_PRECISION, fmt_scalar
from ..text.catalogue import Msg
from .view import Hide, Num, StepView, uses_inputs

__all__ = [
    "ALL_KINDS", "DEFAULT_KINDS", "MAX_ANSWER_CHARS", "AnswerError", "Prompt", "QuizSettings",
    "Score", "Tally", "TallySummary", "is_right", "parse_answer", "prompt_at", "prompts_at",
    "tolerance",
]

#: The kinds of number a quiz can ask for, in the order a step prefers them.
ALL_KINDS = ("output", "local", "upstream", "contribution", "accumulate", "update")
#: Asked unless the settings say otherwise (``upstream`` is read, not computed, by the
#: step: a quiz on it is opt-in).
DEFAULT_KINDS = ("output", "local", "contribution", "accumulate", "update")

#: An answer longer than this is refused before it is parsed.
MAX_ANSWER_CHARS = 200
#: At most this many operators and numbers in one answer (``1+1+1+...``).
MAX_NODES = 100
#: Parentheses nested deeper than this are refused.
MAX_DEPTH = 20
#: No number in an answer (typed or intermediate) may be larger than this.
MAX_MAGNITUDE = 1e100
#: The relative error a right answer may have (learners compute from the rounded
#: numbers on screen, and two or three significant digits are a fair prediction).
RELATIVE_TOLERANCE = 0.005


# ------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class QuizSettings:
    """Which kinds of number are asked, and the precision answers are checked against."""

    kinds: tuple[str, ...] = DEFAULT_KINDS
    precision: int = DEFAULT_PRECISION

    @classmethod
    def parse(cls, text: str | None, precision: int = DEFAULT_PRECISION) -> QuizSettings:
        """``"output,contribution"`` (or ``all``, or None/empty for the defaults); raises
        ValueError naming an unknown kind."""
        if text is None or not text.strip() or text.strip() == "default":
            return cls(DEFAULT_KINDS, precision)
        if text.strip() == "all":
            return cls(ALL_KINDS, precision)
        kinds = [k.strip() for k in text.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in ALL_KINDS]
        if unknown:
            raise ValueError(f"unknown quiz kind {unknown[0]!r} (kinds: {', '.join(ALL_KINDS)})")
        return cls(tuple(k for k in ALL_KINDS if k in kinds), precision)


# -------------------------------------------------------------------------- prompts


@dataclass(frozen=True)
class Prompt:
    """A number a step asks for: its ``kind``, its ``slot`` in the step view, its true
    ``value``, the question and the chain-rule arithmetic (catalogue messages).
    ``shown`` are the slots of the step's earlier prompts: answered by the time this one
    is asked, so they show while it waits."""

    step: int
    kind: str
    slot: str
    value: float
    question: Msg
    explanation: Msg
    hide_equal: bool = False  # also hide gradients equal to the answer (upstream)
    shown: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Identifies the prompt within one recorded timeline (``step:slot``)."""
        return f"{self.step}:{self.slot}"

    @property
    def slots(self) -> tuple[str, ...]:
        """Every slot the asked number has in the views: a forward output is also its
        node's ``value`` in the node views (the circuit, the values table, the code)."""
        return (self.slot, "value") if self.kind == "output" else (self.slot,)

    def hide(self) -> Hide:
        """The masking predicate while the prompt waits: everything the step computes
        (so no panel gives the answer away through another number) but the numbers its
        earlier prompts revealed, and the asked number itself wherever it shows."""
        slot = self.slot
        if self.shown:
            shown = frozenset(self.shown)
            return lambda num: num.slot == slot or (num.new and num.slot not in shown)
        if not self.hide_equal:
            return lambda num: num.new or num.slot == slot
        value = self.value

        def hide(num: Num) -> bool:
            return (num.new or num.slot == slot
                    or (num.role == "gradient" and num.is_scalar
                        and float(num.value) == value))
        return hide


def _scalar(num: Num | None) -> float | None:
    """The number as a float when it is a finite scalar (quizzes ask only those)."""
    if num is None or not num.is_scalar:
        return None
    x = float(np.asarray(num.value))
    return x if math.isfinite(x) else None


def prompt_at(view: StepView, settings: QuizSettings = QuizSettings()) -> Prompt | None:
    """The first number step ``view`` asks for, or None (see :func:`prompts_at`)."""
    prompts = prompts_at(view, settings)
    return prompts[0] if prompts else None


def prompts_at(view: StepView, settings: QuizSettings = QuizSettings()) -> tuple[Prompt, ...]:
    """The numbers step ``view`` asks for, in the order they are asked; empty when it
    has nothing of an asked kind (arrays and non-finite numbers are shown, not asked).

    A forward step asks its output first, then the local gradient of each input whose
    name the gate uses once (``x * x`` has two local gradients "∂f/∂x": neither is
    asked, as the question could not say which); each later prompt's ``shown`` names
    the slots the earlier ones revealed. Other steps ask one number."""
    if view.phase == "forward" and view.gate is not None:
        prompts = _forward_prompts(view, settings)
        # a cache that keeps the output itself (σ's, exp's "out") shows with it; other
        # caches (ReLU's mask is its local gradient) wait for the step's last prompt
        kept = tuple(f"cache.{c.key}" for c in view.cache
                     if view.output is not None
                     and np.array_equal(c.value.value, view.output.value))
        out: list[Prompt] = []
        for prompt in prompts:
            shown = tuple(s for p in out for s in p.slots + (kept if p.kind == "output" else ()))
            out.append(replace(prompt, shown=shown) if shown else prompt)
        return tuple(out)
    prompt = _one_prompt(view, settings)
    return (prompt,) if prompt is not None else ()


def _forward_prompts(view: StepView, settings: QuizSettings) -> list[Prompt]:
    p = settings.precision

    def f(x) -> str:
        return fmt_scalar(x, p)

    want = set(settings.kinds)
    prompts: list[Prompt] = []
    args = ", ".join(f"{iv.name} = {f(iv.value.value)}" for iv in view.inputs
                     if iv.value is not None and iv.value.is_scalar)
    out = _scalar(view.output)
    if "output" in want and out is not None:
        prompts.append(Prompt(view.index, "output", "output", out,
                              Msg("quiz.ask.output", node=view.node),
                              Msg("quiz.explain.output", node=view.node,
                                  formula=view.gate.formula.text, inputs=args,
                                  value=f(out))))
    if "local" in want:
        names = [iv.name for iv in view.inputs]
        for i, iv in enumerate(view.inputs):
            local = _scalar(iv.local.value)
            if local is None or names.count(iv.name) > 1:
                continue
            formula = iv.local.formula
            words = formula.msg if formula.msg is not None else formula.text
            if not uses_inputs(formula.text, names):
                # a constant: nothing to substitute, say that the inputs play no part
                same = isinstance(words, str) and words == f(local)
                explain = Msg("quiz.explain.local_const", node=view.node, name=iv.name,
                              gate=view.gate.formula.text,
                              formula=words if same else f"{formula.text} = {f(local)}")
            elif args:  # the formula with the inputs' values: how the number is computed
                explain = Msg("quiz.explain.local_inputs", node=view.node, name=iv.name,
                              formula=words, inputs=args, value=f(local))
            else:
                explain = Msg("quiz.explain.local", node=view.node, name=iv.name,
                              formula=words, value=f(local))
            prompts.append(Prompt(view.index, "local", f"input.{i}.local", local,
                                  Msg("quiz.ask.local", node=view.node, name=iv.name),
                                  explain))
    return prompts


def _one_prompt(view: StepView, settings: QuizSettings) -> Prompt | None:
    p = settings.precision

    def f(x) -> str:
        return fmt_scalar(x, p)

    want = set(settings.kinds)
    if view.phase == "backward" and view.gate is not None:
        up = _scalar(view.upstream)
        if "upstream" in want and up is not None:
            return Prompt(view.index, "upstream", "upstream", up,
                          Msg("quiz.ask.upstream", node=view.node),
                          Msg("quiz.explain.upstream", node=view.node, value=f(up)),
                          hide_equal=True)
        if "accumulate" in want:  # a real sum: an input that already had a gradient
            for i, iv in enumerate(view.inputs):
                acc = iv.accumulate
                if acc is None or acc.k < 2:
                    continue
                before, contrib, after = (_scalar(acc.grad_before), _scalar(acc.contribution),
                                          _scalar(acc.grad_after))
                if None not in (before, contrib, after):
                    return Prompt(view.index, "accumulate", f"input.{i}.grad_after", after,
                                  Msg("quiz.ask.accumulate", name=iv.name, k=acc.k, n=acc.n),
                                  Msg("quiz.explain.accumulate", name=iv.name,
                                      before=f(before), contribution=f(contrib),
                                      value=f(after)))
        if "contribution" in want:
            for i, iv in enumerate(view.inputs):
                chain = iv.chain
                if chain is None:
                    continue
                c = _scalar(chain.contribution)
                local = _scalar(chain.local)
                if c is None or up is None or local is None:
                    continue
                return Prompt(view.index, "contribution", f"input.{i}.contribution", c,
                              Msg("quiz.ask.contribution", name=iv.name, node=view.node),
                              Msg("quiz.explain.contribution", upstream=f(up), local=f(local),
                                  value=f(c)))
        return None
    if view.phase == "update" and "update" in want and view.learning_rate is not None:
        lr = _scalar(view.learning_rate)
        for i, u in enumerate(view.updates):
            before, grad, after = _scalar(u.before), _scalar(u.grad), _scalar(u.after)
            if None not in (before, grad, after, lr):
                return Prompt(view.index, "update", f"param.{i}.after", after,
                              Msg("quiz.ask.update", name=u.name),
                              Msg("quiz.explain.update", name=u.name, before=f(before),
                                  lr=f(lr), grad=f(grad), value=f(after)))
    return None


# -------------------------------------------------------------------------- answers


class AnswerError(ValueError):
    """A typed answer that is not a number or simple arithmetic; ``msg`` says why."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.key)
        self.msg = msg


# what a learner may type besides ASCII: × · ÷ − ^ and full-width forms (a Chinese IME)
_TRANSLATE = str.maketrans({"×": "*", "·": "*", "⋅": "*", "÷": "/", "−": "-", "–": "-",
                            "^": "**", "（": "(", "）": ")", "＋": "+", "－": "-",
                            "＊": "*", "／": "/", "．": ".", "，": ","})
_ALLOWED_CHARS = set("0123456789.+-*/() eE_\t")


def _number(x: float) -> float:
    if not math.isfinite(x) or abs(x) > MAX_MAGNITUDE:
        raise AnswerError(Msg("quiz.error.magnitude"))
    return x


def _eval(node: ast.AST, depth: int = 0) -> float:
    if depth > MAX_DEPTH:
        raise AnswerError(Msg("quiz.error.nesting"))
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise AnswerError(Msg("quiz.error.syntax"))
        if isinstance(v, int) and abs(v) > MAX_MAGNITUDE:
            raise AnswerError(Msg("quiz.error.magnitude"))
        return _number(float(v))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        v = _eval(node.operand, depth + 1)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        a = _eval(node.left, depth + 1)
        b = _eval(node.right, depth + 1)
        op = node.op
        try:
            if isinstance(op, ast.Add):
                return _number(a + b)
            if isinstance(op, ast.Sub):
                return _number(a - b)
            if isinstance(op, ast.Mult):
                return _number(a * b)
            if isinstance(op, ast.Div):
                if b == 0:
                    raise AnswerError(Msg("quiz.error.division"))
                return _number(a / b)
            if isinstance(op, ast.Pow):
                # float powers take constant time whatever the exponent: one too large
                # overflows (too large), one that makes the result tiny is just that
                # (2**-2000 is 0.0, an answer like any other)
                if a == 0 and b < 0:
                    raise AnswerError(Msg("quiz.error.division"))
                if a < 0 and b != int(b):
                    raise AnswerError(Msg("quiz.error.not_real"))  # (-8)**0.5
                return _number(math.pow(a, b))
        except (OverflowError, ValueError, ZeroDivisionError) as exc:
            if isinstance(exc, AnswerError):
                raise
            raise AnswerError(Msg("quiz.error.magnitude")) from None
    raise AnswerError(Msg("quiz.error.syntax"))


def parse_answer(text: str) -> float:
    """A typed answer as a float: a number or simple arithmetic of numbers.

    Only numbers, ``+ - * / **`` (``^``, ``×``, ``·``, ``÷`` and ``−`` are read as
    those), parentheses and unary minus; names, calls, attributes, strings and
    everything else are refused. The text is parsed with :mod:`ast` and walked here,
    never evaluated by Python. Raises :class:`AnswerError`."""
    if len(text) > MAX_ANSWER_CHARS:
        raise AnswerError(Msg("quiz.error.length", limit=MAX_ANSWER_CHARS))
    text = text.translate(_TRANSLATE).strip()
    if not text:
        raise AnswerError(Msg("quiz.error.empty"))
    if any(ch not in _ALLOWED_CHARS for ch in text):  # names, quotes, brackets: refused
        raise AnswerError(Msg("quiz.error.syntax"))
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise AnswerError(Msg("quiz.error.syntax")) from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise AnswerError(Msg("quiz.error.length", limit=MAX_ANSWER_CHARS))
    return _eval(tree.body)


def tolerance(value: float, precision: int = DEFAULT_PRECISION) -> float:
    """How far a right answer may be from ``value``: half a unit of the last digit the
    views show (``precision`` significant digits) or :data:`RELATIVE_TOLERANCE` of the
    value, whichever is larger. An exact zero allows only rounding noise."""
    if value == 0 or not math.isfinite(value):
        return 1e-9
    last_digit = 10.0 ** (math.floor(math.log10(abs(value))) - precision + 1)
    return max(0.5 * last_digit, RELATIVE_TOLERANCE * abs(value))


def is_right(answer: float, value: float, precision: int = DEFAULT_PRECISION) -> bool:
    """Whether ``answer`` is ``value`` to the precision shown (:func:`tolerance`)."""
    return abs(answer - value) <= tolerance(value, precision) * (1 + 1e-9)


# ---------------------------------------------------------------------------- score


@dataclass(frozen=True)
class Score:
    """A learner's score: prompts answered, right, skipped. Time plays no part."""

    right: int = 0
    answered: int = 0
    skipped: int = 0

    def add(self, right: bool | None) -> Score:
        """One more prompt: ``True``/``False`` answered, ``None`` skipped."""
        if right is None:
            return replace(self, skipped=self.skipped + 1)
        return replace(self, right=self.right + bool(right), answered=self.answered + 1)


# ---------------------------------------------------------------------------- tally


@dataclass(frozen=True)
class TallySummary:
    """What the presenter sees for one prompt: ``answered`` and ``right`` counts,
    ``bins`` (``(answer as shown, count, right)``, most common first, at most
    ``max_bins``; the rest in ``other``) and the most common wrong answer with its count.
    """

    answered: int
    right: int
    bins: tuple[tuple[str, int, bool], ...]
    other: int
    wrong: tuple[str, int] | None

    def to_json(self) -> dict:
        return {"answered": self.answered, "right": self.right,
                "bins": [list(b) for b in self.bins], "other": self.other,
                "wrong": list(self.wrong) if self.wrong else None}

    @classmethod
    def from_json(cls, data: dict) -> TallySummary:
        """Read back from :meth:`to_json` (raises ValueError/TypeError/KeyError on a
        malformed one)."""
        bins = tuple((str(b[0]), int(b[1]), bool(b[2])) for b in data["bins"])
        wrong = data.get("wrong")
        return cls(int(data["answered"]), int(data["right"]), bins, int(data["other"]),
                   (str(wrong[0]), int(wrong[1])) if wrong else None)


@dataclass
class Tally:
    """The answers a class gave to one prompt, one per learner (a new answer replaces
    the learner's earlier one). Learners are opaque keys: nothing here names them.
    Answers are grouped as they would be shown (``digits`` significant digits), so
    ``-4`` and ``-4.0001`` fall in one bar."""

    prompt: str
    digits: int = 3
    answers: dict[str, tuple[float, bool]] = field(default_factory=dict)

    def add(self, learner: str, value: float, right: bool) -> None:
        self.answers[learner] = (float(value), bool(right))

    def summary(self, max_bins: int = 5) -> TallySummary:
        shown: Counter[str] = Counter()
        right_of: dict[str, bool] = {}
        for value, right in self.answers.values():
            label = fmt_scalar(value, self.digits)
            shown[label] += 1
            right_of[label] = right_of.get(label, False) or right
        ranked = sorted(shown.items(), key=lambda kv: (-kv[1], kv[0]))
        bins = tuple((label, n, right_of[label]) for label, n in ranked[:max_bins])
        other = sum(n for _, n in ranked[max_bins:])
        wrong = next(((label, n) for label, n in ranked if not right_of[label]), None)
        return TallySummary(len(self.answers), sum(r for _, r in self.answers.values()),
                            bins, other, wrong)


def histogram_bars(summary: TallySummary, width: int = 20) -> list[tuple[str, int, bool, int]]:
    """``(label, count, right, bar length)`` for each bin, the longest ``width``."""
    top = max((n for _, n, _ in summary.bins), default=0)
    return [(label, n, right, max(1, round(n * width / top)) if top else 0)
            for label, n, right in summary.bins]


def kinds_text(kinds: Iterable[str]) -> str:
    return ",".join(kinds)
