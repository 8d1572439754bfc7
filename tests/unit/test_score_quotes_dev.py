"""The dev-set scorer's own rules: folding, name comparison, quote and entity matching.

Toy sentences only; nothing here reads the shared evaluation data or loads spaCy.
"""

from __future__ import annotations

from tests.benchmarks.score_quotes_dev import (
    EntityScore,
    GoldArticle,
    GoldName,
    GoldQuote,
    SystemQuote,
    fold,
    head_matches,
    locate_all,
    match_quotes,
    name_key,
    score_entities,
    speaker_right,
    word_span,
    word_texts,
    words,
)

TEXT = ("‘I’d be over the moon,’ said Locke. ‘It’s a great club. "
        "‘The players did it,’ he added. The club said: “We are delighted.” "
        "Fans sang ‘Super Gary’ all night.")


def article(quotes: tuple[GoldQuote, ...] = (), ignored: tuple[str, ...] = ()) -> GoldArticle:
    return GoldArticle(
        id="toy-1", topic="sport", quotes=quotes, ignored_quotes=ignored,
        people=(GoldName("Gary Locke"), GoldName("Dee Ann Smith-Jones", ("Dee Ann Smith",))),
        organisations=(GoldName("Kilmarnock FC", ("Killie",)), GoldName("The Daily Planet")),
        ignored_names=("Premiership",))


def system_quote(text: str, snippet: str, speaker: str | None,
                 confidence: float = 0.0) -> SystemQuote:
    start = text.index(snippet)
    first, last = word_span(words(text), start, start + len(snippet))
    return SystemQuote(first, last, snippet, speaker, confidence)


def test_fold_straightens_quotes_and_drops_accents_keeping_offsets() -> None:
    raw = "‘Pérez’s “goal”’"
    assert fold(raw) == "'perez's \"goal\"'"
    assert len(fold(raw)) == len(raw)


def test_words_ignore_punctuation_and_keep_inner_apostrophes() -> None:
    assert word_texts("‘I’d be over the moon,’ said Locke.") == [
        "i'd", "be", "over", "the", "moon", "said", "locke"]
    first = words("  “Hello”, she said")[0]
    assert (first.text, first.start, first.end) == ("hello", 3, 8)


def test_name_key_drops_honorifics_possessives_and_full_stops_but_not_job_titles() -> None:
    assert name_key("Mr Gary Locke's") == name_key("gary  locke") == ("gary", "locke")
    assert name_key("Arnold O. Jones") == name_key("Arnold O Jones")
    assert name_key("Judge Arnold Jones") != name_key("Arnold Jones")
    assert name_key("Mr Recorder Ann Lee QC") == name_key("Recorder Ann Lee")
    assert name_key("Jean-Luc Petit") == ("jean", "luc", "petit")
    assert name_key("The New York Times", organisation=True) == name_key("New York Times")


def test_head_noun_of_an_unnamed_speaker_matches_singular_or_plural() -> None:
    assert head_matches("spokesman", "a club spokesman")
    assert head_matches("protesters", "a protester")
    assert head_matches("spokeswomen", "the spokeswoman")
    assert not head_matches("spokesman", "Gary Locke")


def test_quote_starts_are_found_in_order_even_when_words_repeat() -> None:
    text_words = word_texts("he said yes . she said yes . they said no")
    assert locate_all(text_words, ["said yes", "said yes", "said no", "absent words"]) == [
        1, 4, 7, -1]


def test_speaker_comparison_by_kind() -> None:
    gold = article()
    named = GoldQuote("x", "Dee Ann Smith-Jones", "named", "surname")
    assert speaker_right(named, "Ms Dee Ann Smith-Jones", gold)
    assert speaker_right(named, "Dee Ann Smith", gold)  # an alias the article uses
    assert not speaker_right(named, "Smith-Jones", gold)  # a surname is not the full name
    organisation = GoldQuote("x", "Kilmarnock FC", "organisation", "description")
    assert speaker_right(organisation, "Killie", gold)
    assert not speaker_right(organisation, "Kilmarnock", gold)
    unnamed = GoldQuote("x", "spokesman", "unnamed", "description")
    assert speaker_right(unnamed, "a Kilmarnock spokesman", gold)
    assert not speaker_right(unnamed, None, gold)
    nobody = GoldQuote("x", None, "none", "none")
    assert speaker_right(nobody, None, gold)
    assert not speaker_right(nobody, "Gary Locke", gold)


def test_quote_matching_with_slack_containment_ignored_and_false_quotes() -> None:
    gold = article(quotes=(
        GoldQuote("I'd be over the moon", "Gary Locke", "named", "surname"),
        GoldQuote("It's a great club", "Gary Locke", "named", "continuation"),
        GoldQuote("The players did it", "Gary Locke", "named", "pronoun"),
        GoldQuote("We are delighted", "Kilmarnock FC", "organisation", "description"),
    ), ignored=("Super Gary",))
    system = [
        # one quote spanning the first two paragraphs: both gold quotes are detected
        system_quote(TEXT, "I’d be over the moon,’ said Locke. ‘It’s a great club.",
                     "Gary Locke", 0.9),
        # starts two words late: still the same quote
        system_quote(TEXT, "players did it", "Locke", 0.8),
        system_quote(TEXT, "Super Gary", None),
        system_quote(TEXT, "all night", "Fans", 0.7),
    ]
    result = match_quotes(gold, words(TEXT), system)
    assert [r.how for r in result.results] == ["start", "inside", "start", "missed"]
    assert [r.right for r in result.results] == [True, True, False, False]
    assert result.ignored == 1  # "Super Gary" counts neither way
    assert result.system_total == 3 and result.system_right == 2
    assert [q.text for q in result.false_quotes] == ["all night"]
    # confident: the spanning quote (right), "players did it" (wrong speaker), "all night"
    assert (result.confident, result.confident_right) == (3, 1)


def test_a_quote_far_from_the_gold_start_does_not_match() -> None:
    gold = article(quotes=(GoldQuote("We are delighted", "Kilmarnock FC", "organisation",
                                     "description"),))
    result = match_quotes(gold, words(TEXT), [system_quote(TEXT, "The players did it", None)])
    assert result.results[0].how == "missed"
    assert len(result.false_quotes) == 1


def test_entity_scoring_counts_partial_names_duplicates_and_label_confusions() -> None:
    scores = {"PERSON": EntityScore("PERSON"), "ORG": EntityScore("ORG")}
    system = [
        ("Gary Locke", "PERSON"), ("Locke", "PERSON"),  # exact + a duplicate surname
        ("Smith-Jones", "PERSON"),  # only a part of the full name
        ("Killie", "PERSON"),  # an organisation labelled as a person
        ("Premiership", "ORG"),  # ignored either way
        ("Daily Planet", "ORG"), ("Rugby Park", "ORG"),
    ]
    score_entities(article(), system, scores)
    person, org = scores["PERSON"], scores["ORG"]
    assert (person.system, person.correct, person.gold, person.found) == (4, 3, 2, 1)
    assert (person.partial_only, person.duplicates, person.other_label) == (1, 1, 1)
    assert person.missed_names == [("toy-1", "Dee Ann Smith-Jones")]
    assert (org.system, org.correct, org.gold, org.found) == (2, 1, 2, 1)
    assert org.false_names == [("toy-1", "Rugby Park")]
