"""Lead images in the core: caption extraction, fetching under the page's rules, safe
decoding, the library's copy, and what the exports say about the image."""

from __future__ import annotations

import io
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from PIL import Image

from reader.config import load_config
from reader.errors import StoreError
from reader.extract import extract_article
from reader.fetch import FetchLimits
from reader.images import MAX_IMAGE_BYTES, ImageError, decode_image, fetch_image
from reader.library import db as library_db
from reader.library import export, store
from reader.library import images as lead_images
from reader.models import Article
from tests.unit.test_store import make_annotated

PARAGRAPH = ("The harbour authority of Westport approved a new ferry route on Tuesday after "
             "a long debate in which twelve members voted in favour and three against. ")


def png(size: tuple[int, int] = (40, 20), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def page(head: str = "", figure: str = "") -> str:
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Ferry route</title>"
            f"{head}</head><body><article><h1>Ferry route</h1>{figure}{body}</article>"
            f"</body></html>")


# ------------------------------------------------------------------------ captions


def test_caption_comes_from_the_figure_holding_the_lead_image() -> None:
    html = page(
        head='<meta property="og:image" content="https://cdn.example/img/ferry.jpg?w=1200">'
             '<meta property="og:image:alt" content="A ferry">',
        figure='<figure><img src="https://cdn.example/other.jpg"><figcaption>Not this one'
               '</figcaption></figure><figure><img srcset="/img/ferry.jpg?w=400 400w, '
               '/img/ferry.jpg?w=800 800w"><figcaption>The new ferry at Westport. '
               '<span>Photo: Ann Lee</span></figcaption></figure>')
    article = extract_article(html, url="https://news.example/ferry")
    assert article.image == "https://cdn.example/img/ferry.jpg?w=1200"
    assert article.image_caption == "The new ferry at Westport. Photo: Ann Lee"


def test_caption_falls_back_to_the_image_alt_text_and_is_cleaned() -> None:
    html = page(head='<meta property="og:image" content="/ferry.png">'
                     '<meta property="og:image:alt" content="A ferry\x1b[31m  in port">')
    article = extract_article(html, url="https://news.example/ferry")
    assert article.image == "https://news.example/ferry.png"
    caption = article.image_caption
    assert caption is not None and caption.startswith("A ferry") and caption.endswith(" in port")
    assert "\x1b" not in caption and "  " not in caption
    assert Article.from_dict(article.to_dict()).image_caption == caption


def test_no_image_no_caption() -> None:
    html = page(figure="<figure><img src='/a.jpg'><figcaption>Loose</figcaption></figure>")
    article = extract_article(html, url="https://news.example/ferry")
    assert article.image is None and article.image_caption is None
    assert "image_caption" not in article.to_dict()


# ------------------------------------------------------------------------ fetching


def transport(content_type: str, body: bytes,
              seen: list[str] | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(str(request.url))
        return httpx.Response(200, headers={"content-type": content_type}, content=body)

    return httpx.MockTransport(handler)


async def test_an_image_is_fetched_with_an_image_accept_header() -> None:
    seen: list[str] = []
    accept: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        accept.append(request.headers["accept"])
        return httpx.Response(200, headers={"content-type": "image/png"}, content=png())

    data = await fetch_image("https://cdn.example/a.png", page_url="https://news.example/a",
                             limits=FetchLimits(), transport=httpx.MockTransport(handler))
    assert data.content_type == "image/png"
    assert decode_image(data.content).size == (40, 20)
    assert seen == ["https://cdn.example/a.png"]
    assert accept[0].startswith("image/")


@pytest.mark.parametrize(("content_type", "body", "message"), [
    ("text/html", b"<html>hello</html>", "image not shown: not an image: text/html"),
    ("image/png", b"x" * (MAX_IMAGE_BYTES + 1), "image not shown: larger than 5 MB"),
])
async def test_what_is_not_an_image_or_too_big_is_refused(content_type: str, body: bytes,
                                                           message: str) -> None:
    with pytest.raises(ImageError) as caught:
        await fetch_image("https://cdn.example/a.png", page_url=None, limits=FetchLimits(),
                          transport=transport(content_type, body))
    assert str(caught.value) == message


async def test_the_page_cap_wins_when_it_is_smaller() -> None:
    with pytest.raises(ImageError, match="larger than 1 KB"):
        await fetch_image("https://cdn.example/a.png", page_url=None,
                          limits=FetchLimits(max_bytes=1024),
                          transport=transport("image/png", b"x" * 2048))


async def test_a_public_page_cannot_point_the_image_at_a_private_address() -> None:
    seen: list[str] = []
    with pytest.raises(ImageError, match="image not shown"):
        await fetch_image("http://127.0.0.1:9/a.png", page_url="https://news.example/a",
                          limits=FetchLimits(), transport=transport("image/png", png(), seen))
    assert seen == []


# ------------------------------------------------------------------------ decoding


def test_decoding_shrinks_large_pictures_and_makes_rgb() -> None:
    out = io.BytesIO()
    Image.new("P", (3200, 800)).save(out, "GIF")
    picture = decode_image(out.getvalue())
    assert picture.mode == "RGB"
    assert picture.size == (1600, 400)


def test_pixel_limit_is_checked_before_decoding() -> None:
    with pytest.raises(ImageError) as caught:
        decode_image(png((300, 200)), max_pixels=50_000)
    assert str(caught.value) == "image not shown: more than 0.05 megapixels"


def test_eps_is_never_handed_to_ghostscript() -> None:
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    with pytest.raises(ImageError, match="not an image format"):
        decode_image(eps)


# ------------------------------------------------------------------------ the library


@pytest.fixture
def library(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = library_db.connect(tmp_path / "library.sqlite3")
    yield connection
    connection.close()


def saved_with_image(connection: sqlite3.Connection) -> store.SavedArticle:
    annotated = make_annotated()
    article = replace(annotated.article, image="https://cdn.example/ferry.png",
                      image_caption="The ferry. Photo: Ann Lee")
    result = store.save(connection, replace(annotated, article=article))
    return store.get(connection, result.id)


def test_the_library_keeps_one_image_per_article_for_its_url(
        library: sqlite3.Connection) -> None:
    saved = saved_with_image(library)
    assert lead_images.cached_image(library, saved.id) is None
    lead_images.store_image(library, saved.id, "https://cdn.example/ferry.png", png(),
                            "image/png")
    kept = lead_images.cached_image(library, saved.id, "https://cdn.example/ferry.png")
    assert kept is not None and kept.content == png() and kept.content_type == "image/png"
    assert lead_images.cached_image(library, saved.id, "https://cdn.example/new.png") is None
    lead_images.store_image(library, saved.id, "https://cdn.example/ferry.png", png((5, 5)))
    kept = lead_images.cached_image(library, saved.id)
    assert kept is not None and kept.content == png((5, 5))
    store.delete(library, saved.id)
    assert library.execute("SELECT count(*) FROM saved_images").fetchone()[0] == 0


def test_no_image_is_kept_for_an_article_that_is_not_saved(
        library: sqlite3.Connection) -> None:
    with pytest.raises(StoreError, match="no saved article"):
        lead_images.store_image(library, 99, "https://cdn.example/a.png", png())


# ------------------------------------------------------------------------ exports


def test_markdown_references_the_image_url_with_its_caption(
        library: sqlite3.Connection) -> None:
    saved = saved_with_image(library)
    document = export.to_markdown(saved.annotated, saved.export_meta())
    assert 'image: "https://cdn.example/ferry.png"' in document
    assert "![The ferry. Photo: Ann Lee](<https://cdn.example/ferry.png>)" in document


def test_html_embeds_the_kept_copy_and_still_loads_nothing(
        library: sqlite3.Connection) -> None:
    saved = saved_with_image(library)
    linked = export.to_html(saved.annotated, lead_images.export_meta(library, saved))
    assert "<img" not in linked and "img-src 'none'" in linked
    assert 'href="https://cdn.example/ferry.png"' in linked
    lead_images.store_image(library, saved.id, "https://cdn.example/ferry.png", png())
    embedded = export.to_html(saved.annotated, lead_images.export_meta(library, saved))
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', embedded)
    assert "img-src data:" in embedded
    assert "<figcaption>The ferry. Photo: Ann Lee</figcaption>" in embedded
    assert "https://cdn.example/ferry.png" not in embedded.split("<figure>")[1]


def test_an_image_address_that_is_not_a_web_address_is_not_exported() -> None:
    annotated = make_annotated()
    article = replace(annotated.article, image="javascript:alert(1)")
    odd = replace(annotated, article=article)
    assert "javascript" not in export.to_markdown(odd)
    assert "javascript" not in export.to_html(odd)


# ------------------------------------------------------------------------ config


def test_images_can_be_turned_off_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_config(path).images is True
    path.write_text("[reader]\nimages = false\n", encoding="utf-8")
    assert load_config(path).images is False
    path.write_text('[reader]\nimages = "no"\n', encoding="utf-8")
    settings = load_config(path)
    assert settings.images is True
    assert settings.problems == ("images must be true or false (using the default)",)
