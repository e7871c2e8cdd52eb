"""How things are drawn, decided once: style roles (and, later, colour modes and themes).
Pure: the role tables are plain strings, so importing them pulls in no UI library."""
