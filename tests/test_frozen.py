"""``tui_backprop._frozen.frozen`` behaves as ``dataclass(frozen=True)``: the expected
behaviour in every check comes from :func:`dataclasses.dataclass` itself, applied to a
class with the same fields."""

from __future__ import annotations

import copy
import dataclasses
import inspect
from dataclasses import FrozenInstanceError, dataclass, field

import numpy as np
import pytest

from tui_backprop._frozen import frozen


def pair(slots: bool):
    """The same class twice: stdlib frozen dataclass, and @frozen."""

    def body():
        class R:
            """A record."""

            a: int
            b: object
            c: str = field(default="c", compare=False)
            d: tuple = field(default=(), repr=False)
            e: object = field(default=None, hash=False)
            f: list = field(default_factory=list, compare=False, hash=False)

        return R

    return (dataclass(frozen=True, slots=slots)(body()), frozen(slots=slots)(body()))


def values():
    return [(1, "x"), (1, "y"), (2, "x"), (1, ("t", 2)), (0, None), (1, 2.5), (1, float("nan"))]


@pytest.mark.parametrize("slots", [False, True])
def test_eq_hash_repr_as_dataclass(slots):
    Ref, New = pair(slots)
    cases = [dict(a=a, b=b) for a, b in values()]
    cases += [dict(a=1, b="x", c="other", d=(1,), e=3, f=[1]),
              dict(a=1, b="x", e=4), dict(a=1, b="x", c="z")]
    for k1 in cases:
        r1, n1 = Ref(**k1), New(**k1)
        assert repr(n1) == repr(r1)  # both classes are named pair.<locals>.body.<locals>.R
        assert hash(n1) == hash(r1)
        for k2 in cases:
            assert (n1 == New(**k2)) == (r1 == Ref(**k2)), (k1, k2)
            assert (n1 != New(**k2)) == (r1 != Ref(**k2)), (k1, k2)
        assert n1.__eq__(object()) is NotImplemented
        assert r1.__eq__(object()) is NotImplemented
        assert (n1 == r1) is False  # another class, as a dataclass says


@pytest.mark.parametrize("slots", [False, True])
def test_frozen_and_dataclass_api(slots):
    Ref, New = pair(slots)
    n, r = New(1, "x"), Ref(1, "x")
    for obj in (n, r):
        with pytest.raises(FrozenInstanceError):
            obj.a = 2
        with pytest.raises(FrozenInstanceError):
            del obj.b
    assert [f.name for f in dataclasses.fields(n)] == [f.name for f in dataclasses.fields(r)]
    assert New.__match_args__ == Ref.__match_args__
    assert dataclasses.replace(n, a=5) == New(5, "x")
    assert dataclasses.asdict(n) == dataclasses.asdict(r)
    assert hasattr(n, "__dict__") == hasattr(r, "__dict__")
    assert copy.deepcopy(n) == n and copy.deepcopy(r) == r  # __getstate__ with slots


def test_arrays_compare_as_in_a_dataclass():
    Ref, New = pair(True)
    x, y = np.array([1.0, 2.0]), np.array([1.0, 2.0])
    # the same array object: equal without asking numpy (tuple identity), in both
    assert (New(1, x) == New(1, x)) is (Ref(1, x) == Ref(1, x)) is True
    # equal arrays, different objects: numpy's truth value is ambiguous, in both
    with pytest.raises(ValueError):
        Ref(1, x) == Ref(1, y)  # noqa: B015
    with pytest.raises(ValueError):
        New(1, x) == New(1, y)  # noqa: B015
    # arrays are unhashable, in both
    with pytest.raises(TypeError):
        hash(Ref(1, x))
    with pytest.raises(TypeError):
        hash(New(1, x))


def test_no_fields_and_one_field():
    @dataclass(frozen=True)
    class E0:
        pass

    @frozen
    class F0:
        pass

    @dataclass(frozen=True, slots=True)
    class E1:
        a: object

    @frozen(slots=True)
    class F1:
        a: object

    assert hash(F0()) == hash(E0()) and F0() == F0()
    assert repr(F0()) == "test_no_fields_and_one_field.<locals>.F0()"
    assert repr(E0()) == "test_no_fields_and_one_field.<locals>.E0()"
    for v in (1, "s", (1, 2), None):
        assert hash(F1(v)) == hash(E1(v))
        assert (F1(v) == F1(v)) and not (F1(v) == F1("other"))


def test_own_eq_is_refused():
    with pytest.raises(TypeError, match="defines __eq__"):
        @frozen
        class Own:
            a: int

            def __eq__(self, other):
                return True


def test_recursive_repr_does_not_loop():
    @frozen
    class Box:
        items: list

    b = Box([])
    b.items.append(b)
    assert repr(b) == "test_recursive_repr_does_not_loop.<locals>.Box(items=[...])"


def init_pair(slots: bool):
    """Two classes with every kind of field the records use, incl. ``__post_init__``."""

    def body():
        class P:
            a: int
            b: list = field(default_factory=list)
            c: str = "c"
            d: int = field(init=False, default=7)
            e: dict = field(init=False, default_factory=dict)
            g: object = field(init=False, repr=False)

            def __post_init__(self):
                object.__setattr__(self, "g", (self.a, len(self.b)))

        return P

    return (dataclass(frozen=True, slots=slots)(body()), frozen(slots=slots)(body()))


@pytest.mark.parametrize("slots", [False, True])
def test_init_as_dataclass(slots):
    Ref, New = init_pair(slots)
    calls = [((1,), {}), ((1, [2]), {}), ((1, [2], "x"), {}), ((), {"a": 3, "c": "k"}),
             ((), {"c": "k", "a": 4, "b": [1, 2]})]
    for args, kwargs in calls:
        r, n = Ref(*args, **kwargs), New(*args, **kwargs)
        assert dataclasses.astuple(n) == dataclasses.astuple(r), (args, kwargs)
        assert repr(n) == repr(r)
    assert New(1).b is not New(1).b and New(1).e is not New(1).e  # a fresh default each
    for args, kwargs in [((), {}), ((1, [], "c", 9), {}), ((1,), {"d": 2}), ((1,), {"z": 1})]:
        with pytest.raises(TypeError):
            Ref(*args, **kwargs)
        with pytest.raises(TypeError):
            New(*args, **kwargs)
    assert str(inspect.signature(New)) == "(a, b=<factory>, c='c')"
    assert list(inspect.signature(Ref).parameters) == ["a", "b", "c"]


def test_default_before_required_is_refused():
    def body():
        class Bad:
            a: int = 1
            b: int

        return Bad

    with pytest.raises(TypeError, match="non-default argument 'b'"):
        dataclass(frozen=True)(body())
    with pytest.raises(TypeError, match="non-default argument 'b'"):
        frozen(body())


@pytest.mark.parametrize("slots", [False, True])
def test_subclass_attributes_as_dataclass(slots):
    Ref, New = pair(slots)
    for base in (Ref, New):
        Sub = type("Sub", (base,), {})  # not a dataclass: may set attributes of its own
        s = Sub(1, "x")
        if not slots:  # (3.11's slotted dataclass fails here itself: its super() cell
            s.extra = 1  # points at the class before __slots__ were added)
            assert s.extra == 1
            del s.extra
        with pytest.raises(FrozenInstanceError):
            s.a = 2
