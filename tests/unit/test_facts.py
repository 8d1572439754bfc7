"""Key facts: key points, figures and the timeline, on small articles written for the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from reader.analysis import nlp
from reader.analysis.dates import is_point_in_time, resolve_date, sort_key
from reader.analysis.facts import body_sentences, extract_facts, sentence_scores
from reader.analysis.referents import Referents, needs_context, with_referent
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
    order = [p.text[:12] for p in points]
    if '"We will not' in order:  # a quote may fill a place, never above plain news
        assert order.index('"We will not') > order.index("Talks betwee")
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
    assert figure(facts, "$3 million").unit == "$"
    assert figure(facts, "15%").unit == "%"
    crowd = figure(facts, "tens of thousands")
    assert crowd.unit == "people"
    assert crowd.subject is not None and "people" in crowd.subject


def test_per_cent_written_out_and_distances(facts_of: Facts) -> None:
    facts = facts_of("Report\nPrices rose 40 per cent in a year. The new bridge is 2.5 km long.")
    assert figure(facts, "40%").unit == "%"
    assert figure(facts, "2.5 km").unit == "km"


def test_ages_and_years_are_not_figures(facts_of: Facts) -> None:
    facts = facts_of("Court\nJohn Smith, 42, was fined in 2019 after a journey of 30 miles "
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


# --------------------------------------------------------------------------- numbers panel

def numbers(facts: list[Fact]) -> dict[str, Fact]:
    return {f.value or "": f for f in of_kind(facts, "number")}


def test_each_figure_once_even_under_two_subjects(facts_of: Facts) -> None:
    text = ("Embassy staff expelled\n\n"
            "The government expelled nine diplomats from the embassy on Tuesday.\n\n"
            "The nine Danes have 48 hours to leave, the ministry said.\n\n"
            "A spokesman said the nine diplomats had been warned twice.")
    values = [f.value for f in of_kind(facts_of(text), "number")]
    assert values.count("9") == 1


def test_small_counts_of_different_things_stay_apart(facts_of: Facts) -> None:
    text = ("Cup tie\n\nThe visitors scored two goals before half-time.\n\n"
            "The hosts suffered two injuries in the second half.")
    subjects = [f.subject or "" for f in of_kind(facts_of(text), "number") if f.value == "2"]
    assert len(subjects) == 2
    assert any("goals" in s for s in subjects) and any("injuries" in s for s in subjects)


def test_units_are_written_the_way_readers_write_them(facts_of: Facts) -> None:
    text = ("Grain deal\n\nThe freighter unloaded 40,000 tonnes of wheat at the port.\n\n"
            "The harbour board approved a €2.5 billion expansion of the quays.\n\n"
            "Tolls for lorries rose by 7% in the spring.\n\n"
            "Some 300 nurses joined the morning shift.")
    found = numbers(facts_of(text))
    assert found["40,000 tonnes"].unit == "tonnes"
    assert found["€2.5 billion"].unit == "€"
    assert found["7%"].unit == "%"
    assert found["300"].unit == "people"
    assert found["300"].subject is not None and "nurses" in found["300"].subject


def test_subjects_are_noun_phrases_from_the_parse(facts_of: Facts) -> None:
    text = ("Ferry fares\n\nThe ferry company raised the price of a return ticket "
            "from £30 to £36 on Monday.")
    change = numbers(facts_of(text))["£30 → £36"]
    assert change.subject is not None and "price" in change.subject
    assert change.unit == "£"


def test_names_ranks_scores_times_and_ordinals_are_not_figures(facts_of: Facts) -> None:
    text = ("Season review\n\n"
            "The Formula 4 champion won the race at Hanover 96 stadium at 9am on Sunday.\n\n"
            "The club, ranked in the world top 50, lost 3-1 to the league leaders.\n\n"
            "It was a third straight defeat for the three-time champions, and the "
            "coach said one of the players was injured.\n\n"
            "Dozens of fans waited outside the ground for 40 minutes.")
    values = set(numbers(facts_of(text)))
    for noise in ("4", "96", "50", "3", "1", "3-1", "third", "9am", "Dozens", "dozens"):
        assert noise not in values, f"{noise!r} should not be a figure: {values}"


def test_a_stats_box_gives_no_figures(facts_of: Facts) -> None:
    text = ("Striker profile\n\n"
            "The striker joined the club in the summer and has settled quickly.\n\n"
            "CAREER: Rovers (2010-14): 97 apps, 22 goals United (2014-16): 40 apps, 9 goals "
            "City (2016-): 65 apps, 26 goals\n\n"
            "He scored 14 goals for the club this season.")
    values = set(numbers(facts_of(text)))
    assert "14" in values
    assert not values & {"97", "22", "40", "65", "26"}


def test_a_figure_without_a_noun_phrase_is_dropped(facts_of: Facts) -> None:
    text = ("Storm\n\nResidents were told to call 999 if the water kept rising.\n\n"
            "The storm damaged 120 homes along the coast.")
    values = set(numbers(facts_of(text)))
    assert "999" not in values
    assert "120" in values


def test_a_change_written_as_up_is_one_figure(facts_of: Facts) -> None:
    text = ("Results\n\nQuarterly sales at the bakery chain rose from 12% to 15% of the "
            "market, up 3% on the year.")
    values = [f.value for f in of_kind(facts_of(text), "number")]
    assert "12% → 15%" in values
    assert "12%" not in values and "15%" not in values


def test_at_most_eight_figures_most_salient_first(facts_of: Facts) -> None:
    lines = [f"The council counted {n} {thing} in the {place} district."
             for n, thing, place in zip(range(21, 33), ["buses", "vans", "trams", "bikes",
                                                         "taxis", "lorries", "coaches",
                                                         "scooters", "ferries", "boats",
                                                         "cars", "carts"],
                                        ["north", "south", "east", "west", "river", "old",
                                         "new", "market", "harbour", "hill", "park", "mill"],
                                        strict=True)]
    facts = facts_of("Traffic census\n\n" + "\n\n".join(lines))
    figures = of_kind(facts, "number")
    assert len(figures) == 8
    assert [f.score for f in figures] == sorted((f.score for f in figures), reverse=True)


# --------------------------------------------------------------------------- timeline panel

def test_negation_stays_in_the_event(facts_of: Facts) -> None:
    text = ("Court\n\nThe driver pleaded not guilty on Monday to three charges.\n\n"
            "Inspectors found no evidence of tampering on Tuesday.\n\n"
            "The mayor did not attend Thursday's hearing.")
    facts = facts_of(text)
    assert "not guilty" in (dated(facts, "Monday").subject or "")
    assert "no evidence" in (dated(facts, "Tuesday").subject or "")
    assert "not" in (dated(facts, "Thursday").subject or "").split()


def test_a_negated_main_clause_above_the_date_is_kept(facts_of: Facts) -> None:
    text = ("Forecasts\n\nThe warnings that the river would flood the town by March "
            "never came true.")
    event = dated(facts_of(text), "March").subject or ""
    assert "never" in event.split()


def test_modality_stays_in_the_event(facts_of: Facts) -> None:
    text = ("Board\n\nThe chairman may resign on Friday.\n\n"
            "The bank plans to close the branch next month.\n\n"
            "The driver could face trial in June.")
    facts = facts_of(text)
    assert "may resign" in (dated(facts, "Friday").subject or "")
    assert "plans to close" in (dated(facts, "next month").subject or "")
    assert "could face" in (dated(facts, "June").subject or "")


def test_a_reported_clause_keeps_its_own_polarity(facts_of: Facts) -> None:
    text = ("Inquiry\n\nThe minister did not deny that she met the lobbyist on Tuesday.")
    event = dated(facts_of(text), "Tuesday").subject or ""
    assert "met" in event and "not" not in event.split()


# --------------------------------------------------------------------------- key points

def test_boilerplate_is_never_a_key_point(facts_of: Facts) -> None:
    text = ("Factory closes\n\n"
            "The textile factory in Millbrook will close in May, ending 300 jobs.\n\n"
            "The owner, Harlow Mills, did not immediately respond to a request for comment.\n\n"
            "Sign up for our daily newsletter to get the latest local news.\n\n"
            "Workers were told of the closure at a meeting on Monday morning.")
    points = of_kind(facts_of(text), "key_point")
    assert points
    assert not any("request for comment" in p.text or "newsletter" in p.text for p in points)


def test_an_opening_he_gets_its_referent(facts_of: Facts) -> None:
    text = ("Minister quits\n\n"
            "Transport minister Daniel Okoro resigned on Monday after a row over rail fares.\n\n"
            "He also halved the budget for new stations last year, angering his own party.\n\n"
            "Officials said a successor would be named within a week.")
    article = article_from_text(text, published=PUBLISHED)
    doc = nlp.parse(article)
    at = article.text.find("Daniel Okoro")
    okoro = Entity(id="e1", name="Daniel Okoro", label="PERSON",
                   mentions=(Mention(at, at + 12, "Daniel Okoro"),))
    points = of_kind(extract_facts(doc, article, [okoro]), "key_point")
    he = [p for p in points if p.text.startswith("He also halved")]
    assert he and he[0].referent == "Daniel Okoro"
    assert with_referent(he[0].text, "Daniel Okoro").startswith("[Daniel Okoro] also halved")


def test_a_key_point_needing_context_gives_way(facts_of: Facts) -> None:
    text = ("Rail fares\n\n"
            "The rail operator raised fares by 9% on Monday across the northern network.\n\n"
            "The move angered commuters who had already seen two rises in a year.\n\n"
            "This comes after the operator reported record profits in the spring.\n\n"
            "Commuter groups will protest outside the head office on Friday.\n\n"
            "A regulator review of the fares is due in the autumn.")
    points = of_kind(facts_of(text), "key_point")
    assert len(points) == 3
    assert not any(needs_context(p.text) and p.referent is None for p in points)


def test_referents_need_a_fitting_given_name() -> None:
    def person(name: str, start: int) -> Entity:
        return Entity(id=name, name=name, label="PERSON",
                      mentions=(Mention(start, start + len(name), name),))

    found = Referents.of([person("Maria Lopez", 0), person("Labour", 40),
                          person("Tom Berg", 80)])
    assert found.before(200, "She said the plan would work.") == "Maria Lopez"
    assert found.before(200, "He said the plan would fail.") == "Tom Berg"
    assert found.before(200, "They said nothing.") is None
    assert found.before(200, "The council said nothing.") is None


def test_the_subject_is_what_the_figure_itself_counts(facts_of: Facts) -> None:
    text = ("Cup draw\n\nTwelve teams entered the tournament in May and only four "
            "qualified for the final.\n\n"
            "His family had to post $250,000 bail before the player was released.")
    found = numbers(facts_of(text))
    assert found["12"].subject == "teams entered"
    assert found["$250,000"].subject == "bail"


def test_a_rate_stays_with_its_figure(facts_of: Facts) -> None:
    text = ("Streaming\n\nThe subscription price rose to $6.99 a month on Monday.")
    rate = numbers(facts_of(text))["$6.99 a month"]
    assert rate.unit == "$"
    assert rate.subject is not None and "subscription price" in rate.subject
