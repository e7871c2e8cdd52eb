"""Files made from a run for people who are not at the terminal: handouts (HTML, SVG)."""
