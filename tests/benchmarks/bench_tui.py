"""How the reader screen copes with a 20,000-word article.

Run: python tests/benchmarks/bench_tui.py [--words 20000]

Reports medians in a headless 120x40 terminal: opening the article, a line scroll (j) and
a page scroll (space) from key press to screen, rendering one screen of lines, a highlight
jump across the article (what enter on a panel item does) and toggling the entity marks
(e), each beside the same figure for a 700-word article measured in the same run; the
ratio shows what length costs. Key-press figures include Pilot's own waiting.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from reader.config import Settings
from reader.sources import demo_sources, load
from reader.tui.app import ReaderApp, make_app


def long_text(words: int) -> str:
    articles = [load(source).article for source in demo_sources()]
    paragraphs = [article.block_text(b) for article in articles for b in article.blocks]
    out: list[str] = []
    count = 0
    while count < words:
        for paragraph in paragraphs:
            out.append(paragraph)
            count += len(paragraph.split())
            if count >= words:
                break
    return "Long article\nPublished: 2026-03-04\n\n" + "\n\n".join(out)


async def timed(app: ReaderApp, pilot: object, key: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await pilot.press(key)  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def measure(words: int) -> dict[str, float]:
    path = f"/tmp/reader-bench-{words}.txt"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(long_text(words))
    from reader.sources import Source

    app = make_app([Source("file", path)], settings=Settings())
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        while app.reader.article is None:
            await asyncio.sleep(0.005)
        await pilot.pause()
        out["open"] = (time.perf_counter() - start) * 1000
        assert app.reader.article is not None
        out["words"] = app.reader.article.word_count
        view = app.reader.article_view
        out["j"] = await timed(app, pilot, "j", 30)
        out["space"] = await timed(app, pilot, "space", 15)
        frames = []
        for _ in range(30):
            view.action_scroll_down()
            t = time.perf_counter()
            for y in range(view.scrollable_content_region.height):
                view.render_line(y)
            frames.append((time.perf_counter() - t) * 1000)
        out["lines"] = statistics.median(frames)
        spans = [(b.start, b.start + 20) for b in app.reader.article.blocks[::25]] or [(0, 1)]
        jumps = []
        for i in range(len(spans)):
            t = time.perf_counter()
            view.highlight(spans, i)
            jumps.append((time.perf_counter() - t) * 1000)
        out["highlight"] = statistics.median(jumps)
        while app.reader.analysis_state not in ("analysed", "unavailable"):
            await asyncio.sleep(0.05)
        out["e"] = await timed(app, pilot, "e", 6)
        out["j_marked"] = await timed(app, pilot, "j", 30)
    return out


ROWS = (
    ("open", "open (extract + lay out)"),
    ("j", "j, key to screen (Pilot)"),
    ("space", "space, key to screen (Pilot)"),
    ("lines", "render one screen of lines"),
    ("highlight", "highlight jump (restyle + scroll)"),
    ("e", "e, entity marks on/off (Pilot)"),
    ("j_marked", "j with analysis marks (Pilot)"),
)


async def run(words: int) -> None:
    short = await measure(700)
    long = await measure(words)
    print(f"{'median ms':36s} {int(short['words']):>8,}w {int(long['words']):>8,}w   ratio")
    for key, name in ROWS:
        print(f"{name:36s} {short[key]:9.1f} {long[key]:9.1f}   {long[key] / short[key]:5.2f}")


async def library_screen(library: str, runs: int = 7) -> None:
    """``S`` on a big library: time until its first rows are listed (build the library
    with bench_library.py first)."""
    from pathlib import Path

    from reader.tui.screens.library import LibraryScreen

    app = make_app(demo_sources()[:1], settings=Settings(), library=Path(library))
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        while app.reader.analysis_state not in ("analysed", "unavailable"):
            await asyncio.sleep(0.01)
        await pilot.pause(0.3)
        for _ in range(runs):
            start = time.perf_counter()
            app.reader.action_library()
            screen = app.screen
            while not (isinstance(screen, LibraryScreen) and screen.rows):
                await asyncio.sleep(0.001)
            times.append((time.perf_counter() - start) * 1000)
            app.pop_screen()
            await pilot.pause()
    print(f"library screen (S) to first rows listed: median {statistics.median(times):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--library", help="also time opening this library's screen")
    args = parser.parse_args()
    asyncio.run(run(args.words))
    if args.library:
        asyncio.run(library_screen(args.library))


if __name__ == "__main__":
    main()
