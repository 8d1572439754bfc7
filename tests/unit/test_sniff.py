"""``reader.sniff``: content type and charset decided once, for every way bytes arrive."""

from __future__ import annotations

import codecs

import httpx
import pytest

from reader import sniff
from reader.sources import load

CAFE = "Le café de la gare a rouvert après les travaux, dit la maire."


def test_a_utf16_header_without_bom_decides() -> None:
    body = f"<p>{CAFE}</p>".encode("utf-16-le")
    assert sniff.charset(body, "utf-16le") == "utf-16-le"
    assert CAFE in sniff.decode(body, "utf-16le")


def test_valid_utf8_beats_a_latin1_declaration() -> None:
    body = f'<meta charset="iso-8859-1"><p>{CAFE}</p>'.encode()
    assert sniff.charset(body, "iso-8859-1") == "utf-8"
    assert sniff.charset(body) == "utf-8"
    assert CAFE in sniff.decode(body, "windows-1252")


def test_a_real_latin1_page_stays_latin1() -> None:
    body = f"<p>{CAFE}</p>".encode("latin-1")
    assert sniff.charset(body, "iso-8859-1") == "cp1252"
    assert CAFE in sniff.decode(body, "iso-8859-1")


def test_bom_then_meta_then_detection() -> None:
    assert sniff.charset(codecs.BOM_UTF16_BE + "x".encode("utf-16-be")) == "utf-16"
    assert sniff.charset(b'<meta charset="koi8-r"><p>\xf0\xd2\xc9</p>') == "koi8-r"
    assert sniff.charset(b'<meta charset="koi8-r"><p>plain</p>', markup=False) == "utf-8"
    assert sniff.charset(b"plain ascii") == "utf-8"


@pytest.mark.parametrize(("header", "expected"), [
    ("text/html; charset=UTF-8", ("text/html", "UTF-8")),
    ('Text/Plain; charset="latin1"', ("text/plain", "latin1")),
    ("", ("", None)),
    (None, ("", None)),
])
def test_content_type_header(header: str | None, expected: tuple[str, str | None]) -> None:
    assert sniff.parse_content_type(header) == expected


def test_markup_kinds() -> None:
    assert sniff.looks_like_html(b"\xef\xbb\xbf  <!DOCTYPE html><p>x")
    assert not sniff.looks_like_html(b"Just a note.")
    assert sniff.looks_like_feed(b'<?xml version="1.0"?><rss>')
    assert sniff.looks_like_feed(b'{"version": "https://jsonfeed.org/version/1.1"}')
    assert not sniff.looks_like_feed(b"<!doctype html><html>")
    assert sniff.binary_kind(b"%PDF-1.7") == "a PDF document"
    assert sniff.binary_kind(f"<html>{CAFE}</html>".encode("utf-16")) is None


def _serve(body: bytes, content_type: str) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(200, headers={"content-type": content_type},
                                       content=body))


ARTICLE = ("<html><head><title>Station café</title></head><body><article>"
           + "".join(f"<p>{CAFE} Paragraphe {n}.</p>" for n in range(6))
           + "</article></body></html>")


def test_a_utf16_page_declared_only_in_the_header_loads() -> None:
    loaded = load("https://news.example/cafe",
                  transport=_serve(ARTICLE.encode("utf-16-le"), "text/html; charset=utf-16le"))
    assert CAFE in loaded.article.text


def test_a_utf8_page_declared_latin1_loads_as_utf8() -> None:
    page = ARTICLE.replace("<head>", '<head><meta charset="windows-1252">').encode()
    loaded = load("https://news.example/cafe",
                  transport=_serve(page, "text/html; charset=ISO-8859-1"))
    assert CAFE in loaded.article.text
    assert "Ã©" not in loaded.article.text
