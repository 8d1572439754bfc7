from __future__ import annotations

import pytest

from reader.errors import ExtractError, ReaderError
from reader.extract import sniff_binary
from reader.sources import (
    Source,
    article_from_bytes,
    decode_text,
    demo_sources,
    load_local,
    parse_source,
)


@pytest.mark.parametrize(
    ("arg", "kind"),
    [("https://example.com/a", "url"), ("http://example.com", "url"), ("-", "stdin"),
     ("story.txt", "file"), ("./dir/page.html", "file")],
)
def test_parse_source(arg: str, kind: str) -> None:
    assert parse_source(arg).kind == kind


@pytest.mark.parametrize("arg", ["ftp://x.example/a", "file:///etc/passwd",
                                 "javascript:alert(1)"])
def test_other_schemes_are_refused(arg: str) -> None:
    with pytest.raises(ReaderError, match="unsupported URL scheme"):
        parse_source(arg)


def test_demo_articles_are_bundled_text_first() -> None:
    demos = demo_sources()
    assert len(demos) >= 2
    assert demos[0].location.endswith(".txt")
    assert any(d.location.endswith(".html") for d in demos)
    for demo in demos:
        article = load_local(demo)
        assert article.title and article.word_count > 300
        assert "sample" in article.text.lower()


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"%PDF-1.4 ...", "PDF"), (b"\xff\xd8\xff\xe0JFIF", "JPEG"),
     (b"PK\x03\x04\x14\x00", "ZIP"), (b"GIF89a\x01\x00", "GIF"),
     (b"\x00\x01\x02\x03" * 100, "binary")],
)
def test_binary_is_recognised(data: bytes, name: str) -> None:
    kind = sniff_binary(data)
    assert kind is not None and name in kind
    with pytest.raises(ExtractError, match=name):
        article_from_bytes(data, what="x")


def test_text_is_not_binary() -> None:
    assert sniff_binary("Ünïcode text — fine.\n\tTabbed.".encode()) is None
    assert sniff_binary("Привет, мир".encode("cp1251")) is None


def test_undeclared_legacy_encoding_is_detected() -> None:
    text = "Правительство объявило о новых мерах поддержки экономики страны."
    assert decode_text(text.encode("cp1251"), "x") == text


def test_plain_text_bytes_become_an_article() -> None:
    article = article_from_bytes(b"Headline\n\nBody text here.", what="x", html=False)
    assert article.title == "Headline" and article.text == "Body text here."


def test_directory_is_not_an_article(tmp_path: object) -> None:
    with pytest.raises(ExtractError, match="directory"):
        load_local(Source("file", str(tmp_path)))
