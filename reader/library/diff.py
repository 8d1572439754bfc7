"""What changed between two versions of one saved article (sites edit news silently).

Paragraphs are compared in order (difflib), quotes and facts by their normalised text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TypeVar

from reader.models import Annotated, Article, Fact, Quote
from reader.textutil import plural

_Item = TypeVar("_Item", Quote, Fact)


@dataclass(frozen=True)
class ArticleDiff:
    """What changed between two versions of one article (sites edit news silently)."""

    old_title: str
    new_title: str
    added_paragraphs: tuple[str, ...] = ()
    removed_paragraphs: tuple[str, ...] = ()
    added_quotes: tuple[Quote, ...] = ()
    removed_quotes: tuple[Quote, ...] = ()
    added_facts: tuple[Fact, ...] = ()
    removed_facts: tuple[Fact, ...] = ()

    @property
    def changed(self) -> bool:
        return self.old_title != self.new_title or any((
            self.added_paragraphs, self.removed_paragraphs, self.added_quotes,
            self.removed_quotes, self.added_facts, self.removed_facts))

    def summary(self) -> str:
        """One line for a notification or the CLI ("2 paragraphs added, 1 removed")."""
        if not self.changed:
            return "no changes"
        parts = ["title changed"] if self.old_title != self.new_title else []
        for name, added, removed in (
                ("paragraph", self.added_paragraphs, self.removed_paragraphs),
                ("quote", self.added_quotes, self.removed_quotes),
                ("fact", self.added_facts, self.removed_facts)):
            if added:
                parts.append(f"{plural(len(added), name)} added")
            if removed:
                parts.append(f"{plural(len(removed), name)} removed")
        return ", ".join(parts)


# ------------------------------------------------------------------------ diff


def diff_saved(old: Annotated, new: Annotated) -> ArticleDiff:
    """What a re-fetch changed: paragraphs, quotes and facts added or removed."""
    removed, added = _sequence_diff(_paragraphs(old.article), _paragraphs(new.article))
    removed_quotes, added_quotes = _by_text(old.quotes, new.quotes)
    removed_facts, added_facts = _by_text(old.facts, new.facts)
    return ArticleDiff(
        old_title=old.article.title, new_title=new.article.title,
        added_paragraphs=tuple(added), removed_paragraphs=tuple(removed),
        added_quotes=tuple(added_quotes), removed_quotes=tuple(removed_quotes),
        added_facts=tuple(added_facts), removed_facts=tuple(removed_facts))


def _normal(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(article: Article) -> list[str]:
    if article.blocks:
        texts = [article.block_text(b) for b in article.blocks]
    else:
        texts = article.text.split("\n\n")
    return [t for t in (_normal(x) for x in texts) if t]


def _sequence_diff(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """Removed and added items, in order; a moved paragraph shows as removed + added."""
    removed: list[str] = []
    added: list[str] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in {"replace", "delete"}:
            removed.extend(old[i1:i2])
        if tag in {"replace", "insert"}:
            added.extend(new[j1:j2])
    return removed, added


def _by_text(old: Sequence[_Item], new: Sequence[_Item]) -> tuple[list[_Item], list[_Item]]:
    """Items whose text appears only in the old (removed) or only in the new (added)."""
    return _unmatched(old, new), _unmatched(new, old)


def _unmatched(items: Sequence[_Item], others: Sequence[_Item]) -> list[_Item]:
    available = Counter(_normal(x.text) for x in others)
    left: list[_Item] = []
    for item in items:
        key = _normal(item.text)
        if available[key] > 0:
            available[key] -= 1
        else:
            left.append(item)
    return left
