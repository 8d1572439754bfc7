"""The Textual user interface; the only part of reader that imports Textual."""
