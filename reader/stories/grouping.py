"""Assigning items to stories: pure computation, no database.

Items are taken oldest first. Each joins the story of an earlier item it duplicates (wire
copy: most of its three-word shingles recur), else the story its event tokens match best
(TF-IDF cosine, scikit-learn), else it starts a story of its own. A story lasts
``WINDOW_SECONDS`` from its first item: later items start a new one.

Joining is deliberately strict (wrong grouping is worse than none): the item must be very
close to one member (``JOIN_BEST``) *and* close on average to the members it is compared
with (``JOIN_MEAN``), so a story about one court case does not swallow the next case of
the same person merely because both name her. Already-assigned items are never moved,
which is what makes a refresh cheap: only the new items are compared, and only with items
inside their time window.

scikit-learn (and NumPy/SciPy with it) is imported on first use, not when the package is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.stories.features import Features

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from scipy.sparse import csr_matrix

WINDOW_SECONDS = 48 * 3600
# Cosine of TF-IDF event tokens (tuned on tests/fixtures/stories/dev, see score_stories.py).
JOIN_BEST = 0.30
JOIN_MEAN = 0.18
# Duplicates: share of the smaller item's shingles found in the other, and Jaccard.
DUPLICATE_CONTAINMENT = 0.7
DUPLICATE_JACCARD = 0.5
DUPLICATE_MIN_SHINGLES = 4
# Bounds that keep a flood of one text (a feed repeating an item thousands of times) from
# making the work quadratic: each item looks at its closest neighbours only, and a story is
# judged by its first write-ups.
MAX_NEIGHBOURS = 200
MAX_HEADS = 50
# Similarities below this count as none (a story's mean is then a little lower: stricter).
SIMILARITY_FLOOR = 0.08
_HASH_FEATURES = 2**20


@dataclass(frozen=True)
class Doc:
    """One feed item or saved article as the grouping sees it."""

    key: str            # "item:12" or "saved:3": unique, stable
    time: float         # seconds since the epoch (published, else first seen)
    features: Features
    url: str | None = None  # the same address twice is the same article (saved from a feed)


@dataclass(frozen=True)
class Placed:
    """An item already in a story (it stays there)."""

    doc: Doc
    story: int
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Assignment:
    """Where a new item goes. ``story`` < 0 names a new story (the same negative number for
    every item of that new story); ``duplicate_of`` is the key of the copy it repeats."""

    key: str
    story: int
    duplicate_of: str | None = None
    score: float = 0.0


@dataclass
class _Story:
    started: float
    heads: list[int] = field(default_factory=list)  # indices of non-duplicate members


def _matrices(docs: Sequence[Doc]) -> tuple[csr_matrix, csr_matrix]:
    """(L2-normalised TF-IDF of event tokens, binary shingle incidence), one row per doc.

    Hashing keeps the feature space fixed, so a refresh can compare new items with old ones
    without a vocabulary fitted on everything; the IDF comes from the docs at hand (the
    new items and their time window), which is the corpus that matters for them.
    """
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    def identity(tokens: Iterable[str]) -> Iterable[str]:
        return tokens

    counts = HashingVectorizer(analyzer=identity, n_features=_HASH_FEATURES,
                               alternate_sign=False, norm=None).transform(
        [doc.features.words for doc in docs])
    events = TfidfTransformer(sublinear_tf=True).fit_transform(counts).tocsr()
    shingles = HashingVectorizer(analyzer=identity, n_features=_HASH_FEATURES,
                                 alternate_sign=False, norm=None, binary=True).transform(
        [sorted(doc.features.shingles) for doc in docs]).tocsr()
    return events, shingles


def assign(placed: Sequence[Placed], new: Sequence[Doc],
           story_starts: dict[int, float] | None = None) -> list[Assignment]:
    """Stories for ``new`` items, given the ``placed`` items of their time window.

    ``story_starts`` gives the first date of the placed items' stories when some of their
    members lie outside the window handed in (the window counts from a story's start).
    """
    if not new:
        return []
    import numpy as np

    order = sorted(range(len(new)), key=lambda i: (new[i].time, new[i].key))
    docs: list[Doc] = [p.doc for p in placed] + [new[i] for i in order]
    first_new = len(placed)
    events, shingles = _matrices(docs)
    sizes = [len(doc.features.shingles) for doc in docs]
    times = [doc.time for doc in docs]
    time_array = np.array(times, dtype=np.float64)
    similar = _near(events, first_new, time_array, SIMILARITY_FLOOR)
    overlap = _near(shingles, first_new, time_array, 1.0)

    story_of: list[int | None] = [None] * len(docs)
    duplicate_of: list[str | None] = [None] * len(docs)
    stories: dict[int, _Story] = {}
    for index, item in enumerate(placed):
        story_of[index] = item.story
        duplicate_of[index] = item.duplicate_of
        start = (story_starts or {}).get(item.story, item.doc.time)
        story = stories.setdefault(item.story, _Story(start))
        story.started = min(story.started, start, item.doc.time)
        if item.duplicate_of is None:
            story.heads.append(index)

    by_url = {doc.url: i for i, doc in enumerate(docs[:first_new]) if doc.url}
    result: list[Assignment] = []
    next_new = -1
    for row in range(len(docs) - first_new):
        index = first_new + row
        doc = docs[index]
        sims = similar[row]
        copy = by_url.get(doc.url) if doc.url else None
        if copy is None:
            copy = _duplicate_of(index, overlap[row], sizes, times, story_of, stories)
        if doc.url:
            by_url.setdefault(doc.url, index)
        if copy is not None:
            story_id = story_of[copy]
            assert story_id is not None
            original = duplicate_of[copy] or docs[copy].key
            story_of[index], duplicate_of[index] = story_id, original
            result.append(Assignment(doc.key, story_id, original, 1.0))
            continue
        chosen, score = _best_story(index, sims, times, story_of, stories)
        if chosen is None:
            chosen = next_new
            next_new -= 1
            stories[chosen] = _Story(doc.time)
        story_of[index] = chosen
        stories[chosen].heads.append(index)
        stories[chosen].started = min(stories[chosen].started, doc.time)
        result.append(Assignment(doc.key, chosen, None, score))
    return result


def _near(matrix: csr_matrix, first_new: int, times: NDArray[np.float64], floor: float,
          block: int = 256) -> list[dict[int, float]]:
    """For each new row (``first_new`` on, oldest first), its products with every earlier doc
    of at least ``floor`` that lies near enough in time to matter: two windows, since both
    may belong to a story that started between them. The products are taken block by block,
    each block against the docs of its own time span only."""
    import numpy as np

    order = np.argsort(times, kind="stable")
    ordered_times = times[order]
    reach = 2 * WINDOW_SECONDS
    found: list[dict[int, float]] = []
    for begin in range(first_new, matrix.shape[0], block):
        rows = np.arange(begin, min(begin + block, matrix.shape[0]))
        low = int(np.searchsorted(ordered_times, times[rows].min() - reach, side="left"))
        high = int(np.searchsorted(ordered_times, times[rows].max() + reach, side="right"))
        columns = order[low:high]
        product = (matrix[rows] @ matrix[columns].T).tocsr()
        for offset, row in enumerate(rows.tolist()):
            start, end = product.indptr[offset], product.indptr[offset + 1]
            others = columns[product.indices[start:end]]
            values = product.data[start:end]
            # Only docs placed before this one can take it in (placed docs come first,
            # then the new ones oldest first).
            keep = (others < row) & (values >= floor) & \
                (np.abs(times[others] - times[row]) <= reach)
            others, values = others[keep], values[keep]
            if len(values) > MAX_NEIGHBOURS:  # a flood of one text: its closest suffice
                top = np.argpartition(-values, MAX_NEIGHBOURS)[:MAX_NEIGHBOURS]
                others, values = others[top], values[top]
            found.append(dict(zip(others.tolist(), values.tolist(), strict=True)))
    return found


def _in_window(time: float, story: _Story) -> bool:
    return abs(time - story.started) <= WINDOW_SECONDS


def _duplicate_of(index: int, shared: dict[int, float], sizes: list[int], times: list[float],
                  story_of: list[int | None], stories: dict[int, _Story]) -> int | None:
    """The earlier item this one copies (most shingles in common), if any."""
    best, best_share = None, 0.0
    mine = sizes[index]
    for other, count in shared.items():
        story = story_of[other]
        if other == index or story is None or not _in_window(times[index], stories[story]):
            continue
        smaller = min(mine, sizes[other])
        if smaller < DUPLICATE_MIN_SHINGLES:
            continue
        containment = count / smaller
        jaccard = count / (mine + sizes[other] - count)
        if containment >= DUPLICATE_CONTAINMENT and jaccard >= DUPLICATE_JACCARD \
                and containment > best_share:
            best, best_share = other, containment
    return best


def _best_story(index: int, sims: dict[int, float], times: list[float],
                story_of: list[int | None], stories: dict[int, _Story]
                ) -> tuple[int | None, float]:
    """The story this item joins, with its score, or (None, best score seen)."""
    candidates: dict[int, float] = defaultdict(float)
    for other, value in sims.items():
        owner = story_of[other]
        if other != index and owner is not None and value > candidates[owner]:
            candidates[owner] = value
    chosen: int | None = None
    chosen_mean, seen = 0.0, 0.0
    for story_id, best in candidates.items():
        seen = max(seen, best)
        story = stories[story_id]
        if best < JOIN_BEST or not _in_window(times[index], story):
            continue
        heads = story.heads[:MAX_HEADS]
        mean = sum(sims.get(head, 0.0) for head in heads) / max(1, len(heads))
        if mean >= JOIN_MEAN and mean > chosen_mean:
            chosen, chosen_mean = story_id, mean
    return chosen, (chosen_mean if chosen is not None else seen)

