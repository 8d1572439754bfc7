"""Key facts: key points, figures and the timeline, on small articles written for the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from reader.analysis import nlp
from reader.analysis.dates import is_point_in_time, resolve_date, sort_key
from reader.analysis.facts import body_sentences, extract_facts, sentence_scores
from reader.models import Article, Entity, Fact, Mention
from reader.plaintext import article_from_text

Facts = Callable[..., list[Fact]]

EXPULSION = (
    "Alliance expels Russian envoys\n\n"
    "The alliance expelled eight Russian intelligence officers on Wednesday, reducing the "
    "size of Russia's mission from 20 to 10, officials said.\n\n"
    "The move follows months of tension over a cyber attack that cost member states "
    "$3 million in repairs last month.\n\n"
    "\"We will not be intimidated,\" a spokesman said.\n\n"
    "Public support for a tougher line rose by 15% earlier this year, and tens of "
    "thousands of people marched in the capital.\n\n"
    "Talks between the alliance and Moscow will resume on Friday, the foreign ministry said."
)
PUBLISHED = "2021-10-06"  # a Wednesday


@pytest.fixture(scope="module")
def facts_of() -> Facts:
    nlp.load()

    def run(text: str, published: str | None = PUBLISHED,
            entities: list[Entity] | None = None) -> list[Fact]:
        article = article_from_text(text, published=published)
        found = extract_facts(nlp.parse(article), article, entities or [])
        for fact in found:
            assert article.text[fact.start:fact.end] == fact.text
        return found

    return run


def of_kind(facts: list[Fact], kind: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind]


def figure(facts: list[Fact], value: str) -> Fact:
    matches = [f for f in of_kind(facts, "number") if f.value == value]
    assert matches, f"no figure {value!r} in {[f.value for f in of_kind(facts, 'number')]}"
    return matches[0]


def dated(facts: list[Fact], phrase: str) -> Fact:
    matches = [f for f in of_kind(facts, "date") if f.value and phrase in f.value]
    assert matches, f"no date {phrase!r} in {[f.value for f in of_kind(facts, 'date')]}"
    return matches[0]


# --------------------------------------------------------------------------- key points

def test_bullets_at_the_top_are_the_key_points_in_order(facts_of: Facts) -> None:
    text = ("Storm closes ports\n"
            "- Three ports shut as the storm nears the coast\n"
            "- Ferries cancelled until Sunday\n"
            "- Schools stay open\n\n"
            "The storm reached the coast early on Tuesday, forcing three ports to close.\n\n"
            "Ferry operators cancelled all crossings and told passengers to stay home.\n\n"
            "Forecasters expect the wind to drop by the weekend.")
    facts = facts_of(text)
    assert [f.text for f in facts[:3]] == [
        "Three ports shut as the storm nears the coast",
        "Ferries cancelled until Sunday",
        "Schools stay open",
    ]
    assert all(f.kind == "key_point" for f in facts[:3])
    assert facts[0].score >= facts[1].score >= facts[2].score
    # body sentences may follow, but only as supporting sentences, never as key points
    assert len(of_kind(facts, "key_point")) == 3


def test_ranked_key_points_lead_with_the_news_and_skip_quotes(facts_of: Facts) -> None:
    facts = facts_of(EXPULSION)
    points = of_kind(facts, "key_point")
    assert 3 <= len(points) <= 5
    assert facts[0] is points[0]
    assert points[0].text.startswith("The alliance expelled eight Russian intelligence")
    assert not any(p.text.startswith('"We will not') for p in points[:3])
    assert points[0].score >= points[-1].score


def test_trailing_attribution_is_trimmed_by_offsets(facts_of: Facts) -> None:
    lead = of_kind(facts_of(EXPULSION), "key_point")[0]
    assert lead.text.endswith("from 20 to 10")
    assert "officials said" not in lead.text


def test_key_points_never_repeat_each_other(facts_of: Facts) -> None:
    text = ("Bridge reopens\n"
            "The city reopened the old river bridge on Monday after two years of repairs.\n\n"
            "The old river bridge reopened on Monday after two years of repairs by the city.\n\n"
            "Traffic on the bypass is expected to fall by a third.\n\n"
            "Cyclists get a separate lane on the east side.")
    points = of_kind(facts_of(text), "key_point")
    bridge = [p for p in points if "river bridge" in p.text]
    assert len(bridge) == 1


def test_introducing_the_main_entity_raises_a_sentence() -> None:
    text = ("Notes\n"
            "Rain is likely across the region this weekend.\n\n"
            "Maria Lopez won the city marathon in record time.\n\n"
            "Lopez said she trained for two years.\n\n"
            "Lopez will race again in the spring.")
    article = article_from_text(text)
    mentions = []
    at = article.text.find("Lopez")
    while at != -1:
        begin = at - 6 if article.text[at - 6:at] == "Maria " else at
        mentions.append(Mention(begin, at + 5, article.text[begin:at + 5]))
        at = article.text.find("Lopez", at + 1)
    lopez = Entity(id="e1", name="Maria Lopez", label="PERSON", mentions=tuple(mentions))
    sentences = body_sentences(nlp.parse(article), article)
    plain = sentence_scores(sentences, [])
    helped = sentence_scores(sentences, [lopez])
    introducing = next(i for i, s in enumerate(sentences)
                       if article.text[s.start:s.end].startswith("Maria Lopez won"))
    assert helped[introducing] > plain[introducing]
    assert [h for i, h in enumerate(helped) if i != introducing] == \
        [p for i, p in enumerate(plain) if i != introducing]


# --------------------------------------------------------------------------- figures

def test_number_words_become_figures_with_what_they_count(facts_of: Facts) -> None:
    eight = figure(facts_of(EXPULSION), "8")
    assert eight.unit == "people"
    assert eight.subject is not None and "Russian intelligence officers" in eight.subject
    assert "expelled" in eight.subject
    assert eight.text.startswith("The alliance expelled eight")


def test_a_change_from_one_figure_to_another(facts_of: Facts) -> None:
    change = figure(facts_of(EXPULSION), "20 → 10")
    assert change.subject is not None and "size of Russia's mission" in change.subject


def test_money_percent_and_crowds_get_their_units(facts_of: Facts) -> None:
    facts = facts_of(EXPULSION)
    assert figure(facts, "$3 million").unit == "money"
    assert figure(facts, "15%").unit == "percent"
    crowd = figure(facts, "tens of thousands")
    assert crowd.unit == "people"
    assert crowd.subject is not None and "people" in crowd.subject


def test_per_cent_written_out_and_distances(facts_of: Facts) -> None:
    facts = facts_of("Report\nPrices rose 40 per cent in a year. The new bridge is 2.5 km long.")
    assert figure(facts, "40%").unit == "percent"
    assert figure(facts, "2.5 km").unit == "distance"


def test_ages_and_years_are_not_figures(facts_of: Facts) -> None:
    facts = facts_of("Court\nJohn Smith, 42, was fined in 2019 for driving 30 miles "
                     "without a licence.")
    values = [f.value for f in of_kind(facts, "number")]
    assert "42" not in values
    assert "2019" not in values
    assert "30 miles" in values


def test_figures_are_not_repeated(facts_of: Facts) -> None:
    text = ("Vote\nTurnout reached 64% on Sunday.\n\n"
            "Officials said turnout reached 64% on Sunday, up from last time.\n\n"
            "Counting continues.")
    assert [f.value for f in of_kind(facts_of(text), "number")].count("64%") == 1


# --------------------------------------------------------------------------- timeline

def test_relative_dates_resolve_against_the_publication_date(facts_of: Facts) -> None:
    facts = facts_of(EXPULSION)
    assert dated(facts, "Wednesday").when == "2021-10-06"
    assert dated(facts, "last month").when == "2021-09"
    assert dated(facts, "earlier this year").when == "2021"
    assert dated(facts, "Friday").when == "2021-10-08"  # "will resume": the coming Friday


def test_timeline_is_chronological_after_figures(facts_of: Facts) -> None:
    facts = facts_of(EXPULSION)
    kinds = [f.kind for f in facts]
    assert kinds == sorted(kinds, key=["key_point", "sentence", "number", "date"].index)
    whens = [f.when for f in of_kind(facts, "date") if f.when]
    assert whens == sorted(whens, key=sort_key)
    assert dated(facts, "Wednesday").subject is not None


def test_absolute_dates_are_parsed(facts_of: Facts) -> None:
    facts = facts_of("Archive\nThe company was founded on March 3, 2001 and listed in "
                     "June 2010.", published=None)
    assert dated(facts, "March 3, 2001").when == "2001-03-03"
    assert dated(facts, "June 2010").when == "2010-06"
    assert [f.when for f in of_kind(facts, "date")] == ["2001-03-03", "2010-06"]


def test_without_a_publication_date_relative_dates_stay_unresolved(facts_of: Facts) -> None:
    facts = facts_of(EXPULSION, published=None)
    wednesday = dated(facts, "Wednesday")
    assert wednesday.when is None


def test_no_duplicate_facts(facts_of: Facts) -> None:
    facts = facts_of(EXPULSION)
    keys = [(f.kind, f.start, f.end, f.value) for f in facts]
    assert len(keys) == len(set(keys))


def test_empty_article_has_no_facts() -> None:
    article = Article(text="")
    assert extract_facts(nlp.parse(article), article, []) == []


# --------------------------------------------------------------------------- dates module

WEDNESDAY = dt.date(2021, 10, 6)


@pytest.mark.parametrize(("phrase", "future", "expected"), [
    ("Wednesday", False, "2021-10-06"),
    ("Monday", False, "2021-10-04"),
    ("Friday", True, "2021-10-08"),
    ("last Wednesday", False, "2021-09-29"),
    ("next Monday", False, "2021-10-11"),
    ("yesterday", False, "2021-10-05"),
    ("last month", False, "2021-09"),
    ("next year", False, "2022"),
    ("earlier this year", False, "2021"),
    ("two days ago", False, "2021-10-04"),
    ("3 March 2020", False, "2020-03-03"),
    ("December 3", False, "2020-12-03"),
    ("last week", False, "2021-W39"),
])
def test_resolve_date(phrase: str, future: bool, expected: str) -> None:
    assert resolve_date(phrase, WEDNESDAY, future=future) == expected


@pytest.mark.parametrize("phrase", ["three years", "the 39-year-old", "the end of the season",
                                    "eight weeks", "decades"])
def test_lengths_and_ages_are_not_points_in_time(phrase: str) -> None:
    assert not is_point_in_time(phrase)


def test_sort_key_orders_mixed_precision() -> None:
    assert sorted(["2021-03-03", "2021", "2020-W05", "2021-03"], key=sort_key) == [
        "2020-W05", "2021", "2021-03", "2021-03-03"]



def test_a_change_the_model_calls_a_date_is_a_figure(facts_of: Facts) -> None:
    facts = facts_of("The council is cutting the number of bus routes from 20 to 10, "
                     "officials said.")
    assert "20 → 10" in [f.value for f in facts if f.kind == "number"]
    assert not [f for f in facts if f.kind == "date" and "20" in (f.value or "")]


def test_until_and_into_point_ahead_of_the_published_date(facts_of: Facts) -> None:
    facts = facts_of("Strike goes on\n\nThe offer remains on the table until Friday, and a "
                     "stoppage lasting into April would hurt everyone.")
    when = {f.value: f.when for f in facts if f.kind == "date"}
    friday = when["Friday"]
    assert friday is not None and friday > PUBLISHED
    assert when["April"] == "2022-04"  # the April after October 2021
