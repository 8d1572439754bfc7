"""A small query language over headlines, for the home screen's ``/`` and query feeds.

One query is a list of terms, all of which must hold (AND):

- ``word`` or ``"two words"``: in the title, the summary or the feed's name (any case);
- ``unread`` / ``read``: the item's reading state;
- ``tag:x``: the item's feed carries tag ``x`` (any case);
- ``feed:x``: the feed's name or address contains ``x``;
- ``since:2d``: published (or first seen) in the last 2 days (``h``, ``d``, ``w``), or
  since a date, ``since:2026-03-01``;
- ``-term``: any of these negated, as ``-tag:sport`` or ``-podcast``.

Unknown ``name:value`` tokens are plain words, so a headline like "3:1 win" is
searchable; only a bad value of a known field (``since:soon``) is an error.

:class:`HeadlineIndex` keeps what matching needs for every item in flat lists, so a
filter over 20,000 headlines is one pass of substring tests, quick enough to run on
every keystroke.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from reader.errors import ReaderError

if TYPE_CHECKING:  # the config reads queries too: keep the feeds package out of its imports
    from reader.feeds.subscriptions import Feed, Item

FIELDS = ("tag", "feed", "since")
_SINCE = re.compile(r"^(\d{1,5})([hdw])$")
_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}


class QueryError(ReaderError):
    """A query that cannot be read; the message says which term and why."""


@dataclass(frozen=True)
class Term:
    """One condition: ``kind`` is "word", "read", "unread", "tag", "feed" or "since"."""

    kind: str
    value: str = ""
    negated: bool = False
    since: datetime | None = None


@dataclass(frozen=True)
class Query:
    """A parsed query; an empty one matches every headline."""

    text: str
    terms: tuple[Term, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def only_words(self) -> bool:
        """Every term a word that must be there (no state, field or negation)."""
        return all(term.kind == "word" and not term.negated for term in self.terms)

    def narrows(self, earlier: Query) -> bool:
        """True when every headline this matches also matches ``earlier`` because it was
        typed on from it (each earlier word is inside a word here): a search can then
        look only at what the earlier one found."""
        return (self.text.startswith(earlier.text) and self.only_words
                and earlier.only_words)


def _since(value: str, now: datetime) -> datetime:
    match = _SINCE.match(value.lower())
    if match:
        return now - int(match.group(1)) * _UNITS[match.group(2)]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(f"since:{value} is not a time: use since:12h, since:2d, since:3w "
                         "or since:2026-03-01") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _tokens(text: str) -> list[str]:
    """Split like a shell (quotes group words); an unclosed quote closes at the end, as
    it does while the reader is still typing."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        return _tokens(text + '"') if text.count('"') % 2 else text.split()


def parse_query(text: str, now: datetime | None = None) -> Query:
    """Read ``text``; raises :class:`QueryError` for a bad value of a known field."""
    now = now or datetime.now(UTC)
    terms: list[Term] = []
    for token in _tokens(text):
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        name, colon, value = body.partition(":")
        lowered = name.lower()
        if not colon and lowered in ("read", "unread"):
            terms.append(Term(lowered, negated=negated))
        elif colon and lowered in FIELDS:
            if not value:
                raise QueryError(f"{lowered}: needs a value, as {lowered}:"
                                 f"{'2d' if lowered == 'since' else 'news'}")
            since = _since(value, now) if lowered == "since" else None
            terms.append(Term(lowered, value.casefold(), negated, since))
        elif body:
            terms.append(Term("word", body.casefold(), negated))
    return Query(text, tuple(terms))


def _stamp(item: Item) -> float:
    """When the item was published, else first seen, as a POSIX time (0 when unknown)."""
    for value in (item.published, item.first_seen):
        if value:
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    return 0.0


class HeadlineIndex:
    """What a query reads of each item, kept in flat lists in the items' order."""

    def __init__(self, items: Sequence[Item], feeds: Iterable[Feed]) -> None:
        self.items = list(items)
        by_id = {feed.id: feed for feed in feeds}
        self.text = ["\x1f".join((i.title, i.summary, i.feed_title)).casefold()
                     for i in self.items]
        self.feed_ids = [i.feed_id for i in self.items]
        self.stamps = [_stamp(i) for i in self.items]
        self.tags = {fid: frozenset(t.casefold() for t in f.tags) for fid, f in by_id.items()}
        self.feed_names = {fid: f"{f.title}\x1f{f.url}".casefold() for fid, f in by_id.items()}

    def __len__(self) -> int:
        return len(self.items)

    def select(self, query: Query, among: Iterable[int] | None = None) -> list[int]:
        """Indices (in ``among``, default all, in that order) of the items that match."""
        text = self.text
        terms = list(query.terms)
        if among is None and terms and terms[0].kind == "word" and not terms[0].negated:
            first = terms.pop(0).value  # the common first pass, over every headline
            selected = [i for i, haystack in enumerate(text) if first in haystack]
        else:
            selected = list(range(len(self.items)) if among is None else among)
        for term in terms:
            value, negated = term.value, term.negated
            if term.kind == "word":  # the common case, kept to one comparison per item
                selected = [i for i in selected if (value in text[i]) != negated]
            else:
                selected = [i for i in selected if self._holds(term, i) != negated]
        return selected

    def _holds(self, term: Term, index: int) -> bool:
        kind = term.kind
        if kind == "word":
            return term.value in self.text[index]
        if kind == "unread":
            return not self.items[index].read
        if kind == "read":
            return self.items[index].read
        feed_id = self.feed_ids[index]
        if kind == "tag":
            return term.value in self.tags.get(feed_id, frozenset())
        if kind == "feed":
            return term.value in self.feed_names.get(feed_id, "")
        assert term.since is not None
        return self.stamps[index] >= term.since.timestamp()


@dataclass(frozen=True)
class View:
    """A query feed from the config: a name and the query it lists."""

    name: str
    query: str
