"""The library: saved articles with highlights, notes and tags, in one SQLite file.

:mod:`.db` opens the file (the one ``connect``) and migrates it, :mod:`.store` saves and
reads articles, :mod:`.search` answers full-text and cross-library questions,
:mod:`.diff` compares two versions of an article, :mod:`.anchors` re-finds highlights in
changed text, :mod:`.export` writes and reads Markdown, HTML and JSON files.
"""
