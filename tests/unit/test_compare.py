"""Comparing outlets: figures that disagree (number words, currencies, units, hedges, the
same or a different thing counted), names only some outlets mention, lone quotes."""

from __future__ import annotations

import pytest

from reader.models import Annotated, Article, Entity, Fact, Mention, Quote
from reader.stories.compare import compare, outlet_name, same_thing, subject_words
from reader.stories.numbers import parse_amount


def agree(a: str, b: str, unit_a: str | None = None, unit_b: str | None = None) -> bool:
    first, second = parse_amount(a, unit_a), parse_amount(b, unit_b)
    assert first is not None and second is not None, (a, b)
    return first.agrees(second)


# --------------------------------------------------------------------------- amounts

@pytest.mark.parametrize(("a", "b"), [
    ("8", "seven"), ("8", "7"), ("£17m", "£18m"), ("more than 10,000", "9,000"),
    ("20 → 10", "20 → 8"), ("15%", "25 per cent"), ("twenty-five", "24"),
    ("about 40", "60"), ("fewer than 100", "150"),
])
def test_figures_that_cannot_both_be_true(a: str, b: str) -> None:
    assert not agree(a, b)


@pytest.mark.parametrize(("a", "b"), [
    ("8", "eight"), ("$3 million", "3,000,000 dollars"), ("£3m", "£3.2m"),
    ("more than 10,000", "12,000"), ("about 40", "42"), ("15%", "15 per cent"),
    ("one in five", "20%"), ("20–30", "25"), ("2.5 km", "2.5 kilometres"),
    ("1.2bn", "1.2 billion"), ("two million", "2,000,000"), ("20 → 10", "10"),
])
def test_figures_told_differently_agree(a: str, b: str) -> None:
    assert agree(a, b)


def test_currencies_are_normalised_and_never_mixed() -> None:
    dollars = parse_amount("$5bn", "$")
    also_dollars = parse_amount("US$5bn", None)
    pounds = parse_amount("£5bn", "£")
    assert dollars is not None and also_dollars is not None and pounds is not None
    assert also_dollars.unit == "$" and dollars.agrees(also_dollars)
    assert not dollars.agrees(pounds)  # different money, not a disagreement on amount
    assert parse_amount("5 million euros", "€") == parse_amount("€5m", "€")


def test_units_must_match() -> None:
    km, miles = parse_amount("2 km", "km"), parse_amount("2 miles", "miles")
    assert km is not None and miles is not None and not km.agrees(miles)


def test_not_a_number_is_not_compared() -> None:
    assert parse_amount("dozens", None) is None
    assert parse_amount("several hundred", None) is None


# --------------------------------------------------------------------------- things

def test_same_thing_told_with_other_words() -> None:
    assert same_thing(subject_words("Russian intelligence officers expelled"),
                      subject_words("officers expelled"))
    assert same_thing(subject_words("people killed"),
                      subject_words("people killed in the blast"))


def test_different_outcomes_are_different_things() -> None:
    assert not same_thing(subject_words("people killed"), subject_words("people injured"))
    # even when the sentences around them are nearly the same
    context = subject_words("in the blast at the Ferris market on Monday")
    assert not same_thing(subject_words("people killed in the blast"),
                          subject_words("people injured in the blast"),
                          context, context)
    assert not same_thing(subject_words("votes in favour"), subject_words("votes against"))
    assert not same_thing(subject_words("votes"), subject_words("votes against"))


def test_other_verbs_are_matched_by_the_sentence() -> None:
    found = subject_words("inspectors found")
    discovered = subject_words("inspectors discovered")
    assert not same_thing(found, discovered)
    assert same_thing(found, discovered,
                      subject_words("eight inspectors found cracks in the steel span of the "
                                    "Millbrook footbridge"),
                      subject_words("seven inspectors discovered cracks in the steel span "
                                    "of the footbridge at Millbrook"))


# --------------------------------------------------------------------------- coverage

def article(site: str, text: str = "Words of the story. " * 30, title: str = "") -> Article:
    return Article(text=text, title=title or f"{site} headline", site=site,
                   url=f"https://{site.lower().replace(' ', '')}.example/story")


def figure(value: str, subject: str, unit: str | None = None,
           sentence: str = "") -> Fact:
    text = sentence or f"{value} {subject}."
    return Fact(text=text, start=0, end=len(text), kind="number", value=value, unit=unit,
                subject=subject)


def entity(n: int, name: str, label: str = "PERSON") -> Entity:
    return Entity(id=f"e{n}", name=name, label=label,
                  mentions=(Mention(0, len(name), name),))


def quote(text: str, speaker: str | None, kind: str = "named") -> Quote:
    return Quote(text=text, start=0, end=len(text), speaker=speaker,
                 speaker_kind=kind)  # type: ignore[arg-type]


def test_figures_that_disagree_across_outlets() -> None:
    herald = Annotated(article("Herald"), facts=(
        figure("8", "Russian intelligence officers expelled", "people"),
        figure("£3.2m", "repairs cost", "£"),
        figure("12", "people injured"),
    ))
    post = Annotated(article("Post"), facts=(
        figure("7", "officers expelled"),
        figure("£3m", "repairs cost", "£"),
        figure("3", "people killed"),
    ))
    coverage = compare([herald, post])
    assert [d.subject for d in coverage.disagreements] == ["officers expelled"]
    claims = coverage.disagreements[0].claims
    assert [(c.outlet, c.value) for c in claims] == [(0, "8"), (1, "7")]


def test_one_outlet_with_two_figures_for_one_thing_is_left_out() -> None:
    """Unclear which figure answers which: no disagreement is claimed."""
    first = Annotated(article("A"), facts=(figure("8", "officers expelled"),
                                           figure("20", "officers expelled")))
    second = Annotated(article("B"), facts=(figure("7", "officers expelled"),))
    assert compare([first, second]).disagreements == ()


def test_agreeing_figures_are_not_reported() -> None:
    first = Annotated(article("A"), facts=(figure("8", "officers expelled"),))
    second = Annotated(article("B"), facts=(figure("eight", "officers expelled"),))
    third = Annotated(article("C"), facts=(figure("$3m", "officers expelled", "$"),))
    assert compare([first, second, third]).disagreements == ()


def test_names_only_some_outlets_mention() -> None:
    first = Annotated(article("A"), entities=(
        entity(1, "Maria Okafor"), entity(2, "Brightwell Engineering", "ORG"),
        entity(3, "Ruth Abernathy"), entity(4, "Paris", "GPE")))
    second = Annotated(article("B"), entities=(
        entity(1, "Okafor"), entity(2, "the Brightwell Engineering", "ORG"),
        entity(3, "Tomas Brenner")))
    coverage = compare([first, second])
    assert {(e.name, e.outlets) for e in coverage.only_some} == {
        ("Ruth Abernathy", (0,)), ("Tomas Brenner", (1,))}  # places are not compared


def test_quotes_only_one_outlet_carries() -> None:
    full = "We will not gamble with people's safety, not for a single day"
    first = Annotated(article("A"), quotes=(quote(full, "Elena Varga"),
                                            quote("This was flagged in 2021", "Ruth Abernathy")))
    second = Annotated(article("B"), quotes=(
        quote("not gamble with people’s safety", "Elena Varga"),
        quote("Nobody wants to promise a date", "a council official", "unnamed")))
    coverage = compare([first, second])
    assert {(q.outlet, q.text) for q in coverage.unique_quotes} == {
        (0, "This was flagged in 2021"), (1, "Nobody wants to promise a date")}


def test_outlet_summary() -> None:
    annotated = Annotated(article("Herald"), quotes=(
        quote("a", "Elena Varga"), quote("b", "Elena Varga"),
        quote("c", "a spokesman", "unnamed"), quote("d", None, "unknown")),
        facts=(figure("8", "officers expelled"),))
    other = Annotated(article("Post"))
    herald = compare([annotated, other]).outlets[0]
    assert (herald.name, herald.named_sources, herald.unnamed_sources,
            herald.unattributed_quotes, herald.quotes) == ("Herald", 1, 1, 1, 4)
    assert [(s.name, s.quotes) for s in herald.speakers] == [("Elena Varga", 2),
                                                              ("a spokesman", 1)]
    assert herald.words == 120
    assert [f.label for f in herald.figures] == ["8 — officers expelled"]


def test_outlet_names() -> None:
    assert outlet_name(Annotated(Article(text="x", url="https://www.example.org/a"))) \
        == "example.org"
    assert outlet_name(Annotated(Article(text="x", url="file:///tmp/my%20story.txt"))) \
        == "my story.txt"


def test_one_article_is_not_a_comparison() -> None:
    with pytest.raises(ValueError, match="two or more"):
        compare([Annotated(article("A"))])


def test_json_shape() -> None:
    first = Annotated(article("A"), facts=(figure("8", "officers expelled"),))
    second = Annotated(article("B"), facts=(figure("seven", "officers expelled"),))
    data = compare([first, second]).to_dict()
    assert data["schema"] == "reader.coverage/1"
    assert [o["outlet"] for o in data["outlets"]] == ["A", "B"]
    assert data["outlets"][1]["figures"][0]["number"] == 7
    assert data["figures_disagree"][0]["claims"][1] == {
        "outlet": 1, "value": "seven", "subject": "officers expelled",
        "sentence": "seven officers expelled."}


def test_one_shared_word_needs_the_sentences_to_agree() -> None:
    """"people" says little of what is counted: the sentences must tell the same fact."""
    people, asked = subject_words("people"), subject_words("people asked")
    assert not same_thing(people, people)
    assert not same_thing(people, asked,
                          subject_words("a crowd of people gathered at the stadium gates"),
                          subject_words("the survey asked people about rail fares"))
    assert same_thing(people, people,
                      subject_words("people queued outside the Millbrook town hall on Monday"),
                      subject_words("people queued outside Millbrook town hall Monday night"))
