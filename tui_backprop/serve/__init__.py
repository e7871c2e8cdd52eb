"""Serving the debugger to a room: SSH (asyncssh) and the browser (textual-serve)."""
