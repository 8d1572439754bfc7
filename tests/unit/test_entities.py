"""The entity analyser: mentions cleaned, merged the way a reader would, offsets exact."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reader.analysis import nlp
from reader.analysis.entities import (
    clean_span,
    dateline_place,
    extract_entities,
    ner_spans,
    shouting_segments,
    truecase,
)
from reader.analysis.identity import acronym_of
from reader.analysis.spans import Span
from reader.models import Article, Entity
from reader.plaintext import article_from_text

Analyse = Callable[[str], tuple[Article, list[Entity]]]


@pytest.fixture(scope="module")
def analyse() -> Analyse:
    nlp.load()

    def run(text: str) -> tuple[Article, list[Entity]]:
        article = article_from_text(text)
        return article, extract_entities(nlp.parse(article), article)

    return run


def by_name(entities: list[Entity], name: str) -> Entity:
    matches = [e for e in entities if e.name == name]
    assert matches, f"{name!r} not among {[e.name for e in entities]}"
    return matches[0]


def assert_offsets_exact(article: Article, entities: list[Entity]) -> None:
    for entity in entities:
        for mention in entity.mentions:
            assert article.text[mention.start:mention.end] == mention.text


BIDEN_STORY = """Budget talks resume in Washington

President Joe Biden met congressional leaders at the White House on Tuesday.

Biden's aides said the meeting lasted two hours. Afterwards Biden told reporters that \
a deal was close, and Joe Biden later repeated the point on television.
"""

TWO_BIDENS = """A family matter

Joe Biden defended his son on Monday. Hunter Biden had been questioned by investigators \
in Delaware for several hours.

Biden declined to comment further when reporters asked about the case.
"""

ACRONYM_STORY = """Alliance meets

The North Atlantic Treaty Organization will hold a summit in Vilnius next month.

Officials said NATO would discuss air defence. Diplomats expect NATO to agree on a new \
spending target.
"""


def test_surname_possessive_and_title_join_the_full_name(analyse: Analyse) -> None:
    article, entities = analyse(BIDEN_STORY)
    biden = by_name(entities, "Joe Biden")
    assert biden.label == "PERSON"
    assert not biden.ambiguous
    texts = [m.text for m in biden.mentions]
    assert texts.count("Biden") == 2
    assert texts.count("Joe Biden") == 2
    assert not [e for e in entities if e.name in {"Biden", "President Joe Biden"}]
    assert_offsets_exact(article, entities)


def test_acronym_joins_the_spelled_out_name(analyse: Analyse) -> None:
    article, entities = analyse(ACRONYM_STORY)
    nato = by_name(entities, "North Atlantic Treaty Organization")
    assert nato.label == "ORG"
    assert sorted(m.text for m in nato.mentions) == [
        "NATO", "NATO", "North Atlantic Treaty Organization"]
    assert not [e for e in entities if e.name == "NATO"]
    assert_offsets_exact(article, entities)


def test_a_surname_shared_by_two_people_stays_apart(analyse: Analyse) -> None:
    article, entities = analyse(TWO_BIDENS)
    joe = by_name(entities, "Joe Biden")
    hunter = by_name(entities, "Hunter Biden")
    bare = by_name(entities, "Biden")
    assert bare.ambiguous
    assert not joe.ambiguous and not hunter.ambiguous
    assert [m.text for m in joe.mentions] == ["Joe Biden"]
    assert [m.text for m in hunter.mentions] == ["Hunter Biden"]
    assert [m.text for m in bare.mentions] == ["Biden"]
    assert_offsets_exact(article, entities)


def test_mentions_are_cleaned(analyse: Analyse) -> None:
    article, entities = analyse(
        "Port reopens\n\n"
        "The European Commission's trade chief visited the Netherlands on March 3, 2024. "
        "She met 40 dock workers in Rotterdam and said they had waited three weeks. "
        "The European Commission will pay 5 million euros, she said."
    )
    assert_offsets_exact(article, entities)
    texts = [m.text for e in entities for m in e.mentions]
    assert "European Commission" in texts
    assert "Netherlands" in texts
    for text in texts:
        assert not text.lower().startswith("the ")
        assert not text.endswith(("'s", "’s"))
        assert not any(ch.isdigit() for ch in text)
        assert text.lower() not in {"she", "they", "he", "it"}
    assert {e.label for e in entities} <= {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
    commission = by_name(entities, "European Commission")
    assert len(commission.mentions) == 2


def test_curly_possessive_and_title_are_trimmed_from_the_span() -> None:
    text = "Sen. Maria Lopez’s office"
    (span,) = clean_span(text, Span(0, 18, "PERSON"))
    assert text[span.start:span.end] == "Maria Lopez"
    text = "the White House's lawyers"
    (span,) = clean_span(text, Span(0, 17, "ORG"))
    assert text[span.start:span.end] == "White House"


def test_scores_and_line_breaks_split_a_span() -> None:
    text = "Chelsea 2 Everton 1\nArsenal"
    pieces = clean_span(text, Span(0, len(text), "ORG"))
    assert [text[s.start:s.end] for s in pieces] == ["Chelsea", "Everton", "Arsenal"]


def test_pronouns_and_bare_numbers_are_not_names() -> None:
    assert clean_span("He said", Span(0, 2, "PERSON")) == []
    assert clean_span("in 1996 there", Span(3, 7, "GPE")) == []


def test_shouted_line_is_read_from_a_truecased_copy(analyse: Analyse) -> None:
    article, entities = analyse(
        "Storm news\n\n"
        "FLOODS FORCE MARIA LOPEZ TO LEAVE LISBON AS RIVERS RISE\n\n"
        "Maria Lopez, the mayor, said on Sunday that Lisbon would reopen its schools "
        "once the water receded. Residents of Lisbon spent the night in shelters."
    )
    assert_offsets_exact(article, entities)
    lopez = by_name(entities, "Maria Lopez")
    assert lopez.label == "PERSON"
    assert "MARIA LOPEZ" in [m.text for m in lopez.mentions]
    lisbon = by_name(entities, "Lisbon")
    assert lisbon.label == "GPE"
    assert "LISBON" in [m.text for m in lisbon.mentions]
    shouted = {m.text for e in entities for m in e.mentions if m.text.isupper()}
    assert shouted <= {"MARIA LOPEZ", "LISBON"}


def test_truecasing_keeps_every_offset() -> None:
    segment = "NATO CHIEF WARNS OF LONG WAR IN UKRAINE"
    evidence = {"nato": "NATO", "ukraine": "Ukraine", "war": "war"}
    copy = truecase(segment, evidence)
    assert len(copy) == len(segment)
    assert copy.startswith("NATO ")
    assert copy.endswith(" war in Ukraine")


def test_shouting_segments_find_headlines_not_acronyms() -> None:
    text = ("MARKETS RALLY AFTER VOTE\nThe FBI and NATO said nothing.\n"
            "LONDON (Reuters) - Shares rose.")
    segments = [text[a:b] for a, b in shouting_segments(text)]
    assert segments == ["MARKETS RALLY AFTER VOTE", "LONDON"]


def test_dateline_is_a_place(analyse: Analyse) -> None:
    article, entities = analyse(
        "Rates\n\nFRANKFURT (Reuters) - The European Central Bank left rates unchanged "
        "on Thursday, its president said."
    )
    place = dateline_place(article.text)
    assert place is not None
    assert article.text[place.start:place.end] == "FRANKFURT"
    frankfurt = by_name(entities, "Frankfurt")
    assert frankfurt.label == "GPE"
    assert frankfurt.mentions[0].start == 0


def test_acronym_of_skips_small_words() -> None:
    assert acronym_of("North Atlantic Treaty Organization") == "NATO"
    assert acronym_of("Organization of the Petroleum Exporting Countries") == "OPEC"
    assert acronym_of("Apple") == ""


def test_entities_are_ordered_by_salience_within_each_label(analyse: Analyse) -> None:
    article, entities = analyse(
        "Anna Novak wins the race\n\n"
        "Tom Becker, the coach, watched Lena Park and Anna Novak from the stand in Berlin.\n\n"
        "Tom Becker praised the team. Later Tom Becker and Lena Park flew to Paris, while "
        "Anna Novak stayed in Berlin. Tom Becker will return on Monday."
    )
    assert_offsets_exact(article, entities)
    assert [e.id for e in entities] == [f"e{i}" for i in range(1, len(entities) + 1)]
    labels = [e.label for e in entities]
    assert labels == sorted(labels, key=["PERSON", "ORG", "GPE"].index)
    people = [e.name for e in entities if e.label == "PERSON"]
    # Most mentions first; Lena Park and Anna Novak tie on mentions and the lead, and
    # Anna Novak is in the title, so she outranks Lena Park despite coming second.
    assert people == ["Tom Becker", "Anna Novak", "Lena Park"]
    places = [e.name for e in entities if e.label == "GPE"]
    assert places == ["Berlin", "Paris"]


def test_ner_spans_are_cleaned_offsets() -> None:
    text = ("The United Nations said on Friday that the Red Cross's convoy reached "
            "the Syrian city of Homs.")
    spans = ner_spans(text)
    found = {(text[s:e], label) for s, e, label in spans}
    assert ("United Nations", "ORG") in found
    assert ("Red Cross", "ORG") in found
    assert ("Homs", "GPE") in found
    assert all(not text[s:e].startswith(("The ", "the ")) for s, e, _ in spans)
    assert all(label not in {"DATE", "TIME", "CARDINAL"} for _, _, label in spans)


def test_acronym_defined_in_brackets_joins_its_organisation() -> None:
    article = article_from_text(
        "Strike\n\nAbout 900 members of the Dock and Harbour Workers Union (DHWU) walked "
        "out on Monday. The DHWU wants a pay rise, and DHWU leaders met the port owner.")
    entities = extract_entities(nlp.parse(article), article)
    union = next(e for e in entities if e.name == "Dock and Harbour Workers Union")
    assert [m.text for m in union.mentions].count("DHWU") == 3


# ------------------------------------------------- labels decided once per article


def labels_of(entities: list[Entity]) -> dict[str, str]:
    return {e.name: e.label for e in entities}


def test_a_company_named_by_its_first_word_is_not_a_person(analyse: Analyse) -> None:
    article, entities = analyse(
        "Second launch\n\n"
        "Kestrel Launch Systems said on Monday its reusable rocket had flown twice. "
        "Kestrel will try again in May, the company said.")
    kestrel = by_name(entities, "Kestrel Launch Systems")
    assert kestrel.label == "ORG"
    assert sorted(m.text for m in kestrel.mentions) == ["Kestrel", "Kestrel Launch Systems"]
    assert not [e for e in entities if e.label == "PERSON"]
    assert_offsets_exact(article, entities)


def test_a_company_is_not_split_into_a_person(analyse: Analyse) -> None:
    _, entities = analyse(
        "Contract\n\nNorthrop Grumman won the contract. Grumman shares rose 3 percent "
        "after the award.")
    assert labels_of(entities) == {"Northrop Grumman": "ORG"}
    assert len(by_name(entities, "Northrop Grumman").mentions) == 2


def test_head_nouns_make_organisations_and_glued_names_part(analyse: Analyse) -> None:
    _, entities = analyse(
        "Merger\n\nThe deal brings together Acme Robotics, Bluefin Labs and two smaller "
        "firms. Starlight Pictures bought the rights to the novel.")
    labels = labels_of(entities)
    assert labels["Acme Robotics"] == "ORG"
    assert labels["Bluefin Labs"] == "ORG"
    assert labels["Starlight Pictures"] == "ORG"
    assert "PERSON" not in labels.values()


def test_one_label_per_name_from_all_its_mentions(analyse: Analyse) -> None:
    _, entities = analyse(
        "Screens\n\nTeenagers now spend more time on YouTube than on television. YouTube "
        "said it would add new controls. Protests spread in Crimea on Sunday, and "
        "officials in Crimea said the roads were closed.")
    assert [e.label for e in entities if e.name == "YouTube"] == ["ORG"]
    assert [e.label for e in entities if e.name == "Crimea"] == ["GPE"]


def test_teams_in_a_results_table_are_organisations(analyse: Analyse) -> None:
    _, entities = analyse(
        "Results\n\nLeague results on Saturday.\n\nLeeds 2 Hull 1\n\nWigan 0 Burnley 3\n\n"
        "Hull moved up to third.")
    labels = labels_of(entities)
    assert {labels[t] for t in ("Leeds", "Hull", "Wigan", "Burnley")} == {"ORG"}


def test_titles_ages_and_roles_mark_people() -> None:
    text = ("Activist Tobenna Eze led the march. Mr Ostrander, 58, said the fund had "
            "lost money. Eze later said the march was over.")
    spans = ner_spans(text)
    people = {text[s:e] for s, e, label in spans if label == "PERSON"}
    assert {"Tobenna Eze", "Ostrander", "Eze"} <= people


# ---------------------------------------------------------------------- merging


def test_other_order_and_short_forms_of_organisations_merge(analyse: Analyse) -> None:
    article, entities = analyse(
        "Export rules\n\nThe State Department declined to comment. A Department of State "
        "spokesman later said talks would continue. Nimbus Orbital Systems raised $40 "
        "million. Nimbus plans to launch its first satellite next year.")
    state = [e for e in entities if "State" in e.name]
    assert len(state) == 1 and len(state[0].mentions) == 2
    nimbus = by_name(entities, "Nimbus Orbital Systems")
    assert sorted(m.text for m in nimbus.mentions) == ["Nimbus", "Nimbus Orbital Systems"]
    assert_offsets_exact(article, entities)


def test_double_surnames_and_titles_merge_into_the_full_name(analyse: Analyse) -> None:
    article, entities = analyse(
        "Budget\n\nAna Ruiz Calderon, the finance minister, spoke first. Ruiz Calderon said "
        "the budget was balanced. Commissioner Laura Benz said the fines would rise. "
        "Benz told reporters that the agency had acted.")
    calderon = by_name(entities, "Ana Ruiz Calderon")
    assert [m.text for m in calderon.mentions] == ["Ana Ruiz Calderon", "Ruiz Calderon"]
    benz = by_name(entities, "Laura Benz")
    assert [m.text for m in benz.mentions] == ["Laura Benz", "Benz"]
    people = [e.name for e in entities if e.label == "PERSON"]
    assert sorted(people) == ["Ana Ruiz Calderon", "Laura Benz"]
    assert_offsets_exact(article, entities)


def test_places_named_like_people_stay_places(analyse: Analyse) -> None:
    _, entities = analyse(
        "Storm\n\nFerries from Halden Bay to Nova Scotia were cancelled on Monday. Lena Park, "
        "the harbour master, said the crossing to Nova Scotia would reopen once the storm "
        "over Halden Bay passed.")
    labels = labels_of(entities)
    assert labels["Nova Scotia"] == "GPE"
    assert labels["Halden Bay"] in {"LOC", "GPE", "FAC"}
    assert labels["Lena Park"] == "PERSON"


def test_parties_by_their_short_names_are_organisations(analyse: Analyse) -> None:
    _, entities = analyse("Polling day nears in the marginal seat of Westford.\n\n"
                          "The Tories and the Lib Dems both attacked the plan, while the "
                          "Conservatives said Labour had no answer on housing.")
    for name in ("Tories", "Lib Dems", "Conservatives", "Labour"):
        assert by_name(entities, name).label == "ORG"


def test_the_sides_of_an_inline_fixture_are_teams_throughout(analyse: Analyse) -> None:
    _, entities = analyse(
        "Rugby preview.\n\nThe league season turns this weekend. The defeat by Dunmore hurt "
        "the squad, and the manager wants goals. KESTON v DUNMORE (SATURDAY: Mill Park, "
        "3pm) The Keston pack is back to full strength for the match. Dunmore need a win "
        "to avoid relegation from the league.")
    for name in ("Dunmore", "Keston"):
        assert by_name(entities, name).label == "ORG"


def test_unmarked_fixture_sides_are_found_as_teams(analyse: Analyse) -> None:
    _, entities = analyse(
        "Weekend preview.\n\nThe league leaders face a hard weekend. HORNETS v ASHBURY "
        "(SATURDAY: Vale Road, 3pm) Tom Price starts at fly-half for Hornets. "
        "BRAMBLEY v OTTERFORD (SUNDAY: Kiln Lane, 2pm) Otterford are unbeaten in the league.")
    hornets = [e for e in entities if e.name.lower() == "hornets"]
    assert [e.label for e in hornets] == ["ORG"]
    assert hornets[0].name == "Hornets"  # the story's own spelling, not the shouted one
    assert {m.text for m in hornets[0].mentions} == {"HORNETS", "Hornets"}
    assert not [e for e in entities if " v " in e.name]


def test_a_town_read_as_a_person_in_a_sport_story_is_its_team(analyse: Analyse) -> None:
    _, entities = analyse(
        "Cup run.\n\nThe squad took a win and a defeat this season. The defeat by Exeter "
        "hurt, the manager said, but the league match against Exeter next month will be "
        "different. Exeter have won four matches in a row.")
    assert by_name(entities, "Exeter").label == "ORG"


def test_platforms_and_inner_capital_names_are_organisations(analyse: Analyse) -> None:
    _, entities = analyse(
        "Launch day\n\nThe mayor wrote on Quillbook that the launch was a success. The "
        "group said in a Quillbook post that the next RocketWorx mission would fly in May.")
    assert by_name(entities, "Quillbook").label == "ORG"
    assert by_name(entities, "RocketWorx").label == "ORG"


def test_a_role_held_at_a_name_makes_it_an_employer(analyse: Analyse) -> None:
    text = ("Former Harwell detention centre official Nadia Brooks gave evidence. Later, "
            "a Harwell spokesman said the contract would end.")
    spans = ner_spans(text)
    labels = {text[s:e]: label for s, e, label in spans}
    assert labels.get("Harwell") in {"ORG", None}
    assert labels.get("Harwell") != "GPE" and labels.get("Harwell") != "LOC"


def test_an_organisation_name_ends_before_the_report_it_issued() -> None:
    text = "The latest World Weather Organization Report confirmed the trend."
    names = {text[s:e] for s, e, label in ner_spans(text) if label == "ORG"}
    assert "World Weather Organization Report" not in names


def test_adjectives_of_countries_and_places_are_not_organisations() -> None:
    text = ("Riot police clashed with Montenegrin fans after the game. The alliance "
            "pledged Transatlantic defense after the annexation of Crimea in 2014. "
            "Talks moved to Washington, DC on Friday.")
    labels = {text[s:e]: label for s, e, label in ner_spans(text)}
    assert labels.get("Montenegrin") == "NORP"
    assert "Transatlantic" not in labels
    assert labels.get("Crimea") == "GPE"
    assert labels.get("DC", "GPE") == "GPE"


def test_followers_after_a_name_are_not_part_of_it() -> None:
    text = "The club lost its last home game against Spurs Fans are unhappy with the owner."
    names = {text[s:e] for s, e, _ in ner_spans(text)}
    assert "Spurs Fans" not in names


def test_a_station_keeps_its_number_and_joins_its_owner(analyse: Analyse) -> None:
    _, entities = analyse(
        "Schedules\n\nThe controller of NBN Radio 2 spoke on Radio 5's morning show. "
        "Radio 2 will drop its evening jazz hour, she said.")
    station = by_name(entities, "NBN Radio 2")
    assert station.label == "ORG"
    assert sorted(m.text for m in station.mentions) == ["NBN Radio 2", "Radio 2"]
    assert by_name(entities, "Radio 5").label == "ORG"
    assert "Radio" not in {e.name for e in entities}


def test_a_town_named_with_team_roles_in_a_sport_story_is_its_team(analyse: Analyse) -> None:
    _, entities = analyse(
        "Relegation fight\n\nThe squad face a hard run of matches this season. Former "
        "Hartlepool captain Ian Moss said the manager had lost the dressing room. Hartlepool "
        "manager Ray Dunn disagreed after the league defeat. The Hartlepool side have lost "
        "five matches, and the players know a win in the next fixture is vital. Fans in "
        "Hartlepool are worried about relegation.")
    assert by_name(entities, "Hartlepool").label == "ORG"


def test_a_street_named_after_a_person_is_an_address() -> None:
    text = ("The case against Mark Tully, of Harold Road, Dartford, and Ben Ash, of Edith "
            "Street, Erith, was dropped.")
    people = {text[s:e] for s, e, label in ner_spans(text) if label == "PERSON"}
    assert "Harold Road" not in people and "Edith Street" not in people
    assert {"Mark Tully", "Ben Ash"} <= people
