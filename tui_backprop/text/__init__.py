"""User-visible text: the message catalogue (English and Simplified Chinese) and the
helpers that make untrusted text safe to print. Pure: no Textual, no Rich."""
