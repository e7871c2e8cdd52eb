"""The zygote: a pre-imported parent that forks one process per SSH session.

Starting the debugger in a fresh Python costs ~0.5 CPU-seconds (imports, numpy, the
app's modules); 30 students connecting at once waited 6.6-8 s for the last screen. The
zygote pays the imports once: it imports Textual, numpy and every app module, freezes
the heap (``gc.freeze()``, so forked children share those pages copy-on-write and their
collections skip them) and then waits, single-threaded and without an event loop, for
requests from the server on a ``SOCK_SEQPACKET`` unix socket.

Protocol (one JSON object per packet):

* server -> zygote: ``{"id": N, "env": {...}, "options": {...}}`` with the session's pty
  slave attached (``SCM_RIGHTS``);
* zygote -> server: ``{"ready": true}`` once, then ``{"id": N, "pid": PID}`` per fork
  (``{"id": N, "error": "..."}`` if it failed) and ``{"exit": PID, "status": S}`` when a
  child ends (S as in :attr:`subprocess.Popen.returncode`: negative for a signal).

The zygote reaps its children (no zombies). When the server goes away (end of file on
the socket) it ends every session it started and exits. Run as::

    python -X utf8 -m tui_backprop.serve.zygote FD
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import signal
import socket
import sys
import time

#: Bigger than any request (the environment and options of one session).
MAX_PACKET = 64 * 1024


def preload() -> None:
    """Import everything a session uses, so forked children start from here."""
    import ctypes  # noqa: F401  (session._trim_heap)

    import numpy  # noqa: F401
    import textual.command  # noqa: F401  (the command palette)
    import textual.drivers.linux_driver  # noqa: F401

    import tui_backprop.serve.session  # noqa: F401
    import tui_backprop.tui.app  # noqa: F401
    import tui_backprop.tui.commands  # noqa: F401
    import tui_backprop.tui.edit  # noqa: F401
    import tui_backprop.tui.follow  # noqa: F401  (a served class)
    import tui_backprop.tui.gradcheck_view  # noqa: F401
    import tui_backprop.tui.help  # noqa: F401
    import tui_backprop.tui.picker  # noqa: F401
    import tui_backprop.tui.quiz  # noqa: F401
    import tui_backprop.tui.train  # noqa: F401


def warm_up() -> None:
    """Start the app once, headless, so that what every session would otherwise build
    for itself (lazily imported layouts, Rich's unicode width table, Textual's style and
    segment caches, the app's parsed CSS) is built here, once, and shared. The event loop
    is closed after; no thread may survive it (checked: forking with threads running is unsafe)."""
    import asyncio
    import threading

    from tui_backprop.engine.scenario import bundled_dir
    from tui_backprop.tui.app import create_app

    folder = str(bundled_dir())

    async def once(ascii: bool) -> None:
        app = create_app("cs231n-sigmoid", scenarios=folder, ascii=ascii)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()

    # Both glyph sets: a client that sends no UTF-8 locale gets ASCII borders, whose CSS
    # variables differ, and Textual's parsed CSS is cached per variable set (see
    # tui_backprop.tui._textual_patch): each session then starts without parsing any.
    async def both() -> None:
        await once(False)
        await once(True)

    asyncio.run(both())
    asyncio.set_event_loop(None)
    if threading.active_count() != 1:
        raise RuntimeError("a thread survived the warm-up")


def _status(wait_status: int) -> int:
    return os.waitstatus_to_exitcode(wait_status)


def _child(sock: socket.socket, wake_r: int, wake_w: int, slave: int, request: dict) -> None:
    """In the forked child: become the session on ``slave``; never returns."""
    code = 1
    try:
        sock.close()
        os.close(wake_r)
        os.close(wake_w)
        signal.set_wakeup_fd(-1)
        os.setsid()
        import fcntl
        import termios

        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        os.closerange(3, 65536)
        os.environ.clear()
        os.environ.update(request["env"])
        from tui_backprop.serve import session

        opts = session.SessionOptions.from_dict(request["options"])
        session.prepare(opts, tty=False)
        code = session.run(opts)
    except BaseException as exc:  # a crash ends this session only
        try:
            sys.stderr.write(f"\r\ntui-backprop: the session failed: {type(exc).__name__}\r\n")
            sys.stderr.flush()
        except Exception:
            pass
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os._exit(code)


def serve(fd: int) -> int:
    """The zygote's loop: fork on request, report exits, stop at end of file."""
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wakeup fd fires
    # ctrl+c in the instructor's terminal reaches the whole process group: the server
    # decides when to stop, and tells the zygote by closing the socket
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    children: set[int] = set()

    def send(message: dict) -> None:
        try:
            sock.send(json.dumps(message).encode())
        except OSError:
            pass

    def reap() -> None:
        while children:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)
            send({"exit": pid, "status": _status(wait_status)})

    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ, "sock")
    sel.register(wake_r, selectors.EVENT_READ, "wake")
    send({"ready": True, "pid": os.getpid()})
    running = True
    while running:
        for key, _ in sel.select():
            if key.data == "wake":
                try:
                    while os.read(wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
                reap()
                continue
            try:
                data, fds, _flags, _addr = socket.recv_fds(sock, MAX_PACKET, 4)
            except InterruptedError:
                continue
            except OSError:
                data, fds = b"", []
            if not data:
                running = False
                break
            try:
                request = json.loads(data)
                if len(fds) != 1:
                    raise ValueError("expected one pty")
            except ValueError as exc:
                for extra in fds:
                    os.close(extra)
                send({"id": None, "error": str(exc)})
                continue
            slave = fds[0]
            try:
                pid = os.fork()
            except OSError as exc:
                os.close(slave)
                send({"id": request.get("id"), "error": str(exc)})
                continue
            if pid == 0:
                sel.close()
                _child(sock, wake_r, wake_w, slave, request)
            os.close(slave)
            children.add(pid)
            send({"id": request.get("id"), "pid": pid})
    sel.close()
    _end_all(children)
    return 0


def _end_all(children: set[int]) -> None:
    """The server is gone: end every session (TERM, then KILL) and reap them."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in list(children):
            for kill in (os.killpg, os.kill):  # the group, or a child not yet in its own
                try:
                    kill(pid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
        deadline = time.monotonic() + 0.5
        while children and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                break
            if pid:
                children.discard(pid)
            else:
                time.sleep(0.01)


def threading_count() -> int:
    import threading

    return threading.active_count()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy is imported
    gc.disable()  # nothing to collect while importing; freeze below
    preload()
    try:
        if os.environ.get("TUI_BACKPROP_WARM_UP", "1") != "0":  # 0: to measure without
            warm_up()
    except Exception as exc:  # a slower start, not a failure
        print(f"tui-backprop zygote: warm-up skipped: {exc}", file=sys.stderr)
        if threading_count() != 1:
            return 1  # not safe to fork: the server falls back to new processes
    gc.collect()
    gc.freeze()
    gc.enable()
    return serve(int(argv[0]))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
