"""The key-facts analyser as the key-facts scorer calls it: article text in, sentences out.

Used by ``/work/shared/tools/score_keyfacts.py -s keyfacts_adapter:key_sentences``; it
goes through the same public steps as ``reader.annotate`` (plain-text article, one
parse, entities, facts) so the score measures what the reader shows.
"""

from __future__ import annotations

from reader.analysis import nlp
from reader.analysis.entities import extract_entities
from reader.analysis.facts import extract_facts
from reader.plaintext import article_from_text

SUMMARY_SENTENCES = 3


def key_sentences(text: str) -> list[str]:
    """The top three key points, in the order they appear in the article."""
    article = article_from_text(text, title="")
    doc = nlp.parse(article)
    facts = extract_facts(doc, article, extract_entities(doc, article))
    points = [f for f in facts if f.kind == "key_point"][:SUMMARY_SENTENCES]
    return [f.text for f in sorted(points, key=lambda f: f.start)]
