"""The library from the command line with hostile ids, tags, notes and imported text
(issue 12: causes 1, 10, 11 and the read-only library)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile.conftest import (
    ESC_TITLE,
    HOSTILE,
    PARAGRAPH,
    assert_clean,
    assert_error,
    assert_ok,
    export_document,
    imported_library,
    run_reader,
)

HUGE = "99999999999999999999999"


def hostile_document() -> dict[str, object]:
    text = f"{PARAGRAPH}Mayor{HOSTILE} said it was “{HOSTILE} a good day”."
    document = export_document(title=HOSTILE, text=text, byline=HOSTILE, site=HOSTILE)
    name_at = text.index("Mayor")
    quote_at = text.index("“") + 1
    quote_end = text.index("”")
    document["entities"] = [{"id": "e1", "name": f"Mayor{HOSTILE}", "label": f"PER{ESC_TITLE}",
                             "mentions": [{"start": name_at, "end": name_at + 5,
                                           "text": "Mayor"}]}]
    document["quotes"] = [{"text": text[quote_at:quote_end], "start": quote_at,
                           "end": quote_end, "speaker": "Mayor Ortiz",
                           "speaker_entity": "e1", "cue": f"said{ESC_TITLE}",
                           "kind": "direct", "speaker_kind": "named",
                           "speaker_confidence": 0.9}]
    document["facts"] = [{"text": text[:20], "start": 0, "end": 20, "kind": "key_point",
                          "score": 0.5, "subject": HOSTILE, "value": HOSTILE}]
    document["highlights"] = [{"start": 0, "end": 10, "note": f"note{HOSTILE}",
                               "created": "2026-03-03T10:00:00Z"}]
    document["tags"] = [f"tag{HOSTILE}"]
    return document


@pytest.fixture
def hostile_id(home: Path) -> str:
    return imported_library(home, hostile_document())


# ----------------------------------------------------- 1. escapes from an import

@pytest.mark.parametrize("command", [
    ("library", "list"), ("library", "list", "--format", "json"),
    ("library", "show", "{id}"), ("library", "show", "{id}", "--format", "json"),
    ("library", "show", "{id}", "--format", "md"),
    ("library", "search", "harbour"), ("library", "mentions", "Mayor"),
    ("library", "quotes", "Mayor", "Ortiz"), ("export", "{id}"),
    ("export", "{id}", "--format", "md"),
    ("export", "{id}", "--format", "json"), ("export", "{id}", "--format", "html"),
], ids=lambda c: "-".join(x for x in c if x != "{id}"))
def test_imported_escapes_never_reach_the_terminal(home: Path, hostile_id: str,
                                                   command: tuple[str, ...]) -> None:
    result = run_reader(*(part.replace("{id}", hostile_id) for part in command), home=home)
    assert_ok(result)
    assert result.stdout.strip()


def test_tag_with_escapes_is_cleaned(home: Path) -> None:
    article_id = imported_library(home)
    result = run_reader("library", "tag", article_id, "\x1b]2;x\x1b\\", "b\x9bc", home=home)
    assert_ok(result)
    for command in (("library", "show", article_id), ("library", "list")):
        assert_ok(run_reader(*command, home=home))


def test_tag_made_only_of_controls_is_refused_or_dropped(home: Path) -> None:
    article_id = imported_library(home)
    result = run_reader("library", "tag", article_id, "\x1b\x07", home=home)
    assert_clean(result)


# ---------------------------------------------------------- 10. ids out of range

@pytest.mark.parametrize("command", [
    ("library", "show", HUGE), ("library", "delete", HUGE), ("library", "tag", HUGE, "x"),
    ("export", HUGE), ("library", "show", "-" + HUGE),
    ("library", "list", "--offset", HUGE), ("library", "list", "--limit", HUGE),
    ("library", "search", "x", "--limit", HUGE),
    ("feeds", "items", HUGE), ("feeds", "remove", HUGE), ("feeds", "refresh", HUGE),
    ("feeds", "items", "--limit", HUGE),
], ids=lambda c: "-".join(x if x != HUGE and x != "-" + HUGE else "HUGE" for x in c))
def test_ids_beyond_sqlite_range(home: Path, command: tuple[str, ...]) -> None:
    imported_library(home)
    result = run_reader(*command, home=home)
    assert_clean(result)


# ------------------------------------------------------------- 11. odd digits

@pytest.mark.parametrize("command", [
    ("export", "²"), ("library", "show", "²"), ("library", "delete", "³"),
    ("export", "٣"), ("library", "show", "٣"),
], ids=["export-sup2", "show-sup2", "delete-sup3", "export-arabic", "show-arabic"])
def test_digits_that_are_not_ids(home: Path, command: tuple[str, ...]) -> None:
    imported_library(home)
    assert_error(run_reader(*command, home=home))


# ------------------------------------------------------------ read-only library

@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_read_only_library_folder(home: Path) -> None:
    article_id = imported_library(home)
    os.chmod(home, 0o555)
    try:
        for command in (("library", "list"), ("library", "search", "harbour"),
                        ("library", "show", article_id)):
            assert_ok(run_reader(*command, home=home))
        path = home / "article.json"
        result = run_reader("import", str(path), home=home)
        assert_error(result, "read-only")
    finally:
        os.chmod(home, 0o755)


def test_read_only_folder_in_process(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as above where root ignores permissions: the folder is reported unwritable
    (``os.access``), as it would be for any other user."""
    from reader.errors import StoreError
    from reader.library import db, store

    article_id = int(imported_library(home))
    folder = str(home)
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if str(path) == folder and mode & os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    connection = db.connect(home / "library.sqlite3")
    try:
        assert store.get(connection, article_id).annotated.article.title
        assert store.list_articles(connection).total == 1
        with pytest.raises(StoreError, match="read-only"):
            store.add_tags(connection, article_id, ["x"])
    finally:
        connection.close()
