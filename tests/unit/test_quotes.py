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


# Issue 18, class 1: a surname resolves to the full name the article gives anywhere.
@pytest.mark.parametrize(("text", "speaker"), [
    ("Hours before Maria Lopez's speech, the hall filled up. "
     "“We are ready for the vote,” Lopez said.", "Maria Lopez"),
    ("Ana Ruiz Calderon chairs the water board. "
     "“The reservoir is full,” Calderon said.", "Ana Ruiz Calderon"),
    ("Jean-Luc Petit has run the fund since 2009.\n\n"
     "“Prices will fall,” said Petit, a fund manager at Norvane.", "Jean-Luc Petit"),
    ("Mayor Greta Lindqvist opens new tram line\n\n"
     "The first trams ran on Sunday. “It took ten years,” Lindqvist said.", "Greta Lindqvist"),
    ("“The harvest was late,” Okonkwo said. Chidi Okonkwo farms near the river.",
     "Chidi Okonkwo"),
])
def test_surname_resolves_to_the_full_name(quotes_in: Extract, text: str, speaker: str) -> None:
    quote = _only(quotes_in(text))
    assert quote.speaker == speaker
    assert quote.speaker_confidence >= 0.5


def test_shared_surname_is_a_guess(quotes_in: Extract) -> None:
    text = ("Tomas Berg and his daughter Lena Berg sailed from Bergen.\n\n"
            "“The sea was calm,” Berg said.")
    quote = _only(quotes_in(text))
    assert quote.speaker in ("Tomas Berg", "Lena Berg")
    assert quote.speaker_confidence < 0.5


# Class 2: pronouns and bodies.
def test_it_and_the_company_are_the_last_organisation(quotes_in: Extract) -> None:
    text = ("Harwick Freight has denied the claims twice. “We follow every rule,” it said "
            "in a statement. “Our drivers are safe,” the company added.")
    first, second = quotes_in(text)
    assert first.speaker == second.speaker == "Harwick Freight"
    assert first.speaker_kind == "named"


def test_she_is_the_last_woman_named(quotes_in: Extract) -> None:
    text = ("Priya Natarajan met Daniel Okoro at the port on Monday. Okoro left early.\n\n"
            "In a blog post she described the meeting as “a betrayal of the workers”.")
    quote = _only(quotes_in(text))
    assert quote.speaker == "Priya Natarajan"
    assert quote.speaker_confidence >= 0.5


def test_he_skips_a_woman_named_later(quotes_in: Extract) -> None:
    text = ("Daniel Okoro spoke first. Then Priya Natarajan took the floor.\n\n"
            "“The port must stay open,” he said.")
    quote = _only(quotes_in(text))
    assert quote.speaker == "Daniel Okoro"


def test_a_paragraph_that_is_only_a_quote_continues_the_speaker(quotes_in: Extract) -> None:
    text = ("“The board met twice,” said Irene Vasquez.\n\n"
            "“We will publish the minutes next week.”")
    first, second = quotes_in(text)
    assert first.speaker == second.speaker == "Irene Vasquez"
    assert second.cue is None


def test_crowds_are_unnamed_speakers(quotes_in: Extract) -> None:
    quote = _only(quotes_in("Protesters chanted “no more cuts” outside the town hall."))
    assert quote.speaker == "protesters"
    assert quote.speaker_kind == "unnamed"


# Class 3: the subject of the cue, not the nearest name.
def test_a_name_inside_the_quote_is_not_its_speaker(quotes_in: Extract) -> None:
    text = ("Harold Jones runs the flood office. “We should have acted before the flood "
            "reached Smith's farm,” Jones said.")
    assert _only(quotes_in(text)).speaker == "Harold Jones"


def test_a_name_in_an_object_or_subordinate_clause_loses(quotes_in: Extract) -> None:
    text = ("Harold Jones met Paula Smith in March. “The dam will hold,” Jones told "
            "reporters after meeting Smith.")
    assert _only(quotes_in(text)).speaker == "Harold Jones"


def test_an_age_description_is_the_person_of_that_age(quotes_in: Extract) -> None:
    text = ("Rosa Delgado, 61, has coached the team for a decade. Her assistant, Mark Hill, "
            "left in May.\n\n“I am not done yet,” the 61-year-old said.")
    assert _only(quotes_in(text)).speaker == "Rosa Delgado"


def test_a_role_description_is_the_person_with_that_role(quotes_in: Extract) -> None:
    text = ("Olaf Brandt, a former minister, founded the party. Karin Moll joined in May.\n\n"
            "“We will win the north,” the former minister said.")
    assert _only(quotes_in(text)).speaker == "Olaf Brandt"


@pytest.mark.parametrize("text", [
    "Norway's envoy to Chile, Wei Zhang, warned that “the talks could collapse”.",
    "A senior army officer — later named as Colonel Wei Zhang — said “the road is closed”.",
])
def test_a_description_that_names_its_person(quotes_in: Extract, text: str) -> None:
    assert _only(quotes_in(text)).speaker == "Wei Zhang"


# British single quotes, with apostrophes that do not close them.
def test_single_curly_quotes_with_apostrophes(quotes_in: Extract) -> None:
    text = ("Gary Doyle was named manager on Friday. ‘I’d be over the moon, the players’ "
            "effort has been huge,’ said Doyle. ‘It’s a fantastic club. ‘But it’s not about me.")
    quotes = quotes_in(text)
    assert [q.text for q in quotes] == [
        "I’d be over the moon, the players’ effort has been huge",
        "It’s a fantastic club.", "But it’s not about me."]
    assert {q.speaker for q in quotes} == {"Gary Doyle"}


def test_transcript_labels_name_each_turn(quotes_in: Extract) -> None:
    text = ("Ruth Aldana interviewed Governor Sam Pike on Sunday.\n\n"
            "“ALDANA: Will you sign the bill?\n\n“PIKE: Not this year.”")
    first, second = quotes_in(text)
    assert (first.speaker, second.speaker) == ("Ruth Aldana", "Sam Pike")


def test_confidence_follows_the_evidence(quotes_in: Extract) -> None:
    text = ("“The dam will hold,” said Harold Jones. “Nobody saw this coming.” "
            "The storm hit at dawn.\n\n“Trust us,” a spokesman for the council said.")
    quotes = quotes_in(text)
    by_text = {q.text: q for q in quotes}
    assert by_text["The dam will hold"].speaker_confidence >= 0.9
    assert by_text["Trust us"].speaker_confidence >= 0.5
    assert by_text["Nobody saw this coming."].speaker_confidence <= \
        by_text["The dam will hold"].speaker_confidence
    for quote in quotes:
        assert 0.0 <= quote.speaker_confidence <= 1.0
        assert (quote.speaker is None) == (quote.speaker_confidence == 0.0)


def test_a_pronoun_with_two_candidates_is_a_guess(quotes_in: Extract) -> None:
    text = ("Daniel Okoro spoke first. Marcus Feld spoke after him.\n\n"
            "“I was not told,” he said.")
    quote = _only(quotes_in(text))
    assert quote.speaker in ("Daniel Okoro", "Marcus Feld")
    assert quote.speaker_confidence < 0.5


def test_a_one_word_quote_is_not_a_confident_attribution(quotes_in: Extract) -> None:
    quote = _only(quotes_in("Harold Jones called the plan “reckless” on Monday."))
    assert quote.speaker == "Harold Jones"
    assert quote.speaker_confidence < 0.5


def test_a_shared_surname_is_the_one_not_spelled_out_each_time(quotes_in: Extract) -> None:
    # Writers repeat the relative's full name so the bare surname stays the subject's.
    text = ("Once more Paul Varga waited for a call from his daughter, Irene Varga, who "
            "was lost at sea. Paul Varga told reporters he never gave up. "
            "Paul Varga said the coastguard called at dawn.\n\n"
            "“I rationed every drop of water,” Varga said.")
    quotes = quotes_in(text)
    assert quotes[-1].speaker == "Irene Varga"


def test_a_subject_inside_reported_words_does_not_speak_for_the_outer_cue(
        quotes_in: Extract) -> None:
    text = ("Helen Marsh has warned that the union wants to use the strike to force a vote "
            "and urged “sensible members” to stay at work.")
    quote = _only(quotes_in(text))
    assert quote.speaker != "union"
    assert quote.speaker is None or quote.speaker == "Helen Marsh" \
        or quote.speaker_confidence < 0.5


def test_the_person_after_a_company_and_title_speaks(quotes_in: Extract) -> None:
    text = ("Brightwave hired two robots for its launch in Leeds. Brightwave is a web "
            "hosting firm.\n\n“We chose Leeds on purpose,” said Brightwave chief Tomas "
            "Wendt.")
    quote = _only(quotes_in(text))
    assert quote.speaker == "Tomas Wendt"


def test_an_outlet_that_reports_words_is_not_a_confident_speaker(quotes_in: Extract) -> None:
    text = ("Mia Dorn texted her friend many times that night. “They are lying about me,” "
            "reported the Valley Courier.")
    quote = _only(quotes_in(text))
    assert quote.speaker_confidence < 0.5


def test_a_state_after_a_city_is_part_of_an_address(quotes_in: Extract) -> None:
    text = ("Dr Ruth Amsel of the Carver Institute in Austin, Texas said the finding "
            "raises questions about “how the crust formed so early”.")
    quote = _only(quotes_in(text))
    assert quote.speaker == "Ruth Amsel"


def test_a_title_inside_the_recognised_name_is_not_part_of_it(quotes_in: Extract) -> None:
    text = ("“We never saw it coming,” said Brightwave CEO Tomas Wendt. Lakeside West "
            "Labour MP Nora Pell disagreed. “It was plain to see,” Ms Pell said.")
    speakers = [q.speaker for q in quotes_in(text)]
    assert speakers == ["Tomas Wendt", "Nora Pell"]


def test_a_quote_after_an_address_continues_the_person(quotes_in: Extract) -> None:
    text = ("Dr Ruth Amsel of the Carver Institute in Austin, Texas said the finding was "
            "new.\n\n“It changes what every textbook says about the crust.”")
    quote = _only(quotes_in(text))
    assert quote.speaker == "Ruth Amsel"


def test_the_sentence_after_a_question_is_not_its_tag(quotes_in: Extract) -> None:
    text = ("Judge Alma Reyes spoke first. “No, I do not,” Victor Hale fired back. “You "
            "know what I mean? I would do it again, do you follow?” The judge told him to "
            "sit down. “Are you sure?” asked Judge Reyes, who had heard enough.")
    speakers = [q.speaker for q in quotes_in(text)]
    assert speakers == ["Victor Hale", "Victor Hale", "Alma Reyes"]


def test_a_nickname_in_quotation_marks_is_part_of_the_name(quotes_in: Extract) -> None:
    text = ("Years later, “Big Lou” Marrone called him a hero. “Sad to say that one of my "
            "heroes has passed away,” Marrone wrote on Twitter. “It is,” Mary Dole said.")
    quotes = quotes_in(text)
    assert [(q.text[:8], q.speaker) for q in quotes] == [
        ("Sad to s", "Big Lou Marrone"), ("It is", "Mary Dole")]


def test_a_thing_inside_someones_words_does_not_speak(quotes_in: Extract) -> None:
    text = ("In an interview on Sunday, Senator Ada Quill said the recent wave of "
            "closures demands that every town engage in “more honest planning” at once.")
    quote = _only(quotes_in(text))
    assert quote.speaker == "Ada Quill"



def test_a_day_after_the_cue_is_not_a_name() -> None:
    # The rule behind "…,” police Chief Dale Ostrow said Monday." when the parse leaves
    # the cue without a subject and the nearest capitalised word is the day.
    from reader.analysis.quotes import _Context, _find_spans, _unrecognised_name

    article = article_from_text("Ostrow spoke to Tennant on Monday. “We will find out,” "
                                "Ostrow said Monday, and Tennant agreed.", title="")
    doc = nlp.parse(article)
    ctx = _Context(doc, doc.text, extract_entities(doc, article), _find_spans(doc.text))
    words = {t.text: t for t in doc}
    assert not _unrecognised_name(ctx, words["Monday"])
    assert _unrecognised_name(ctx, words["Tennant"]) or words["Tennant"].ent_type_


def test_an_age_description_is_the_one_person_of_that_age(quotes_in: Extract) -> None:
    text = ("A 17-year-old Ohio student told friends, “I will win this race,” weeks before "
            "the final.\n\nMarta Kowalski (right), 17, and her coach, Dale Hughes, 52, "
            "trained for two years.")
    quote = next(q for q in quotes_in(text) if q.text.startswith("I will win"))
    assert quote.speaker == "Marta Kowalski"
    assert quote.speaker_confidence >= 0.5


def test_a_statement_after_an_organisations_officials_is_the_organisations(
        quotes_in: Extract) -> None:
    text = ("Storm delays ferry\n\nA crew member told reporters the sea was rough. "
            "Harwick Ferries officials confirmed that the crossing was cancelled. "
            "“The safety of our passengers comes first,” the statement said.")
    quote = next(q for q in quotes_in(text) if q.text.startswith("The safety"))
    assert quote.speaker == "Harwick Ferries"


def test_a_document_relays_the_words_of_the_person_introduced_before(
        quotes_in: Extract) -> None:
    text = ("Court papers\n\nRosa Delgado, 16, and her mother, Ines Delgado, 44, were "
            "both questioned. The teenager then messaged her cousin: “I cannot stay in "
            "that house,” the affidavit said. Later, she wrote to him: “Come tonight.”")
    quotes = quotes_in(text)
    first = next(q for q in quotes if q.text.startswith("I cannot"))
    assert first.speaker == "Rosa Delgado"
    later = next(q for q in quotes if q.text.startswith("Come tonight"))
    assert later.speaker != "the affidavit"


def _speaker_of(quotes: list[Quote], first_words: str) -> str | None:
    return next(q.speaker for q in quotes if q.text.startswith(first_words))


def test_a_participle_of_speech_after_a_name_is_that_persons(quotes_in: Extract) -> None:
    quotes = quotes_in(
        "The new advert shows footage of Miriam Okafor asking, “Who will pay for the "
        "bridge, you may ask?”\n\n"
        "The clip ends with Daniel Brandt saying at the hearing, “That is my right,” "
        "when Okafor challenged him over the cost.")
    assert _speaker_of(quotes, "Who will pay") == "Miriam Okafor"
    assert _speaker_of(quotes, "That is my right") == "Daniel Brandt"


def test_a_clause_after_the_quote_is_not_its_tag(quotes_in: Extract) -> None:
    quotes = quotes_in(
        "Officer Rita Kell shot the dog last week.\n\n"
        "Mayor Tomas Grell described the shooting as a “dreadful mistake,” but stopped "
        "short of calling Kell's actions reckless.")
    assert _speaker_of(quotes, "dreadful mistake") == "Tomas Grell"


def test_a_thing_ending_in_ment_does_not_speak(quotes_in: Extract) -> None:
    quote = _only(quotes_in(
        "City lawyer Pavel Ostrov said in the letter that the advertisement “plainly and "
        "wrongly” suggests that the council backs the campaign."))
    assert quote.speaker == "Pavel Ostrov"


def test_a_quote_after_a_finished_sentence_continues_the_speaker(quotes_in: Extract) -> None:
    quotes = quotes_in(
        "“Can anyone name the rule we broke?” Harriet Vane asked. “Nobody can.”\n\n"
        "Editor’s note: this story was updated on Friday.")
    assert _speaker_of(quotes, "Nobody can") == "Harriet Vane"


def test_he_right_after_a_tag_is_the_person_just_quoted(quotes_in: Extract) -> None:
    """The speaker's gender is unknown (a surname alone); a man named further back
    does not win over the person quoted in the sentence before."""
    quotes = quotes_in(
        "Rep. Adam Kell told reporters that the leaks were “troubling”.\n\n"
        "This week, the president declined to blame the port authority.\n\n"
        '"We have had trouble with the port before," Macron said after meeting with '
        "Danish Prime Minister Lars Holm. He didn't suggest a fine. \"Our aim is to agree "
        'rules that everyone can follow."')
    assert _speaker_of(quotes, "Our aim") == "Macron"


def test_a_dash_is_never_the_subject_of_a_cue(quotes_in: Extract) -> None:
    quote = _only(quotes_in(
        "Often, it appeared that Ferris was unable to answer. When Adler noted that Ferris "
        "has occasionally not paid anything in federal income taxes ― as was true for the "
        "few years his tax returns were made public ― Ferris boasted, “That makes me "
        "clever.”"))
    assert quote.speaker == "Ferris"


def test_going_on_to_say_after_a_tag_is_the_tagged_speaker(quotes_in: Extract) -> None:
    quotes = quotes_in(
        '"We have come so far in this town in struggling against the flood. That we do not '
        "want to go back to a time when you have the mill, the big fight, I guess of today, "
        "what's the fight, the river again we're bringing that up, is insane,\" Holloway "
        'said, going on to say that the town has spent "hundreds of years fighting against '
        "floods and all that stuff, to have that fight again, young people do not want to "
        "see that…. They're way beyond that. They don't want to think we're blaming the "
        'farmers for our problems, and I think that will bring a lot of those people around."')
    assert _speaker_of(quotes, "hundreds of years") == "Holloway"


def test_an_organisations_report_speaks_for_the_organisation(quotes_in: Extract) -> None:
    quotes = quotes_in(
        "The International Monetary Fund cut its forecast on Tuesday. Its chief economist, "
        "Maura Olsen, said the outlook was weak.\n\n"
        "“The ultimate impact remains very unclear,” the IMF report stated.")
    assert _speaker_of(quotes, "The ultimate impact") == "International Monetary Fund"


def test_a_misread_title_span_gives_way_to_the_name_in_it(quotes_in: Extract) -> None:
    """The recogniser may read "Trump accused Holt of being a" as one title; the speaker
    is the capitalised word at the mention, spelled out in full."""
    quotes = quotes_in(
        "Donald Trump spoke in Ohio on Friday.\n\n"
        'Bemoaning the "phony system," Trump accused Holt of being a Democrat, though '
        "records say otherwise.")
    assert _speaker_of(quotes, "phony system") == "Donald Trump"


def test_the_owner_of_a_subject_is_an_antecedent(quotes_in: Extract) -> None:
    quotes = quotes_in(
        "“The study was flawed,” said Maya Ferris, a surgeon.\n\n"
        "Lara Quinn’s dubious advice earned her the attention of Congress, where she "
        "appeared at a hearing for saying that green tea was a “miracle cure for every "
        "body type.”")
    assert _speaker_of(quotes, "miracle cure") == "Lara Quinn"


def test_a_participle_after_a_name_wins_over_the_verb_above_it(quotes_in: Extract) -> None:
    quotes = quotes_in(
        "Donald Trump spoke in Ohio. “You pay your taxes,” a narrator in the new ad says. "
        "The spot concludes with footage of Trump saying during the debate last week, "
        "“That makes me clever,” when the host pressed him on tax.")
    assert _speaker_of(quotes, "That makes me clever") == "Donald Trump"


def test_phrases_quoted_in_a_list_share_the_first_ones_source(quotes_in: Extract) -> None:
    quotes = quotes_in(
        "“Are you cold?” she asked, but Ken was asleep, and as Senator Ruth Miles went on "
        "about “how the market is rigged,” and “forgotten rural towns” and “our own "
        "struggling farmers,” Nora Platt nodded and said yes, over and over again.")
    assert _speaker_of(quotes, "forgotten rural") == "Ruth Miles"
    assert _speaker_of(quotes, "our own struggling") == "Ruth Miles"
