"""Hostile lead images, served from 127.0.0.1: each one is a one-line notice, never a crash,
and never more than the guard allows in memory or on screen.

The images are made here: a truncated PNG, decompression bombs (a few kilobytes that
claim 50 and 90 megapixels), a header claiming 100,000 × 100,000 pixels, a page served
as the image, and bytes that are no image at all.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from reader.config import Settings
from reader.fetch import FetchLimits
from reader.images import ImageError, decode_image, fetch_image_blocking
from reader.sources import Source
from reader.tui.app import make_app
from tests.hostile.conftest import PARAGRAPH, RawServer, article_html, http_response
from tests.tui.helpers import wait_drawn, wait_until


def png(size: tuple[int, int] = (64, 32), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG", optimize=True)
    return out.getvalue()


def truncated_png() -> bytes:
    whole = io.BytesIO()
    Image.effect_noise((200, 120), 60).convert("RGB").save(whole, "PNG")
    data = whole.getvalue()
    return data[: len(data) // 2]


def bomb(width: int, height: int) -> bytes:
    """A one-bit PNG of ``width`` × ``height`` pixels: a few KB on the wire."""
    return png((width, height), mode="1")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + \
        struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_header() -> bytes:
    """A valid PNG signature and header that claim 100,000 × 100,000 pixels."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b""))


HOSTILE: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "truncated": ("image/png", truncated_png, "damaged image data"),
    "bomb": ("image/png", lambda: bomb(10_000, 5_000), "more than 40 megapixels"),
    "bigger bomb": ("image/png", lambda: bomb(10_000, 9_000), "more than 40 megapixels"),
    "huge header": ("image/png", huge_header, "more than 40 megapixels"),
    "wrong type": ("text/html", lambda: article_html(), "not an image: text/html"),
    "not an image": ("image/jpeg", lambda: b"MZ\x90\x00" + bytes(range(256)) * 8,
                     "not an image format"),
    "svg": ("image/svg+xml", lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "not an image format"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_each_hostile_image_is_one_line(server: RawServer, case: str) -> None:
    content_type, make, words = HOSTILE[case]
    server.routes["/image"] = http_response(body=make(),
                                            headers={"Content-Type": content_type})
    def fetched_and_decoded() -> None:
        data = fetch_image_blocking(server.url("/image"), page_url=server.url("/page"),
                                    limits=FetchLimits(timeout=10))
        decode_image(data.content)

    with pytest.raises(ImageError) as caught:
        fetched_and_decoded()
    message = str(caught.value)
    assert message.startswith("image not shown: ") and words in message, message
    assert "\n" not in message and len(message) < 120


def test_a_bomb_costs_no_decoding() -> None:
    """The pixel count is refused from the header: well under a second, little memory."""
    import time
    import tracemalloc

    data = bomb(10_000, 5_000)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(ImageError):
        decode_image(data)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 1.0 and peak < 5_000_000, (seconds, peak)


def page_with_image(server: RawServer, image_path: str = "/image") -> None:
    head = f'<meta property="og:image" content="{server.url(image_path)}">'
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
    server.routes["/page"] = http_response(
        body=article_html("Ferry route approved", body=body, extra_head=head))


@pytest.mark.parametrize("case", ["bomb", "truncated"])
async def test_the_app_says_one_line_and_keeps_the_article(server: RawServer, tmp_path: Path,
                                                           case: str) -> None:
    content_type, make, words = HOSTILE[case]
    server.routes["/image"] = http_response(body=make(),
                                            headers={"Content-Type": content_type})
    page_with_image(server)
    app = make_app([Source("url", server.url("/page"))], settings=Settings(),
                   library=tmp_path / "library.sqlite3")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        frame = await wait_drawn(pilot, "Ferry route approved", "harbour authority",
                                 "image not shown")
        notices = [n.message for n in app._notifications if n.title == "Image"]
        assert len(notices) == 1 and words in notices[0], notices
        assert "Traceback" not in frame
        await wait_until(pilot, lambda: "/image" in server.hits)
        assert app.reader.lead_image.picture is None
        assert not app.reader.lead_image.display
