"""Quote spans, speakers, cues and kinds on small articles written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reader.analysis import nlp
from reader.analysis.entities import extract_entities
from reader.analysis.quotes import extract_quotes
from reader.models import Article, Quote
from reader.plaintext import article_from_text

Extract = Callable[[str], list[Quote]]


@pytest.fixture(scope="module")
def quotes_in() -> Extract:
    nlp.load()

    def run(text: str) -> list[Quote]:
        article = article_from_text(text, title="")
        doc = nlp.parse(article)
        quotes = extract_quotes(doc, article, extract_entities(doc, article))
        _assert_offsets(article, quotes)
        return quotes

    return run


def _assert_offsets(article: Article, quotes: list[Quote]) -> None:
    for quote in quotes:
        assert article.text[quote.start:quote.end] == quote.text
        assert quote.text == quote.text.strip()
        assert not quote.text.startswith(("“", '"', "«", "„"))


def _only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, quotes
    return quotes[0]


@pytest.mark.parametrize("text", [
    "“We will not back down,” said Jens Stoltenberg, the NATO secretary general.",
    '"We will not back down," said Jens Stoltenberg, the NATO secretary general.',
    "«We will not back down,» said Jens Stoltenberg, the NATO secretary general.",
    "„We will not back down,“ said Jens Stoltenberg, the NATO secretary general.",
])
def test_every_style_of_quotation_mark(quotes_in: Extract, text: str) -> None:
    quote = _only(quotes_in(text))
    assert quote.text == "We will not back down"
    assert quote.speaker == "Jens Stoltenberg"
    assert quote.speaker_kind == "named"
    assert quote.speaker_entity is not None
    assert quote.cue == "said"
    assert quote.kind == "direct"


def test_nested_single_quotes_belong_to_the_outer_quote(quotes_in: Extract) -> None:
    quote = _only(quotes_in("“He told me ‘never again’ and I believed him,” Maria Lopez said."))
    assert quote.text == "He told me ‘never again’ and I believed him"
    assert quote.speaker == "Maria Lopez"


def test_quote_over_two_paragraphs_is_one_quote(quotes_in: Extract) -> None:
    text = ("“The first part of the plan is simple. We rebuild the bridge.\n\n"
            "“Then we reopen the port,” said the mayor, Anna Berg.")
    quote = _only(quotes_in(text))
    assert quote.text.startswith("The first part")
    assert quote.text.endswith("Then we reopen the port")
    assert "\n\n" in quote.text
    assert quote.speaker == "Anna Berg"


def test_quote_interrupted_by_attribution_after_the_first_part(quotes_in: Extract) -> None:
    text = ("Foreign Minister Annalena Baerbock arrived in Kyiv on Tuesday. "
            "“We are ready,” she said. “The talks start Monday.”")
    first, second = quotes_in(text)
    assert (first.text, second.text) == ("We are ready", "The talks start Monday.")
    assert first.speaker == second.speaker == "Annalena Baerbock"
    assert first.cue == "said"


def test_quote_interrupted_by_inverted_attribution(quotes_in: Extract) -> None:
    first, second = quotes_in('"The deal is done," said Pedro Alvarez, "and nobody can undo it."')
    assert first.text == "The deal is done"
    assert second.text == "and nobody can undo it."
    assert first.speaker == second.speaker == "Pedro Alvarez"


def test_colon_form(quotes_in: Extract) -> None:
    quote = _only(quotes_in("Pedro Alvarez said: “The deal is done.”"))
    assert (quote.speaker, quote.cue, quote.kind) == ("Pedro Alvarez", "said", "direct")


def test_said_that_form_is_a_direct_quote(quotes_in: Extract) -> None:
    quote = _only(quotes_in("Pedro Alvarez said that “the deal is done and nobody can undo it.”"))
    assert quote.speaker == "Pedro Alvarez"
    assert quote.kind == "direct"


def test_dash_form(quotes_in: Extract) -> None:
    quote = _only(quotes_in("“The price of freedom is eternal vigilance.” — Thomas Jefferson"))
    assert quote.speaker == "Thomas Jefferson"
    assert quote.speaker_kind == "named"


def test_standalone_quote_after_a_sentence_naming_its_speaker(quotes_in: Extract) -> None:
    text = "Jens Stoltenberg was blunt on Monday. “We will defend every inch of allied territory.”"
    quote = _only(quotes_in(text))
    assert quote.speaker == "Jens Stoltenberg"
    assert quote.cue is None


def test_pronoun_speaker_shows_the_full_name(quotes_in: Extract) -> None:
    text = ("Jens Stoltenberg spoke in Brussels on Monday.\n\n"
            "Later, Stoltenberg met the ministers. “We will not be divided,” he said.")
    quote = _only(quotes_in(text))
    assert quote.speaker == "Jens Stoltenberg"
    assert quote.speaker_kind == "named"
    assert quote.speaker_entity is not None


def test_next_paragraph_continues_the_previous_speaker(quotes_in: Extract) -> None:
    text = ("Maria Cantwell spoke first.\n\n“We need the money now,” she said.\n\n"
            "“The winter will not wait for Congress.”")
    first, second = quotes_in(text)
    assert first.speaker == second.speaker == "Maria Cantwell"


def test_the_official_is_the_earlier_unnamed_official(quotes_in: Extract) -> None:
    text = ("“The drones came from the east,” a NATO official said. "
            "“We tracked them for an hour,” the official added.")
    first, second = quotes_in(text)
    assert first.speaker == second.speaker == "a NATO official"
    assert second.speaker_kind == "unnamed"
    assert second.cue == "added"


def test_unnamed_source_is_kept_as_written(quotes_in: Extract) -> None:
    quote = _only(quotes_in("“We were not informed,” a spokesman for the ministry said."))
    assert quote.speaker == "a spokesman for the ministry"
    assert quote.speaker_kind == "unnamed"
    assert quote.speaker_entity is None


@pytest.mark.parametrize("text", [
    'NATO expelled eight "undeclared" Russian officers last week.',
    'The vote split the so-called "Squad" for the first time.',
    'The second advertisement, titled "Unfit", ran on Sunday.',
    'He appeared on "Meet the Press" on Sunday, his aides said.',
])
def test_scare_quotes_titles_and_nicknames_are_not_quotes(quotes_in: Extract,
                                                           text: str) -> None:
    assert quotes_in(text) == []


def test_partial_quote_inside_the_writers_sentence(quotes_in: Extract) -> None:
    text = "Vladimir Putin warned that anyone who interfered would \"regret\" it."
    quote = _only(quotes_in(text))
    assert quote.text == "regret"
    assert quote.kind == "partial"
    assert (quote.speaker, quote.cue) == ("Vladimir Putin", "warned")


def test_according_to(quotes_in: Extract) -> None:
    quote = _only(quotes_in('The plan is "dead on arrival," according to Senator Maria Cantwell.'))
    assert quote.speaker == "Maria Cantwell"
    assert quote.cue == "according to"


def test_quote_without_identifiable_speaker(quotes_in: Extract) -> None:
    quote = _only(quotes_in("The storm hit the coast at dawn. “Nobody saw this coming.”"))
    assert quote.speaker is None
    assert quote.speaker_entity is None
    assert quote.speaker_kind == "unknown"


def test_article_without_quotes(quotes_in: Extract) -> None:
    assert quotes_in("The council met on Tuesday and approved the budget.") == []
