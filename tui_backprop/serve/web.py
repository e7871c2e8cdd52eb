"""``tui-backprop serve web``: the debugger in a browser, through textual-serve.

textual-serve runs one command per browser tab (a new process, on pipes rather than a
pty) and relays it over a websocket. The command is the same confined session as over
SSH (:mod:`tui_backprop.serve.session`): same ``--scenarios`` folder, same caps.

textual-serve sets ``COLUMNS`` and ``ROWS`` in the app's environment; no app setting may
use those names.
"""

from __future__ import annotations

import os
import shlex
import sys

from tui_backprop.serve.session import SessionOptions, base_env
from tui_backprop.serve.spawn import _PACKAGE_ROOT


def session_command(opts: SessionOptions) -> str:
    """The shell command textual-serve runs for each browser session."""
    argv = [sys.executable, "-X", "utf8", "-m", "tui_backprop.serve.session", *opts.argv()]
    return " ".join(shlex.quote(a) for a in argv)


def _server_class():
    """textual-serve's Server, ending its open sessions when it is stopped, and saying
    our start-up lines once it listens.

    textual-serve's own shutdown (ctrl+c, SIGTERM) waits for every open websocket
    handler, i.e. for every student to close their tab: an instructor's ctrl+c left the
    server and the sessions running. Here stopping cancels the open sessions' handlers,
    which is textual-serve's own path for a dropped websocket: the socket is closed and
    the app process is told to quit and awaited.

    textual-serve prints its logo and an English "Serving '<command>' on URL" when the
    app starts up, which is before the port is bound: a port in use printed them too,
    above the error. Here nothing is printed until the port is bound; then
    ``server.started`` (the URL, the scenarios, the limits, in the run's language)."""
    import asyncio
    import signal

    from aiohttp import web
    from textual_serve.server import Server

    class _Server(Server):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._sessions: set[asyncio.Task] = set()
            #: what is printed once the port is bound
            self.started = ""
            #: a socket already bound (``--port 0``: the port the system picked)
            self.sock = None

        async def on_startup(self, app) -> None:
            """Nothing (textual-serve prints its start-up text here, before the port is
            bound)."""

        def serve(self, debug: bool = False) -> None:
            """textual-serve's ``serve``, printing ``started`` once the port is bound
            (``run_app`` calls ``print`` then)."""
            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.request_exit)
            where = {"sock": self.sock} if self.sock is not None else \
                {"host": self.host, "port": self.port}
            web.run_app(self._make_app(), handle_signals=False, loop=loop,
                        print=lambda *_: print(self.started, flush=True), **where)

        async def handle_websocket(self, request):
            task = asyncio.current_task()
            if task is not None:
                self._sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self._sessions.discard(task)

        async def on_shutdown(self, app) -> None:
            await super().on_shutdown(app)
            for task in list(self._sessions):
                task.cancel()
            if self._sessions:
                await asyncio.wait(list(self._sessions), timeout=10)

    return _Server


def run(opts: SessionOptions, host: str, port: int, public_url: str | None,
        scenario_count: int = 0) -> int:
    """Serve until ctrl+c; returns the exit code."""
    from tui_backprop.serve.cli import listen_failed, web_banner

    Server = _server_class()

    # textual-serve gives each app a copy of this process's environment: the same
    # clean one an SSH session gets (no TEXTUAL_* switches, one OpenBLAS thread)
    env = base_env()
    env["PYTHONPATH"] = _PACKAGE_ROOT
    # a browser's terminal always shows UTF-8: the sessions draw Unicode, in the server's
    # own language when its locale is a UTF-8 one (LANG=zh_CN.UTF-8 serves Chinese)
    from tui_backprop.text.glyphs import locale_is_utf8

    env["LANG"] = os.environ.get("LANG", "") if locale_is_utf8() else "C.UTF-8"
    if not env["LANG"]:
        env["LANG"] = "C.UTF-8"
    os.environ.clear()
    os.environ.update(env)
    sock = None
    if port == 0:
        # the system picks the port: bound here, so that the page's websocket address
        # and the banner name the real one (textual-serve builds both from the port)
        import socket

        try:
            family = socket.getaddrinfo(host or None, 0, type=socket.SOCK_STREAM)[0][0]
            sock = socket.create_server((host, 0), family=family)
        except OSError as exc:
            listen_failed(host, port, exc)
            return 2
        port = sock.getsockname()[1]
    server = Server(session_command(opts), host=host, port=port, title="tui-backprop",
                    public_url=public_url)
    server.sock = sock
    server.started = web_banner(opts, host, port, server.public_url, public_url,
                                 scenario_count)
    try:
        server.serve()
    except OSError as exc:
        listen_failed(host, port, exc)
        return 2
    return 0
