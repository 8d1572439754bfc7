"""Time story grouping: 5,000 headlines from scratch (goal <= 2 s) and a refresh that adds
100 items to them (goal <= 200 ms).

    python tests/benchmarks/bench_stories.py [--runs 5] [--items 5000] [--new 100]

The headlines are generated here: about 1,400 invented events over 14 days (360 headlines
a day), each written up by two to five of twelve outlets within a day (a headline and a
25-word summary drawn from the event's three invented names and five words of its topic,
so events of one topic share vocabulary), and every tenth write-up republished word for
word by another outlet (wire copy). Pairwise precision and recall against the generated
events are printed too, as a sanity check (word-salad text: not a quality figure; the
hand-labelled set in score_stories.py is). Stored
through ``store_parsed`` in a fresh library (not timed).

Reported, as medians over the runs, in wall-clock time and in this process's CPU time
(the second is the fairer figure on a machine shared with other work):
* ``update_stories`` as a whole (read the items, features, grouping, write the stories);
* ``grouping`` alone (TF-IDF, similarities, assignment: ``UpdateReport.seconds``).
scikit-learn's import (paid once per process, in a worker in the TUI) is measured apart
in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from reader import feeds, stories
from reader.feeds.parse import ParsedFeed, ParsedItem
from reader.library import db as library

FROM_SCRATCH_GOAL = 2.0
REFRESH_GOAL = 0.2
OUTLETS = [f"Outlet {name}" for name in "ABCDEFGHIJKL"]
TOPICS = {
    "court": ("court judge ruling trial appeal verdict jury lawyer case charge prosecutor "
              "sentence bail fraud lawsuit damages witness hearing testimony acquitted "
              "convicted supreme tribunal injunction settlement").split(),
    "sport": ("match goal final cup league coach player win defeat season striker keeper "
              "transfer injury stadium derby title champion record marathon race medal "
              "tournament semifinal penalty").split(),
    "economy": ("bank rate inflation market shares profit budget tax jobs growth pension "
                "mortgage wages strike merger takeover exports deficit bond currency "
                "recession factory retail prices tariff").split(),
    "weather": ("storm flood rain wind warning evacuation river damage heat drought snow "
                "wildfire landslide hail frost temperature outage rescue shelter levee "
                "forecast tornado coast surge").split(),
    "politics": ("minister election vote party parliament resign bill poll cabinet law "
                 "senator mayor council referendum coalition opposition scandal inquiry "
                 "campaign reform treaty summit veto").split(),
    "science": ("launch satellite study researchers space mission vaccine data lab rocket "
                "telescope genome fossil climate ocean reactor probe orbit discovery "
                "species battery robot quantum").split(),
}
FILLER = "the on after in of for with at by as from near over new".split()
START = datetime(2026, 1, 1, tzinfo=UTC)


def pseudo_word(rng: random.Random) -> str:
    syllables = "ka lo ven tor mi sa dur el pa rin gos ta bel ur nox fi".split()
    return "".join(rng.choice(syllables) for _ in range(rng.randint(3, 4))).capitalize()


def generate(count: int, seed: int = 7, days: int = 14
             ) -> list[tuple[str, str, str, str, datetime]]:
    """(outlet, key, title, summary, published) for ``count`` items."""
    rng = random.Random(seed)
    items: list[tuple[str, str, str, str, datetime]] = []
    event = 0
    while len(items) < count:
        words = rng.sample(TOPICS[rng.choice(list(TOPICS))], 5)
        names = [pseudo_word(rng) for _ in range(3)]
        vocabulary = names + words
        when = START + timedelta(seconds=rng.uniform(0, days * 86400))
        for outlet in rng.sample(OUTLETS, rng.randint(2, 5)):
            if len(items) >= count:
                break
            at = when + timedelta(minutes=rng.uniform(0, 24 * 60))
            title = " ".join([*rng.sample(names, 2), *rng.sample(words, 3)]).capitalize()
            summary = " ".join(rng.choice(vocabulary if rng.random() < 0.6 else FILLER)
                               for _ in range(25)).capitalize() + "."
            items.append((outlet, f"e{event}-{outlet}", title, summary, at))
            if len(items) % 10 == 0 and len(items) < count:
                copy = rng.choice([o for o in OUTLETS if o != outlet])
                items.append((copy, f"e{event}-{outlet}-copy-{copy}", title, summary,
                              at + timedelta(minutes=20)))
        event += 1
    return items[:count]


def store(db: object, entries: list[tuple[str, str, str, str, datetime]]) -> None:
    assert hasattr(db, "execute")
    by_outlet: dict[str, list[ParsedItem]] = {}
    for outlet, key, title, summary, at in entries:
        by_outlet.setdefault(outlet, []).append(ParsedItem(
            key=key, title=title, link=f"https://{outlet[-1].lower()}.example/{key}",
            author=None, published=at.strftime("%Y-%m-%dT%H:%M:%SZ"), summary=summary,
            content=None, has_full_content=False))
    for outlet, parsed in by_outlet.items():
        feed_id, _ = feeds.subscribe(db, f"https://{outlet[-1].lower()}.example/feed")  # type: ignore[arg-type]
        feeds.store_parsed(db, feed_id, ParsedFeed(outlet, None, tuple(parsed)))  # type: ignore[arg-type]


def pairwise(found: list[stories.Story]) -> tuple[float, float]:
    """Pairwise precision and recall against the events the items were generated from
    (the event is the first part of each item's key, which ends its URL)."""
    event_of = {item.url: (item.url or "").rsplit("/", 1)[1].split("-", 1)[0]
                for story in found for item in story.items}
    by_event: dict[str, int] = {}
    for event in event_of.values():
        by_event[event] = by_event.get(event, 0) + 1
    true_pairs = sum(n * (n - 1) // 2 for n in by_event.values())
    found_pairs = hits = 0
    for story in found:
        events = [event_of[item.url] for item in story.items]
        found_pairs += len(events) * (len(events) - 1) // 2
        counts: dict[str, int] = {}
        for event in events:
            counts[event] = counts.get(event, 0) + 1
        hits += sum(n * (n - 1) // 2 for n in counts.values())
    return (hits / found_pairs if found_pairs else 1.0, hits / true_pairs if true_pairs else 1.0)


def import_seconds() -> float:
    code = ("import time; t = time.perf_counter(); "
            "import sklearn.feature_extraction.text; print(time.perf_counter() - t)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return float(result.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--new", type=int, default=100)
    args = parser.parse_args()
    entries = generate(args.items + args.new)
    # The refresh brings the newest items: the last ``new`` by date.
    entries.sort(key=lambda entry: entry[4])
    base, fresh = entries[:args.items], entries[args.items:]
    stories.update_stories  # noqa: B018 - the package is imported; sklearn on first use
    scratch_total, scratch_group, refresh_total, refresh_group = [], [], [], []
    scratch_cpu: list[float] = []
    refresh_cpu: list[float] = []
    scratch_group_cpu: list[float] = []
    refresh_group_cpu: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        seed = Path(folder) / "seed.sqlite3"
        db = library.connect(seed)
        store(db, base)
        db.close()
        for run in range(args.runs + 1):  # run 0 warms up (imports scikit-learn)
            path = Path(folder) / f"run{run}.sqlite3"
            shutil.copy(seed, path)
            db = library.connect(path)
            try:
                began, cpu = time.perf_counter(), time.process_time()
                report = stories.update_stories(db)
                total = time.perf_counter() - began
                scratch_cpu.append(time.process_time() - cpu)
                assert report.placed == len(base)
                store(db, fresh)
                began, cpu = time.perf_counter(), time.process_time()
                again = stories.update_stories(db)
                refresh = time.perf_counter() - began
                refresh_cpu.append(time.process_time() - cpu)
                assert again.placed == len(fresh)
                found = stories.list_stories(db)
            finally:
                db.close()
            if not run:
                scratch_cpu.clear()
                refresh_cpu.clear()
            else:
                scratch_total.append(total)
                scratch_group.append(report.seconds)
                scratch_group_cpu.append(report.cpu_seconds)
                refresh_group_cpu.append(again.cpu_seconds)
                refresh_total.append(refresh)
                refresh_group.append(again.seconds)
    multi = sum(1 for story in found if len(story.outlets) > 1)
    precision, recall = pairwise(found)
    print(f"{len(base)} headlines -> {len(found)} stories ({multi} with several outlets) "
          f"after +{len(fresh)}; against the generated events: pairwise precision "
          f"{precision:.3f}, recall {recall:.3f}")
    median = statistics.median
    print(f"from scratch: update_stories median {median(scratch_total):.3f} s wall, "
          f"{median(scratch_cpu):.3f} s CPU; grouping alone {median(scratch_group):.3f} s wall, "
          f"{median(scratch_group_cpu):.3f} s CPU "
          f"(goal <= {FROM_SCRATCH_GOAL} s)")
    print(f"refresh +{len(fresh)}: update_stories median {median(refresh_total) * 1000:.0f} ms "
          f"wall, {median(refresh_cpu) * 1000:.0f} ms CPU; grouping alone "
          f"{median(refresh_group) * 1000:.0f} ms wall, {median(refresh_group_cpu) * 1000:.0f} ms "
          f"CPU (goal <= {REFRESH_GOAL * 1000:.0f} ms)")
    print(f"runs: {args.runs} (after one warm-up); load average now {os.getloadavg()[0]:.1f}")
    print(f"scikit-learn import (once per process): {import_seconds():.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
