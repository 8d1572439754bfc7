from __future__ import annotations

from reader.plaintext import article_from_text
from reader.sentences import sentence_spans


def test_sentences_split_at_ends_not_abbreviations_and_keep_closing_quotes() -> None:
    article = article_from_text(
        'T\n\nMr. Smith went to Washington, D.C. on Monday. "It was fine," he said. '
        "Then he left!\n\nA new paragraph.")
    texts = [article.text[a:b] for a, b in sentence_spans(article)]
    assert texts == ["Mr. Smith went to Washington, D.C. on Monday.",
                     '"It was fine," he said.', "Then he left!", "A new paragraph."]


def test_sentences_cover_each_block_in_order() -> None:
    article = article_from_text("T\n\nOne. Two.\n\n- A bullet without a stop")
    spans = sentence_spans(article)
    assert spans == sorted(spans)
    assert article.text[spans[-1][0]:spans[-1][1]] == "A bullet without a stop"
