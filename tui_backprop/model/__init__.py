"""The presentation model: pure views of ``(timeline, step)`` that every panel, trace and
export renders. No Textual, no Rich."""
