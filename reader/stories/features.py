"""What an item says, reduced to the tokens that tell one event from another.

Two kinds of features per item:

* **event tokens** — content words of the headline (counted twice: a headline names the
  event), the summary or the article's lead, numbers, and the named entities the analysis
  found in a saved article. Stop words go, plurals and possessives fold, so "Harbour
  workers strike" and "harbour worker's strike" meet. These feed TF-IDF and cosine.
* **shingles** — overlapping runs of three words of the body (summary or lead) or, when
  the item has no body, of the headline. Wire copy republished on another site shares
  nearly all of them even under a new headline; two write-ups of one event share few.

Only the lead of a fetched or saved article is read (``LEAD_WORDS``): a headline-only
item and a 2,000-word article are then compared on similar amounts of text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

LEAD_WORDS = 80
SHINGLE_SIZE = 3
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d")

# Short on purpose: words that say nothing about which event a story is. The list of the
# field (scikit-learn's ENGLISH_STOP_WORDS) is added at first use, lazily, with the rest of
# scikit-learn.
_NEWS_WORDS = frozenset("""
says said say saying tells told new news update updates latest live report reports
reported week weeks day days today yesterday tomorrow monday tuesday wednesday thursday
friday saturday sunday year years month months time times just amid after over ahead
could would may might will also us mr mrs ms dr one two first last more most
""".split())


@dataclass(frozen=True)
class Features:
    """The tokens of one item; ``words`` repeats a token as often as it counts."""

    words: tuple[str, ...]
    shingles: frozenset[str]
    body_words: int


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _NEWS_WORDS


_STOP: frozenset[str] | None = None


def stop_words() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    return _STOP


def fold(word: str) -> str:
    """Lower case, possessive and plural folded: "Workers'" and "worker" meet."""
    return _fold(unicodedata.normalize("NFKC", word).casefold())


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """:func:`fold` of a word already normalised and casefolded (cached: news repeats)."""
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'.-")
    if _NUMBER.search(word):
        return word.replace(",", "")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words_of(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return [_fold(word) for word in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    stop = stop_words()
    return [w for w in words_of(text) if w and w not in stop and (len(w) > 1 or w.isdigit())]


def lead(text: str, limit: int = LEAD_WORDS) -> str:
    return " ".join(text.split()[:limit])


def features(title: str, body: str, entities: tuple[str, ...] = ()) -> Features:
    """The features of an item with headline ``title`` and ``body`` (summary or text)."""
    body = lead(body)
    headline = content_words(title)
    words = [*headline, *headline, *content_words(body)]
    for name in entities:
        key = "_".join(words_of(name))
        if key:
            words.append("ent:" + key)
    source = words_of(body) if len(body.split()) >= 8 else words_of(title)
    shingles = frozenset(" ".join(source[i:i + SHINGLE_SIZE])
                         for i in range(max(0, len(source) - SHINGLE_SIZE + 1)))
    return Features(tuple(words), shingles, len(body.split()))
