"""The lead image on the reading screen: drawn with half-blocks above the text, sized to
the column and a third of the screen, its caption under it; ``I`` and the config turn it
off (then nothing is fetched); a broken image leaves the article readable; a saved
article's image is read from the library."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

from reader.config import Settings
from reader.library import db as library_db
from reader.library import images as lead_images
from reader.sources import Source
from reader.tui.app import ReaderApp, make_app
from reader.tui.widgets.lead_image import fit_cells
from tests.tui.helpers import drawn, wait_drawn, wait_until

PAGE_URL = "https://news.example/ferry"
IMAGE_URL = "https://cdn.example/img/ferry.png"
CAPTION = "The new ferry at Westport. Photo: Ann Lee"
PARAGRAPH = ("The harbour authority of Westport approved a new ferry route on Tuesday after "
             "a long debate in which twelve members voted in favour and three against. ")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
HALF_BLOCK = "▀"


def gradient(size: tuple[int, int] = (320, 160)) -> bytes:
    """A picture with no flat areas, so a half-block drawing of it shows every row."""
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def page_html() -> bytes:
    body = "".join(f"<p>{PARAGRAPH.replace('Tuesday', day)}</p>" for day in DAYS)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Ferry route approved"
            f"</title><meta property='og:image' content='{IMAGE_URL}'></head><body><article>"
            f"<h1>Ferry route approved</h1><figure><img src='{IMAGE_URL}'><figcaption>"
            f"{CAPTION}</figcaption></figure>{body}</article></body></html>").encode()


class Site:
    """The article and its image, counting what the reader asked for."""

    def __init__(self, image: bytes, content_type: str = "image/png") -> None:
        self.image = image
        self.content_type = content_type
        self.requests: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        if url == PAGE_URL:
            return httpx.Response(200, headers={"content-type": "text/html"},
                                  content=page_html())
        if url == IMAGE_URL:
            return httpx.Response(200, headers={"content-type": self.content_type},
                                  content=self.image)
        return httpx.Response(404)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


def app_for(site: Site, *, images: bool = True, library: Path | None = None,
            sources: list[Source] | None = None) -> ReaderApp:
    return make_app(sources or [Source("url", PAGE_URL)],
                    settings=Settings(images=images), transport=site.transport(),
                    library=library)


def test_the_picture_fits_the_column_and_the_height_limit() -> None:
    assert fit_cells((1600, 800), (10, 20), 80, 30) == (80, 20)
    assert fit_cells((800, 1600), (10, 20), 80, 13) == (13, 13)
    assert fit_cells((0, 10), (10, 20), 80, 13) == (0, 0)


async def test_the_lead_image_is_drawn_above_the_text_with_its_caption() -> None:
    site = Site(gradient())
    app = app_for(site)
    async with app.run_test(size=(120, 40)) as pilot:
        frame = await wait_drawn(pilot, HALF_BLOCK, CAPTION, "Ferry route approved")
        lead = app.reader.lead_image
        picture = lead.query_one("#lead-picture")
        column = app.reader.query_one("#article-column")
        assert picture.region.width <= column.region.width
        assert 1 <= picture.region.height <= 40 // 3
        assert picture.region.y < app.reader.article_view.region.y
        lines = frame.splitlines()
        assert sum(HALF_BLOCK in line for line in lines) == picture.region.height
        caption_row = next(i for i, line in enumerate(lines) if CAPTION in line)
        assert caption_row == picture.region.y + picture.region.height
        assert site.requests.count(IMAGE_URL) == 1


async def test_a_broken_image_is_a_notice_and_the_article_stays_readable() -> None:
    site = Site(gradient()[:300])
    app = app_for(site)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        frame = await wait_drawn(pilot, "Ferry route approved", "harbour authority",
                                 "image not shown")
        assert [n.message for n in app._notifications if n.title == "Image"] == [
            "image not shown: damaged image data (image file is truncated)"]
        assert HALF_BLOCK not in frame
        assert not app.reader.lead_image.display
        await pilot.press("j")
        await wait_until(pilot, lambda: app.reader.article_view.scroll_y == 1)
        assert "harbour authority" in drawn(app)


async def test_images_off_fetch_nothing_until_shift_i_turns_them_on() -> None:
    site = Site(gradient())
    app = app_for(site, images=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, "Ferry route approved", "harbour authority")
        await pilot.pause(0.3)
        assert IMAGE_URL not in site.requests
        assert HALF_BLOCK not in drawn(app)
        await pilot.press("I")
        await wait_drawn(pilot, HALF_BLOCK, CAPTION)
        assert site.requests.count(IMAGE_URL) == 1
        await pilot.press("I")
        await wait_until(pilot, lambda: HALF_BLOCK not in drawn(app))
        assert "harbour authority" in drawn(app)
        await pilot.press("I")
        await wait_drawn(pilot, HALF_BLOCK)
        assert site.requests.count(IMAGE_URL) == 1, "the picture is kept, not fetched again"


async def test_a_saved_article_keeps_its_image_for_reading_offline(tmp_path: Path) -> None:
    library = tmp_path / "library.sqlite3"
    site = Site(gradient())
    app = app_for(site, library=library)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, HALF_BLOCK)
        await pilot.press("s")

        def kept() -> bool:
            connection = library_db.connect(library)
            try:
                rows = connection.execute("SELECT article_id FROM saved_images").fetchall()
            finally:
                connection.close()
            return bool(rows)

        await wait_until(pilot, kept)
    assert app.reader.saved is not None
    saved_id = app.reader.saved.id
    connection = library_db.connect(library)
    try:
        cached = lead_images.cached_image(connection, saved_id, IMAGE_URL)
    finally:
        connection.close()
    assert cached is not None and cached.content == site.image

    offline = Site(b"")
    app = app_for(offline, library=library, sources=[Source("saved", str(saved_id))])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_drawn(pilot, HALF_BLOCK, CAPTION)
    assert IMAGE_URL not in offline.requests


def probe_in_subprocess(env: dict[str, str]) -> str:
    """A fresh process (the probe is remembered per process), stdout a pipe, not a tty."""
    import os
    import subprocess
    import sys

    code = "from reader.tui.graphics import probe_terminal; print(probe_terminal())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=60, check=True,
                          stdin=subprocess.DEVNULL)
    return done.stdout.strip()


def test_kitty_is_known_by_its_environment_and_no_terminal_means_half_blocks() -> None:
    assert probe_in_subprocess({"TERM": "xterm-kitty"}) == "kitty"
    assert probe_in_subprocess({"TERM": "xterm-256color", "KITTY_WINDOW_ID": ""}) == \
        "halfblock"


def test_textual_image_is_not_imported_at_start() -> None:
    import subprocess
    import sys

    code = ("import sys, reader.tui.app; "
            "print(sorted(m for m in sys.modules if m.startswith(('PIL', 'textual_image', "
            "'numpy'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]"
