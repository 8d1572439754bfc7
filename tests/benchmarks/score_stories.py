"""Score story grouping on the hand-labelled feed fixtures in tests/fixtures/stories/.

    python tests/benchmarks/score_stories.py [dev|test] [--errors]

Each fixture item goes through the real path: one JSON Feed per outlet, parsed by
``parse_feed``, stored by ``store_parsed`` in a fresh library, grouped by
``update_stories``. Reported: pairwise precision and recall of "same story" (every pair of
items, against the labels), and the share of wire groups (the same agency copy on several
sites) drawn as one row. Targets: P >= 0.90, R >= 0.80, wire copies 100%.
Tune on dev; run test only to report.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader import feeds, stories
from reader.library import db as library

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


@dataclass(frozen=True)
class Labelled:
    label: str           # the story (event) the item reports
    wire: str | None     # the agency copy it carries, if any
    title: str
    feed: str


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_fixture(db: sqlite3.Connection, name: str = "test") -> dict[str, Labelled]:
    """Subscribe to the fixture's outlets and store their items; {item url: labels}."""
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    outlets: dict[str, list[dict[str, str]]] = {}
    truth: dict[str, Labelled] = {}
    for story in data["stories"]:
        for number, entry in enumerate(story["items"]):
            feed, title, summary, published = entry[:4]
            wire = entry[4] if len(entry) > 4 else None
            url = f"https://{slug(feed)}.example/{story['label']}/{number}"
            outlets.setdefault(feed, []).append({"id": url, "url": url, "title": title,
                                                 "summary": summary,
                                                 "date_published": published})
            truth[url] = Labelled(story["label"], wire, title, feed)
    for feed, entries in outlets.items():
        address = f"https://{slug(feed)}.example/feed.json"
        body = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": feed,
                           "items": entries}).encode()
        feed_id, _ = feeds.subscribe(db, address)
        feeds.store_parsed(db, feed_id, feeds.parse_feed(body, url=address))
    return truth


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    true_pairs: int
    predicted_pairs: int
    wire_groups: int
    wire_collapsed: int
    false_pairs: tuple[tuple[str, str], ...]
    missed_pairs: tuple[tuple[str, str], ...]


def score(found: list[stories.Story], truth: dict[str, Labelled]) -> Score:
    story_of = {item.url: story.id for story in found for item in story.items}
    row_of = {copy.url: (story.id, row.item.url) for story in found for row in story.rows
              for copy in (row.item, *row.also_in)}
    urls = sorted(truth)
    same_true = {(a, b) for a, b in combinations(urls, 2) if truth[a].label == truth[b].label}
    same_found = {(a, b) for a, b in combinations(urls, 2)
                  if a in story_of and story_of.get(a) == story_of.get(b)}
    hits = len(same_true & same_found)
    wires: dict[str, list[str]] = {}
    for url, labelled in truth.items():
        if labelled.wire:
            wires.setdefault(labelled.wire, []).append(url)
    collapsed = sum(1 for group in wires.values()
                    if len({row_of.get(url) for url in group}) == 1 and group[0] in row_of)
    return Score(precision=hits / len(same_found) if same_found else 1.0,
                 recall=hits / len(same_true) if same_true else 1.0,
                 true_pairs=len(same_true), predicted_pairs=len(same_found),
                 wire_groups=len(wires), wire_collapsed=collapsed,
                 false_pairs=tuple(sorted(same_found - same_true)),
                 missed_pairs=tuple(sorted(same_true - same_found)))


def run(name: str) -> tuple[Score, dict[str, Labelled]]:
    with tempfile.TemporaryDirectory() as folder:
        db = library.connect(Path(folder) / "library.sqlite3")
        try:
            truth = load_fixture(db, name)
            stories.update_stories(db)
            return score(stories.list_stories(db), truth), truth
        finally:
            db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split", nargs="?", default="dev", choices=("dev", "test"))
    parser.add_argument("--errors", action="store_true", help="list wrong and missed pairs")
    args = parser.parse_args()
    result, truth = run(args.split)
    print(f"{args.split}: {len(truth)} items, {len({t.label for t in truth.values()})} stories")
    print(f"pairwise precision {result.precision:.3f} recall {result.recall:.3f} "
          f"({result.predicted_pairs} pairs found, {result.true_pairs} true)")
    print(f"wire copies collapsed: {result.wire_collapsed}/{result.wire_groups}")
    if args.errors:
        for kind, pairs in (("wrong", result.false_pairs), ("missed", result.missed_pairs)):
            for a, b in pairs:
                print(f"{kind}: {truth[a].title!r} ~ {truth[b].title!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
