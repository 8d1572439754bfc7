"""Stories under hostile feeds: a flood of one text must not make grouping quadratic."""

from __future__ import annotations

import time
from pathlib import Path

from reader import feeds, stories
from reader.feeds.parse import ParsedFeed, ParsedItem
from reader.library import db as library

SPAM = ("Win a free cruise today: click the link, enter your details and our team will call "
        "you back within the hour with your prize.")


def test_three_thousand_copies_of_one_item_group_quickly_into_one_row(tmp_path: Path) -> None:
    db = library.connect(tmp_path / "library.sqlite3")
    try:
        for outlet in ("a", "b", "c"):
            items = tuple(ParsedItem(key=f"{outlet}{n}", title="You have won",
                                     link=f"https://{outlet}.example/{n}", author=None,
                                     published=f"2026-03-02T{n % 24:02d}:{n % 60:02d}:00Z",
                                     summary=SPAM, content=None, has_full_content=False)
                          for n in range(1000))
            feed_id, _ = feeds.subscribe(db, f"https://{outlet}.example/feed")
            feeds.store_parsed(db, feed_id, ParsedFeed(outlet, None, items))
        began = time.process_time()
        report = stories.update_stories(db)
        spent = time.process_time() - began
        found = stories.list_stories(db)
    finally:
        db.close()
    assert report.placed == 3000
    assert len(found) == 1 and len(found[0].rows) == 1
    assert len(found[0].rows[0].also_in) == 2999
    assert spent < 20, f"{spent:.1f} s of CPU for 3,000 copies"
