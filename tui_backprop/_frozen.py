"""``@frozen``: a frozen dataclass that is cheaper to define.

``@dataclass(frozen=True)`` compiles six methods from generated source for every class
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``),
about 0.8 ms per class on Python 3.11; the ~45 records imported before the first frame
cost ~35 ms of every start-up that way. ``@frozen`` lets :func:`dataclasses.dataclass`
build the class, its fields, ``__init__`` and the frozen ``__setattr__``/``__delattr__``
as before, and gives it ``__eq__``, ``__hash__`` and ``__repr__`` written once, here,
that compute exactly what the generated ones do:

- ``__eq__``: the same class and equal tuples of the compared fields (else
  ``NotImplemented``);
- ``__hash__``: the hash of that tuple (fields with ``hash=`` follow it, as in
  :func:`dataclasses.dataclass`);
- ``__repr__``: ``Name(field=value!r, ...)`` over the fields with ``repr=True``.

The tuples come from :func:`operator.attrgetter`, so comparing and hashing are as fast
as before (instances are created by the same generated ``__init__``). Pure: stdlib
only, usable from the engine. ``tests/test_frozen.py`` checks the equivalence against
:func:`dataclasses.dataclass` itself.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, fields
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


def _methods(cls: type) -> None:
    own = cls.__dict__
    for name in ("__eq__", "__hash__", "__repr__"):
        if name in own:
            raise TypeError(f"@frozen {cls.__qualname__} defines {name}: use @dataclass")
    compared = _tuple_of(tuple(f.name for f in fields(cls) if f.compare))
    hashed = _tuple_of(tuple(f.name for f in fields(cls)
                             if (f.compare if f.hash is None else f.hash)))

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(hashed(self))

    for method in (__eq__, __hash__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
    cls.__eq__ = __eq__  # type: ignore[method-assign]
    cls.__hash__ = __hash__  # type: ignore[method-assign]
    cls.__repr__ = _repr  # type: ignore[method-assign]


def frozen(cls: T | None = None, /, *, slots: bool = False):
    """``@dataclass(frozen=True, slots=slots)``, with shared ``__eq__``, ``__hash__``
    and ``__repr__`` (see the module's docstring). Use as ``@frozen`` or
    ``@frozen(slots=True)``."""

    def wrap(cls: T) -> T:
        made = dataclass(cls, frozen=True, slots=slots, repr=False, eq=False)
        _methods(made)
        return made

    return wrap if cls is None else wrap(cls)
