"""Exports: Markdown that Obsidian and static-site tools read, self-contained HTML, JSON that
imports back, safe file names, and writes that never leave half a file.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.library import export
from reader.library.export import ExportMeta, export_filename, to_html, to_json
from reader.library.export import to_markdown as markdown
from reader.library.imports import read_json_export
from reader.models import Annotated, Article, Block, Entity, Highlight, Mention
from tests.unit.test_store import make_annotated, span

META = ExportMeta(saved="2026-03-05T08:00:00Z", tags=("harbour", "to-read"))


def front_matter(document: str) -> dict[str, object]:
    """Read the front matter the way YAML does for our subset: JSON scalars and lists."""
    assert document.startswith("---\n")
    block = document[4:document.index("\n---\n")]
    values: dict[str, object] = {}
    for line in block.split("\n"):
        key, _, raw = line.partition(": ")
        assert re.fullmatch(r"[a-z]+", key), line
        values[key] = json.loads(raw)
    return values


def with_highlights(annotated: Annotated, *marks: tuple[str, str]) -> Annotated:
    highlights = []
    for words, note in marks:
        start, end = span(annotated, words)
        highlights.append(Highlight(start, end, note, "2026-03-05"))
    return replace(annotated, highlights=tuple(highlights))


def plain(text: str, title: str = "Odd characters") -> Annotated:
    """An article whose paragraphs are exactly ``text`` split on blank lines."""
    blocks, position = [], 0
    for part in text.split("\n\n"):
        blocks.append(Block("paragraph", position, position + len(part)))
        position += len(part) + 2
    return Annotated(Article(text=text, title=title, blocks=tuple(blocks)))


# ------------------------------------------------------------------------ Markdown


def test_front_matter_has_every_field_obsidian_reads() -> None:
    document = markdown(make_annotated(), META)
    values = front_matter(document)
    assert values == {
        "title": "Harbour board approves dredging",
        "url": "https://news.example.org/harbour/dredging",
        "author": "Sam Reed", "published": "2026-03-04", "site": "Example News",
        "saved": "2026-03-05T08:00:00Z", "tags": ["harbour", "to-read"],
        "people": ["Maria Lopez"], "organisations": ["Harbour Board"],
    }


def test_hostile_values_stay_inside_their_front_matter_line() -> None:
    title = 'Breaking: "quotes", colons\n---\ninjected: true\u2028and a line separator #x'
    annotated = replace(make_annotated(), article=replace(make_annotated().article,
                                                          title=title, byline="- list?"))
    document = markdown(annotated)
    values = front_matter(document)
    assert values["title"] == title and values["author"] == "- list?"
    assert "injected" not in values
    head = document[:document.index("\n---\n")]
    assert "\u2028" not in head


def test_without_meta_the_cli_format_is_unchanged() -> None:
    document = markdown(make_annotated())
    assert document.startswith('---\ntitle: "Harbour board approves dredging"\n')
    assert "saved" not in front_matter(document) and "tags" not in front_matter(document)


def test_highlights_are_marked_and_notes_become_footnotes() -> None:
    annotated = with_highlights(make_annotated(),
                                ("2.4 million pounds", "more than last year\nask why"),
                                ("dredge the eastern channel", "which channel?"),
                                ("start in April", ""))
    document = markdown(annotated, META)
    assert "to ==dredge the eastern channel==[^1]." in document
    assert "cost ==2.4 million pounds==[^2] and ==start in April==." in document
    assert "\n[^1]: which channel?\n" in document
    assert document.rstrip().endswith("[^2]: more than last year\n    ask why")


def test_a_highlight_across_paragraphs_marks_both_parts() -> None:
    annotated = make_annotated()
    text = annotated.article.text
    start = text.index("eastern channel")
    end = text.index("said Maria")
    annotated = replace(annotated, highlights=(Highlight(start, end, "both", ""),))
    document = markdown(annotated)
    assert "==eastern channel.==" in document
    assert '=="The channel is a danger to every boat,"==[^1] said Maria Lopez' in document
    assert document.count("[^1]") == 2  # the reference and its definition


def test_sections_quotes_facts_entities() -> None:
    document = markdown(make_annotated())
    quotes = document.index("## Quotes")
    facts = document.index("## Key facts")
    entities = document.index("## Entities")
    assert quotes < facts < entities
    assert "> The channel is a danger to every boat\n>\n> — Maria Lopez" in document
    assert "- The work will cost 2.4 million pounds and start in April." in document
    assert "- Maria Lopez (PERSON, 2)" in document


def test_article_text_cannot_inject_markdown() -> None:
    text = ("Click [here](javascript:alert(1)) or <script>alert(2)</script> #breaking\n\n"
            "- not a list\n\n1. not a numbered list\n\n    not code\n\n"
            "It costs $5 and $6, *really* ==huge== %%hidden%% `code`")
    document = markdown(plain(text))
    body = document[document.index("# Odd characters"):]
    assert "[here](" not in body and "<script>" not in body
    assert "\\[here\\]" in body and "\\<script\\>" in body and "\\#breaking" in body
    assert "\n\\- not a list" in body and "\n1\\. not a numbered list" in body
    assert "\nnot code" in body
    assert "\\$5" in body and "\\*really\\*" in body and "\\=\\=huge\\=\\=" in body
    assert "\\%\\%hidden" in body and "\\`code\\`" in body


# ------------------------------------------------------------------------ HTML


def test_html_is_self_contained_and_escaped() -> None:
    text = 'He wrote <script>alert("x")</script> & <img src=x onerror=alert(1)> here.'
    annotated = with_highlights(plain(text, title="<b>Title</b>"), ("<script>", "a <note>"))
    annotated = replace(annotated, article=replace(annotated.article,
                                                   url="javascript:alert(3)"))
    page = to_html(annotated, ExportMeta(tags=("<tag>",)))
    assert "<script" not in page and "<img" not in page and "javascript:" not in page
    assert "&lt;script&gt;" in page and "<title>&lt;b&gt;Title&lt;/b&gt;</title>" in page
    assert "<mark>&lt;script&gt;</mark>" in page
    assert "a &lt;note&gt;" in page and "<span>&lt;tag&gt;</span>" in page
    assert "Content-Security-Policy" in page and "<style>" in page
    assert not re.search(r"<link|src=\"|@import|url\(", page)


def test_html_marks_highlights_links_notes_and_groups_lists() -> None:
    article = Article(text="Intro line.\n\nFirst point\n\nSecond point", title="Points",
                      url="https://example.org/points",
                      blocks=(Block("paragraph", 0, 11), Block("list_item", 13, 24),
                              Block("list_item", 26, 38)))
    annotated = Annotated(article, highlights=(Highlight(13, 18, "why first?", ""),))
    page = to_html(annotated)
    assert '<ul>\n<li><mark>First</mark><sup><a id="ref-1" href="#note-1">1</a></sup> point' \
        in page
    assert "<li>Second point</li>\n</ul>" in page
    assert '<li id="note-1">why first? <a href="#ref-1">' in page
    assert '<a href="https://example.org/points" rel="noreferrer">source</a>' in page


# ------------------------------------------------------------------------ JSON


def test_json_round_trip_with_highlights_notes_and_tags() -> None:
    annotated = with_highlights(make_annotated(), ("eastern channel", "a note"),
                                ("2.4 million", ""))
    data = to_json(annotated, META)
    assert data["schema"] == "reader.annotated/1" and data["tags"] == ["harbour", "to-read"]
    assert [h["text"] for h in data["highlights"]] == ["eastern channel", "2.4 million"]
    (imported,) = read_json_export(json.dumps(data))
    assert imported.annotated == annotated
    assert imported.meta.tags == META.tags and imported.meta.saved == META.saved


def test_import_repairs_stale_offsets_from_the_highlight_text() -> None:
    annotated = with_highlights(make_annotated(), ("eastern channel", "n"))
    data = to_json(annotated)
    data["highlights"][0]["start"] += 3
    data["highlights"][0]["end"] += 3
    (imported,) = read_json_export(json.dumps([data]))
    assert imported.annotated.highlights == annotated.highlights


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not JSON"),
    (b'{"schema": "other/9", "article": {}}', "unsupported schema"),
    (b'{"schema": "reader.annotated/1"}', "not a reader export"),
    (b"[1, 2]", "does not hold exported articles"),
])
def test_import_rejects_what_is_not_an_export(content: bytes, message: str) -> None:
    with pytest.raises(ReaderError, match=message):
        read_json_export(content, what="x.json")


def test_import_rejects_a_highlight_outside_the_text() -> None:
    data = to_json(make_annotated())
    data["highlights"] = [{"start": 5, "end": 999_999, "note": "", "created": ""}]
    with pytest.raises(ReaderError, match="does not fit"):
        read_json_export(json.dumps(data))


# ------------------------------------------------------------------------ files


@pytest.mark.parametrize(("title", "expected"), [
    ("Council approves new tram line", "council-approves-new-tram-line-7.md"),
    ("../../etc/passwd", "etc-passwd-7.md"),
    ("Café in Zürich: prices up 5%!", "cafe-in-zurich-prices-up-5-7.md"),
    ("", "article-7.md"),
    ("日本語のタイトル", "article-7.md"),
    ("word " * 40, "-".join(["word"] * 12) + "-7.md"),
])
def test_file_names_are_safe_slugs_with_the_id(title: str, expected: str) -> None:
    name = export_filename(title, 7, "md")
    assert name == expected
    assert re.fullmatch(r"[a-z0-9-]+\.md", name) and len(name) <= 70


def test_write_atomic_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "note.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    export.write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(folder) == ["note.md"]


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "note.md"
    target.write_bytes(b"the complete old note")

    def disk_full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ReaderError, match=r"cannot write .*No space left"):
        export.write_atomic(target, "x" * 100_000)
    assert target.read_bytes() == b"the complete old note"
    assert os.listdir(folder) == ["note.md"]


def test_entity_lists_skip_duplicates_and_unknown_labels() -> None:
    annotated = replace(make_annotated(), entities=(
        Entity("e1", "Westport", "GPE", (Mention(0, 1, "x"),)),
        Entity("e2", "Westport", "GPE", ()),
        Entity("e3", "Tuesday", "DATE", ()),
    ))
    values = front_matter(markdown(annotated))
    assert values["places"] == ["Westport"] and "people" not in values


def test_plain_punctuation_stays_readable_and_lists_stay_tight() -> None:
    article = Article(text="Prices rose 12% at AT&T.\n\nOne\n\nTwo", title="Readable",
                      blocks=(Block("paragraph", 0, 24), Block("list_item", 26, 29),
                              Block("list_item", 31, 34)))
    document = markdown(Annotated(article))
    assert "Prices rose 12% at AT&T." in document
    assert "\n- One\n- Two\n" in document


# ------------------------------------------------------------------ dates for people


def stamped() -> Annotated:
    annotated = make_annotated()
    return replace(annotated, article=replace(annotated.article,
                                              published="2026-03-04T09:00:00Z"))


def test_markdown_shows_the_date_in_words_and_keeps_iso_in_front_matter() -> None:
    document = markdown(stamped(), META)
    assert front_matter(document)["published"] == "2026-03-04T09:00:00Z"
    body = document[document.index("\n---\n") + 5:]
    assert "*Sam Reed · Example News · Wed 4 Mar 2026, 09:00 UTC*" in body
    assert "2026-03-04T09:00" not in body


def test_html_header_shows_dates_in_words_with_iso_for_machines() -> None:
    page = to_html(stamped(), META)
    header = page[page.index("<header>"):page.index("</header>")]
    assert ('<time datetime="2026-03-04T09:00:00Z">Wed 4 Mar 2026, 09:00 UTC</time>'
            in header)
    assert 'saved <time datetime="2026-03-05T08:00:00Z">Thu 5 Mar 2026, 08:00 UTC</time>' \
        in header
    assert ">2026-03-04T09:00:00Z<" not in header


def test_json_keeps_the_iso_date() -> None:
    data = json.loads(json.dumps(to_json(stamped(), META)))
    assert data["article"]["published"] == "2026-03-04T09:00:00Z"
