"""The message catalogue (English and Chinese), the glyph sets and CJK-aware wrapping."""

from __future__ import annotations

import re

import pytest

from tui_backprop.engine import GATES
from tui_backprop.text import en, zh
from tui_backprop.text.catalogue import (
    LANGUAGES,
    Messages,
    Msg,
    gate_message,
    language_from_env,
    local_message_key,
    messages,
    params_of,
    resolve_language,
    t,
)
from tui_backprop.text.glyphs import (
    ASCII,
    ASCII_FORMS,
    UNICODE,
    glyphs,
    locale_is_utf8,
    to_ascii,
)
from tui_backprop.text.wrap import cells, wrap

# ------------------------------------------------------------------- completeness


def test_both_languages_have_the_same_keys():
    assert set(en.MESSAGES) == set(zh.MESSAGES), (
        f"only in en: {sorted(set(en.MESSAGES) - set(zh.MESSAGES))}; "
        f"only in zh: {sorted(set(zh.MESSAGES) - set(en.MESSAGES))}")
    assert set(LANGUAGES) == {"en", "zh"}


@pytest.mark.parametrize("key", sorted(en.MESSAGES))
def test_every_key_takes_the_same_parameters_in_both_languages(key):
    assert params_of(en.MESSAGES[key]) == params_of(zh.MESSAGES[key]), key
    if not key.startswith("sep."):  # separators may be empty (none between Chinese sentences)
        assert en.MESSAGES[key].strip() and zh.MESSAGES[key].strip(), key


@pytest.mark.parametrize("op", sorted(GATES))
def test_every_gate_has_its_explanations_in_both_languages(op):
    for lang in ("en", "zh"):
        msgs = messages(lang)
        for phase in ("forward", "backward"):
            text = msgs.render(gate_message(op, phase, 2.0, ["p", "q"]))
            assert text and "{" not in text, (lang, op, phase)
        for key in GATES[op].cache_keys:
            assert msgs.has(f"cache.{key}"), (lang, op, key)


#: identifiers a formula template may use without a worded twin in the catalogue
MATH_WORDS = {"exp", "ln", "sign", "tanh", "softmax", "log_softmax", "n", "N"}


@pytest.mark.parametrize("op", sorted(GATES))
def test_worded_local_gradients_are_in_the_catalogue(op):
    """A local-gradient template with words in it (``1 if x > 0 else 0``) has a catalogue
    entry, and the English entry says exactly what the gate table (and the JSON) says."""
    spec = GATES[op]
    n = spec.arity if spec.arity > 0 else 3
    names = ["p", "q", "r"][:n]
    c = 2.0 if "{c}" in spec.label else None
    for i in range(n):
        key = local_message_key(op, i)
        template = spec.local_expr[i if spec.arity > 0 else 0] or ""
        words = set(re.findall(r"[A-Za-z_]+", re.sub(r"\{[0-9c]\}", " ", template)))
        if messages("en").has(key) and i < len(spec.local_expr):
            params = {"a": names[0], "b": names[1] if n > 1 else "b", "c": "2" if c else ""}
            assert messages("en")(key, **params) == spec.local_formula(i, names, c)
            assert messages("zh").has(key)
        elif not messages("en").has(key):
            assert words <= MATH_WORDS, (op, i, words - MATH_WORDS)


def test_a_missing_key_is_an_error_not_english():
    with pytest.raises(KeyError):
        messages("zh")("no.such.key")
    with pytest.raises(ValueError):
        Messages("fr")


def test_the_chinese_uses_the_lecture_terms():
    text = "".join(zh.MESSAGES.values())
    for term in ("计算图", "前向传播", "反向传播", "链式法则", "局部梯度", "上游梯度",
                 "梯度累加", "缓存", "参数更新", "学习率", "损失", "数值梯度检验"):
        assert term in text, term


def test_messages_fill_and_format_numbers():
    assert t("gate.mul.forward", lang="en").startswith("The multiply gate")
    assert t("trace.iterations_note", lang="zh", n=30) == \
        "第 1 次迭代逐步展示；第 2 至第 30 次迭代走快速路径，不逐步记录。"
    assert messages("en").render(Msg("explain.update", lr=0.1)).endswith(
        "(learning_rate = 0.1), a small step downhill on the loss.")
    assert messages("zh").sentences([Msg("gate.add.forward"), Msg("gate.sub.forward")]) == \
        "加法门把两个输入相加。减法门求两个输入之差。"


def test_parts_keep_each_languages_order():
    params = dict(name="x", added="-4", before="0", arrow="→", after="-4")
    for lang in ("en", "zh"):
        parts = messages(lang).parts("step.accumulate", **params)
        assert "".join(text for text, _ in parts) == messages(lang)("step.accumulate", **params)
        assert [p for _, p in parts if p] == ["name", "added", "before", "arrow", "after"]


@pytest.mark.parametrize("env, lang", [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.Big5"}, "zh"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8"}, "en"),  # LC_ALL wins
    ({"LC_ALL": "", "LANG": "zh_SG"}, "zh"),  # an empty variable counts as unset
])
def test_language_from_the_locale(env, lang):
    assert language_from_env(env) == lang
    assert resolve_language(None, env) == lang
    assert resolve_language("en", env) == "en"


# ------------------------------------------------------------------------- glyphs


def test_every_glyph_has_an_ascii_form():
    for glyph, form in ASCII_FORMS.items():
        assert not glyph.isascii() and form.isascii()
        assert to_ascii(glyph).isascii()
    for field in ASCII.__dataclass_fields__:
        value = getattr(ASCII, field)
        assert not isinstance(value, str) or value.isascii(), field
    assert glyphs(True) is ASCII and glyphs(False) is UNICODE


@pytest.mark.parametrize("text, expected", [
    ("σ(x)·(1-σ(x))", "sigmoid(x)*(1-sigmoid(x))"),
    ("1/(2√x)", "1/(2sqrt(x))"),
    ("½Σ(p - t)²", "0.5*sum(p - t)^2"),
    ("Σ x", "sum x"),
    ("∂f/∂x = -4", "df/dx = -4"),
    ("d{a} = upstream @ Wᵀ", "d{a} = upstream @ W.T"),
    ("0 → -4", "0 -> -4"),
    ("[1, 2, …, 9]", "[1, 2, ..., 9]"),
    ("层 x", "\\u5c42 x"),  # anything else not ASCII is escaped, never dropped
])
def test_to_ascii(text, expected):
    assert to_ascii(text) == expected
    assert to_ascii(expected) == expected  # idempotent


def test_every_gate_formula_has_an_ascii_form():
    for op, spec in GATES.items():
        names = ["p", "q", "r"]
        for text in (spec.formula(names, 2.0), spec.label,
                     *(spec.local_formula(i, names, 2.0) for i in range(max(spec.arity, 1)))):
            assert to_ascii(text).isascii(), (op, text)
            assert "\\u" not in to_ascii(text), (op, text)  # a real form, not an escape


@pytest.mark.parametrize("env, utf8", [
    ({}, False),  # the POSIX locale
    ({"LANG": "C"}, False),
    ({"LANG": "en_US.UTF-8"}, True),
    ({"LANG": "zh_CN.utf8"}, True),
    ({"LANG": "C.UTF-8"}, True),
    ({"LANG": "zh_CN.GB2312"}, False),
    ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, False),
    ({"LC_CTYPE": "en_US.UTF-8", "LANG": "C"}, True),
    ({"LANG": "de_DE.UTF-8@euro"}, True),
])
def test_locale_is_utf8(env, utf8):
    assert locale_is_utf8(env) is utf8


# --------------------------------------------------------------------------- wrap


def test_cells_count_chinese_as_two():
    assert cells("abc") == 3
    assert cells("上游梯度") == 8
    assert cells("梯度 x") == 6


def test_chinese_wraps_between_characters_not_before_punctuation():
    text = zh.MESSAGES["explain.seed.scalar"].format(node="f")
    for width in range(8, 60):
        lines = wrap(text, width)
        assert all(cells(line) <= width for line in lines), width
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line[:1] in "，。：；）" for line in lines), (width, lines)
        # no line but the last is left much shorter than the width (a long run of
        # Chinese is not pushed whole onto the next line); the widest piece that moves
        # whole is a number with the characters around it, "为 1。" (6 cells)
        assert all(cells(line) >= width - 6 for line in lines[:-1]), (width, lines)


def test_chinese_keeps_a_number_with_its_measure_word():
    """``第 1 次`` and ``共 3 次`` are never split at their spaces (the inspector's
    ``+=`` line used to end in "（第 1" with "次，共 1 次）" on the next line); a line may
    still break after the comma."""
    line = "dh2_1: 0 + (-0.2171) = -0.2171  （第 1 次，共 1 次）"
    # (from the width where "（第 1 次，", the widest group, fits on a line)
    for width in range(cells("（第 1 次，"), cells(line) + 1):
        lines = wrap(line, width)
        assert "".join(lines).replace(" ", "") == line.replace(" ", "")
        for part in lines:
            assert not part.endswith(("第", "第 1", "共", "共 1")), (width, lines)
            assert not part.startswith(("1 次", "次")), (width, lines)
    assert wrap(line, 48) == ["dh2_1: 0 + (-0.2171) = -0.2171  （第 1 次，", "共 1 次）"]
    # the sum stays after its "=": a number does not hold on to an opening parenthesis
    assert wrap(line, 40) == ["dh2_1: 0 + (-0.2171) = -0.2171", "（第 1 次，共 1 次）"]
    # a group wider than the line is laid out piece by piece, and still no line starts
    # with closing punctuation
    assert wrap("y 被用到 2 次，所以", 8) == ["y 被用到", "2 次，所", "以"]


def test_english_wraps_at_spaces():
    text = en.MESSAGES["gate.add.backward"]
    lines = wrap(text, 30)
    assert " ".join(lines) == text
    assert all(len(line) <= 30 for line in lines)
    assert wrap("a\n\nb", 10) == ["a", "", "b"]
