"""Key facts grow linearly with the article: cost per 1,000 words at 1k, 5k and 20k words.

Run: python tests/benchmarks/bench_facts.py [--runs 5]

The long articles repeat the bundled demo article (reader/demo/harbour-strike.txt)
paragraph by paragraph until they reach the length. The parse is done once per length
and not timed: this measures ``extract_facts`` on the parsed Doc (body sentences,
ranking, figures, timeline), printed as the fastest of the runs (the machine is shared;
the minimum is the least disturbed) in ms per 1,000 words, with the ratio
of the 20k figure to the 1k one (about 1 when the cost is linear; the old sentence ×
block loop made it grow with the length).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader.analysis import nlp  # noqa: E402
from reader.analysis.entities import extract_entities  # noqa: E402
from reader.analysis.facts import extract_facts  # noqa: E402
from reader.models import Article  # noqa: E402
from reader.plaintext import article_from_text  # noqa: E402

DEMO = ROOT / "reader" / "demo" / "harbour-strike.txt"
LENGTHS = (1_000, 5_000, 20_000)


def article_of(words: int) -> Article:
    """The demo article's paragraphs, repeated in order until ``words`` words."""
    paragraphs = [p.strip() for p in DEMO.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    title, body = paragraphs[0], paragraphs[1:]
    chosen: list[str] = []
    count = 0
    while count < words:
        paragraph = body[len(chosen) % len(body)]
        chosen.append(paragraph)
        count += len(paragraph.split())
    return article_from_text("\n\n".join(chosen), title=title, published="2026-03-04")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    nlp.load()
    per_thousand: dict[int, float] = {}
    for words in LENGTHS:
        article = article_of(words)
        doc = nlp.parse(article)
        entities = extract_entities(doc, article)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            extract_facts(doc, article, entities)
            times.append(time.perf_counter() - started)
        actual = len(article.text.split())
        per_thousand[words] = min(times) * 1000 / (actual / 1000)
        print(f"{actual:>6} words: facts {min(times) * 1000:7.1f} ms "
              f"(median {statistics.median(times) * 1000:.1f}), "
              f"{per_thousand[words]:5.1f} ms per 1,000 words")
    ratio = per_thousand[LENGTHS[-1]] / per_thousand[LENGTHS[0]]
    print(f"cost per 1,000 words at 20k / at 1k: {ratio:.2f} (1.0 = linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
