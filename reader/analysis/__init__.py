"""Analysis: one parse per article, read by the entity, quote and fact extractors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from reader.models import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from reader.models import Annotated


def annotate_doc(article: Article, doc: Doc) -> Annotated:
    """Run every extractor over an already parsed article."""
    from reader.analysis.entities import extract_entities
    from reader.analysis.facts import extract_facts
    from reader.analysis.quotes import extract_quotes
    from reader.annotation_models import Annotated

    entities = tuple(extract_entities(doc, article))
    quotes = tuple(extract_quotes(doc, article, entities))
    facts = tuple(extract_facts(doc, article, entities))
    return Annotated(article=article, entities=entities, quotes=quotes, facts=facts)


def annotate(article: Article) -> Annotated:
    """Find the entities, quotes and key facts of an article."""
    # Imported here: the reader imports this package (for its worker) before its first
    # frame, and the parser's module is needed only in the worker.
    from reader.analysis import nlp

    return annotate_doc(article, nlp.parse(article))


def annotate_many(articles: Iterable[Article]) -> Iterator[Annotated]:
    """Annotate several articles, parsing them in batches with ``nlp.pipe``."""
    from reader.analysis import nlp

    items = list(articles)
    for article, doc in zip(items, nlp.parse_many(items), strict=True):
        yield annotate_doc(article, doc)
