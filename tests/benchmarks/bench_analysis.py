"""Analysis speed on a 1,000-word article, and how long the UI stalls while the model loads.

Run: python tests/benchmarks/bench_analysis.py [--runs 30]
     python tests/benchmarks/bench_analysis.py --devset [--runs 5]

``--devset`` measures the budget "analysis stays within 1.1x the spaCy parse of the same
components" on real news: for every article of the hand-annotated quotes dev set (texts
read from ``../shared`` at run time), the whole analysis (``annotate``: the parse plus
entities, quotes and facts) against ``nlp()`` of the very pipeline the reader loads (same
model, same components, nothing else), alternating the two run by run, and which goes
first, so a load spike on the shared machine hits both; it prints the median over articles
of the per-article ratio of medians.

Prints medians (ms) of the shared parse, of each extractor on the parsed Doc, of the whole
analysis in-process and in the reader's two worker processes (the article parsed in two
halves at once), each against the peer measured in the same run: spaCy's full default
pipeline on the same text. Then, in a fresh process, the longest gap of a 10 ms UI timer
while the app loads the model (the "never blocks the UI for more than 50 ms" budget).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from reader.analysis import annotate_doc, nlp
from reader.analysis.entities import extract_entities
from reader.analysis.facts import extract_facts
from reader.analysis.quotes import extract_quotes
from reader.models import Article
from reader.sources import demo_sources, load


def thousand_word_article() -> Article:
    """The demo articles, cut to the first 1,000 words at a paragraph boundary."""
    from reader.plaintext import article_from_text

    paragraphs: list[str] = []
    words = 0
    for source in demo_sources():
        article = load(source).article
        for block in article.blocks:
            text = article.block_text(block)
            if words >= 1000:
                break
            paragraphs.append(text)
            words += len(text.split())
    return article_from_text("\n\n".join(paragraphs), title="Benchmark article",
                             published="2026-03-04")


def median_ms(func: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


UI_PROBE = r"""
import asyncio, threading, time
from reader.analysis import pool
from reader.config import Settings
from reader.sources import demo_sources
from reader.tui.app import make_app


async def gaps_while(app, pilot, done):
    gaps, last = [], time.perf_counter()

    async def tick():
        nonlocal last
        now = time.perf_counter()
        gaps.append(now - last)
        last = now

    timer = app.set_interval(0.01, tick)
    while not done():
        await asyncio.sleep(0.01)
    timer.stop()
    return max(gaps) * 1000 - 10 if gaps else 0.0, len(gaps)


async def main():
    app = make_app(demo_sources()[:1], settings=Settings())  # starts the model process
    async with app.run_test(size=(120, 40)) as pilot:
        while app.article is None:
            await asyncio.sleep(0.01)
        await pilot.pause(0.8)  # let the first render of the article settle
        warm = list(pool._warm)
        isolated = await gaps_while(app, pilot, lambda: all(f.done() for f in warm))
        from reader.analysis import nlp
        loader = threading.Thread(target=nlp.load)
        loader.start()
        threaded = await gaps_while(app, pilot, lambda: not loader.is_alive())
    print(f"{isolated[0]:.1f} {isolated[1]} {threaded[0]:.1f} {threaded[1]}")


if __name__ == "__main__":
    asyncio.run(main())
"""


def ui_stall_ms() -> list[float]:
    """Longest extra timer delay (ms) while the model loads: in the worker process (what
    the app does), then, for comparison, in a thread of the UI process."""
    out = subprocess.run([sys.executable, "-c", UI_PROBE], capture_output=True, text=True,
                         check=True).stdout.split()
    return [float(x) for x in out]



def devset_articles() -> list[Article]:
    """The quotes dev set's articles, built as its scorer builds them."""
    import json

    from reader.plaintext import article_from_text
    from tests.benchmarks.score_quotes_dev import GOLD, TEXTS

    wanted = {item["id"] for item in json.loads(GOLD.read_text())["articles"]}
    articles = []
    with TEXTS.open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            if row["id"] in wanted:
                articles.append(article_from_text(str(row["text"]), title=""))
    return articles


def devset_ratio(runs: int) -> None:
    """Median over dev-set articles of (whole analysis) / (spaCy parse, same components)."""
    from reader.analysis import annotate

    pipeline = nlp.load()
    articles = devset_articles()
    ratios, ours_ms, peer_ms = [], [], []
    for article in articles:
        annotate(article)  # warm caches (name lists, places) before timing
        ours: list[float] = []
        peer: list[float] = []
        for turn in range(runs):
            # which side goes first alternates run by run, so neither always runs
            # right after the other (caches, the collector's count of new objects)
            for side in ("peer", "ours") if turn % 2 == 0 else ("ours", "peer"):
                start = time.perf_counter()
                if side == "peer":
                    pipeline(nlp.analysable_text(article.text))
                else:
                    annotate(article)
                (peer if side == "peer" else ours).append(time.perf_counter() - start)
        ours_ms.append(statistics.median(ours) * 1000)
        peer_ms.append(statistics.median(peer) * 1000)
        ratios.append(ours_ms[-1] / peer_ms[-1])
    worst = max(range(len(ratios)), key=ratios.__getitem__)
    print(f"dev set: {len(articles)} articles, {runs} alternating runs each; components "
          f"{', '.join(pipeline.pipe_names)}")
    print(f"spaCy parse alone   median {statistics.median(peer_ms):7.1f} ms per article")
    print(f"whole analysis      median {statistics.median(ours_ms):7.1f} ms per article")
    print(f"ratio (per article) median {statistics.median(ratios):.3f} x   "
          f"worst {ratios[worst]:.3f} x ({articles[worst].word_count} words)   budget 1.10 x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--devset", action="store_true",
                        help="the 1.1x budget on the quotes dev set's articles")
    args = parser.parse_args()
    if args.devset:
        devset_ratio(args.runs)
        return

    start = time.perf_counter()
    nlp.load()
    load_ms = (time.perf_counter() - start) * 1000
    article = thousand_word_article()
    doc = nlp.parse(article)
    entities = extract_entities(doc, article)
    print(f"article: {article.word_count} words; model import+load {load_ms:.0f} ms")
    import spacy

    from reader.analysis import pool

    full = spacy.load(nlp.MODEL_NAME)  # the peer: the model's whole default pipeline
    pool.warm_up()
    rows = [
        ("peer: spaCy, full pipeline", lambda: full(article.text)),
        ("parse (spaCy)", lambda: nlp.parse(article)),
        ("entities", lambda: extract_entities(doc, article)),
        ("quotes", lambda: extract_quotes(doc, article, entities)),
        ("facts", lambda: extract_facts(doc, article, entities)),
        ("extractors together", lambda: annotate_doc(article, doc)),
        ("annotate (parse + all)", lambda: annotate_doc(article, nlp.parse(article))),
        ("reader's workers (2 cores)", lambda: pool.annotate_isolated(article)),
    ]
    results = {name: median_ms(func, args.runs) for name, func in rows}
    peer = results["peer: spaCy, full pipeline"]
    for name, value in results.items():
        print(f"{name:28s} median {value:7.1f} ms   ({value / peer:4.2f} x peer)")
    pool.shutdown()
    runs = [ui_stall_ms() for _ in range(5)]
    isolated = statistics.median(r[0] for r in runs)
    threaded = statistics.median(r[2] for r in runs)
    print(f"UI stall while the model loads (median of 5 runs, worst extra delay of a "
          f"10 ms timer): worker process {isolated:.1f} ms; in a UI thread {threaded:.1f} ms")


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
