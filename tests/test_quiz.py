"""The quiz model: the safe answer parser, the tolerance, the prompts a step asks with
their chain-rule arithmetic, the score and the class tally; the broker's handling of
broken messages; the solo quiz in the app.

Numbers are the CS231n add-mul circuit worked by hand: x = -2, y = 5, z = -4;
q = x + y = 3, f = q * z = -12; backward with upstream 1: dq = z = -4, dz = q = 3,
then dx = dy = 1 * -4 = -4.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from tui_backprop.engine import load, record
from tui_backprop.model.quiz import (
    ALL_KINDS,
    AnswerError,
    QuizSettings,
    Score,
    Tally,
    is_right,
    parse_answer,
    prompt_at,
    prompts_at,
    tolerance,
)
from tui_backprop.model.view import node_view, step_view
from tui_backprop.serve.broker import Broker, encode
from tui_backprop.text.catalogue import messages

EN = messages("en")


# ---------------------------------------------------------------------------- parser


@pytest.mark.parametrize("text, value", [
    ("3", 3.0), ("-4", -4.0), ("1/4", 0.25), ("-0.2*4", -0.8), ("0.73*(1-0.73)", 0.1971),
    ("2**3", 8.0), ("2^3", 8.0), ("-2+5", 3.0), ("3 × -4", -12.0), ("−4", -4.0),
    ("（1+1）*2", 4.0), ("(" * 60 + "1" + ")" * 60, 1.0), ("1e-3", 0.001), (" +7 ", 7.0),
    ("--4", 4.0), ("6 ÷ 3", 2.0),
    # a tiny result is an answer (it used to be refused as "too large"): 2**-2000 is
    # 0.0 in float64, and 2**-3 = 1/8
    ("2**-2000", 0.0), ("2^-3", 0.125), ("(-2)**3", -8.0),
])
def test_numbers_and_simple_arithmetic_are_read(text, value):
    assert parse_answer(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text, key", [
    ("__import__('os')", "quiz.error.syntax"),
    ("__import__('os').system('touch /tmp/x')", "quiz.error.syntax"),
    ("os", "quiz.error.syntax"),
    ("x", "quiz.error.syntax"),
    ("(lambda: 1)()", "quiz.error.syntax"),
    ("[1, 2]", "quiz.error.syntax"),
    ("'3'", "quiz.error.syntax"),
    ("3j", "quiz.error.syntax"),
    ("True", "quiz.error.syntax"),
    ("1 if 1 else 2", "quiz.error.syntax"),
    ("3 // 2", "quiz.error.syntax"),
    ("3 % 2", "quiz.error.syntax"),
    ("1 < 2", "quiz.error.syntax"),
    ("1e", "quiz.error.syntax"),
    ("", "quiz.error.empty"),
    ("   ", "quiz.error.empty"),
    ("9" * 10_000, "quiz.error.length"),
    ("1+" * 150 + "1", "quiz.error.length"),
    ("1e999", "quiz.error.magnitude"),
    ("9" * 150, "quiz.error.magnitude"),
    ("10**10**10", "quiz.error.magnitude"),
    ("2**1000", "quiz.error.magnitude"),
    ("1e90*1e90", "quiz.error.magnitude"),
    ("(-8)**0.5", "quiz.error.not_real"),
    ("0**-1", "quiz.error.division"),
    ("1/0", "quiz.error.division"),
    ("-" * 30 + "1", "quiz.error.nesting"),
    ("-(" * 25 + "1" + ")" * 25, "quiz.error.nesting"),
    ("-" * 150 + "1", "quiz.error.length"),
])
def test_everything_else_is_refused_with_a_reason(text, key):
    with pytest.raises(AnswerError) as err:
        parse_answer(text)
    assert err.value.msg.key == key
    assert EN.render(err.value.msg)  # says why, in words


def test_a_hostile_answer_is_never_run(tmp_path, monkeypatch):
    target = tmp_path / "pwned"
    monkeypatch.chdir(tmp_path)
    for text in (f"__import__('os').system('touch {target}')",
                 f"open('{target}', 'w')", "exec('1')", "eval('1')"):
        with pytest.raises(AnswerError):
            parse_answer(text)
    assert not target.exists()


# ------------------------------------------------------------------------- tolerance


def test_tolerance_is_half_the_last_digit_shown_or_half_a_percent():
    # 4 significant digits: -12 shows as -12, half a unit of its 4th digit is 0.005;
    # half a percent of 12 is 0.06, the larger
    assert tolerance(-12, 4) == pytest.approx(0.06)
    assert is_right(-12.05, -12) and not is_right(-12.1, -12) and not is_right(12, -12)
    # σ'(1) = σ(1)(1 - σ(1)) = 0.196612; from the rounded σ(1) = 0.73 a learner gets
    # 0.1971, off by 0.25%: right; a sign error or σ instead of σ' is wrong
    sig = 1 / (1 + 2.718281828459045 ** -1)
    dsig = sig * (1 - sig)
    assert is_right(parse_answer("0.73*(1-0.73)"), dsig)
    assert not is_right(sig, dsig) and not is_right(-dsig, dsig)
    # many digits: the last displayed digit decides (0.5 of 1e-10 at 4 digits of 1e-7)
    assert tolerance(1.234e-7, 4) == pytest.approx(0.005 * 1.234e-7)
    assert tolerance(1.234e-7, 8) == pytest.approx(0.005 * 1.234e-7)
    # an exact zero (a ReLU that is off) allows only rounding noise
    assert is_right(0.0, 0.0) and is_right(-0.0, 0.0) and not is_right(0.001, 0.0)


# --------------------------------------------------------------------------- prompts


@pytest.fixture(scope="module")
def add_mul():
    return record(load("add-mul").graph)


def _ask(timeline, k, kinds=None):
    settings = QuizSettings() if kinds is None else QuizSettings(tuple(kinds))
    return prompt_at(step_view(timeline, k), settings)


def test_the_first_prompt_is_the_first_forward_output(add_mul):
    p = _ask(add_mul, 0)
    assert (p.kind, p.value) == ("output", 3.0)                      # q = -2 + 5
    assert EN.render(p.question) == "Predict the forward output: q = ?"
    assert EN.render(p.explanation) == "q = x + y with x = -2, y = 5: 3"
    p = _ask(add_mul, 1)
    assert (p.kind, p.value) == ("output", -12.0)                    # f = 3 * -4
    assert EN.render(p.explanation) == "f = q·z with q = 3, z = -4: -12"


def test_backward_prompts_show_the_chain_rule(add_mul):
    assert add_mul[2].phase == "seed" and _ask(add_mul, 2) is None    # the seed: 1
    p = _ask(add_mul, 3)                                              # f = q * z
    assert (p.kind, p.value) == ("contribution", -4.0)                # dq = 1 * z
    assert EN.render(p.explanation) == "upstream 1 × local -4 = -4"
    p = _ask(add_mul, 4)                                              # q = x + y
    assert (p.kind, p.value) == ("contribution", -4.0)                # dx = -4 * 1
    assert EN.render(p.explanation) == "upstream -4 × local 1 = -4"


def test_settings_choose_the_kinds(add_mul):
    p = _ask(add_mul, 0, ["local"])
    assert (p.kind, p.slot, p.value) == ("local", "input.0.local", 1.0)   # ∂q/∂x
    assert EN.render(p.explanation) == "q = x + y, so ∂q/∂x = 1 whatever the inputs are"
    p = _ask(add_mul, 1, ["local"])
    assert p.value == -4.0                                           # ∂f/∂q = z
    assert EN.render(p.explanation) == "∂f/∂q = z with q = 3, z = -4: -4"
    p = _ask(add_mul, 4, ["upstream"])
    assert (p.kind, p.value) == ("upstream", -4.0)                   # dq arrives at q
    assert _ask(add_mul, 0, ["update"]) is None
    assert QuizSettings.parse("contribution, output").kinds == ("output", "contribution")
    assert QuizSettings.parse("all").kinds == ALL_KINDS
    with pytest.raises(ValueError, match="sigma"):
        QuizSettings.parse("output,sigma")


def test_a_fan_out_asks_for_the_sum_and_an_update_for_the_new_param():
    # f = x * x at x = 3: df/dx = 3 + 3 = 6, added in two +=; lr 0.1: x ← 3 - 0.1·6 = 2.4
    from tui_backprop.engine.scenario import load_text

    sc = load_text('title = "x squared"\n[params]\nx = 3\n[graph]\ncode = "f = x * x"\n'
                        '[train]\nlearning_rate = 0.1\niterations = 1\n')
    tl = record(sc.graph, learning_rate=0.1)
    backward = [k for k in range(len(tl)) if tl[k].phase == "backward"][0]
    p = _ask(tl, backward)
    assert (p.kind, p.value) == ("accumulate", 6.0)
    assert EN.render(p.explanation) == "grad_before 3 + contribution 3 = 6"
    p = _ask(tl, len(tl) - 1)
    assert (p.kind, p.value) == ("update", pytest.approx(2.4))
    assert EN.render(p.explanation) == "x - learning_rate × grad = 3 - 0.1 × 6 = 2.4"


def test_the_prompts_mask_hides_the_asked_number_and_what_gives_it_away(add_mul):
    p = _ask(add_mul, 1)                                              # f = q * z = -12
    view = step_view(add_mul, 1, hide=p.hide())
    assert view.output.hidden and view.output.text() == "?"
    assert view.loss.hidden                                           # f is the loss
    assert all(iv.local.value.hidden for iv in view.inputs)           # computed now too
    assert not any(iv.value.hidden for iv in view.inputs)             # q = 3, z = -4 read
    p = _ask(add_mul, 3)                                              # dq = upstream × z
    view = step_view(add_mul, 3, hide=p.hide())
    assert not view.upstream.hidden                                   # what you multiply
    assert view.inputs[0].chain.contribution.hidden
    assert view.inputs[0].accumulate.grad_after.hidden                # the same number


def _graph(code: str, inputs: str) -> object:
    from tui_backprop.engine.scenario import load_text

    return record(load_text(f'title = "t"\n[inputs]\n{inputs}\n[graph]\ncode = "{code}"\n')
                  .graph)


def test_a_forward_step_asks_its_output_then_each_local_gradient(add_mul):
    # q = x + y at x = -2, y = 5: q = 3, ∂q/∂x = ∂q/∂y = 1; f = q·z at z = -4:
    # f = -12, ∂f/∂q = z = -4, ∂f/∂z = q = 3
    ps = prompts_at(step_view(add_mul, 0))
    assert [(p.kind, p.slot, p.value) for p in ps] == [
        ("output", "output", 3.0), ("local", "input.0.local", 1.0),
        ("local", "input.1.local", 1.0)]
    assert [p.shown for p in ps] == [(), ("output", "value"),
                                     ("output", "value", "input.0.local")]
    assert EN.render(ps[1].question) == "Predict the local gradient ∂q/∂x = ?"
    ps = prompts_at(step_view(add_mul, 1))
    assert [p.value for p in ps] == [-12.0, -4.0, 3.0]
    assert EN.render(ps[2].explanation) == "∂f/∂z = q with q = 3, z = -4: 3"
    assert prompt_at(step_view(add_mul, 1)) == ps[0]
    assert prompts_at(step_view(add_mul, 2)) == ()                    # the seed
    assert len(prompts_at(step_view(add_mul, 3))) == 1                # backward: one
    only_locals = prompts_at(step_view(add_mul, 0), QuizSettings(("local",)))
    assert [p.shown for p in only_locals] == [(), ("input.0.local",)]  # q never asked


def test_x_times_x_asks_no_local_gradient_it_could_not_name():
    tl = _graph("f = x * x", "x = 3")
    assert [p.kind for p in prompts_at(step_view(tl, 0))] == ["output"]  # 9


def test_a_local_prompt_shows_what_was_answered_and_hides_the_rest(add_mul):
    _, dx, dy = prompts_at(step_view(add_mul, 0))
    view = step_view(add_mul, 0, hide=dx.hide())
    assert view.output.text() == "3"                                 # answered: shown
    assert view.inputs[0].local.value.hidden and view.inputs[1].local.value.hidden
    node = node_view(add_mul, 0, "q", hide=dx.hide())                 # circuit, values
    assert node.value.text() == "3"
    view = step_view(add_mul, 0, hide=dy.hide())
    assert view.inputs[0].local.value.text() == "1" and view.inputs[1].local.value.hidden
    _, dq, _ = prompts_at(step_view(add_mul, 1))                      # f is the loss
    view = step_view(add_mul, 1, hide=dq.hide())
    assert view.loss.text() == "-12" and view.inputs[0].local.value.hidden
    # a cache (a ReLU's mask is its local gradient) stays hidden until the last prompt
    tl = _graph("h = relu(x)", "x = 2")
    out, local = prompts_at(step_view(tl, 0))
    view = step_view(tl, 0, hide=local.hide())
    assert view.output.text() == "2" and all(c.value.hidden for c in view.cache)
    tl = _graph("s = sigmoid(x)", "x = 0")                           # σ keeps σ(0) = 0.5
    out, local = prompts_at(step_view(tl, 0))
    view = step_view(tl, 0, hide=local.hide())
    assert [c.value.text() for c in view.cache] == ["0.5"] and view.inputs[0].local.value.hidden


@pytest.mark.parametrize(("code", "inputs", "hidden", "value"), [
    ("q = x + y", "x = -2\ny = 5", True, 1.0),        # "1": the formula is the number
    ("q = x - y", "x = -2\ny = 5", True, 1.0),        # "1" and "-1"
    ("q = x * 3", "x = 2", True, 3.0),                 # the constant "3"
    ("q = x / 4", "x = 2", True, 0.25),                # "1/4": no input in it
    ("h = relu(x)", "x = 2", True, 1.0),               # "1 if x > 0 else 0" says 1
    ("h = relu(x)", "x = -2", True, 0.0),              # ... and 0
    ("q = x * y", "x = 3\ny = -4", False, -4.0),       # "y": the learner substitutes
    ("s = sigmoid(x)", "x = 0", False, 0.25),          # σ(x)·(1-σ(x)): 1 is not 0.25
    ("t = tanh(x)", "x = 0", True, 1.0),               # 1-tanh²(x) at 0 writes the 1
    ("t = tanh(x)", "x = 1", False, None),
])
def test_a_hidden_local_gradient_hides_a_formula_that_gives_it_away(code, inputs, hidden,
                                                                    value):
    tl = _graph(code, inputs)
    masked = step_view(tl, 0, hide=lambda num: num.new)
    local = masked.inputs[0].local
    assert local.value.hidden and local.formula.hidden is hidden
    assert local.formula.render(EN) == ("?" if hidden else local.formula.text)
    if value is not None:
        assert float(step_view(tl, 0).inputs[0].local.value.value) == pytest.approx(value)
    shown = step_view(tl, 0).inputs[0].local                         # nothing masked
    assert not shown.formula.hidden and shown.formula.render(EN) != "?"


def test_the_inspector_never_writes_a_hidden_local_gradient(add_mul):
    import dataclasses

    from rich.style import Style

    from tui_backprop.render.words import Words
    from tui_backprop.tui.inspector import forward_lines
    from tui_backprop.tui.look import Look

    styles = {f.name: Style() for f in dataclasses.fields(Look) if "Style" in str(f.type)}
    look = Look(precision=4, full=False, mode="test", glyphs=None, **styles)
    _, dx, _ = prompts_at(step_view(add_mul, 0))
    view = step_view(add_mul, 0, hide=dx.hide())
    lines = [t.plain for t in forward_lines(view, Words.of("en"), look)]
    assert "  local  ∂q/∂x = ?" in lines and "  local  ∂q/∂y = ?" in lines, lines
    assert not any("= 1" in line for line in lines), lines


# ----------------------------------------------------------------------- score, tally


def test_score_counts_answers_and_skips_never_time():
    s = Score().add(True).add(False).add(None).add(True)
    assert (s.right, s.answered, s.skipped) == (2, 3, 1)


def test_tally_counts_bins_and_names_the_most_common_wrong_answer():
    t = Tally("s/0:output")
    t.add("a", 3.0, True)
    t.add("b", -3.0, False)
    t.add("c", -3.0001, False)     # shown as -3: the same bar
    t.add("d", 1.0, False)
    t.add("e", 3.0, True)
    t.add("e", 12.0, False)        # e changes its mind: one answer each
    s = t.summary()
    assert (s.answered, s.right) == (5, 1)
    assert s.bins[0] == ("-3", 2, False)
    assert set(s.bins[1:]) == {("3", 1, True), ("1", 1, False), ("12", 1, False)}
    assert s.wrong == ("-3", 2)
    assert s.from_json(json.loads(json.dumps(s.to_json()))) == s
    few = t.summary(max_bins=2)
    assert len(few.bins) == 2 and few.other == 2


# ---------------------------------------------------------------------------- broker


async def test_a_broken_message_is_dropped_and_nobody_else_notices():
    lines: list[str] = []
    broker = Broker(lines.append)
    path = await broker.start()
    try:
        ptok, stok, btok = (broker.new_token("presenter"), broker.new_token("student"),
                            broker.new_token("student"))

        async def join(token):
            r, w = await asyncio.open_unix_connection(path, limit=2 ** 21)
            w.write(encode({"t": "hello", "token": token}))
            return r, w

        async def next_of(r, kind):
            while True:
                msg = json.loads(await asyncio.wait_for(r.readline(), 5))
                if msg["t"] == kind:
                    return msg

        pr, pw = await join(ptok)
        sr, sw = await join(stok)
        br, bw = await join(btok)
        await next_of(sr, "welcome")
        await next_of(br, "welcome")
        # the bad student: garbage, a huge line, wrong types, a presenter's message
        bw.write(b"{not json\n")
        bw.write(b"[1, 2]\n")
        bw.write(b'{"t": "answer", "key": "k", "value": "3", "right": true}\n')
        bw.write(b'{"t": "answer", "key": "k", "value": NaN, "right": true}\n')
        bw.write(b'{"t": "position", "position": {"state": "s", "step": 9, '
                 b'"iteration": 1}}\n')
        bw.write(b'{"t": "' + b"x" * (1024 * 1024 + 10) + b'"}\n')
        await bw.drain()
        # a forged token is refused
        fr, fw = await asyncio.open_unix_connection(path)
        fw.write(encode({"t": "hello", "token": "0" * 32}))
        assert await asyncio.wait_for(fr.read(), 5) == b""
        # the presenter's position still reaches the other student, unchanged
        pw.write(encode({"t": "state", "state": {"id": "s", "scenario": "add-mul"}}))
        pw.write(encode({"t": "position", "position": {"state": "s", "step": 2,
                                                        "iteration": 1}}))
        await pw.drain()
        pos = await next_of(sr, "position")
        assert pos["position"] == {"state": "s", "step": 2, "iteration": 1}
        assert broker.position["step"] == 2
        assert broker.dropped >= 5
        assert sum("dropped a message" in line for line in lines) == broker.dropped
        assert any("unknown token" in line for line in lines)
        # and the bad student is still connected: its mode counts
        bw.write(encode({"t": "mode", "following": False}))
        await bw.drain()
        room = await next_of(pr, "room")
        while room["exploring"] != 1:
            room = await next_of(pr, "room")
        assert room == {"t": "room", "connected": 2, "following": 1, "exploring": 1}
        for w in (pw, sw, bw):
            w.close()
    finally:
        await broker.close()


# -------------------------------------------------------------------------- the app


async def test_solo_quiz_in_the_app_scores_and_reveals():
    from tui_backprop.tui.app import create_app

    app = create_app("add-mul", quiz=True, lang="en", ascii=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert app.quiz.prompt.value == 3.0
        assert step_view(app.session.timeline, app.cursor, hide=app.hide).output.hidden
        await pilot.press("right")                      # goes to the answer box
        assert app.cursor == 0
        await pilot.press(*"-2+5", "enter")
        await pilot.pause()
        # q = 3 revealed; the step goes on with its local gradients, one at a time
        view = step_view(app.session.timeline, app.cursor, hide=app.hide)
        assert not view.output.hidden and view.output.text() == "3"
        assert all(iv.local.value.hidden for iv in view.inputs)
        assert all(iv.local.formula.render(EN) == "?" for iv in view.inputs)  # "1" is 1
        lines = [t.plain for t in app.quiz.texts()]
        assert "✓ Right! The answer: 3 · q = x + y with x = -2, y = 5: 3" in lines[0]
        assert "Predict the local gradient ∂q/∂x = ?" in lines[1]
        assert app.query_one("#quiz-answer").value == ""  # a new question, an empty box
        await pilot.press("2", "enter")                  # ∂q/∂x = 1: wrong
        await pilot.pause()
        assert app.cursor == 0 and app.quiz.prompt.slot == "input.1.local"
        view = step_view(app.session.timeline, app.cursor, hide=app.hide)
        assert view.inputs[0].local.value.text() == "1"  # revealed
        assert view.inputs[1].local.value.hidden        # asked now
        await pilot.press("1", "enter")                  # ∂q/∂y = 1: right
        await pilot.pause()
        assert app.hide is None                          # all revealed: every number shows
        lines = [t.plain for t in app.quiz.texts()]
        assert "✓ Right! The answer: 1" in lines[1]
        assert "q = x + y, so ∂q/∂y = 1 whatever the inputs are" in lines[2]
        assert (app.quiz.score.right, app.quiz.score.answered) == (2, 3)
        await pilot.press("right")
        await pilot.pause()
        assert app.cursor == 1 and app.quiz.prompt.value == -12.0
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        lines = [t.plain for t in app.quiz.texts()]
        assert "✗ Not quite: you said 12. The answer: -12" in lines[0]
        assert "f = q·z with q = 3, z = -4: -12" in lines[0]
        await pilot.press("s", "s")                     # ∂f/∂q = z, ∂f/∂z = q: skipped
        await pilot.pause()
        lines = [t.plain for t in app.quiz.texts()]
        assert "Skipped. The answer: 3" in lines[1]       # ∂f/∂z = q = 3
        assert "∂f/∂z = q with q = 3, z = -4: 3" in lines[2]
        assert (app.quiz.score.right, app.quiz.score.answered,
                app.quiz.score.skipped) == (2, 4, 2)
        await pilot.press("right", "right")              # the seed asks nothing
        await pilot.pause()
        assert app.cursor == 3 and app.quiz.waiting
        await pilot.press("s")
        await pilot.pause()
        assert app.quiz.score.skipped == 3 and not app.quiz.waiting
        await pilot.press("left")                        # an answered step stays revealed
        await pilot.pause()
        assert app.hide is None


async def test_a_new_scenario_starts_a_new_score_and_a_reload_keeps_it(tmp_path):
    """Opening another scenario mid-quiz starts its score at 0/0 and says so in the
    status bar; reading the same file again keeps the score (its prompts are asked
    again: the numbers may have changed)."""
    import shutil

    from tui_backprop.engine.scenario import bundled_dir
    from tui_backprop.tui.app import create_app

    path = tmp_path / "add-mul.toml"
    shutil.copy(str(bundled_dir() / "add-mul.toml"), path)
    app = create_app(str(path), quiz=True, lang="en", ascii=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("3", "enter")                  # q = 3: right
        await pilot.pause()
        assert (app.quiz.score.right, app.quiz.score.answered) == (1, 1)
        assert app.reload()                              # the same file: the same score
        await pilot.pause()
        assert (app.quiz.score.right, app.quiz.score.answered) == (1, 1)
        assert app.quiz.prompt.kind == "output" and app.quiz.waiting  # asked again
        assert "score 1/1" in app.quiz.texts()[-1].plain
        assert app.open_scenario("cs231n-sigmoid")       # another scenario: a new score
        await pilot.pause()
        assert app.quiz.score == Score()
        assert "score 0/0" in app.quiz.texts()[-1].plain
        assert app.message is not None and "a new quiz score" in app.message.plain


async def test_the_answer_box_types_the_debuggers_letters_and_f1_still_helps():
    """The debugger's keys are priority keys (a burst acts in order); a focused answer
    box must still get the letters a number can hold (``e`` of ``3e0``, ``f``, ``b`` ...)
    and F1 must still open the help, which lists the quiz's own key."""
    from tui_backprop.tui.app import create_app
    from tui_backprop.tui.help import HelpScreen

    app = create_app("add-mul", quiz=True, lang="en", ascii=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press(*"3e0fbq")
        await pilot.pause()
        box = app.query_one("#quiz-answer")
        assert box.value == "3e0fbq" and app.cursor == 0
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(str(s.render()) for s in app.screen.query(".help-text"))
        assert "In this class and quiz" in shown and "skip the question" in shown


# ----------------------------------------------------------------------------- CLI


def test_open_with_quiz_passes_the_quiz_to_the_app(cli, monkeypatch):
    import sys
    import types

    calls = []

    def create_app(scenario, precision, **kwargs):
        calls.append(kwargs)
        return types.SimpleNamespace(run=lambda: None, return_code=0)

    module = types.ModuleType("tui_backprop.tui.app")
    module.create_app = create_app
    monkeypatch.setitem(sys.modules, "tui_backprop.tui.app", module)
    assert cli("add-mul", "--quiz").code == 0
    assert cli("add-mul", "--quiz-kinds", "contribution,update").code == 0
    assert cli("add-mul").code == 0
    assert [c.get("quiz") for c in calls] == [True, "contribution,update", None]
    bad = cli("add-mul", "--quiz-kinds", "sigma")
    assert bad.code == 2 and "unknown quiz kind 'sigma'" in bad.err
