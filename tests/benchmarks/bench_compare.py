"""Comparing five analysed articles (issue 14: figures compared across 5 articles in
≤ 100 ms after analysis).

Run: python tests/benchmarks/bench_compare.py [--runs 50]

Two sets of five, each analysed once and not timed (the parse is the analysis' cost, paid
before any comparison):

- "story": the three invented reports of one bridge closure in tests/fixtures/compare
  and the two bundled demo articles (about 100 to 600 words each);
- "long": five copies of the demo strike article repeated to 5,000 words each, so the
  quotes and entities to match are many (the quote matching is pairwise across outlets).

Timed: ``reader.stories.compare.compare`` as a whole (outlet summaries, names only some
mention, lone quotes, figures that disagree) and its figure step alone. Printed: the
median of the runs in ms (the machine is shared; the median is what a user would see).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader.analysis import annotate_many  # noqa: E402
from reader.models import Annotated, Article  # noqa: E402
from reader.plaintext import article_from_text  # noqa: E402
from reader.sources import load  # noqa: E402
from reader.stories.compare import _disagreements, compare, summarise  # noqa: E402

STORY = ROOT / "tests" / "fixtures" / "compare"
DEMO = ROOT / "reader" / "demo"
LONG_WORDS = 5_000


def story_articles() -> list[Article]:
    files = [STORY / "northgate-herald.txt", STORY / "valley-post.txt",
             STORY / "city-wire.html", DEMO / "harbour-strike.txt", DEMO / "river-data.html"]
    return [load(str(path)).article for path in files]


def long_articles() -> list[Article]:
    paragraphs = [p.strip() for p in (DEMO / "harbour-strike.txt").read_text(
        encoding="utf-8").split("\n\n") if p.strip()]
    title, body = paragraphs[0], paragraphs[1:]
    out = []
    for copy in range(5):
        chosen: list[str] = []
        count = 0
        while count < LONG_WORDS:
            paragraph = body[(len(chosen) + copy) % len(body)]
            chosen.append(paragraph)
            count += len(paragraph.split())
        out.append(article_from_text("\n\n".join(chosen), title=f"{title} ({copy + 1})",
                                     site=f"Outlet {copy + 1}"))
    return out


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(name: str, analysed: list[Annotated], runs: int) -> None:
    outlets = [summarise(a, i) for i, a in enumerate(analysed)]
    whole = median_ms(lambda: compare(analysed), runs)
    figures = median_ms(lambda: _disagreements(outlets), runs)
    coverage = compare(analysed)
    words = [a.article.word_count for a in analysed]
    print(f"{name}: 5 articles ({min(words):,}-{max(words):,} words, "
          f"{sum(len(a.quotes) for a in analysed)} quotes, "
          f"{sum(len(o.figures) for o in outlets)} figures, "
          f"{len(coverage.disagreements)} disagreements): "
          f"compare {whole:.2f} ms, figures alone {figures:.3f} ms (median of {runs})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    for name, articles in (("story", story_articles()), ("long", long_articles())):
        measure(name, list(annotate_many(articles)), args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
