"""The home screen at newsboat scale: 200 feeds and 20,000 items against 10 and 500.

Run: python tests/benchmarks/bench_home.py [--runs 7]

Two libraries are built in a temporary folder (items stored as a refresh stores them;
summaries of common words, each topic word in about a fifth of them).
``open``: from starting the app (headless, 120x40) until the home screen draws its first
headline, small and large alternating run by run; the goal is large ≤ 1.2 × small.
``keystroke``: with the search bar open over all 20,000 headlines, the work one key
does on the app's thread (select from the index and refill the list): for the first key
of a query (a pass over every headline), for each key typed on (a new search, narrowed
from the one before), and for backspace (searches seen before); then the same keys from
press to frame through Pilot (which adds its own waiting); the goal is ≤ 16 ms.
Medians in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader import feeds
from reader.config import Settings
from reader.feeds.parse import ParsedFeed, ParsedItem
from reader.library import db as library_db
from reader.tui.app import make_app
from reader.tui.screens.feeds import FeedsScreen

WORDS = ("council", "river", "budget", "storm", "school", "transit", "harbour", "museum",
         "election", "housing", "climate", "market", "hospital", "festival", "bridge")
QUERIES = ("river budget", "storm school", "harbour museum", "transit election")


FILLER = ("the", "city", "said", "on", "after", "new", "plan", "local", "year", "week",
          "board", "vote", "report", "officials", "residents", "state", "county", "court",
          "police", "water", "road", "park", "team", "game", "season", "price", "rise",
          "fall", "jobs", "tax", "rules", "data", "study", "health", "rail", "fire", "power")


def summary(number: int) -> str:
    """24 words, mostly common ones; each topic word turns up in about a fifth of them."""
    words = [FILLER[(number * 7 + k * 13) % len(FILLER)] for k in range(21)]
    words += [WORDS[(number * 3 + k * 5) % len(WORDS)] for k in range(3)]
    return " ".join(words)


def build(path: Path, feed_count: int, per_feed: int) -> None:
    connection = library_db.connect(path)
    try:
        for f in range(feed_count):
            feed_id, _ = feeds.subscribe(connection, f"https://feed{f}.example/rss",
                                         title=f"Feed {f:03d}",
                                         tags=["news" if f % 2 else "local"])
            items = tuple(
                ParsedItem(key=f"{f}-{n}",
                           title=f"{WORDS[(f + n) % 15].title()} {WORDS[(n * 7) % 15]} "
                                 f"report number {n}",
                           link=f"https://feed{f}.example/{n}", author=None,
                           published=f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00+00:00",
                           summary=summary(f * per_feed + n),
                           content=None, has_full_content=False)
                for n in range(per_feed))
            feeds.store_parsed(connection, feed_id, ParsedFeed(f"Feed {f:03d}", None, items))
    finally:
        connection.close()


async def open_time(library: Path) -> float:
    app = make_app([], settings=Settings(), library=library)
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)):
        while not (isinstance(app.screen, FeedsScreen) and app.screen.item_list.row_count):
            await asyncio.sleep(0.002)
        screen = app.screen
        while "report number" not in "".join(s.text for s in
                                             screen._compositor.render_strips()):
            await asyncio.sleep(0.002)
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed


async def keystrokes(library: Path, expected: int) -> dict[str, float]:
    """Each query typed once (every keystroke a new search) and erased (searches seen
    before); the work on the app's thread per keystroke, and Pilot's key-to-frame."""
    app = make_app([], settings=Settings(), library=library)
    work: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, FeedsScreen) and len(app.screen.index) == expected):
            await asyncio.sleep(0.01)
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        original = screen.show_headlines

        def timed(keep: int | None = None) -> None:
            start = time.perf_counter()
            original(keep)
            work.append((time.perf_counter() - start) * 1000)

        screen.show_headlines = timed  # type: ignore[method-assign]
        await pilot.press("slash")
        typed: list[float] = []
        first: list[float] = []
        erased: list[float] = []
        presses: list[float] = []
        for query in QUERIES:
            for position, key in enumerate(query):
                start = time.perf_counter()
                await pilot.press("space" if key == " " else key)
                await pilot.pause()
                presses.append((time.perf_counter() - start) * 1000)
                (first if position == 0 else typed).append(work[-1])
            for _ in query:
                await pilot.press("backspace")
                await pilot.pause()
                erased.append(work[-1])
    return {"typed": statistics.median(typed), "typed_max": max(typed),
            "first": statistics.median(first), "erased": statistics.median(erased),
            "pilot": statistics.median(presses)}


async def run(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder) / "small.sqlite3", Path(folder) / "large.sqlite3"
        build(small, 10, 50)
        build(large, 200, 100)
        await open_time(small)  # warm imports and caches for both sides
        smalls, larges = [], []
        for _ in range(runs):
            smalls.append(await open_time(small))
            larges.append(await open_time(large))
        s, lg = statistics.median(smalls), statistics.median(larges)
        print(f"open home, first headline drawn: 10 feeds/500 items {s:.0f} ms, "
              f"200 feeds/20,000 items {lg:.0f} ms, ratio {lg / s:.2f} (goal ≤ 1.20)")
        k = await keystrokes(large, 20_000)
        print(f"/ search over 20,000 headlines, work on the app's thread per keystroke "
              f"(goal ≤ 16 ms): first key (a pass over all) {k['first']:.1f} ms, "
              f"typing on {k['typed']:.1f} ms (max {k['typed_max']:.1f}), "
              f"erasing {k['erased']:.1f} ms; key to frame through Pilot {k['pilot']:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(run(args.runs))


if __name__ == "__main__":
    main()
