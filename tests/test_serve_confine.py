"""A served session's app is confined to its scenarios folder (picker, ``o``, typed
names, the command palette, ``--open``), and its training is capped and deprioritised.
Pilot tests of the app with ``create_app(scenarios=..., max_train=...)``."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList

import tui_backprop.tui.app as app_module
from tui_backprop.engine import ScenarioError
from tui_backprop.serve.session import base_env, client_env
from tui_backprop.tui.app import create_app
from tui_backprop.tui.commands import OpenScenarioProvider
from tui_backprop.tui.picker import PickerScreen
from tui_backprop.tui.scenario_dir import ScenarioDir
from tui_backprop.tui.train import TrainScreen

ROOT = Path(__file__).resolve().parents[1]
SIZE = (100, 30)


@pytest.fixture
def folder(tmp_path) -> Path:
    """lecture/: a.toml, sub/b.toml, link_in.toml -> a.toml, plus things that must not
    be offered: a hidden file, a non-toml, pyproject.toml, a symlink to a file outside,
    a symlinked folder leading outside."""
    lecture = tmp_path / "lecture"
    (lecture / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(ROOT / "scenarios" / "add-mul.toml", lecture / "a.toml")
    shutil.copy(ROOT / "scenarios" / "bce-neuron.toml", lecture / "sub" / "b.toml")
    (lecture / "link_in.toml").symlink_to(lecture / "a.toml")
    shutil.copy(ROOT / "scenarios" / "add-mul.toml", lecture / ".hidden.toml")
    (lecture / "notes.txt").write_text("not a scenario")
    (lecture / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    secret = outside / "secret.toml"
    secret.write_text((ROOT / "scenarios" / "add-mul.toml").read_text()
                      .replace('title = "f = (x + y) * z"', 'title = "TOP SECRET"'))
    (lecture / "link_out.toml").symlink_to(secret)
    (lecture / "outdir").symlink_to(outside, target_is_directory=True)
    return lecture


def test_names_are_the_folders_scenarios_only(folder):
    assert ScenarioDir(folder).names() == ["a", "link_in", "sub/b"]


@pytest.mark.parametrize("name", ["a", "a.toml", "sub/b", " sub/b.toml ", "link_in"])
def test_names_inside_resolve_to_real_files_inside(folder, name):
    path = ScenarioDir(folder).path_of(name)
    assert os.path.isfile(path)
    assert path.startswith(os.path.realpath(folder) + os.sep)


@pytest.mark.parametrize("name", [
    "../outside/secret", "sub/../a", "/etc/passwd", "~/a", "link_out", "outdir/secret",
    ".hidden", "", "nope", "a\\..\\x", "a\x00", "./a",
])
def test_names_that_escape_or_do_not_exist_are_refused(folder, tmp_path, name):
    if name == "/etc/passwd":
        name = str(tmp_path / "outside" / "secret.toml")  # an absolute path that exists
    with pytest.raises(ScenarioError) as info:
        ScenarioDir(folder).path_of(name)
    assert len(info.value.errors) == 1


async def test_picker_offers_only_the_folder_and_refuses_typed_paths(folder, tmp_path):
    app = create_app(None, scenarios=folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        ids = [app.screen.query_one(OptionList).get_option_at_index(i).id
               for i in range(app.screen.query_one(OptionList).option_count)]
        assert ids == ["a", "link_in", "sub/b"]
        await pilot.press("down", "down")                     # preview of sub/b loads
        await pilot.pause()
        assert "Logistic" in str(app.screen.query_one("#preview", Label).render())
        # typing a path that leaves the folder
        secret = str(tmp_path / "outside" / "secret.toml")
        for typed in ("../outside/secret", secret, "link_out"):
            if not isinstance(app.screen, PickerScreen):
                await pilot.press("o")
                await pilot.pause()
            field = app.screen.query_one(Input)
            field.value = typed
            field.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert app.session is None
            assert "only the scenarios of this server" in app.load_error.plain
        # a name inside opens
        await pilot.press("o")
        await pilot.pause()
        field = app.screen.query_one(Input)
        field.value = "sub/b"
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session is not None
        assert app.session.scenario.path == os.path.realpath(folder / "sub" / "b.toml")


async def test_o_key_picker_is_confined(folder):
    app = create_app("a", scenarios=folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.scenario.path == os.path.realpath(folder / "a.toml")
        await pilot.press("o")
        await pilot.pause()
        lst = app.screen.query_one(OptionList)
        assert [lst.get_option_at_index(i).id for i in range(lst.option_count)] == [
            "a", "link_in", "sub/b"]


async def test_palette_offers_only_the_folder_and_no_screenshot(folder):
    app = create_app("a", scenarios=folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = OpenScenarioProvider(app.screen)
        targets = [target for _text, _help, target in provider._commands()]
        assert targets == ["a", "link_in", "sub/b"]
        provider.run("sub/b")
        await pilot.pause()
        assert app.session.scenario.path.endswith(os.path.join("sub", "b.toml"))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Theme" in titles and "Screenshot" not in titles
    free = create_app("add-mul")
    async with free.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Screenshot" in [c.title for c in free.get_system_commands(free.screen)]


async def test_open_names_outside_the_folder_fail_in_the_app(folder):
    app = create_app("../outside/secret", scenarios=folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session is None
        assert "only the scenarios of this server" in app.load_error.plain
        assert not app.open_scenario("cs231n-sigmoid")   # a bundled name is not in it


async def test_training_is_capped_and_runs_at_the_lowest_priority(folder, monkeypatch):
    seen: list[int] = []
    real_train = app_module.train

    def spy(*args, **kwargs):
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return real_train(*args, **kwargs)

    monkeypatch.setattr(app_module, "train", spy)
    app = create_app("sub/b", scenarios=folder, max_train=50)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.session.last_iteration
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TrainScreen)
        field = app.screen.query_one(Input)
        field.value = "51"
        await pilot.press("enter")
        await pilot.pause()
        assert "from 1 to 50" in str(app.screen.query_one("#error", Label).render())
        field.value = "50"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, TrainScreen)
        # iterations before+1 .. before+50 trained, then one more recorded to step through
        assert app.session.last_iteration == before + 50 + 1
        assert app.session.loss_history[-2][0] == before + 50
    assert seen == [19]


def test_client_env_keeps_only_what_a_session_honours():
    sent = {"COLORTERM": "truecolor", "LANG": "fr_FR.UTF-8", "LC_ALL": "C.UTF-8",
            "NO_COLOR": "", "LD_PRELOAD": "/tmp/x.so", "PYTHONPATH": "/tmp",
            "TEXTUAL": "devtools", "LC_BAD": "\x1b]0;hi\x07", "LC_lower": "x"}
    env = client_env(sent, "xterm-256color")
    assert env == {"TERM": "xterm-256color", "COLORTERM": "truecolor",
                   "LANG": "fr_FR.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}
    assert client_env({}, "\x1b[2J")["TERM"] == "xterm-256color"


def test_base_env_drops_textual_switches_and_size_names():
    env = base_env({"PATH": "/bin", "TEXTUAL": "devtools", "TEXTUAL_DRIVER": "x",
                    "COLUMNS": "80", "ROWS": "24", "LANG": "de_DE.UTF-8",
                    "HOME": "/home/t"})
    assert env["PATH"] == "/bin" and env["HOME"] == "/home/t"
    assert env["OPENBLAS_NUM_THREADS"] == "1"
    assert not {"TEXTUAL", "TEXTUAL_DRIVER", "COLUMNS", "ROWS", "LANG"} & set(env)
