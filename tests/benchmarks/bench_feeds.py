"""Time refreshing 100 feeds of 50 items each into a fresh library (goal: median ≤ 5 s).

    python tests/benchmarks/bench_feeds.py [--runs 5] [--feeds 100] [--items 50]

The feeds are generated here (RSS 2.0, Atom, RSS 1.0 and JSON Feed in turn, with short
HTML summaries; every fourth feed also carries full content) and served from a separate
process by ``python -m http.server`` on 127.0.0.1, so the server's work does not compete
with the reader's for this process's GIL. Each run subscribes to every feed in a new
library (not timed), then times ``refresh_feeds`` with its default limits (8 at once,
2 per host: everything here is one host, so at most 2 fetches are ever in flight).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader import feeds
from reader.library import db as library

GOAL_SECONDS = 5.0
WORDS = ("harbour council ferry market budget school river bridge festival weather "
         "library orchard station museum election road rail farmers storm season").split()


def _sentence(seed: int, length: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(length)).capitalize()


def _summary(feed: int, item: int) -> str:
    return (f"<p>{_sentence(feed + item, 24)}, <b>{_sentence(item, 4)}</b> "
            f"and <a href='/more/{item}'>{_sentence(feed, 6)}</a>.</p>")


def _full(feed: int, item: int) -> str:
    return "".join(f"<p>{_sentence(feed * item + n, 40)}.</p>" for n in range(5))


def _date(item: int) -> tuple[str, str]:
    day, hour = 1 + item % 28, item % 24
    return (f"Tue, {day:02d} May 2024 {hour:02d}:15:00 GMT", f"2024-05-{day:02d}T{hour:02d}:15:00Z")


def rss(feed: int, items: int, full: bool) -> str:
    entries = []
    for n in range(items):
        rfc, _ = _date(n)
        content = (f"<content:encoded><![CDATA[{_full(feed, n)}]]></content:encoded>"
                   if full else "")
        entries.append(
            f"<item><title>{_sentence(feed + n, 7)}</title>"
            f"<link>http://news{feed}.example/{n}</link><guid>news{feed}-{n}</guid>"
            f"<pubDate>{rfc}</pubDate><description>{escape(_summary(feed, n))}</description>"
            f"{content}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>News {feed}</title><link>http://news{feed}.example/</link>"
            f"{''.join(entries)}</channel></rss>")


def atom(feed: int, items: int, full: bool) -> str:
    entries = []
    for n in range(items):
        _, iso = _date(n)
        content = f'<content type="html">{escape(_full(feed, n))}</content>' if full else ""
        entries.append(
            f"<entry><title>{_sentence(feed + n, 7)}</title>"
            f'<link href="http://news{feed}.example/{n}"/><id>urn:news:{feed}:{n}</id>'
            f"<updated>{iso}</updated><author><name>Reporter {n % 5}</name></author>"
            f'<summary type="html">{escape(_summary(feed, n))}</summary>{content}</entry>')
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>News {feed}</title><link href="http://news{feed}.example/"/>'
            f"<id>urn:news:{feed}</id><updated>2024-05-28T00:00:00Z</updated>"
            f"{''.join(entries)}</feed>")


def rdf(feed: int, items: int, full: bool) -> str:
    entries = []
    for n in range(items):
        _, iso = _date(n)
        entries.append(
            f'<item rdf:about="http://news{feed}.example/{n}"><title>{_sentence(feed + n, 7)}'
            f"</title><link>http://news{feed}.example/{n}</link><dc:date>{iso}</dc:date>"
            f"<description>{escape(_summary(feed, n))}</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="http://news{feed}.example/"><title>News {feed}</title>'
            f"<link>http://news{feed}.example/</link></channel>{''.join(entries)}</rdf:RDF>")


def json_feed(feed: int, items: int, full: bool) -> str:
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": f"News {feed}",
        "home_page_url": f"http://news{feed}.example/",
        "items": [{"id": f"news{feed}-{n}", "url": f"http://news{feed}.example/{n}",
                   "title": _sentence(feed + n, 7), "date_published": _date(n)[1],
                   "summary": _sentence(feed + n, 24),
                   "content_html": _full(feed, n) if full else _summary(feed, n)}
                  for n in range(items)],
    })


FORMATS = ((rss, "xml"), (atom, "xml"), (rdf, "xml"), (json_feed, "json"))


def write_feeds(folder: Path, count: int, items: int) -> list[str]:
    names = []
    for feed in range(count):
        make, suffix = FORMATS[feed % len(FORMATS)]
        name = f"feed{feed:03d}.{suffix}"
        (folder / name).write_text(make(feed, items, full=feed % 4 == 3), encoding="utf-8")
        names.append(name)
    return names


@contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """``python -m http.server`` in its own process; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        match = re.search(r"port (\d+)", banner)
        if not match:
            raise RuntimeError(f"server did not start: {banner!r}")
        yield f"http://127.0.0.1:{match.group(1)}"
    finally:
        process.terminate()
        process.wait(timeout=5)


def one_run(base_url: str, names: list[str], workdir: Path, run: int) -> tuple[float, int]:
    connection = library.connect(workdir / f"run{run}.sqlite3")
    try:
        for name in names:
            feeds.subscribe(connection, f"{base_url}/{name}")
        started = time.perf_counter()
        report = asyncio.run(feeds.refresh_feeds(connection))
        elapsed = time.perf_counter() - started
    finally:
        connection.close()
    if report.failed:
        raise RuntimeError(f"{len(report.failed)} feeds failed, e.g. {report.failed[0].error}")
    return elapsed, report.new_items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        served, workdir = Path(temp, "feeds"), Path(temp, "work")
        served.mkdir()
        workdir.mkdir()
        names = write_feeds(served, args.feeds, args.items)
        size = sum(path.stat().st_size for path in served.iterdir())
        print(f"{args.feeds} feeds x {args.items} items, {size / 1e6:.1f} MB served")
        with static_server(served) as base_url:
            times = []
            for run in range(args.runs):
                elapsed, new_items = one_run(base_url, names, workdir, run)
                times.append(elapsed)
                print(f"run {run + 1}: {elapsed:.2f} s ({new_items} items stored)")
    median = statistics.median(times)
    verdict = "OK" if median <= GOAL_SECONDS else "TOO SLOW"
    print(f"median refresh: {median:.2f} s (goal ≤ {GOAL_SECONDS:g} s) {verdict}")
    return 0 if median <= GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
