"""Lead images: fetched under the page's limits, decoded behind a bomb guard.

An article's image URL comes from the page, so it is as untrusted as the page: it is
fetched through :func:`reader.fetch.fetch` with the page's deadline and address rules
(``followed_from`` the article, so a public page cannot point the reader at a private
address), only ``image/*`` answers are taken, and at most :data:`MAX_IMAGE_BYTES` are read.

Decoding is where images bite: a few kilobytes of PNG can claim 100,000 × 100,000 pixels.
Pillow reads only the header on ``open``; the pixel count is checked there against
:data:`MAX_PIXELS` before any pixel is decoded, and Pillow's own guard is set to the same
limit (its warning made an error) in case a format reveals its size late. Only the formats
listed in :data:`FORMATS` are tried (Pillow would otherwise also hand EPS files to
Ghostscript). Every failure is an :class:`ImageError` with one line for a notice.

Pillow is imported inside the functions: the reader starts without it.
"""

from __future__ import annotations

import io
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.errors import FetchError, ReaderError
from reader.fetch import Cancel, FetchLimits, Wanted, fetch, human_size, make_client

if TYPE_CHECKING:
    import httpx
    from PIL.Image import Image as PILImage

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
"""Decoded images are scaled down to fit this square: enough for any terminal column."""
FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
IMAGE = Wanted(
    frozenset({"image/*"}),
    "image/webp,image/png,image/jpeg,image/gif;q=0.9,image/*;q=0.8",
    "image",
    sniff_type=False,
)


class ImageError(ReaderError):
    """The lead image could not be fetched or decoded; ``str()`` is one line."""


@dataclass(frozen=True)
class ImageData:
    """An image's bytes as fetched (or cached), before any decoding."""

    url: str
    content: bytes = field(repr=False)
    content_type: str = ""


def image_limits(page_limits: FetchLimits) -> FetchLimits:
    """The page's deadline and redirect limit, with the smaller of the two byte caps."""
    return FetchLimits(timeout=page_limits.timeout,
                       connect_timeout=page_limits.connect_timeout,
                       max_bytes=min(page_limits.max_bytes, MAX_IMAGE_BYTES),
                       max_redirects=page_limits.max_redirects)


async def fetch_image(url: str, *, page_url: str | None, limits: FetchLimits,
                      transport: httpx.AsyncBaseTransport | None = None) -> ImageData:
    """The bytes at ``url`` if the server calls them an image and they fit the cap.

    ``page_url`` is the article the image belongs to: the address rules then treat the
    image as a link found on that page."""
    limits = image_limits(limits)
    try:
        async with make_client(transport, limits=limits, wanted=IMAGE) as client:
            fetched = await fetch(url, client=client, limits=limits, wanted=IMAGE,
                                  deadline=time.monotonic() + limits.timeout,
                                  followed_from=page_url)
    except FetchError as error:
        message = str(error)
        if message.startswith("page larger than"):
            message = f"larger than {human_size(limits.max_bytes)}"
        raise ImageError(f"image not shown: {message}") from None
    return ImageData(url=fetched.url, content=fetched.content,
                     content_type=fetched.content_type)


def fetch_image_blocking(url: str, *, page_url: str | None, limits: FetchLimits,
                         transport: httpx.AsyncBaseTransport | None = None,
                         cancel: Cancel | None = None) -> ImageData:
    """:func:`fetch_image` for a thread worker, stoppable through ``cancel``."""
    return (cancel or Cancel()).run(
        fetch_image(url, page_url=page_url, limits=limits, transport=transport))


def decode_image(data: bytes, *, max_pixels: int = MAX_PIXELS,
                 max_side: int = MAX_SIDE) -> PILImage:
    """Decode ``data`` into an RGB image no larger than ``max_side`` on either side.

    Raises :class:`ImageError` for anything that is not a whole, sane image: unknown or
    refused format, truncated data, more than ``max_pixels`` pixels.
    """
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
                width, height = opened.size
                if width <= 0 or height <= 0:
                    raise ImageError("image not shown: it has no pixels")
                if width * height > max_pixels:
                    raise ImageError(_too_many_pixels(width, height, max_pixels))
                opened.draft("RGB", (max_side, max_side))  # JPEG: decode at a smaller scale
                image = opened.convert("RGB")
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"image not shown: more than {_megapixels(max_pixels)} "
                         "megapixels") from None
    except UnidentifiedImageError:
        raise ImageError("image not shown: not an image format the reader decodes") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError,
            MemoryError) as error:
        raise ImageError(f"image not shown: damaged image data ({_reason(error)})") from None
    image.thumbnail((max_side, max_side))
    return image


def _too_many_pixels(width: int, height: int, limit: int) -> str:
    return (f"image not shown: {width:,} × {height:,} pixels is more than "
            f"{_megapixels(limit)} megapixels")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split())[:80]
    return text or type(error).__name__
