"""Library scale benchmark: list, search and save with 10,000 saved articles.

Run: ``python tests/benchmarks/bench_library.py [--articles N] [--library PATH]``

Articles are synthetic (no spaCy): ~800 words in paragraphs drawn from a Zipf-shaped
vocabulary, with entities, quotes and facts as the analysis would store them, a page of
HTML as the source and a few tags and highlights. Targets from the issue: listing (first
page of 100 by saved time, plus the total) <= 300 ms, search <= 50 ms median, saving an
article <= 50 ms median. Also reports the database size per article.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.library import search as library_search
from reader.library import store
from reader.models import (
    Annotated,
    Article,
    Block,
    Entity,
    Fact,
    Highlight,
    Mention,
    Quote,
)

FIRST = ("James Maria Robert Linda Ahmed Mei Olga Pierre Kwame Sofia Liam Aisha Tomas "
         "Hannah Diego Priya Yusuf Elena Marcus Ingrid").split()
LAST = ("Okafor Lindqvist Moreau Tanaka Castillo Novak Brennan Haddad Kowalski Osei "
        "Fischer Romero Nakamura Duarte Petrov Gallagher Sato Mensah Varga Olsen").split()
ORG_WORDS = ("Ministry Council Bank Agency Union Institute Authority Commission Group "
             "Holdings Partners Foundation").split()
PLACES = ("Westport Eastbrook Northfield Lakeside Ridgeway Millford Ashton Crestview "
          "Harborough Kingsbridge Oakhurst Riverton Stonegate Brookhaven Fairmont").split()
FUNCTION_WORDS = ("the of and to a in that is for on with as was by at it from be "
                  "has have are said its an will this which but not were after more").split()
SPEECH = ("said told added explained warned argued insisted").split()
TAGS = ("politics economy climate health local world tech sport culture to-read").split()
WORDS_PER_ARTICLE = 800


class Corpus:
    """Deterministic random text with a news-like word distribution."""

    def __init__(self, seed: int = 20260305) -> None:
        self.rng = random.Random(seed)
        syllables = ["ba", "ro", "ten", "mi", "sal", "ve", "dor", "ka", "lin", "pre", "mon",
                     "ta", "quin", "ser", "vol", "ha", "nu", "ric", "po", "gen"]
        vocabulary = {"".join(self.rng.choice(syllables) for _ in range(self.rng.randint(2, 4)))
                      for _ in range(12_000)}
        self.vocabulary = FUNCTION_WORDS + sorted(vocabulary)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(self.vocabulary))]
        self.cumulative = list(_accumulate(weights))
        self.people = [f"{f} {last}" for f in FIRST for last in LAST]          # 400
        self.orgs = [f"{p} {w}" for p in PLACES for w in ORG_WORDS]            # 180
        self.boilerplate = self._boilerplate()

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def sentence(self, length: int) -> str:
        words = self.words(length)
        return " ".join(words).capitalize() + "."

    def _boilerplate(self) -> str:
        """Navigation, scripts and footers: most of a real news page's bytes."""
        parts = []
        for i in range(300):
            token = f"{self.rng.getrandbits(64):016x}"
            parts.append(f'<li class="nav-item n{i}"><a href="/section/{token}" '
                         f'data-track="{token[:8]}">{" ".join(self.words(3))}</a></li>')
        parts.append("<script>window.__STATE__=" + "".join(
            f"{self.rng.getrandbits(32):08x}" for _ in range(1500)) + "</script>")
        return "\n".join(parts)

    def article(self, number: int) -> tuple[Annotated, bytes, list[str]]:
        """One synthetic article, its HTML page and its tags."""
        rng = self.rng
        people = rng.sample(self.people, 6)
        orgs = rng.sample(self.orgs, 4)
        places = rng.sample(PLACES, 3)
        title = f"{places[0]} {' '.join(self.words(6))} {orgs[0]}".strip()
        paragraphs: list[str] = []
        quotes: list[tuple[str, str]] = []
        written = 0
        while written < WORDS_PER_ARTICLE:
            sentences = [self.sentence(rng.randint(12, 24)) for _ in range(rng.randint(2, 4))]
            if rng.random() < 0.3:
                speaker = rng.choice(people)
                quoted = self.sentence(rng.randint(10, 20))[:-1]
                quotes.append((quoted, speaker))
                sentences.append(f'"{quoted}," {speaker} {rng.choice(SPEECH)}.')
            else:
                sentences.insert(1, f"{rng.choice(people)} of {rng.choice(orgs)} met officials"
                                    f" in {rng.choice(places)} on Tuesday.")
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            written += len(paragraph.split())
        text = "\n\n".join(paragraphs)
        blocks, position = [], 0
        for paragraph in paragraphs:
            blocks.append(Block("paragraph", position, position + len(paragraph)))
            position += len(paragraph) + 2
        article = Article(text=text, title=title, url=f"https://news{number % 40}.example.com/"
                          f"{number // 40}/{'-'.join(title.lower().split()[:5])}",
                          byline=f"By {rng.choice(self.people)}", site=f"News {number % 40}",
                          published=f"2025-{1 + number % 12:02d}-{1 + number % 28:02d}",
                          blocks=tuple(blocks))
        entities = _entities(text, [(p, "PERSON") for p in people]
                             + [(o, "ORG") for o in orgs] + [(p, "GPE") for p in places])
        quote_models = tuple(_quote(text, q, s, entities) for q, s in quotes)
        facts = tuple(Fact(text=text[b.start:b.end].split(". ")[0], start=b.start,
                           end=b.start + len(text[b.start:b.end].split(". ")[0]),
                           kind="sentence", score=round(rng.random(), 3)) for b in blocks[:5])
        highlight_block = blocks[min(2, len(blocks) - 1)]
        highlights = (Highlight(highlight_block.start, highlight_block.start + 60,
                                " ".join(self.words(8)), "2026-01-01T00:00:00Z"),) \
            if rng.random() < 0.3 else ()
        annotated = Annotated(article, entities, quote_models, facts, highlights)
        page = ("<!doctype html><html><head><title>" + title + "</title></head><body><nav><ul>"
                + self.boilerplate + "</ul></nav><article>"
                + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")
        tags = rng.sample(TAGS, rng.randint(0, 2))
        return annotated, page.encode(), tags


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out


def _entities(text: str, named: list[tuple[str, str]]) -> tuple[Entity, ...]:
    entities = []
    for number, (name, label) in enumerate(named, start=1):
        mentions, i = [], text.find(name)
        while i != -1:
            mentions.append(Mention(i, i + len(name), name))
            i = text.find(name, i + 1)
        surname = name.split()[-1]
        if label == "PERSON":
            mentions.extend(Mention(j, j + len(surname), surname)
                            for j in _find_all(text, f" {surname} ", offset=1))
        if mentions:
            entities.append(Entity(f"e{number}", name, label, tuple(mentions)))
    return tuple(entities)


def _find_all(text: str, needle: str, offset: int = 0) -> list[int]:
    found, i = [], text.find(needle)
    while i != -1:
        found.append(i + offset)
        i = text.find(needle, i + 1)
    return found


def _quote(text: str, quoted: str, speaker: str, entities: tuple[Entity, ...]) -> Quote:
    start = text.index(quoted)
    entity = next((e.id for e in entities if e.name == speaker), None)
    return Quote(quoted, start, start + len(quoted), speaker, entity, "said", "direct", "named")


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def fill(path: Path, corpus: Corpus, start: int, stop: int) -> float:
    """Save articles ``start..stop``, spread over a year of saved times."""
    started = time.perf_counter()
    with store.opened(path) as db:
        for number in range(start, stop):
            annotated, page, tags = corpus.article(number)
            day = number * 365 // max(stop, 1)
            store.save(db, annotated, source=page, source_type="text/html", tags=tags,
                       now=f"2025-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T"
                           f"{number % 24:02d}:{number % 60:02d}:00Z")
            if number > start and number % 1000 == 0:
                rate = (number - start) / (time.perf_counter() - started)
                print(f"  … {number} saved ({rate:.0f}/s)", flush=True)
    return time.perf_counter() - started


def report(name: str, times: list[float], target: float | None) -> None:
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1] if len(times) >= 20 else max(times)
    verdict = "" if target is None else ("  OK" if median <= target else "  OVER TARGET")
    limit = "" if target is None else f" (target ≤ {target:.0f} ms)"
    print(f"{name:<34} median {median:7.2f} ms   p95 {p95:7.2f} ms   max {max(times):7.2f} ms"
          f"{limit}{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--library", type=Path, help="reuse/keep the library at this path")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    path = args.library or folder / "library.sqlite3"
    corpus = Corpus()
    try:
        with store.opened(path) as db:
            existing = store.list_articles(db, limit=1).total
        if existing < args.articles:
            print(f"generating {args.articles - existing} synthetic articles into {path}")
            seconds = fill(path, corpus, existing, args.articles)
            print(f"  filled in {seconds:.1f} s")
        run(path, corpus, args.articles)
    finally:
        if args.library is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def run(path: Path, corpus: Corpus, count: int) -> None:
    with store.opened(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = store.list_articles(db, limit=1).total
        words = db.execute("SELECT avg(word_count) FROM saved_articles").fetchone()[0]
        source_bytes = db.execute("SELECT sum(length(source)) FROM saved_articles").fetchone()[0]
        text_bytes = db.execute("SELECT sum(length(CAST(text AS BLOB))) FROM saved_articles"
                                ).fetchone()[0]
    size = path.stat().st_size
    print(f"\nlibrary: {total} articles, {words:.0f} words on average, file {size / 1e6:.1f} MB")
    print(f"size per article: {size / total / 1024:.1f} KiB in all "
          f"(compressed source page {source_bytes / total / 1024:.1f} KiB, clean text "
          f"{text_bytes / total / 1024:.1f} KiB; the rest is analysis JSON, search index, "
          f"lookup rows)")

    cold_started = time.perf_counter()
    with store.opened(path) as db:
        first_page = store.list_articles(db)
    cold = (time.perf_counter() - cold_started) * 1000
    assert len(first_page.rows) == 100 and first_page.total == total
    print(f"\n{'list: open + first page (cold)':<34} {cold:7.2f} ms (target ≤ 300 ms)"
          f"{'  OK' if cold <= 300 else '  OVER TARGET'}")

    with store.opened(path) as db:
        report("list: first 100 rows + total", timed(lambda: store.list_articles(db), 30), 300)
        report("list: page 50 (offset 4900)",
               timed(lambda: store.list_articles(db, offset=4900), 10), 300)

        sample = corpus.article(123_456)[0]
        person = next(e.name for e in sample.entities if e.label == "PERSON")
        rare = corpus.vocabulary[5000]
        queries = [person, "Westport", "said", "the council", f'"{rare}"', "officials Tuesday",
                   "tag:climate", f"speaker:{person.split()[-1]}", "minis*", corpus.vocabulary[40],
                   f"{corpus.vocabulary[300]} {corpus.vocabulary[900]}", "Ashton Bank"]
        times: list[float] = []
        per_query: list[tuple[float, str, int]] = []
        for query in queries:
            runs = timed(lambda q=query: library_search.search(db, q), 5)  # type: ignore[misc]
            times.extend(runs)
            hits = len(library_search.search(db, query))
            per_query.append((statistics.median(runs), query, hits))
        report(f"search ({len(queries)} queries × 5)", times, 50)
        for median, query, hits in sorted(per_query, reverse=True):
            print(f"    {median:7.2f} ms  {query!r} ({hits} hits shown)")

        report("entity across library", timed(
            lambda: library_search.articles_mentioning(db, [person, person.split()[-1]]), 10),
            None)
        report("quotes by speaker",
               timed(lambda: library_search.quotes_by_speaker(db, person), 10), None)
        report("open one article (get)", timed(lambda: store.get(db, total // 2), 20), None)

        fresh = [corpus.article(count + 1000 + i) for i in range(40)]
        save_times = []
        for annotated, page, tags in fresh:
            started = time.perf_counter()
            store.save(db, annotated, source=page, source_type="text/html", tags=tags)
            save_times.append((time.perf_counter() - started) * 1000)
        report("save a new article", save_times, 50)
        again = []
        for annotated, page, tags in fresh[:20]:
            started = time.perf_counter()
            store.save(db, annotated, source=page, source_type="text/html", tags=tags)
            again.append((time.perf_counter() - started) * 1000)
        report("save again (update, re-anchor)", again, 50)
        for annotated, _, _ in fresh:
            article_id = store.find_by_url(db, annotated.article.url or "")
            if article_id is not None:
                store.delete(db, article_id)
    print(f"\n(sqlite {sqlite3.sqlite_version}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs)")


if __name__ == "__main__":
    raise SystemExit(main())
