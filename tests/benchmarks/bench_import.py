"""Import speed: a generated Pocket CSV of 10,000 links into a fresh library, no fetching.

Run: ``python tests/benchmarks/bench_import.py [--rows N] [--runs R]``

The CSV is synthetic (invented titles on example.org, two to four tags, a mix of unread
and archive, one row in a hundred without a URL so the skip path is exercised). Each run
imports into a new library file; the time covers recognising the file, parsing every
row and storing every article with its tags, state and search index (one transaction).
A second import of the same file into the same library (nothing new) is timed as well.
Prints items/s (median of the runs).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader.library import store
from reader.library.importers import detect, read_export
from reader.library.importing import import_parsed

WORDS = ("harbour council river bakery train election budget storm school museum market "
         "bridge festival garden library ferry quay factory hospital stadium").split()
TAGS = "politics economy climate health local world tech sport culture to-read".split()


def pocket_csv(rows: int, seed: int = 15) -> bytes:
    rng = random.Random(seed)
    lines = ["title,url,time_added,cursor,tags,status"]
    for n in range(rows):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        url = "" if n % 100 == 99 else f"https://news.example.org/{n}/{title.split()[0]}"
        tags = "|".join(rng.sample(TAGS, rng.randint(2, 4)))
        status = "archive" if rng.random() < 0.6 else "unread"
        lines.append(f"\"{title}\",{url},{1_600_000_000 + n * 613},c{n},{tags},{status}")
    return ("\n".join(lines) + "\n").encode()


def import_once(data: bytes, library: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    parsed = read_export(data, "pocket.csv", detect(data, "pocket.csv"))
    with store.opened(library) as db:
        report = import_parsed(db, parsed)
    return time.perf_counter() - start, report.items, len(report.problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = pocket_csv(args.rows)
    fresh: list[float] = []
    again: list[float] = []
    items = skipped = 0
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            library = Path(folder) / f"library-{run}.sqlite3"
            seconds, items, skipped = import_once(data, library)
            fresh.append(seconds)
            again.append(import_once(data, library)[0])
    first, second = statistics.median(fresh), statistics.median(again)
    print(f"Pocket CSV, {args.rows} rows ({len(data) / 1024:.0f} KB): {items} articles, "
          f"{skipped} rows skipped")
    print(f"  import into a new library: {first:.2f} s = {items / first:,.0f} items/s "
          f"(median of {args.runs})")
    print(f"  the same file again:       {second:.2f} s = {items / second:,.0f} items/s "
          "(nothing added)")


if __name__ == "__main__":
    main()
