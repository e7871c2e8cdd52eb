"""The remembered settings: where the file lives (XDG rules), what a broken file does
(a one-line note, never a crash), and which choice wins (flag, then file, then locale)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tui_backprop.config import Settings, config_path, load_settings, save_settings, to_toml


def test_config_path_follows_the_xdg_rules(tmp_path):
    home = str(tmp_path / "home")
    assert config_path({"XDG_CONFIG_HOME": "/cfg", "HOME": home}) == \
        Path("/cfg/tui-backprop/config.toml")
    # unset, empty or relative XDG_CONFIG_HOME: ~/.config (the spec ignores relative paths)
    for env in ({"HOME": home}, {"XDG_CONFIG_HOME": "", "HOME": home},
                {"XDG_CONFIG_HOME": "rel/dir", "HOME": home}):
        assert config_path(env) == Path(home) / ".config" / "tui-backprop" / "config.toml"


def test_settings_round_trip_through_the_hand_written_toml(tmp_path):
    path = tmp_path / "a" / "config.toml"
    settings = Settings(theme='odd "name" \\ \x1b', lang="zh", precision=6, ascii=False)
    assert save_settings(settings, path) is None
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "theme": 'odd "name" \\ \x1b', "lang": "zh", "precision": 6, "ascii": False}
    loaded, notes = load_settings(path)
    assert (loaded, notes) == (settings, [])


def test_only_chosen_settings_are_written():
    text = to_toml(Settings(lang="en"))
    assert tomllib.loads(text) == {"lang": "en"}


def test_a_missing_file_is_no_news(tmp_path):
    assert load_settings(tmp_path / "none.toml") == (Settings(), [])


@pytest.mark.parametrize("content", [b"theme = ", b"\xff\xfe", b"[[[", b'lang = "en"\nlang = "zh"'])
def test_a_broken_file_is_ignored_with_one_note(tmp_path, content):
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    settings, notes = load_settings(path)
    assert settings == Settings()
    assert len(notes) == 1 and "\n" not in notes[0]
    assert notes[0].startswith(f"{path}: note: ignoring the config file")


def test_bad_values_are_dropped_one_note_each_the_rest_kept(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "no-such-theme"\nlang = "fr"\nprecision = 0\nascii = "yes"\n'
                    'colour = 3\n', encoding="utf-8")
    settings, notes = load_settings(path, themes=frozenset({"nord"}))
    assert settings == Settings()
    assert len(notes) == 5
    assert all(n.startswith(f"{path}: note: ignoring") for n in notes)
    path.write_text('theme = "nord"\nprecision = true\nlang = "zh"\n', encoding="utf-8")
    settings, notes = load_settings(path, themes=frozenset({"nord"}))
    assert settings == Settings(theme="nord", lang="zh")  # precision = true is not a number
    assert len(notes) == 1 and "precision" in notes[0]


def test_an_unwritable_directory_gives_a_note_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    note = save_settings(Settings(lang="en"), blocker / "sub" / "config.toml")
    assert note is not None and "cannot save" in note


def test_given_choices_override_remembered_ones():
    saved = Settings(theme="nord", lang="zh", precision=6, ascii=True)
    given = Settings(lang="en", ascii=False)
    assert saved.merged(given) == Settings(theme="nord", lang="en", precision=6, ascii=False)


# ------------------------------------------------------------------ through the CLI


@pytest.fixture
def opened(cli, monkeypatch, tmp_path):
    """Run ``tui-backprop [args]`` with a fake app that records how it was made."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    made: list[dict] = []

    class FakeApp:
        return_code = 0

        def run(self):
            pass

    def fake_create_app(scenario, precision, **kw):
        made.append({"precision": precision, **kw})
        return FakeApp()

    import tui_backprop.tui.app as app_module

    monkeypatch.setattr(app_module, "create_app", fake_create_app)

    def run(*argv):
        made.clear()
        result = cli(*argv)
        return result, (made[0] if made else None)

    return run, tmp_path / "xdg" / "tui-backprop" / "config.toml"


def test_flags_are_remembered_and_used_next_time(opened):
    run, path = opened
    result, made = run("add-mul", "--theme", "projector", "--lang", "zh", "--ascii",
                       "--precision", "6")
    assert result.code == 0 and result.err == ""
    assert (made["theme"], made["lang"], made["ascii"], made["precision"]) == \
        ("projector", "zh", True, 6)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "theme": "projector", "lang": "zh", "precision": 6, "ascii": True}
    # no flags: the remembered choices
    result, made = run("add-mul")
    assert (made["theme"], made["lang"], made["ascii"], made["precision"]) == \
        ("projector", "zh", True, 6)
    # a flag wins, and is remembered in turn
    result, made = run("add-mul", "--lang", "en", "--no-ascii")
    assert (made["lang"], made["ascii"], made["theme"]) == ("en", False, "projector")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["ascii"] is False


def test_lang_zh_on_the_command_line_outranks_a_remembered_ascii(opened):
    """Chinese has no ASCII form: ``--lang zh`` asked for on the command line must not be
    turned back into English by an ``--ascii`` remembered from an earlier run (the
    locale decides instead, as it does with nothing remembered)."""
    run, path = opened
    run("add-mul", "--ascii")
    result, made = run("add-mul", "--lang", "zh")
    assert result.code == 0
    assert (made["lang"], made["ascii"]) == ("zh", None)
    # both asked for at once: ASCII wins, as the user said (the app then writes English)
    result, made = run("add-mul", "--lang", "zh", "--ascii")
    assert (made["lang"], made["ascii"]) == ("zh", True)


def test_without_flags_or_file_the_locale_decides(opened):
    run, path = opened
    result, made = run("add-mul")
    # None: the app takes the language and the ASCII choice from the locale
    assert (made["theme"], made["lang"], made["ascii"], made["precision"]) == \
        (None, None, None, 4)
    assert not path.exists()


def test_unknown_theme_is_one_line_exit_2(opened):
    run, path = opened
    result, made = run("add-mul", "--theme", "no-such-theme")
    assert result.code == 2 and made is None
    assert len(result.err_lines) == 1
    assert result.err_lines[0].startswith("tui-backprop: error: no theme 'no-such-theme'")
    assert "projector" in result.err_lines[0]


def test_broken_config_file_is_a_note_and_the_session_starts(opened):
    run, path = opened
    path.parent.mkdir(parents=True)
    path.write_text("lang = [", encoding="utf-8")
    result, made = run("add-mul")
    assert result.code == 0 and made is not None
    assert len(result.err_lines) == 1 and "note: ignoring the config file" in result.err
