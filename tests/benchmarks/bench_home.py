"""The home screen at newsboat scale: 200 feeds and 20,000 items against 10 and 500.

Run: python tests/benchmarks/bench_home.py [--runs 10] [--only open|keys]

Two libraries are built in a temporary folder (items stored as a refresh stores them;
summaries of common words, each topic word in about a fifth of them).
``open``: what a user waits for: the real ``reader`` command (no arguments: the home
screen) started in a pseudo-terminal (160x45, ``READER_HOME`` the library's folder), from
spawn until a headline is in what it wrote to the terminal; small and large alternate run
by run (which goes first alternates too); the goal is large ≤ 1.2 × small. Each run is a
fresh process, killed with its workers once the headline is drawn, so nothing one run
leaves (a reading thread, garbage, warm caches of the other library) slows the next.
The first frame (the first cursor move that draws) is reported beside it, and the CPU
time the reader had used by the headline (from /proc: a figure the other jobs of a shared
machine move far less than the wall clock). Then, with a query feed in the config, when
every headline is read (the query feed's count replaces its "…"): not the goal, but when
``/`` and the counts cover the whole library.
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
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader import feeds
from reader.config import Settings
from reader.feeds.parse import ParsedFeed, ParsedItem
from reader.library import db as library_db
from reader.tui.app import make_app
from reader.tui.screens.feeds import FeedsScreen
from tests.benchmarks.run_all import FIRST_FRAME, pty_times

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


HEADLINE = b"report number"
"""In every headline's title, never in a feed's name or the status line."""


def cpu_seconds(pid: int) -> float:
    """CPU time the process has used (its threads included; the analysis process, which
    loads the model only after the first frame, is not)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pty_open(home: Path, reader: str, texts: list[bytes]) -> list[float]:
    """Seconds from spawn to the first frame and to each of ``texts`` on screen, then the
    CPU seconds the reader had used when the last was drawn (a measure the other jobs on
    a shared machine disturb far less than the wall clock)."""
    os.environ["READER_HOME"] = str(home)
    return pty_times([reader], [FIRST_FRAME, *texts, texts[-1]], after=cpu_seconds)


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


def interleaved(runs: int, small: Callable[[], list[float]],
                large: Callable[[], list[float]]) -> tuple[list[list[float]], list[list[float]]]:
    """Each side ``runs`` times, alternating which goes first, after one untimed run of
    each (bytecode written, the library in the page cache)."""
    small()
    large()
    smalls: list[list[float]] = []
    larges: list[list[float]] = []
    for turn in range(runs):
        if turn % 2:
            larges.append(large())
            smalls.append(small())
        else:
            smalls.append(small())
            larges.append(large())
    return smalls, larges


def median_ms(rows: list[list[float]], column: int) -> float:
    return statistics.median(row[column] for row in rows) * 1000


VIEW = '[[view]]\nname = "Reports"\nquery = "report"\n'
"""A query feed over every headline: its count is drawn once every headline is read."""


def open_rows(folder: Path, runs: int, reader: str) -> None:
    small, large = folder / "small", folder / "large"
    build(small / "library.sqlite3", 10, 50)
    build(large / "library.sqlite3", 200, 100)
    # An installed reader imports from bytecode; a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile its sources on every start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    load = os.getloadavg()[0]
    smalls, larges = interleaved(runs, lambda: pty_open(small, reader, [HEADLINE]),
                                 lambda: pty_open(large, reader, [HEADLINE]))
    s, lg = median_ms(smalls, 1), median_ms(larges, 1)
    print(f"open home in a pty, first headline drawn ({runs} runs each, interleaved, "
          f"medians): 10 feeds/500 items {s:.0f} ms, 200 feeds/20,000 items {lg:.0f} ms, "
          f"ratio {lg / s:.2f} (goal ≤ 1.20); first frame {median_ms(smalls, 0):.0f} vs "
          f"{median_ms(larges, 0):.0f} ms; load {load:.1f} → {os.getloadavg()[0]:.1f}")
    cpu_small, cpu_large = median_ms(smalls, 2), median_ms(larges, 2)
    print(f"  CPU time of the reader until that headline: {cpu_small:.0f} vs "
          f"{cpu_large:.0f} ms, ratio {cpu_large / cpu_small:.2f} (clock ticks of 10 ms)")
    print("  each run, small/large headline ms: " + ", ".join(
        f"{a[1] * 1000:.0f}/{b[1] * 1000:.0f}" for a, b in zip(smalls, larges, strict=True)))
    # Not the goal, but what comes next: when every headline is read (the first screenful
    # is a newest-first page), shown by a query feed's count replacing its "…".
    for home in (small, large):
        viewed = home.with_name(home.name + "-view")
        viewed.mkdir()
        shutil.copy(home / "library.sqlite3", viewed / "library.sqlite3")
        (viewed / "config.toml").write_text(VIEW, encoding="utf-8")
    load = os.getloadavg()[0]
    smalls, larges = interleaved(
        runs, lambda: pty_open(folder / "small-view", reader, [HEADLINE, b"500/500"]),
        lambda: pty_open(folder / "large-view", reader, [HEADLINE, b"20000/20000"]))
    print(f"  with a query feed: first headline {median_ms(smalls, 1):.0f} vs "
          f"{median_ms(larges, 1):.0f} ms; every headline read (its count drawn) "
          f"{median_ms(smalls, 2):.0f} vs {median_ms(larges, 2):.0f} ms (CPU by then "
          f"{median_ms(smalls, 3):.0f} vs {median_ms(larges, 3):.0f} ms); load {load:.1f} → "
          f"{os.getloadavg()[0]:.1f}")


async def keystroke_rows(folder: Path) -> None:
    large = folder / "keys.sqlite3"
    build(large, 200, 100)
    k = await keystrokes(large, 20_000)
    print(f"/ search over 20,000 headlines, work on the app's thread per keystroke "
          f"(goal ≤ 16 ms): first key (a pass over all) {k['first']:.1f} ms, "
          f"typing on {k['typed']:.1f} ms (max {k['typed_max']:.1f}), "
          f"erasing {k['erased']:.1f} ms; key to frame through Pilot {k['pilot']:.0f} ms")


def run(runs: int, only: str | None, reader: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if only in (None, "open"):
            open_rows(Path(folder), runs, reader)
        if only in (None, "keys"):
            asyncio.run(keystroke_rows(Path(folder)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", choices=("open", "keys"))
    parser.add_argument("--reader", default=str(Path(sys.executable).with_name("reader")),
                        help="the command timed by open (default: this environment's)")
    args = parser.parse_args()
    run(args.runs, args.only, args.reader)


if __name__ == "__main__":
    main()
