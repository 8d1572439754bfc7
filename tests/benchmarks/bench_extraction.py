"""Time per page: reader's extraction against plain readability, measured in turns.

The scorer (``../shared/tools/score_extraction.py``) runs one extractor after the other,
so on a shared machine a load spike lands on one of them. Here each page is extracted by
readability (``Document(html).summary()`` and ``text_content()``, as the scorer does) and
then by reader, page after page, and the medians and their ratio are printed. The issue's
budget is reader ≤ 1.3 × readability.

    python tests/benchmarks/bench_extraction.py [--data DIR] [--rounds N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.extraction_adapter import body_text  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "extraction"


def plain_readability(html: str, url: str) -> str:
    import lxml.html
    from readability import Document

    node = lxml.html.fromstring(Document(html).summary())
    return str(node.text_content()) if isinstance(node, lxml.html.HtmlElement) else ""


def load(data: Path) -> list[tuple[str, str]]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for item in sorted(truth):
        with gzip.open(data / "html" / f"{item}.html.gz", "rt", encoding="utf-8") as handle:
            pages.append((handle.read(), truth[item].get("url", "")))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    pages = load(args.data)
    plain_readability(*pages[0])
    body_text(*pages[0])                   # warm-up: imports are not billed to page 1
    peer: list[float] = []
    ours: list[float] = []
    for _ in range(args.rounds):
        for html, url in pages:
            start = time.perf_counter()
            plain_readability(html, url)
            middle = time.perf_counter()
            body_text(html, url)
            end = time.perf_counter()
            peer.append(middle - start)
            ours.append(end - middle)
    peer_ms = statistics.median(peer) * 1000
    ours_ms = statistics.median(ours) * 1000
    per_page = statistics.median(o / p for o, p in zip(ours, peer, strict=True))
    print(f"{len(pages)} pages x {args.rounds} rounds from {args.data}")
    print(f"readability median {peer_ms:.1f} ms/page, reader median {ours_ms:.1f} ms/page")
    print(f"ratio of medians {ours_ms / peer_ms:.2f}, median per-page ratio {per_page:.2f}, "
          f"total ratio {sum(ours) / sum(peer):.2f} (budget 1.30)")


if __name__ == "__main__":
    main()
