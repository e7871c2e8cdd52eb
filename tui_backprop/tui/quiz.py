"""Predict, then reveal, in the app: the quiz controller and its widgets.

:class:`QuizController` decides, after every change of cursor or session, which number
the step asks for (:func:`tui_backprop.model.quiz.prompts_at`); while it waits it sets
``app.hide`` to the prompt's masking predicate, so every panel that draws through the
presentation model hides the number. A step may ask several numbers, one at a time (a
forward step: its output, then each local gradient): the current one is the first not yet
revealed, so revealing one asks the next at once, with the one just revealed kept above
it; a step whose prompts are all revealed shows the last one's feedback. Everyone in a
class agrees on the current prompt without another message: the reveals decide it.

It runs in one of three modes:

* ``solo`` (``tui-backprop SCENARIO --quiz``): Enter checks the answer at once, the
  feedback (right or wrong, the true value, the chain-rule arithmetic) stays until the
  next-step key, ``s`` skips;
* ``student`` (a served class in quiz mode, while following): the answer goes to the
  broker, the feedback comes when the presenter reveals the number to everyone;
* ``presenter``: no answer box; the :class:`TallyPanel` shows, live, how many answered,
  how many are right, a small histogram and the most common wrong answer; ``a``
  reveals the number to everyone.

A score belongs to one scenario: opening another one (not reloading or editing the same
file) starts a new score, and the status bar says so.

The widgets are mounted into the debugger screen by :func:`mount_class_widgets`:
:class:`ClassBar` (the follow marker, one line) and :class:`QuizPanel`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui_backprop.model.quiz import (
    AnswerError,
    Prompt,
    QuizSettings,
    Score,
    TallySummary,
    histogram_bars,
    is_right,
    parse_answer,
    prompts_at,
)
from tui_backprop.model.view import step_view
from tui_backprop.numfmt import fmt_scalar
from tui_backprop.text.catalogue import Msg
from tui_backprop.text.escape import printable

if TYPE_CHECKING:
    from tui_backprop.tui.app import BackpropApp

#: At most this many bars in the presenter's histogram.
MAX_BARS = 4
#: At most this many answers in the one-line summary of a prompt just revealed.
MAX_PREVIOUS_BINS = 4
#: The presenter keeps the last tally of at most this many prompts (for the line that
#: sums up the one just revealed).
MAX_KEPT_TALLIES = 32


class QuizController:
    """The quiz state of one app: the current prompt, its status, the score."""

    def __init__(self, app: BackpropApp, mode: str, settings: QuizSettings) -> None:
        self.app = app
        self.mode = mode  # "solo", "student" or "presenter"
        self.settings = settings
        #: a class quiz is on only when the presenter switches it on
        self.on = mode == "solo"
        self.prompt: Prompt | None = None
        self.prompt_id: str | None = None
        #: the step's prompt revealed just before the current one (and its id): shown
        #: above it, so its feedback does not vanish as the next question comes
        self.previous: tuple[Prompt, str] | None = None
        #: "asking", "sent" (class: answered, waiting), "feedback"
        self.status = "asking"
        self.answer: float | None = None
        self.answer_right: bool | None = None
        self.error: Msg | None = None
        self.score = Score()
        self.revealed: set[str] = set()
        self.outcomes: dict[str, tuple[float | None, bool | None]] = {}
        #: prompts revealed before this learner answered (scored as skipped)
        self.missed: set[str] = set()
        self.tally: TallySummary | None = None
        #: the presenter's last tally of each recent prompt
        self.tallies: dict[str, TallySummary] = {}
        self.students = 0
        self._timeline = None
        self._state = 0
        #: the scenario the score belongs to (its file, or its title)
        self._scenario: str | None = None

    # ------------------------------------------------------------------ state

    @property
    def active(self) -> bool:
        """Whether a quiz is being run for this session right now."""
        if not self.on:
            return False
        link = self.app.classroom
        return not (self.mode == "student" and link is not None and not link.following)

    @property
    def waiting(self) -> bool:
        """A prompt is waiting for this learner's answer (the answer box is open)."""
        return (self.active and self.prompt is not None and self.mode != "presenter"
                and self.status == "asking")

    def _scope(self) -> str:
        """What prompt keys are relative to: the class state, or this timeline."""
        link = self.app.classroom
        if link is not None and link.state_id is not None:
            return link.state_id
        session = self.app.session
        timeline = session.timeline if session is not None else None
        if timeline is not self._timeline:
            self._timeline = timeline
            self._state += 1
        return f"local-{self._state}"

    def _new_scenario(self) -> None:
        """A new score when the session shows another scenario than the score's."""
        session = self.app.session
        if session is None:
            return
        scenario = session.scenario
        ident = f"file:{scenario.path}" if scenario.path else f"title:{scenario.title}"
        old, self._scenario = self._scenario, ident
        if old is None or old == ident:
            return
        if self.score != Score():
            self.score = Score()
            app = self.app
            # the status line until the next step (the app clears it as a session starts,
            # before it asks the quiz; it draws it right after)
            app.message = Text(app.glyphs.text(app.messages(
                "quiz.score.new", title=printable(scenario.title))),
                getattr(app.look, "value", ""))

    def refresh(self) -> None:
        """After a change of cursor or session: the step's prompt and ``app.hide``."""
        app = self.app
        self._new_scenario()
        old = self.prompt_id
        prompts: tuple[Prompt, ...] = ()
        if self.active and app.session is not None:
            view = step_view(app.session.timeline, app.cursor)
            prompts = prompts_at(view, self.settings)
        scope = self._scope()
        ids = [f"{scope}/{p.key}" for p in prompts]
        # the first not yet revealed; all revealed: the last (its feedback stays)
        i = next((j for j, key in enumerate(ids) if key not in self.revealed), len(ids) - 1)
        self.prompt = prompts[i] if prompts else None
        self.prompt_id = ids[i] if prompts else None
        self.previous = (prompts[i - 1], ids[i - 1]) if prompts and i > 0 else None
        if self.prompt_id != old:
            self.error = None
            self.tally = None
            outcome = self.outcomes.get(self.prompt_id or "")
            if self.prompt_id in self.revealed:
                self.status = "feedback"
                self.answer, self.answer_right = outcome if outcome else (None, None)
            elif outcome is not None:
                self.status = "sent"
                self.answer, self.answer_right = outcome
            else:
                self.status = "asking"
                self.answer = self.answer_right = None
            if self.mode == "presenter":
                link = app.classroom
                if link is not None:
                    link.send({"t": "prompt", "key": self.prompt_id if self.on else None})
        prompt = self.prompt
        hidden = prompt is not None and self.prompt_id not in self.revealed
        app.hide = prompt.hide() if hidden and prompt is not None else None
        self.update_widgets()

    # ------------------------------------------------------------------ actions

    def submit(self, text: str) -> None:
        """Enter in the answer box."""
        if not self.waiting or self.prompt is None:
            return
        try:
            value = parse_answer(text)
        except AnswerError as exc:
            self.error = exc.msg
            self.update_widgets()
            return
        self.error = None
        right = is_right(value, self.prompt.value, self.settings.precision)
        self.answer, self.answer_right = value, right
        key = self.prompt_id or ""
        self.outcomes[key] = (value, right)
        if self.mode == "solo":
            self._reveal(key, score=True)
            return
        link = self.app.classroom
        if link is not None:
            link.send({"t": "answer", "key": key, "value": value, "right": right})
        self.status = "sent"
        self.update_widgets()

    def skip(self) -> None:
        """``s``: no answer to this prompt."""
        if not self.waiting:
            return
        key = self.prompt_id or ""
        self.outcomes[key] = (None, None)
        self.answer = self.answer_right = None
        if self.mode == "solo":
            self._reveal(key, score=True)
        else:
            self.status = "sent"
            self.update_widgets()

    def reveal(self) -> None:
        """The presenter's ``a``: reveal the current prompt to everyone."""
        if self.mode != "presenter" or self.prompt_id is None:
            return
        link = self.app.classroom
        if link is not None:
            link.send({"t": "reveal", "key": self.prompt_id})
        self._reveal(self.prompt_id, score=False)

    def _reveal(self, key: str, score: bool) -> None:
        if key in self.revealed:
            return
        self.revealed.add(key)
        if score and key in self.outcomes:
            self.score = self.score.add(self.outcomes[key][1])
        if key == self.prompt_id:
            self.status = "feedback"  # stays, should this be the step's last prompt
            # the step's next prompt (if any) is asked now: the class hook picks it,
            # sets the mask and the keys that apply; then every panel shows the number
            self.app.class_hook()
            self.app.refresh_views()
        else:
            self.update_widgets()

    # ------------------------------------------------------------------ from the class

    def on_message(self, msg: dict) -> None:
        kind = msg.get("t")
        if kind == "welcome":
            revealed = msg.get("revealed")
            if isinstance(revealed, list):
                self.revealed.update(k for k in revealed if isinstance(k, str))
            self._set_on(bool(msg.get("quiz")))
        elif kind == "quiz":
            self._set_on(bool(msg.get("on")))
        elif kind == "reveal" and isinstance(msg.get("key"), str):
            key = msg["key"]
            if self.mode == "student":
                if key not in self.outcomes and key == self.prompt_id:
                    self.outcomes[key] = (None, None)  # not answered: counted as skipped
                    self.missed.add(key)  # but said as it is: no answer
                self._reveal(key, score=key in self.outcomes)
            else:
                self._reveal(key, score=False)
        elif kind == "tally" and self.mode == "presenter":
            if msg.get("key") == self.prompt_id:
                try:
                    summary = msg.get("summary")
                    self.tally = TallySummary.from_json(summary) if summary else None
                    self.students = int(msg.get("students", 0))
                except (ValueError, TypeError, KeyError, IndexError):
                    return
                if self.tally is not None and self.prompt_id is not None:
                    self.tallies.pop(self.prompt_id, None)
                    self.tallies[self.prompt_id] = self.tally
                    while len(self.tallies) > MAX_KEPT_TALLIES:
                        self.tallies.pop(next(iter(self.tallies)))
                self.update_widgets()

    def _set_on(self, on: bool) -> None:
        if on == self.on:
            return
        self.on = on
        self.app.class_hook()
        self.app.refresh_views()

    def toggle(self) -> None:
        """The presenter's ``z``: the class quiz on or off."""
        if self.mode != "presenter":
            return
        link = self.app.classroom
        if link is not None:
            link.send({"t": "quiz", "on": not self.on})
        self._set_on(not self.on)

    # ------------------------------------------------------------------ widgets

    def update_widgets(self) -> None:
        app = self.app
        try:
            panel = app.debugger.query_one(QuizPanel)
        except Exception:  # noqa: BLE001 - not mounted yet
            return
        if panel.ready:
            panel.show(self)

    def texts(self) -> list[Text]:
        """What the quiz panel says, one Text per line (language from the app)."""
        app = self.app
        msgs, g = app.messages, app.glyphs
        p = self.prompt
        if p is None:
            if self.mode == "presenter" and self.on:
                return [Text(g.text(msgs("quiz.tally.no_prompt")), "dim")]
            return []
        score = g.text(msgs("quiz.score", right=self.score.right,
                            answered=self.score.answered + self.score.skipped))
        head = Text("? ", "bold")
        head.append(g.text(printable(msgs.render(p.question))), "bold")
        lines = self._previous_lines() + [head]
        if self.mode == "presenter":
            lines += self._tally_lines()
            return lines
        lines += self._learner_lines()
        lines[-1].append("   " + score, "dim")  # on the last line: the question may be long
        return lines

    def _no_answer(self, key: str) -> str:
        """Skipped (``s``), or not answered before the presenter revealed it."""
        if self.mode == "solo" or (key in self.outcomes and key not in self.missed):
            return "quiz.skipped"
        return "quiz.missed"

    def _previous_lines(self) -> list[Text]:
        """The step's prompt revealed just before the current one, in one line: the
        learner's verdict and the arithmetic; for the presenter, the arithmetic and how
        the class answered."""
        if self.previous is None or self.status == "feedback":
            return []  # the feedback is the step's last: the one before was read already
        msgs, g = self.app.messages, self.app.glyphs
        prec = self.settings.precision
        prompt, key = self.previous
        explain = g.text(printable(msgs.render(prompt.explanation)))
        if self.mode == "presenter":
            line = Text(explain + "   ", "bold")
            line.append(g.text(msgs("quiz.tally.revealed")), "dim")
            t = self.tallies.get(key)
            if t is not None and t.answered:
                line.append(" · " + g.text(msgs("quiz.tally.counts", answered=t.answered,
                                                 students=max(self.students, t.answered),
                                                 right=t.right)), "dim")
                times = "x" if g.ascii else "×"
                mark = " ok" if g.ascii else " ✓"
                bins = ", ".join(f"{label} {times}{n}{mark if ok else ''}"
                                 for label, n, ok in t.bins[:MAX_PREVIOUS_BINS])
                line.append(" · " + bins, "dim")
            return [line]
        answer, right = self.outcomes.get(key, (None, None))
        if answer is None:
            line = Text(g.text(msgs(self._no_answer(key))), "dim")
        elif right:
            line = Text(("ok " if g.ascii else "✓ ") + g.text(msgs("quiz.right")), "green")
        else:
            line = Text(("x " if g.ascii else "✗ ")
                        + g.text(msgs("quiz.wrong", answer=fmt_scalar(answer, prec))), "red")
        line.append(" " + g.text(msgs("quiz.answer", value=fmt_scalar(prompt.value, prec))))
        line.append(" · " + explain, "dim")
        return [line]

    def _learner_lines(self) -> list[Text]:
        msgs, g = self.app.messages, self.app.glyphs
        prec = self.settings.precision
        p = self.prompt
        assert p is not None
        lines: list[Text] = []
        if self.status == "asking":
            hint = Text(g.text(msgs("quiz.hint.answer")), "dim")
            if self.error is not None:
                hint = Text(g.text(msgs.render(self.error)), "bold red")
            lines.append(hint)
            return lines
        if self.status == "sent":
            if self.answer is None:
                lines.append(Text(g.text(msgs("quiz.skipped") + " "
                                         + msgs("quiz.hint.wait")), "dim"))
            else:
                lines.append(Text(g.text(msgs("quiz.sent",
                                              answer=fmt_scalar(self.answer, prec))), "dim"))
            return lines
        # feedback
        if self.answer is None:
            verdict = Text(g.text(msgs(self._no_answer(self.prompt_id or ""))), "bold")
        elif self.answer_right:
            verdict = Text(("ok " if g.ascii else "✓ ") + g.text(msgs("quiz.right")),
                           "bold green")
        else:
            verdict = Text(("x " if g.ascii else "✗ ")
                           + g.text(msgs("quiz.wrong", answer=fmt_scalar(self.answer, prec))),
                           "bold red")
        verdict.append(" " + g.text(msgs("quiz.answer", value=fmt_scalar(p.value, prec))),
                       "bold")
        lines.append(verdict)
        explain = Text(g.text(printable(msgs.render(p.explanation))))
        if self.mode == "solo":
            explain.append("   " + g.text(msgs("quiz.hint.next")), "dim")
        lines.append(explain)
        return lines

    def _tally_lines(self) -> list[Text]:
        app = self.app
        msgs, g = app.messages, app.glyphs
        t = self.tally
        answered = t.answered if t else 0
        right = t.right if t else 0
        students = max(self.students, app.classroom.room["connected"]
                       if app.classroom is not None else 0)
        counts = Text(g.text(msgs("quiz.tally.counts", answered=answered, students=students,
                                  right=right)))
        revealed = self.prompt_id in self.revealed
        counts.append("   " + g.text(msgs("quiz.tally.revealed" if revealed
                                           else "quiz.tally.reveal")), "dim")
        out = [counts]
        if t is not None and t.bins:
            bars = histogram_bars(t, width=20)
            width = max(len(label) for label, *_ in bars)
            for label, n, ok, length in bars[:MAX_BARS]:
                line = Text(f"  {label:>{width}} ")
                line.append(("#" if g.ascii else "█") * length,
                            "green" if ok and revealed else "cyan")
                line.append(f" {n}" + ((" ok" if g.ascii else " ✓") if ok and revealed
                                       else ""))
                out.append(line)
            other = t.other + sum(n for _, n, _, _ in bars[MAX_BARS:])
            if other:
                out.append(Text(f"  {g.text(msgs('quiz.tally.other'))}: {other}", "dim"))
        if t is not None and t.wrong is not None:
            out.append(Text(g.text(msgs("quiz.tally.wrong", answer=t.wrong[0],
                                        count=t.wrong[1])), "yellow"))
        elif t is not None and t.answered:
            out.append(Text(g.text(msgs("quiz.tally.none_wrong")), "dim"))
        if revealed and self.prompt is not None:
            out.append(Text(g.text(printable(msgs.render(self.prompt.explanation)))))
        return out


# ---------------------------------------------------------------------------- widgets


class ClassBar(Static):
    """One line: following / exploring / the presenter's room, in words."""

    DEFAULT_CSS = """
    ClassBar {
        height: 1;
        background: $accent 30%;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    _text: str | None = None

    def show(self, text: str) -> None:
        if text != self._text:  # unchanged on most steps: no repaint at all
            self._text = text
            self.update(Text(text), layout=False)


class AnswerInput(Input):
    """The answer box. It leaves ``s`` (skip), ``x`` (explore) and ``F`` (back to the
    presenter) to the app's keys: no answer needs those letters."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character in ("s", "x", "F"):
            return False
        return super().check_consume_key(key, character)

    async def _on_key(self, event) -> None:
        if event.character in ("s", "x", "F"):
            return  # the app's binding has it (or it does nothing here)
        await super()._on_key(event)


class QuizPanel(Vertical):
    """The prompt, the answer box, the feedback (or, for the presenter, the tally)."""

    DEFAULT_CSS = """
    QuizPanel {
        height: auto;
        max-height: 9;
        background: $boost;
        border-top: solid $accent;
        padding: 0 1;
        display: none;
    }
    QuizPanel.-visible {
        display: block;
    }
    QuizPanel #quiz-text {
        height: auto;
    }
    QuizPanel Input {
        width: 40;
        height: 1;
        display: none;
    }
    QuizPanel.-asking Input {
        display: block;
    }
    """

    ready = False

    def compose(self) -> ComposeResult:
        yield Static(id="quiz-text")
        yield AnswerInput(placeholder="-4, 1/4, 0.73*(1-0.73)", id="quiz-answer",
                          compact=True)

    def on_mount(self) -> None:
        self.ready = True
        quiz = getattr(self.app, "quiz", None)
        if quiz is not None:
            self.show(quiz)

    _shown: tuple | None = None
    _asked: str | None = None

    def show(self, quiz: QuizController) -> None:
        lines = quiz.texts()
        asking = quiz.waiting
        was_asking = self.has_class("-asking")
        new_prompt = quiz.prompt_id != self._asked
        self._asked = quiz.prompt_id
        shown = (tuple(t.markup for t in lines), asking)
        if shown != self._shown:  # a follower's step with no quiz: nothing to redraw
            self._shown = shown
            self.set_class(bool(lines), "-visible")
            self.set_class(asking, "-asking")
            text = Text("\n").join(lines) if lines else Text("")
            self.query_one("#quiz-text", Static).update(text)
        box = self.query_one("#quiz-answer", Input)
        if asking and (not was_asking or new_prompt):  # a new question: an empty box
            box.value = ""
            box.focus()
        elif not asking and was_asking and box.has_focus:
            self.screen.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        quiz = getattr(self.app, "quiz", None)
        if quiz is not None:
            quiz.submit(event.value)


def mount_class_widgets(app: BackpropApp) -> None:
    """Put the class bar (when serving a class) and the quiz panel above the explain
    line of the debugger screen."""
    screen = app.debugger
    before = screen.query_one("#explain")
    if app.classroom is not None:
        screen.mount(ClassBar(id="class-bar"), before=before)
    if app.quiz is not None:
        screen.mount(QuizPanel(id="quiz"), before=before)
