"""Filters, newsboat's killfile: rules from the config that hide new items or mark them read.

A rule is a table in ``config.toml``::

    [[filter]]
    feed = "example.com"            # the feed's title, URL or site address
    title = "sponsored|podcast"     # the item's title
    author = "..."                  # the item's author
    tags = "..."                    # any tag of the feed
    action = "hide"                 # or "read"

Every field given is a regular expression searched case-insensitively, and all of them
must match; ``action`` says what happens to a matching item when it first arrives (at
refresh). "hide" keeps the item out of the lists (``reader feeds items --all`` shows it,
marked) and wins over "read". A rule that cannot be used (an invalid pattern, a pattern
that risks catastrophic backtracking, a missing action) is reported as one config problem
line and skipped: a typo in a filter never stops the reader.

Patterns come from the user but are matched against strangers' titles, so each match
has a time limit: patterns are compiled with the ``regex`` package (``re`` has no time
limit), at most :data:`MAX_PATTERN` characters, matched against at most
:data:`MAX_SUBJECT` characters for at most :data:`MATCH_SECONDS`; a rule that runs out of
time once is set aside for the rest of the run, so one bad pattern costs one time-out,
not one per item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import regex

Action = Literal["hide", "read"]
ACTIONS: tuple[Action, ...] = ("hide", "read")
FIELDS = ("feed", "title", "author", "tags")
MAX_PATTERN = 200
MAX_SUBJECT = 1000
MAX_RULES = 200
MATCH_SECONDS = 0.05


class FilterRuleError(ValueError):
    """Why a pattern or rule cannot be used (one short line)."""


@dataclass(frozen=True, eq=False)
class FilterRule:
    action: Action
    feed: regex.Pattern[str] | None = None
    title: regex.Pattern[str] | None = None
    author: regex.Pattern[str] | None = None
    tags: regex.Pattern[str] | None = None
    timed_out: list[bool] = field(default_factory=list, repr=False)
    """Set once a match ran out of time: the rule is then left out."""

    def matches(self, *, feed: Sequence[str], title: str, author: str | None,
                tags: Sequence[str]) -> bool:
        """All the rule's fields match; ``feed`` is the feed's title and URL."""
        if self.timed_out:
            return False
        try:
            return (_any(self.feed, feed) and _any(self.title, (title,))
                    and _any(self.author, (author or "",)) and _any(self.tags, tags))
        except TimeoutError:
            self.timed_out.append(True)
            return False


def _any(pattern: regex.Pattern[str] | None, subjects: Iterable[str]) -> bool:
    if pattern is None:
        return True
    return any(pattern.search(subject[:MAX_SUBJECT], timeout=MATCH_SECONDS)
               for subject in subjects)


def compile_pattern(text: str) -> regex.Pattern[str]:
    """A user's pattern, case-insensitive, or :class:`FilterRuleError` saying why not."""
    if not text:
        raise FilterRuleError("is empty")
    if len(text) > MAX_PATTERN:
        raise FilterRuleError(f"is longer than {MAX_PATTERN} characters")
    try:
        return regex.compile(text, regex.IGNORECASE | regex.VERSION0)
    except regex.error as error:
        raise FilterRuleError(f"is not a valid regular expression ({error})") from None


def parse_rules(tables: object, problems: list[str]) -> tuple[FilterRule, ...]:
    """The ``[[filter]]`` tables of a config, each checked on its own; the bad ones become
    lines in ``problems`` (numbered from 1, in file order) and are left out."""
    if not isinstance(tables, list):
        problems.append("filter must be written as [[filter]] tables (no filters used)")
        return ()
    rules: list[FilterRule] = []
    for number, table in enumerate(tables[:MAX_RULES], start=1):
        try:
            rules.append(_rule(table))
        except FilterRuleError as problem:
            problems.append(f"filter {number}: {problem} (rule skipped)")
    if len(tables) > MAX_RULES:
        problems.append(f"only the first {MAX_RULES} filters are used")
    return tuple(rules)


def _rule(table: object) -> FilterRule:
    if not isinstance(table, dict):
        raise FilterRuleError("must be a table")
    action = table.get("action", "hide")
    if action not in ACTIONS:
        raise FilterRuleError('action must be "hide" or "read"')
    unknown = sorted(str(key)[:30] for key in table if key not in (*FIELDS, "action"))
    if unknown:
        raise FilterRuleError(f"unknown key {unknown[0]!r} (use {', '.join(FIELDS)}, action)")
    patterns: dict[str, regex.Pattern[str]] = {}
    for name in FIELDS:
        if name not in table:
            continue
        value = table[name]
        if not isinstance(value, str):
            raise FilterRuleError(f"{name} must be text")
        try:
            patterns[name] = compile_pattern(value)
        except FilterRuleError as problem:
            raise FilterRuleError(f"{name} {problem}") from None
    if not patterns:
        raise FilterRuleError(f"needs at least one of {', '.join(FIELDS)}")
    return FilterRule(action=action, feed=patterns.get("feed"), title=patterns.get("title"),
                      author=patterns.get("author"), tags=patterns.get("tags"))


def verdict(rules: Sequence[FilterRule], *, feed: Sequence[str], title: str,
            author: str | None, tags: Sequence[str]) -> Action | None:
    """What the rules do to one item: "hide" (wins), "read", or None."""
    result: Action | None = None
    for rule in rules:
        if rule.matches(feed=feed, title=title, author=author, tags=tags):
            if rule.action == "hide":
                return "hide"
            result = "read"
    return result
