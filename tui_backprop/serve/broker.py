"""The class broker: the shared state of a served class, in the server process.

Session processes (one per SSH session) connect to it over a unix socket in a private
folder (mode 700) and exchange newline-delimited JSON objects, each at most
:data:`MAX_MESSAGE` bytes. A session introduces itself with the one-time token the server
gave it when it was spawned (``{"t": "hello", "token": ...}``); the token says whether it
is the presenter or a student, so a session cannot promote itself.

What the broker keeps: the presenter's last ``state`` (scenario, edits, recorded
iterations: what a follower needs to rebuild the same timeline) and ``position`` (state
id, step, iteration), whether the class is in quiz mode, the revealed prompts, each
student's mode (following or exploring) and, per prompt, a
:class:`~tui_backprop.model.quiz.Tally` of the students' answers (anonymous: the presenter
gets counts, never who).

Messages (``t`` is the type):

* presenter -> broker: ``state``, ``position``, ``quiz`` (``on``), ``prompt`` (the
  current prompt's ``key``, or null), ``reveal`` (``key``);
* student -> broker: ``mode`` (``following``: bool), ``answer`` (``key``, ``value``,
  ``right``), ``mirrorable`` (``on``: whether its screen could be shared, handed to the
  server's :class:`~tui_backprop.serve.mirror.Mirrors`);
* broker -> student: ``welcome`` (with ``presenter``: whether the presenter is
  connected), then ``state``, ``position``, ``quiz``, ``reveal`` as the presenter sends
  them, and ``presenter`` (``here``: bool) when the presenter connects or leaves; from the
  server, ``mirror`` (``on``: be mirrored, or draw for yourself again);
* a *renderer* (role ``mirror``: a shared screen's process, see
  :mod:`tui_backprop.serve.mirror`) gets what a student gets but ``quiz`` and ``reveal``,
  is not counted, gets ``frame`` (draw a full frame) from the server, and sends only
  ``view`` (its panels' scroll offsets, which the server passes to its group's students
  as ``view``);
* broker -> presenter: ``welcome``, ``room`` (connected / following / exploring) and
  ``tally`` (the current prompt's :class:`~tui_backprop.model.quiz.TallySummary`).

A message that is too long, not JSON, of an unknown type, with fields of the wrong type
or not allowed for the sender's role is dropped with a log line; the sender stays
connected and nobody else notices.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import secrets
import shutil
import tempfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from tui_backprop.model.quiz import Tally

#: The longest message (one line of JSON) a session may send or receive.
MAX_MESSAGE = 1024 * 1024
#: Tallies kept (the most recent prompts).
MAX_TALLIES = 64
#: Revealed prompt keys kept.
MAX_REVEALED = 256
#: A prompt key or state id longer than this is refused.
MAX_KEY = 200
#: Stop sending to a session whose socket has this much unread.
MAX_BACKLOG = 4 * MAX_MESSAGE


#: the roles that follow the presenter: students, and the renderers of shared screens
FOLLOWERS = ("student", "mirror")


class BadMessage(ValueError):
    """A message the broker drops (the reason is logged)."""


def encode(msg: dict) -> bytes:
    """One message as a line of JSON (no NaN/Infinity: they are not JSON)."""
    return json.dumps(msg, separators=(",", ":"), allow_nan=False).encode() + b"\n"


def decode(line: bytes) -> dict:
    """One received line as a message; raises :class:`BadMessage`."""
    if len(line) > MAX_MESSAGE:
        raise BadMessage("too long")
    try:
        msg = json.loads(line, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise BadMessage(f"not JSON ({type(exc).__name__})") from None
    if not isinstance(msg, dict) or not isinstance(msg.get("t"), str):
        raise BadMessage("not a message object")
    return msg


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _key(value, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_KEY:
        raise BadMessage(f"{what} must be a short string")
    return value


@dataclass(eq=False)
class Member:
    """One connected session."""

    ident: int
    role: str
    writer: asyncio.StreamWriter
    following: bool = True
    token: str = ""


@dataclass
class Broker:
    """The class's shared state and the socket sessions reach it through."""

    log: Callable[[str], None] = lambda line: None
    folder: str = ""
    path: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
    #: tokens of sessions started ahead that no student has taken yet: not counted, and
    #: sent nothing of the class until :meth:`activate`
    pending: set[str] = field(default_factory=set)
    members: dict[int, Member] = field(default_factory=dict)
    state: dict | None = None
    position: dict | None = None
    quiz: bool = False
    prompt: str | None = None
    revealed: OrderedDict[str, None] = field(default_factory=OrderedDict)
    tallies: OrderedDict[str, Tally] = field(default_factory=OrderedDict)
    dropped: int = 0
    #: a student's app says whether its screen could be shared (see mirror.py)
    on_mirrorable: Callable[[str, bool], None] = lambda token, on: None
    #: a renderer says where its panels are scrolled (see mirror.py)
    on_view: Callable[[str, dict], None] = lambda token, view: None
    _server: asyncio.AbstractServer | None = None
    _next: int = 0

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> str:
        """Listen on a fresh socket in a private temporary folder; returns its path."""
        self.folder = tempfile.mkdtemp(prefix="tui-backprop-class-")
        os.chmod(self.folder, 0o700)
        self.path = os.path.join(self.folder, "broker.sock")
        self._server = await asyncio.start_unix_server(self._serve, self.path,
                                                       limit=MAX_MESSAGE + 1)
        os.chmod(self.path, 0o600)
        return self.path

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for member in list(self.members.values()):
            with contextlib.suppress(Exception):
                member.writer.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2.0)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def new_token(self, role: str, pending: bool = False) -> str:
        """A one-time token for a session about to be spawned with ``role``; ``pending``:
        a session started ahead, not part of the class until :meth:`activate`."""
        token = secrets.token_hex(16)
        self.tokens[token] = role
        if pending:
            self.pending.add(token)
        return token

    def activate(self, token: str) -> None:
        """A student took the session started ahead with ``token``: it counts from now
        on, and gets the presenter's state and position."""
        if token not in self.pending:
            return
        self.pending.discard(token)
        for member in list(self.members.values()):
            if member.token == token:
                self._catch_up(member)
        self._room_changed()
        self._tally_changed()

    def forget(self, token: str | None) -> None:
        """The session with ``token`` has ended (whether or not it ever connected)."""
        if token is not None:
            self.tokens.pop(token, None)
            self.pending.discard(token)

    # ------------------------------------------------------------------ counts

    def counts(self) -> dict[str, int]:
        students = [m for m in self.members.values()
                    if m.role == "student" and m.token not in self.pending]
        following = sum(1 for m in students if m.following)
        return {"connected": len(students), "following": following,
                "exploring": len(students) - following}

    # ------------------------------------------------------------------ sending

    def _send(self, member: Member, msg: dict | bytes) -> None:
        data = msg if isinstance(msg, bytes) else encode(msg)
        transport = member.writer.transport
        if transport.is_closing():
            return
        if transport.get_write_buffer_size() > MAX_BACKLOG:
            # a session that does not read must not grow the server's memory: it
            # is disconnected (it comes back following when its app reconnects)
            self.log(f"class: session {member.ident} is not reading; disconnected")
            member.writer.close()
            return
        member.writer.write(data)

    def _to(self, roles: str | tuple[str, ...], msg: dict) -> None:
        roles = (roles,) if isinstance(roles, str) else roles
        data = encode(msg)
        for member in list(self.members.values()):
            if member.role in roles and member.token not in self.pending:
                self._send(member, data)

    def send_token(self, token: str, msg: dict) -> None:
        """Send ``msg`` to the session with ``token`` (if it is connected)."""
        data = encode(msg)
        for member in list(self.members.values()):
            if member.token == token:
                self._send(member, data)

    def _room_changed(self) -> None:
        self._to("presenter", {"t": "room", **self.counts()})

    def _tally_changed(self) -> None:
        if self.prompt is None:
            return
        tally = self.tallies.get(self.prompt)
        summary = tally.summary().to_json() if tally else None
        self._to("presenter", {"t": "tally", "key": self.prompt, "summary": summary,
                               "students": self.counts()["connected"]})

    # ------------------------------------------------------------------ one session

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        member: Member | None = None
        try:
            member = await self._hello(reader, writer)
            if member is None:
                return
            while True:
                try:
                    line = await reader.readline()
                except ValueError:  # longer than the limit: asyncio dropped it
                    self._drop(member, "too long")
                    continue
                if not line:
                    break
                try:
                    self.handle(member, decode(line))
                except BadMessage as exc:
                    self._drop(member, str(exc))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            if member is not None:
                self.members.pop(member.ident, None)
                if member.role == "student":
                    self._room_changed()
                    self._tally_changed()
                elif member.role == "presenter" and not self._presenter_here():
                    self._to(FOLLOWERS, {"t": "presenter", "here": False})
            with contextlib.suppress(Exception):
                writer.close()

    def _drop(self, member: Member, why: str) -> None:
        self.dropped += 1
        self.log(f"class: dropped a message from session {member.ident} "
                 f"({member.role}): {why}")

    async def _hello(self, reader, writer) -> Member | None:
        try:
            line = await asyncio.wait_for(reader.readline(), 10.0)
            msg = decode(line)
            if msg.get("t") != "hello":
                raise BadMessage("the first message must be hello")
            token = msg.get("token")
            role = self.tokens.get(token) if isinstance(token, str) else None
            if role is None:
                raise BadMessage("unknown token")
        except (BadMessage, ValueError, TimeoutError, ConnectionError) as exc:
            self.log(f"class: refused a connection: {exc or type(exc).__name__}")
            writer.close()
            return None
        self._next += 1
        member = Member(self._next, role, writer, token=token)
        if token in self.pending:
            self.members[member.ident] = member
            return member  # started ahead: the class reaches it when a student takes it
        here_before = self._presenter_here()
        self.members[member.ident] = member
        self._catch_up(member)
        if role == "student":
            self._room_changed()
        elif role == "presenter":
            self._send(member, {"t": "room", **self.counts()})
            if not here_before:
                self._to(FOLLOWERS, {"t": "presenter", "here": True})
        return member

    def _presenter_here(self) -> bool:
        return any(m.role == "presenter" for m in self.members.values())

    def _catch_up(self, member: Member) -> None:
        """What a session joining the class needs: the welcome, and for a student the
        presenter's latest state and position."""
        welcome = {"t": "welcome", "role": member.role, "quiz": self.quiz,
                   "revealed": list(self.revealed), "presenter": self._presenter_here()}
        self._send(member, welcome)
        if member.role in FOLLOWERS:
            if self.state is not None:
                self._send(member, {"t": "state", "state": self.state})
            if self.position is not None:
                self._send(member, {"t": "position", "position": self.position})

    # ------------------------------------------------------------------ messages

    def handle(self, member: Member, msg: dict) -> None:
        """Act on one decoded message from ``member``; raises :class:`BadMessage`."""
        kind = msg["t"]
        handler = _HANDLERS[member.role].get(kind)
        if handler is None:
            raise BadMessage(f"{member.role} may not send {kind[:40]!r}")
        handler(self, member, msg)

    def _on_state(self, member: Member, msg: dict) -> None:
        state = msg.get("state")
        if not isinstance(state, dict):
            raise BadMessage("state must be an object")
        _key(state.get("id"), "state id")
        if not isinstance(state.get("scenario"), str):
            raise BadMessage("state.scenario must be a string")
        self.state = state
        self._to(FOLLOWERS, {"t": "state", "state": state})

    def _on_position(self, member: Member, msg: dict) -> None:
        pos = msg.get("position")
        if not isinstance(pos, dict):
            raise BadMessage("position must be an object")
        _key(pos.get("state"), "position.state")
        for name in ("step", "iteration"):
            if not isinstance(pos.get(name), int) or isinstance(pos.get(name), bool):
                raise BadMessage(f"position.{name} must be an integer")
        self.position = {"state": pos["state"], "step": pos["step"],
                         "iteration": pos["iteration"]}
        self._to(FOLLOWERS, {"t": "position", "position": self.position})

    def _on_quiz(self, member: Member, msg: dict) -> None:
        if not isinstance(msg.get("on"), bool):
            raise BadMessage("quiz.on must be true or false")
        self.quiz = msg["on"]
        self._to("student", {"t": "quiz", "on": self.quiz})
        self._to("presenter", {"t": "quiz", "on": self.quiz})

    def _on_prompt(self, member: Member, msg: dict) -> None:
        key = msg.get("key")
        self.prompt = None if key is None else _key(key, "prompt key")
        if self.prompt is not None and self.prompt not in self.tallies:
            self.tallies[self.prompt] = Tally(self.prompt)
            while len(self.tallies) > MAX_TALLIES:
                self.tallies.popitem(last=False)
        self._tally_changed()

    def _on_reveal(self, member: Member, msg: dict) -> None:
        key = _key(msg.get("key"), "reveal key")
        self.revealed[key] = None
        while len(self.revealed) > MAX_REVEALED:
            self.revealed.popitem(last=False)
        self._to("student", {"t": "reveal", "key": key})
        self._to("presenter", {"t": "reveal", "key": key})

    def _on_mode(self, member: Member, msg: dict) -> None:
        if not isinstance(msg.get("following"), bool):
            raise BadMessage("mode.following must be true or false")
        if member.following != msg["following"]:
            member.following = msg["following"]
            self._room_changed()

    def _on_mirrorable(self, member: Member, msg: dict) -> None:
        if not isinstance(msg.get("on"), bool):
            raise BadMessage("mirrorable.on must be true or false")
        self.on_mirrorable(member.token, msg["on"])

    def _on_view(self, member: Member, msg: dict) -> None:
        view = msg.get("view")
        if not (isinstance(view, dict) and len(view) <= 16 and all(
                isinstance(k, str) and len(k) <= 40 and isinstance(v, list) and len(v) == 2
                and all(type(n) is int and 0 <= n < 1 << 31 for n in v)
                for k, v in view.items())):
            raise BadMessage("view must map panel names to two offsets")
        self.on_view(member.token, view)

    def _on_answer(self, member: Member, msg: dict) -> None:
        key = _key(msg.get("key"), "answer key")
        value, right = msg.get("value"), msg.get("right")
        if (not isinstance(value, int | float) or isinstance(value, bool)
                or not math.isfinite(value) or not isinstance(right, bool)):
            raise BadMessage("an answer needs a finite value and right true/false")
        if key in self.revealed:
            raise BadMessage("an answer after the reveal")
        tally = self.tallies.get(key)
        if tally is None:
            if key != self.prompt:
                raise BadMessage("an answer to a prompt that is not asked")
            tally = self.tallies[key] = Tally(key)
        tally.add(str(member.ident), float(value), right)
        if key == self.prompt:
            self._tally_changed()


_PRESENTER = {"state": Broker._on_state, "position": Broker._on_position,
              "quiz": Broker._on_quiz, "prompt": Broker._on_prompt,
              "reveal": Broker._on_reveal}
_STUDENT = {"mode": Broker._on_mode, "answer": Broker._on_answer,
            "mirrorable": Broker._on_mirrorable}
#: a renderer (a shared screen, see mirror.py) says only where its panels are scrolled
_HANDLERS = {"presenter": _PRESENTER, "student": _STUDENT, "mirror": {"view": Broker._on_view}}
