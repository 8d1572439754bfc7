from __future__ import annotations

import httpx
import pytest

from reader.errors import ExtractError, ReaderError
from reader.fetch import FetchLimits
from reader.sniff import binary_kind as sniff_binary
from reader.sources import (
    Loaded,
    Source,
    article_from_bytes,
    decode_text,
    demo_sources,
    load,
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
        article = load(demo, limits=FetchLimits()).article
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
        load(Source("file", str(tmp_path)), limits=FetchLimits())


SHELL_PAGE = b"""<html><head><title>Budget vote | Daily</title>
<link rel="amphtml" href="/amp/budget"></head><body><div id="app">Loading...</div>
<script>window.render()</script></body></html>"""
AMP_PAGE = ("<html><head><title>Budget vote</title></head><body><article><h1>Budget vote</h1>"
            + "".join(f"<p>Paragraph {n} of the council's budget story, in which the "
                      f"finance committee explained the new spending plan in detail "
                      f"for residents and business owners alike.</p>" for n in range(12))
            + "</article></body></html>").encode()


def _load_url(url: str, pages: dict[str, bytes], seen: list[str]) -> Loaded:
    """``url`` through the one loader, the web replaced by ``pages``."""
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        body = pages.get(str(request.url))
        if body is None:
            return httpx.Response(404, headers={"content-type": "text/html"}, content=b"no")
        return httpx.Response(200, headers={"content-type": "text/html"}, content=body)

    return load(url, transport=httpx.MockTransport(handler), limits=FetchLimits())


def test_a_javascript_shell_falls_back_to_its_amp_page() -> None:
    seen: list[str] = []
    pages = {"https://daily.example/budget": SHELL_PAGE,
             "https://daily.example/amp/budget": AMP_PAGE}
    loaded = _load_url("https://daily.example/budget", pages, seen)
    assert loaded.article.method == "amp"
    assert loaded.article.word_count > 150
    assert loaded.article.url == "https://daily.example/budget"
    assert loaded.page is not None and loaded.page.content == AMP_PAGE
    assert seen == ["https://daily.example/budget", "https://daily.example/amp/budget"]


def test_a_good_page_does_not_fetch_its_amp_version() -> None:
    seen: list[str] = []
    good = AMP_PAGE.replace(b"<head>", b'<head><link rel="amphtml" href="/amp/x">')
    loaded = _load_url("https://daily.example/x", {"https://daily.example/x": good}, seen)
    assert loaded.article.method != "amp"
    assert loaded.page is not None and loaded.page.content == good
    assert seen == ["https://daily.example/x"]
