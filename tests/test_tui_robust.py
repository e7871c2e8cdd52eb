"""The TUI under faults and hostile input (issue 6): no failure of loading, reloading,
opening, editing, updating or training ends the session, every refusal is on screen
where the user looks, and nothing a scenario file says can drive the terminal.

"On screen" means in the frame Textual composes (``render_strips``), inside the region
of the widget that says it, not just text set on a widget that may be hidden.
"""

from __future__ import annotations

import re
import shutil
import tomllib

import numpy as np
import pytest
from textual.widget import Widget
from textual.widgets import Input, Label

from tui_backprop.engine import ScenarioError, bundled, load, train
from tui_backprop.engine import parse_typed_value as parse_value
from tui_backprop.engine.scenario import bundled_dir
from tui_backprop.model import session as state_module
from tui_backprop.model.session import MAX_RECORDED_ITERATIONS
from tui_backprop.tui import app as app_module
from tui_backprop.tui.app import BackpropApp, create_app
from tui_backprop.tui.edit import EditScreen
from tui_backprop.tui.train import TrainingScreen, TrainScreen, parse_count

NARROW = (80, 24)


def screen_lines(app: BackpropApp) -> list[str]:
    """What the terminal shows, one string per row."""
    return ["".join(seg.text for seg in strip)
            for strip in app.screen._compositor.render_strips()]


def shown_in(app: BackpropApp, widget: Widget, fragment: str) -> bool:
    """``fragment`` is drawn inside ``widget``'s own region, which is on screen."""
    region = widget.region
    if not (widget.display and region.width > 0 and region.height > 0):
        return False
    rows = screen_lines(app)[region.y:region.y + region.height]
    return any(fragment in row[region.x:region.x + region.width] for row in rows)


def banner(app: BackpropApp) -> Widget:
    return app.debugger.query_one("#load-error")


class Boom(RuntimeError):
    """A stand-in for a bug in the loader or the engine."""


def boom(*_args, **_kwargs):
    raise Boom("loader bug: unexpected state")


# ------------------------------------------------------------------ dialog refusals


async def _edit_x(app: BackpropApp, pilot) -> EditScreen:
    app.selected = "x"
    await pilot.press("e")
    assert isinstance(app.screen, EditScreen)
    return app.screen


@pytest.mark.parametrize("typed,words", [
    ("x", "not a number"),
    ("1e999", "too large"),               # rounds to inf: not what was typed
    ("-1e400", "too large"),
    ("9" * 400, "too large"),             # an int no float64 holds
    ("9" * 5000, "too large"),            # longer than Python converts to int at all
    ("0x" + "f" * 300, "too large"),
    ("[1, 2e308]", "too large"),          # inside a list too
    ("true", "single number"),
])
async def test_edit_refusal_is_visible_and_the_dialog_stays(typed, words):
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        dialog = await _edit_x(app, pilot)
        dialog.query_one(Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert shown_in(app, dialog.query_one("#error", Label), words)
        assert app.session.graph.leaf_values["x"] == -2      # nothing changed


async def test_edit_accepts_inf_typed_as_inf():
    # inf is data: typed as such it is accepted (only a finite literal that overflows is not)
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        dialog = await _edit_x(app, pilot)
        dialog.query_one(Input).value = "-inf"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.debugger
        assert app.session.graph.leaf_values["x"] == -np.inf


@pytest.mark.parametrize("typed,words", [
    ("１２", "whole number"),        # fullwidth digits: str.isdigit() would take them
    ("٣", "whole number"),          # Arabic-Indic three
    ("0", "whole number"),
    ("-5", "whole number"),
    ("2.5", "whole number"),
    ("9" * 5000, "too large"),
    ("1000001", "too large"),
])
async def test_train_refusal_is_visible_and_the_dialog_stays(typed, words):
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("t")
        dialog = app.screen
        assert isinstance(dialog, TrainScreen)
        dialog.query_one(Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert shown_in(app, dialog.query_one("#error", Label), words)


def test_train_count_takes_ascii_digits_only():
    assert parse_count("40") == 40 and parse_count("1,000") == 1000
    assert parse_count("10_000") == 10_000 and parse_count(" 7 ") == 7
    for typed in ("１２", "٣", "²", "1e3", "", " ", "0x10"):
        assert isinstance(parse_count(typed), str), typed


def test_typed_values_outside_float64_are_too_large():
    for typed in ("1e309", "-1e999", "9" * 309, "0x" + "f" * 260):
        with pytest.raises(ScenarioError, match="too large"):
            parse_value(typed)
    # the edges that are in range stay exact
    assert parse_value("1.7976931348623157e308") == 1.7976931348623157e308
    assert parse_value("-inf") == -np.inf and np.isnan(parse_value("nan"))


# ------------------------------------------------------------- loader faults survive


async def test_reload_whose_loader_raises_keeps_the_session(monkeypatch, tmp_path):
    path = tmp_path / "mine.toml"
    shutil.copy(bundled_dir() / "add-mul.toml", path)
    app = create_app(str(path), lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("n")
        old = app.session
        monkeypatch.setattr(app_module, "load", boom)
        await pilot.press("r")                       # manual reload
        await pilot.pause()
        assert app.session is old and app.cursor == 1
        assert shown_in(app, banner(app), "reload failed")
        assert shown_in(app, banner(app), "Boom: loader bug")
        await pilot.press("n")                       # the session goes on
        assert app.cursor == 2
        # the automatic reload: the file changes on disk, the poll calls the loader
        path.write_text(path.read_text().replace("z = -4", "z = 2"))
        app.poll_file()
        await pilot.pause()
        assert app.session is old and shown_in(app, banner(app), "reload failed")
        monkeypatch.undo()
        app.poll_file()                              # the stamp moved on: nothing to do
        await pilot.press("r")                       # fixed loader: the new file loads
        await pilot.pause()
        assert not banner(app).display
        assert app.session.graph.leaf_values["z"] == 2
    assert app.return_code is None or app.return_code == 0


async def test_recorder_bug_on_reload_and_open_keeps_the_session(monkeypatch):
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        old = app.session
        monkeypatch.setattr(state_module, "record", boom)
        assert not app.open_scenario("cs231n-sigmoid")
        await pilot.pause()
        assert app.session is old
        assert shown_in(app, banner(app), "cannot open cs231n-sigmoid")
        assert app.sub_title == "f = (x + y) * z"


async def test_open_from_the_picker_with_a_loader_bug_keeps_the_session(monkeypatch):
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        old = app.session
        from tui_backprop.tui import picker as picker_module

        monkeypatch.setattr(app_module, "load", boom)
        monkeypatch.setattr(picker_module, "load", boom)     # its preview loads too
        await pilot.press("o")
        await pilot.pause()
        preview = app.screen.query_one("#preview", Label)
        assert shown_in(app, preview, "unexpected error")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.debugger and app.session is old
        assert shown_in(app, banner(app), "cannot open")


async def test_edit_whose_recorder_raises_says_so_in_the_dialog(monkeypatch):
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        old = app.session
        dialog = await _edit_x(app, pilot)
        monkeypatch.setattr(state_module, "record", boom)
        dialog.query_one(Input).value = "1"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and app.session is old
        assert shown_in(app, dialog.query_one("#error", Label), "unexpected error")
        await pilot.press("escape")
        await pilot.press("n")
        assert app.cursor == 1


async def test_update_whose_recorder_raises_keeps_the_iteration(monkeypatch):
    app = create_app("network-2-2-2", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("end")
        old, cursor = app.session, app.cursor
        monkeypatch.setattr(state_module, "record", boom)
        await pilot.press("u")
        await pilot.pause()
        assert app.session is old and app.cursor == cursor
        assert shown_in(app, banner(app), "cannot record iteration 2")


@pytest.mark.parametrize("where", ["train", "record"])
async def test_training_whose_worker_raises_keeps_the_session(monkeypatch, where):
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        old = app.session
        if where == "train":
            monkeypatch.setattr(app_module, "train", boom)
        else:  # training works, recording the iteration after it does not
            monkeypatch.setattr(state_module, "record", boom)
        await pilot.press("t")
        app.screen.query_one(Input).value = "5"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and app.screen is app.debugger
        assert not any(isinstance(s, TrainingScreen) for s in app.screen_stack)
        assert app.session is old
        assert shown_in(app, banner(app), "training failed")
        await pilot.press("n")
        assert app.cursor == 1


# ---------------------------------------------------------------- every iteration


async def test_every_planned_iteration_is_reachable_with_u_and_u_goes_on():
    # the count from the file itself, not from the loader
    planned = tomllib.loads((bundled_dir() / "softmax-classifier.toml").read_text())
    planned = planned["train"]["iterations"]
    assert planned > MAX_RECORDED_ITERATIONS          # else this tests nothing
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        seen = []
        for _ in range(planned + 2):
            it = app.session.timeline.iteration_of(app.cursor).iteration
            seen.append(it)
            status = app.debugger.status.plain_lines[0]
            if it <= planned:
                assert f"iteration {it}/{planned}" in status
            else:
                assert f"iteration {it} (past {planned})" in status
            await pilot.press("u")
        assert seen == list(range(1, planned + 3))
        # the window stayed bounded; what left it is in the loss history (up to the
        # iteration u last started)
        assert len(app.session.timeline.iterations) <= MAX_RECORDED_ITERATIONS
        history = app.session.loss_history
        assert [i for i, _ in history] == list(range(1, planned + 4))
        # the recorded iterations agree with the fast path, loss for loss
        fast = train(load("softmax-classifier").graph, planned + 3,
                     app.session.scenario.learning_rate)
        assert [v for _, v in history] == pytest.approx(
            [float(v) for v in fast.losses], rel=1e-12)


async def test_stepping_past_the_window_records_the_next_planned_iteration():
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        planned = app.session.scenario.iterations
        await pilot.press("end")
        assert app.session.last_iteration == MAX_RECORDED_ITERATIONS
        await pilot.press("n")                      # past the end: the next one
        tl = app.session.timeline
        assert tl.iteration_of(app.cursor).iteration == MAX_RECORDED_ITERATIONS + 1
        assert app.cursor == tl.iterations[-1].start
        await pilot.press("p")                      # and back to the update before it
        assert tl[app.cursor].phase == "update"
        while app.session.last_iteration < planned:
            await pilot.press("end", "n")
        await pilot.press("end", "n")               # the last planned: n stops, says u
        assert app.session.last_iteration == planned
        assert "u runs another" in app.debugger.status.plain_lines[1]
        await pilot.press("home", "p")              # earlier iterations: history only
        assert "loss history" in app.debugger.status.plain_lines[1]


# ------------------------------------------------------------------ small screens


async def test_title_is_on_screen_at_80x24():
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = app.session.scenario.title
        assert any(title in row for row in screen_lines(app))


@pytest.mark.parametrize("name", ["add-mul", "softmax-classifier", "vectorised-matmul"])
async def test_footer_keeps_help_and_quit_at_60x20(name):
    app = create_app(name, lang="en", ascii=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        bottom = screen_lines(app)[-1]
        assert "? help" in bottom and "q quit" in bottom


async def test_matrix_wraps_under_its_own_column():
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()                          # step 1: a1_1 = W1ᵀ, a 3×3 input
        rows = [r for r in screen_lines(app)]
        head = next(i for i, r in enumerate(rows) if "  in     W1 = 3×3 [[" in r)
        column = rows[head].index("3×3")
        follow = rows[head + 1]
        assert follow[:column].strip() == "" and follow[column] != " "


async def test_vector_shape_is_not_confusable_with_a_value():
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.selected = "b1"                          # b1 has shape (3,)
        await pilot.pause()
        text = app.debugger.inspector.plain
        assert "(3,)" in text and not re.search(r"(?<![(\d])3 \[", text)


# ------------------------------------------------------------------ hostile files

HOSTILE = r'''
title = "Evil \u001b]0;PWNED\u0007\u001b[2J\u001b[31m [bold red]loud[/] \nsecond line"
description = """
Hello \u001b[41m with [red]markup[/red] and a bell \u0007.
"""
[inputs]
x = -2
y = 5
z = -4
[graph]
code = """
q = x + y  # see \u001b]0;HIJACK\u0007 [red]here[/red]
f = q * z
"""
'''


async def test_hostile_title_description_and_comment_are_shown_escaped(tmp_path):
    path = tmp_path / "evil.toml"
    path.write_text(HOSTILE)
    app = create_app(str(path), lang="en", ascii=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        rows = screen_lines(app)
        joined = "\n".join(rows)
        assert "\x1b" not in joined and "\x07" not in joined
        assert r"Evil \x1b]0;PWNED\x07\x1b[2J\x1b[31m [bold red]loud[/] \nsecond" in rows[0]
        # the comment is escaped (the panel may crop it: read the whole line)
        assert r"# see \x1b]0;HIJACK\x07 [red]here[/red]" in app.debugger.code.plain
        await pilot.press("question_mark")
        await pilot.pause()
        help_rows = "\n".join(screen_lines(app))
        await pilot.press("end")                    # the description is at the bottom
        await pilot.pause()
        help_rows += "\n".join(screen_lines(app))
        assert r"Hello \x1b[41m with [red]markup[/red] and a bell \x07." in help_rows
        assert "\x1b" not in help_rows


async def test_hostile_file_errors_in_the_banner_are_one_line_each(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('title = "t"\n[inputs]\n"a\\u001b[2Jb" = 1\n[graph]\ncode = "f = 2 * y"\n')
    app = create_app(str(path), lang="en", ascii=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = str(banner(app).render())
        assert "\x1b" not in text
        assert all(line.isprintable() for line in text.split("\n"))
        assert shown_in(app, banner(app), f"{path}:")


@pytest.mark.parametrize("name", [n for n, _ in bundled()])
def test_bundled_titles_and_descriptions_are_plain_text(name):
    sc = load(name)
    assert sc.title.isprintable()
    assert all(line.isprintable() for line in sc.description.split("\n"))


# ------------------------------------------------------- descriptions name real nodes

#: Names each bundled description uses for a node (read off the descriptions by hand).
NAMED_IN_DESCRIPTION = {
    "add-mul": ["q", "f", "x", "y", "z"],
    "bce-neuron": ["z", "p", "loss", "w", "b", "X", "t"],
    "cs231n-sigmoid": ["z", "f", "f_1", "f_2", "f_3"],
    "cs231n-sigmoid-fused": ["z", "f"],
    "cs231n-staged": ["sigy", "num", "sigx", "xpy", "xpysqr", "den", "invden", "f", "x", "y"],
    "gate-routing": ["q", "m", "s", "f", "x", "y", "z", "w"],
    "nan-explosion": ["z", "p", "q", "log_q", "loss", "w", "b"],
    "network-2-2-2": ["W1", "W2", "x"],
    "softmax-classifier": ["a1", "z1", "loss", "x", "W1", "b1", "target"],
    "vectorised-matmul": ["D", "W", "X", "G", "f"],
}


@pytest.mark.parametrize("name", sorted(NAMED_IN_DESCRIPTION))
def test_descriptions_name_nodes_that_exist(name):
    sc = load(name)
    for node in NAMED_IN_DESCRIPTION[name]:
        assert re.search(rf"(?<![\w.]){re.escape(node)}(?!\w)", sc.description), node
        assert node in sc.graph.index, f"{name}: the description's {node} is not a node"
    if name == "add-mul":   # the lecture's names, gradient names included
        assert "dq = -4" in sc.description and "q = x + y" in sc.code


async def test_narrow_footer_hides_whole_keys_and_shows_them_again():
    descriptions = {"next", "prev", "fwd", "bwd", "update", "train", "edit", "check", "view",
                    "help", "quit"}
    app = create_app("add-mul", lang="en", ascii=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        bottom = screen_lines(app)[-1].rstrip()
        assert "? help" in bottom and "q quit" in bottom
        assert bottom.split()[-1] in descriptions          # no key cut mid-word
        assert "v view" not in bottom
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert "v view" in screen_lines(app)[-1]


async def test_narrow_status_line_never_cuts_the_loss():
    app = create_app("softmax-classifier", lang="en", ascii=False)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("b")
        g = app.session.graph           # the first loss by hand: mean cross-entropy
        x, w, b = (np.asarray(g.leaf_values[n]) for n in ("x", "W1", "b1"))
        target = np.asarray(g.leaf_values["target"]).astype(int)
        z = x @ w.T + b
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -logp[np.arange(len(x)), target].mean()
        row = next(r for r in screen_lines(app) if "BACKWARD" in r)
        assert f"loss = {loss:.4g}" in row and "it 1/50" in row
