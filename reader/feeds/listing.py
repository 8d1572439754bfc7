"""Which headlines the home screen lists, in which order: pure logic, no Textual.

The screen holds one :class:`~reader.headline_query.HeadlineIndex` of every item and asks a
:class:`Listing` for the indices to show, given what the reader chose: a feed, a query
feed (view) or all feeds; unread only or not; the ``/`` filter; the sort order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from reader.headline_query import HeadlineIndex, Query, QueryError, View, parse_query

SORTS = ("date", "feed")


@dataclass(frozen=True)
class Listing:
    """What the reader chose; ``select`` applies it to an index."""

    feed_id: int | None = None
    view: View | None = None
    unread_only: bool = False
    search: str = ""
    sort: str = "date"

    def with_(self, **changes: object) -> Listing:
        return replace(self, **changes)  # type: ignore[arg-type]

    def select(self, index: HeadlineIndex, now: datetime | None = None,
               earlier: tuple[Listing, list[int]] | None = None) -> list[int]:
        """Indices of the items to list, in order; raises QueryError for a bad search.

        ``earlier`` is the listing shown before with what it selected: when this one only
        types on in the search (same choice, toggles and sort), only those are looked at.
        """
        search = parse_query(self.search, now) if self.search.strip() else Query("")
        if earlier is not None:
            before, selected = earlier
            old = parse_query(before.search, now) if before.search.strip() else Query("")
            if before.with_(search=self.search) == self and search.narrows(old):
                # What was found already holds every earlier term: check only the new ones.
                new = tuple(term for term in search.terms if term not in old.terms)
                return index.select(Query(self.search, new), selected)
        chosen: Sequence[int] | None = None
        if self.feed_id is not None:
            chosen = [i for i, fid in enumerate(index.feed_ids) if fid == self.feed_id]
        elif self.view is not None:
            chosen = index.select(parse_query(self.view.query, now))
        if self.unread_only:
            items = index.items
            chosen = [i for i in (range(len(items)) if chosen is None else chosen)
                      if not items[i].read]
        selected = index.select(search, chosen)
        if self.sort == "feed":
            items = index.items  # a stable sort: newest first within each feed
            selected.sort(key=lambda i: items[i].feed_title.casefold())
        return selected


def view_counts(index: HeadlineIndex, views: Sequence[View],
                now: datetime | None = None) -> list[tuple[int, int] | None]:
    """(unread, total) of each view, or None for a view whose query no longer reads."""
    counts: list[tuple[int, int] | None] = []
    for view in views:
        try:
            selected = index.select(parse_query(view.query, now))
        except QueryError:
            counts.append(None)
            continue
        counts.append((sum(1 for i in selected if not index.items[i].read), len(selected)))
    return counts
