"""Finding a reader's highlight again after the article text has changed.

News sites edit articles silently and our extractor improves, so a saved highlight's
``[start, end)`` offsets may point at the wrong words after a re-fetch or re-extraction.
Each highlight therefore also keeps the text it covered and a little context on either
side (an :class:`Anchor`). :func:`relocate` looks for that text in the new article, trying
the most trustworthy evidence first:

1. the exact text with its exact context (the paragraph around it is unchanged);
2. the exact text alone, the occurrence nearest the old position (context edited);
3. a fuzzy match of the text (a typo fixed, a word changed), if it is close enough.

When none of those succeed the highlight is reported as lost rather than pinned to some
unrelated words: a wrong highlight is worse than a missing one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

CONTEXT_CHARS = 30
# A fuzzy match must be this similar to the highlighted text (difflib ratio, 0..1).
FUZZY_THRESHOLD = 0.75
# How many of the best word-overlap windows are refined character by character.
FUZZY_CANDIDATES = 4
# How far (in words) a fuzzy window's edges may move while being refined.
FUZZY_SLACK_WORDS = 3

Method = Literal["unchanged", "context", "nearest", "fuzzy"]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Anchor:
    """Where a highlight was, and the words that let us find it again."""

    start: int
    end: int
    text: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placement:
    """Where an anchor landed in the new text and how sure we are (``method``)."""

    start: int
    end: int
    method: Method


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Anchor:
    """Capture the highlighted words and their surroundings from the current text."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"highlight [{start}, {end}) is outside the text (0..{len(text)})")
    return Anchor(start=start, end=end, text=text[start:end],
                  prefix=text[max(0, start - context):start], suffix=text[end:end + context])


def relocate(anchor: Anchor, text: str) -> Placement | None:
    """The new offsets of ``anchor`` in ``text``, or None when it cannot be found."""
    if not anchor.text:
        return None
    if _fits_in_place(anchor, text):
        return Placement(anchor.start, anchor.end, "unchanged")
    starts = _occurrences(text, anchor.text)
    with_context = [s for s in starts if _context_matches(anchor, text, s)]
    if with_context:
        start = _nearest(with_context, anchor.start)
        return Placement(start, start + len(anchor.text), "context")
    if starts:
        start = _nearest(starts, anchor.start)
        return Placement(start, start + len(anchor.text), "nearest")
    return _fuzzy(anchor, text)


def relocate_all(anchors: Iterable[Anchor], text: str
                 ) -> tuple[list[tuple[Anchor, Placement]], list[Anchor]]:
    """Relocate several anchors; returns (found with their placements, lost)."""
    found: list[tuple[Anchor, Placement]] = []
    lost: list[Anchor] = []
    for anchor in anchors:
        placement = relocate(anchor, text)
        if placement is None:
            lost.append(anchor)
        else:
            found.append((anchor, placement))
    return found, lost


def _fits_in_place(anchor: Anchor, text: str) -> bool:
    return (text[anchor.start:anchor.end] == anchor.text
            and _context_matches(anchor, text, anchor.start))


def _context_matches(anchor: Anchor, text: str, start: int) -> bool:
    """Both neighbours agree; context clipped by the text's edges counts as agreeing."""
    end = start + len(anchor.text)
    before = text[max(0, start - len(anchor.prefix)):start]
    after = text[end:end + len(anchor.suffix)]
    return (before == anchor.prefix[len(anchor.prefix) - len(before):]
            and after == anchor.suffix[:len(after)])


def _occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    position = text.find(needle)
    while position != -1:
        found.append(position)
        position = text.find(needle, position + 1)
    return found


def _nearest(starts: Sequence[int], old_start: int) -> int:
    return min(starts, key=lambda s: (abs(s - old_start), s))


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]


def _fuzzy(anchor: Anchor, text: str) -> Placement | None:
    """Best window of ``text`` whose characters resemble the highlighted text.

    Comparing the highlight against every substring would be quadratic, so windows are
    first ranked by how many of the highlight's words they share (cheap), and only the
    best few are refined with difflib by moving their edges a few words either way.
    """
    wanted = [w for _, _, w in _words(anchor.text)]
    words = _words(text)
    if not wanted or not words:
        return None
    best: tuple[float, int, int] | None = None
    for first in _candidate_windows(wanted, [w for _, _, w in words]):
        candidate = _refine(anchor, text, words, first, len(wanted))
        if candidate is not None and (best is None or _better(candidate, best, anchor)):
            best = candidate
    if best is None or best[0] < FUZZY_THRESHOLD:
        return None
    return Placement(best[1], best[2], "fuzzy")


def _better(candidate: tuple[float, int, int], best: tuple[float, int, int],
            anchor: Anchor) -> bool:
    if candidate[0] != best[0]:
        return candidate[0] > best[0]
    return abs(candidate[1] - anchor.start) < abs(best[1] - anchor.start)


def _candidate_windows(wanted: list[str], words: list[str]) -> list[int]:
    """Start indexes of the word windows sharing the most words with the highlight."""
    size = min(len(wanted), len(words))
    target = Counter(wanted)
    window = Counter(words[:size])
    shared = sum((window & target).values())
    scores = [(shared, 0)]
    for first in range(1, len(words) - size + 1):
        leaving, entering = words[first - 1], words[first + size - 1]
        if leaving != entering:
            shared -= 1 if window[leaving] <= target[leaving] else 0
            window[leaving] -= 1
            window[entering] += 1
            shared += 1 if window[entering] <= target[entering] else 0
        scores.append((shared, first))
    scores.sort(key=lambda item: (-item[0], item[1]))
    return [first for shared, first in scores[:FUZZY_CANDIDATES] if shared > 0]


def _refine(anchor: Anchor, text: str, words: list[tuple[int, int, str]], first: int,
            size: int) -> tuple[float, int, int] | None:
    """Move a window's left edge, then its right edge, to where it best matches the text."""
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(anchor.text)
    last_word = len(words) - 1
    left, right = first, min(last_word, first + size - 1)

    def score(left_word: int, right_word: int) -> tuple[float, int, int]:
        start, end = _extend_to_punctuation(anchor, text, words[left_word][0],
                                            words[right_word][1])
        matcher.set_seq1(text[start:end])
        if matcher.real_quick_ratio() < FUZZY_THRESHOLD:
            return (0.0, start, end)
        return (matcher.ratio(), start, end)

    lefts = range(max(0, left - FUZZY_SLACK_WORDS), min(right, left + FUZZY_SLACK_WORDS) + 1)
    best_left = max(lefts, key=lambda i: (score(i, right)[0], -abs(i - left)))
    rights = range(max(best_left, right - FUZZY_SLACK_WORDS),
                   min(last_word, right + FUZZY_SLACK_WORDS) + 1)
    best_right = max(rights, key=lambda j: (score(best_left, j)[0], -abs(j - right)))
    best = score(best_left, best_right)
    return best if best[0] > 0 else None


def _extend_to_punctuation(anchor: Anchor, text: str, start: int, end: int) -> tuple[int, int]:
    """Keep the punctuation the highlight began or ended with (a closing period, a quote)."""
    lead = len(anchor.text) - len(anchor.text.lstrip("\"'“‘([—- "))
    trail = len(anchor.text) - len(anchor.text.rstrip(".,;:!?\"'”’)] "))
    if lead and text[max(0, start - lead):start] == anchor.text[:lead]:
        start -= lead
    if trail and text[end:end + trail] == anchor.text[len(anchor.text) - trail:]:
        end += trail
    return start, end
