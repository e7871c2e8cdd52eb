"""Snapshot tests (pytest-textual-snapshot) of the whole screen: several scenarios at a
forward, a backward and an update step, at 80×24 and 120×40 (in English with Unicode
glyphs: pinned, whatever the locale); and cs231n-staged in Chinese and in ASCII at 80×24.

Regenerate after an intended visual change (e.g. in the circuit drawing) with
``pytest tests/test_tui_snapshots.py --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

import pytest

from tui_backprop.tui.app import create_app

CASES = {
    "sigmoid-forward": ("cs231n-sigmoid", ["n", "n"]),
    "sigmoid-backward": ("cs231n-sigmoid", ["b"]),
    "staged-fanout-backward": ("cs231n-staged", ["b", "p", "p", "p"]),
    "network-forward": ("network-2-2-2", ["f"]),
    "network-backward": ("network-2-2-2", ["b"]),
    "network-update": ("network-2-2-2", ["end"]),
    "softmax-forward": ("softmax-classifier", ["n", "n"]),
    "softmax-backward": ("softmax-classifier", ["b", "p"]),
    "softmax-update": ("softmax-classifier", ["b", "n"]),
    "bce-forward": ("bce-neuron", ["f"]),
    "bce-backward": ("bce-neuron", ["b", "p", "p"]),
    "bce-update": ("bce-neuron", ["b", "n"]),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("case", list(CASES))
def test_snapshot(snap_compare, case, size):
    scenario, keys = CASES[case]
    assert snap_compare(create_app(scenario, lang="en", ascii=False), press=keys,
                        terminal_size=size)


#: cs231n-staged at a forward and a backward step, in Chinese and with ASCII only.
LANG_CASES = {"forward": ["n"], "backward": ["b", "p", "p", "p"]}


@pytest.mark.parametrize("mode", ["zh", "ascii"])
@pytest.mark.parametrize("case", list(LANG_CASES))
def test_snapshot_language_and_glyphs(snap_compare, case, mode):
    app = create_app("cs231n-staged", lang="zh" if mode == "zh" else "en",
                     ascii=mode == "ascii")
    assert snap_compare(app, press=LANG_CASES[case], terminal_size=(80, 24))


def test_snapshot_projector_theme(snap_compare):
    """The high-contrast projector theme at 80x24: black on white, bold numbers."""
    app = create_app("cs231n-sigmoid", lang="en", ascii=False, theme="projector")
    assert snap_compare(app, press=["b", "p"], terminal_size=(80, 24))
