"""Wire-copy shapes: ranks with full stops, datelines, headline runs, paragraphs that end
without a full stop, and possessive pronouns before a speech noun. Invented sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from reader.analysis import nlp
from reader.analysis.entities import extract_entities
from reader.analysis.fullnames import NameIndex
from reader.analysis.quotes import extract_quotes
from reader.models import Quote
from reader.plaintext import article_from_text

Extract = Callable[[str], list[Quote]]


@pytest.fixture(scope="module")
def quotes_in() -> Extract:
    nlp.load()

    def run(text: str) -> list[Quote]:
        article = article_from_text(text, title="")
        doc = nlp.parse(article)
        return extract_quotes(doc, article, extract_entities(doc, article))

    return run


def _speaker_of(quotes: list[Quote], opening: str) -> str | None:
    found = [q for q in quotes if q.text.startswith(opening)]
    assert len(found) == 1, quotes
    return found[0].speaker


@pytest.mark.parametrize("rank", ["Capt.", "Lt.", "Sgt.", "Col.", "Maj.", "Cmdr."])
def test_a_rank_with_a_full_stop_stays_inside_the_name(quotes_in: Extract, rank: str) -> None:
    quotes = quotes_in(f"“The ships are ready,” said Navy {rank} Ada Brooks, who leads the unit.")
    assert _speaker_of(quotes, "The ships are ready") == "Ada Brooks"


def test_the_tokenizer_keeps_rank_abbreviations_whole() -> None:
    doc = nlp.parse_text("Air Force Lt. Omar Reyes spoke. Sgt. Lee left.")
    assert [s.text.strip() for s in doc.sents] == ["Air Force Lt. Omar Reyes spoke.",
                                                  "Sgt. Lee left."]


def test_a_paragraph_without_a_full_stop_ends_a_sentence() -> None:
    doc = nlp.parse_text("Mara Quill campaigns in the hours before the polls\n\n"
                         "Quill said the rival was “a lightweight.”\n\n4:15 p.m.\n\nNext.")
    assert [s.text.strip() for s in doc.sents] == [
        "Mara Quill campaigns in the hours before the polls",
        "Quill said the rival was “a lightweight.”", "4:15 p.m.", "Next."]


def test_the_speaker_of_a_phrase_is_not_in_the_paragraph_before(quotes_in: Extract) -> None:
    quotes = quotes_in("Senator Mara Quill is attacking her rivals before the first county "
                       "votes\n\nQuill, in Dayton, said Tuesday that Ben Ortiz was "
                       "“a total lightweight.”")
    assert _speaker_of(quotes, "a total lightweight") == "Mara Quill"


@pytest.mark.parametrize("dateline", ["PORTLAND (AP) — ", "Portland (AFP) – ",
                                      "PORTLAND, Aug. 24 (UPI) — ", "PORTLAND — "])
def test_a_dateline_is_not_the_speaker(quotes_in: Extract, dateline: str) -> None:
    quotes = quotes_in(f"{dateline}Mayor Ines Varga has taken a swipe at the port board, "
                       "saying that its “reckless plans” will cost jobs.")
    assert _speaker_of(quotes, "reckless plans") == "Ines Varga"


def test_a_dateline_is_its_own_sentence() -> None:
    doc = nlp.parse_text("HALIFAX (AP) — Ann Roy and Tom Hale pledged to work together.")
    assert [s.text.strip() for s in doc.sents] == [
        "HALIFAX (AP) —", "Ann Roy and Tom Hale pledged to work together."]


def test_a_dash_after_a_name_is_no_dateline() -> None:
    doc = nlp.parse_text("Hale – the front-runner – said “no.”")
    assert len(list(doc.sents)) == 1


def test_a_title_case_headline_is_cut_into_its_names() -> None:
    index = NameIndex("Elena Ortiz Says Donald Hale Is Wrong\n\nElena Ortiz says Hale "
                      "is wrong, and Martin Luther King Jr. agreed with the king.", [])
    assert index.resolve("Hale", 200) is not None
    assert index.resolve("Hale", 200).name == "Donald Hale"  # type: ignore[union-attr]
    assert index.resolve("Ortiz", 200).name == "Elena Ortiz"  # type: ignore[union-attr]
    assert index.resolve("King", 200).name == "Martin Luther King Jr"  # type: ignore[union-attr]


def test_a_headline_name_does_not_swallow_the_quoted_person(quotes_in: Extract) -> None:
    quotes = quotes_in("Elena Ortiz Says Donald Hale ‘Should Resign.’\n\n"
                       "Prime Minister Elena Ortiz criticised Donald Hale on Monday.\n\n"
                       "“I will not resign,” Hale said.")
    assert _speaker_of(quotes, "I will not resign") == "Donald Hale"


def test_a_surname_is_not_the_first_word_of_another_name(quotes_in: Extract) -> None:
    quotes = quotes_in("For those not yet on the Quill Express, the race is over.\n\n"
                       "Quill told a radio host that the plan was “a crazy policy.”\n\n"
                       "“We will win,” Quill said.")
    assert _speaker_of(quotes, "We will win") in ("Quill", None)
    assert all(q.speaker != "Quill Express" for q in quotes)


def test_a_possessive_pronoun_before_a_speech_noun_is_resolved(quotes_in: Extract) -> None:
    quotes = quotes_in("Senator Ben Ortiz spoke in Dayton on Monday.\n\n"
                       "Ortiz has consistently pushed his promise of “free college” to "
                       "young voters.")
    assert _speaker_of(quotes, "free college") == "Ben Ortiz"


def test_a_congressman_title_is_not_part_of_the_name(quotes_in: Extract) -> None:
    quotes = quotes_in("“He misled us,” said New Jersey Congressman Paul Dorn after the "
                       "hearing.")
    assert _speaker_of(quotes, "He misled us") == "Paul Dorn"


def test_who_describes_anothers_remarks_says_the_description(quotes_in: Extract) -> None:
    quotes = quotes_in("Mayor Ines Varga denounced Paul Dorn’s remarks as “cruel and "
                       "reckless” and warned of the cost.")
    assert _speaker_of(quotes, "cruel and reckless") == "Ines Varga"


@pytest.mark.parametrize("text", [
    "“The plan is dead,”Ines Varga said on Monday.",
    "Ines Varga said,“The plan is dead.”",
])
def test_a_quotation_mark_glued_to_a_word_still_ends_the_quote(quotes_in: Extract,
                                                               text: str) -> None:
    assert _speaker_of(quotes_in(text), "The plan is dead") == "Ines Varga"


@pytest.mark.parametrize("text", ["“This is fantastic!” beamed Ines Varga, the mayor.",
                                  "“This is fantastic,” she beamed."])
def test_any_past_tense_verb_right_after_a_quote_is_its_tag(quotes_in: Extract,
                                                            text: str) -> None:
    quotes = quotes_in("Ines Varga arrived at noon.\n\n" + text)
    assert _speaker_of(quotes, "This is fantastic") == "Ines Varga"


def test_a_phrase_inside_reported_speech_is_the_reporters(quotes_in: Extract) -> None:
    quotes = quotes_in("At one point, Ines Varga said the board members were calling "
                       "“every 15 minutes.”")
    assert _speaker_of(quotes, "every 15 minutes") == "Ines Varga"


def test_a_coordinated_speaker_keeps_the_phrase(quotes_in: Extract) -> None:
    quotes = quotes_in("Ines Varga accuses the board of “leading from behind” and Paul Dorn "
                       "says it is “losing the port.”")
    assert _speaker_of(quotes, "losing the port") == "Paul Dorn"


def test_words_a_reporter_relays_as_someone_elses_stay_theirs(quotes_in: Extract) -> None:
    quotes = quotes_in("Mayor Ines Varga met Governor Paul Dorn in May.\n\n"
                       "Varga insisted that Dorn had said the partnership was “stronger "
                       "than it has ever been.”")
    assert _speaker_of(quotes, "stronger than it has ever been") == "Paul Dorn"


def test_as_someone_put_it_is_a_tag(quotes_in: Extract) -> None:
    quotes = quotes_in("The board met. As the columnist Maria Lopez puts it, “The port is "
                       "unmoved.”\n\nDavid Chen put it on the table and left.")
    assert _speaker_of(quotes, "The port is unmoved") == "Maria Lopez"


def test_according_to_wins_over_a_speech_noun_without_a_speaker(quotes_in: Extract) -> None:
    quotes = quotes_in("For the mayor, according to the historian Maria Lopez, Monday's "
                       "speech represents “a test” of her nerve.")
    assert _speaker_of(quotes, "a test") == "Maria Lopez"


def test_a_person_right_before_a_colon_introduces_the_quote(quotes_in: Extract) -> None:
    quotes = quotes_in("The timing of the strike does not surprise the pollster Maria "
                       "Lopez: “Strikes always come before elections.”")
    assert _speaker_of(quotes, "Strikes always come") == "Maria Lopez"


def test_the_addressee_before_a_colon_is_not_the_speaker(quotes_in: Extract) -> None:
    quotes = quotes_in("Mayor Maria Lopez delivered a blunt message to David Chen: “It is "
                       "time to stop.”")
    assert _speaker_of(quotes, "It is time to stop") == "Maria Lopez"


def test_a_quote_signed_in_the_next_paragraph_is_the_signers(quotes_in: Extract) -> None:
    quotes = quotes_in("David Chen spoke first.\n\n“Great speech. She is ready.”\n\n"
                       "— Maria Lopez, mayor")
    assert _speaker_of(quotes, "Great speech") == "Maria Lopez"


def test_an_inverted_manner_tag_names_the_speaker_after_it(quotes_in: Extract) -> None:
    quotes = quotes_in("Mayor Maria Lopez spoke first.\n\n“This is a disgrace!” beamed union "
                       "leader David Chen, who has led the strike for a week.")
    assert _speaker_of(quotes, "This is a disgrace") == "David Chen"

