"""The figures of an article: each number with its unit and what it counts.

A figure is worth showing when a reader can tell what it is without the sentence:
"8 — Russian intelligence officers expelled", "20 → 10 — size of Russia's mission",
"£17m — Crystal Palace's XI worth". So a number is kept only when the parse gives it a
noun phrase to stand for; numbers that are names or parts of names ("Formula 4",
"Hanover 96"), ranks and ordinals ("top 100", "a third straight defeat"), sports
scores ("2-1"), "three-time champion", times of day, fractions and vague plurals
("dozens") are not figures. A range or a change ("from 20 to 10", "20 to 30") is one
figure.

``find_figures`` reads the shared parse; which figures reach the panel (one per thing,
at most eight, most salient first) is decided in ``facts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.analysis.clauses import (
    PRONOUNS,
    clause_subject,
    clip_words,
    event,
    governing_verb,
    is_verb_like,
    mentions_skipped,
    noun_phrase,
    render,
    verb_group,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
NAME_LABELS = frozenset({"ORG", "PERSON", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
                         "GPE", "LOC"})
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1000}
LARGE_SCALES = ("million", "billion", "trillion")
SCALE_SUFFIXES = frozenset({"m", "bn", "b", "k", "mn", "tn", "million", "billion", "trillion"})
CURRENCY_MARKS = ("$", "£", "€", "¥", "₹", "US$", "A$", "C$", "HK$")
CURRENCY_WORDS = {"dollars": "$", "dollar": "$", "euros": "€", "euro": "€", "pounds": "£",
                  "yen": "¥", "yuan": "yuan", "rupees": "rupees", "francs": "francs",
                  "cents": "cents", "pence": "pence", "roubles": "roubles", "rubles": "roubles"}
PEOPLE_NOUNS = frozenset("""
people persons person men women children kids babies adults teenagers students pupils
officers officials soldiers troops workers employees staff patients residents citizens
civilians migrants refugees passengers victims voters members fans players protesters
demonstrators diplomats spies agents police policemen firefighters doctors nurses teachers
journalists reporters prisoners inmates suspects survivors casualties dead injured wounded
families households users customers visitors tourists athletes delegates lawmakers
senators candidates divorcees retirees pensioners crew sailors pilots miners fighters
militants rebels hostages pilgrims worshippers guests viewers readers subscribers
respondents participants volunteers experts scientists researchers immigrants
asylum-seekers individuals directors executives managers girls boys dockworkers
""".split())
QUANTITY_UNITS = {
    "km": "km", "kilometre": "km", "kilometer": "km", "mile": "miles", "metre": "metres",
    "meter": "metres", "m": "metres", "feet": "feet", "foot": "feet", "ft": "feet",
    "yard": "yards", "inch": "inches", "cm": "cm", "mm": "mm", "acre": "acres",
    "hectare": "hectares", "kg": "kg", "kilogram": "kg", "tonne": "tonnes", "ton": "tons",
    "pound": "lb", "lb": "lb", "ounce": "oz", "oz": "oz", "gram": "g", "g": "g",
    "litre": "litres", "liter": "litres", "gallon": "gallons", "barrel": "barrels",
    "ml": "ml", "mph": "mph", "km/h": "km/h", "kph": "km/h", "knot": "knots",
    "degree": "degrees", "°c": "°C", "°f": "°F", "celsius": "°C", "fahrenheit": "°F",
    "mw": "MW", "gw": "GW", "kw": "kW", "megawatt": "MW", "gigawatt": "GW", "kwh": "kWh",
}
ORDINAL_WORDS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                           "eighth", "ninth", "tenth", "half", "halves", "quarter", "quarters",
                           "thirds", "fifths", "tenths"})
VAGUE_WORDS = frozenset({"dozens", "hundreds", "thousands", "millions", "billions", "scores",
                         "tens", "several", "many", "few"})
NUMBER_TERMS = frozenset(NUMBER_WORDS) | frozenset(SCALE_WORDS) | frozenset(LARGE_SCALES) \
    | VAGUE_WORDS | {"a", "an", "half", "quarter", "dozens"}
RANK_WORDS = frozenset({"top", "no", "no.", "number", "nos", "bottom"})
DROPPED_LEADERS = frozenset({"a", "an", "the", "mere", "only", "just", "some", "without",
                             "another", "all", "its", "their", "his", "her", "estimated"})
RATE_UNITS = frozenset({"second", "minute", "hour", "day", "night", "week", "month", "year",
                        "head", "person", "game", "match", "ticket", "litre", "gallon",
                        "kilo", "kg", "tonne", "barrel", "share", "unit"})
JOINERS = ("to", "and", "in", "out of", "-", "–")
HEDGES = frozenset({"more", "than", "over", "about", "nearly", "almost", "around", "up", "to",
                    "at", "least", "less", "fewer", "under", "roughly", "approximately", "some",
                    "just", "of", "tens", "hundreds", "thousands", "millions", "billions",
                    "several", "one", "in", "out"})
"""Words that belong to a figure as written ("more than 10,000", "one in five")."""

_PERCENT = re.compile(r"^(?P<number>.+?)\s*(?:%|per\s*cent|percent|pc)$", re.I)
_RANGE = re.compile(r"^(?P<low>.+?)\s+(?:to|and|-|–)\s+(?P<high>.+)$")
_BARE_RANGE = re.compile(r"\d[\d,.]*\s+(?:to|and|-|–)\s+\d[\d,.]*")
_YEAR = re.compile(r"(?:1[5-9]|20|21)\d\d")
_SCORE = re.compile(r"(?<![\d.,£$€])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\d%.,]|\s?(?:per|%))")


@dataclass(frozen=True)
class Figure:
    """A figure as the panel shows it, pointing at where it is written."""

    start: int
    end: int
    value: str
    """As shown: "8", "$3 million", "15%", "20 → 10", "2.5 km"."""
    unit: str | None
    """"%", a currency sign, "people", a measure ("km", "tonnes"); None for a plain count."""
    subject: str
    """What it counts or measures, a short noun phrase from the parse."""
    head: str
    """The subject's head word, lower case: one figure per value and thing counted."""


# --------------------------------------------------------------------------- values

def words_to_number(text: str) -> str:
    """"eight" -> "8", "twenty-five" -> "25", "two million" -> "2 million"; else as is."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if words and words[0] in ("a", "an") and len(words) > 1:
        words = ["one", *words[1:]]
    large = words.pop() if words and words[-1] in LARGE_SCALES and len(words) > 1 else None
    if not words or not all(w in NUMBER_WORDS or w in SCALE_WORDS for w in words):
        return text
    total, current = 0, 0
    for word in words:
        if word in SCALE_WORDS:
            current = max(current, 1) * SCALE_WORDS[word]
            if SCALE_WORDS[word] >= 1000:
                total, current = total + current, 0
        else:
            current += NUMBER_WORDS[word]
    value = str(total + current)
    return f"{value} {large}" if large else value


def figure_value(text: str) -> str:
    text = " ".join(text.split())
    percent = _PERCENT.match(text)
    if percent:
        return f"{words_to_number(percent['number'])}%"
    return words_to_number(text)


def _range_value(span: Span, joiner: str) -> str:
    """"20 → 10" for a change ("from 20 to 10"), "20–30" for a range; else the figure."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    text = span.text
    if joiner in ("in", "out of"):
        return text
    match = _RANGE.match(text)
    if match:
        low, high = figure_value(match["low"]), figure_value(match["high"])
        if before == "from" and " to " in f" {text} ":
            return f"{low} → {high}"
        return f"{low}–{high}"
    return figure_value(text)


# --------------------------------------------------------------------------- spans

def is_bare_range(ent: Span) -> bool:
    """"20 to 10" that the model calls a DATE: two plain numbers, neither a year."""
    if ent.label_ != "DATE" or not _BARE_RANGE.fullmatch(ent.text):
        return False
    return not any(_YEAR.fullmatch(n) for n in re.findall(r"\d+", ent.text))


@dataclass(frozen=True)
class _Span:
    first: int
    """Token index where the figure starts (hedges like "more than" included)."""
    end: int
    label: str
    joiner: str


def _trailing_unit(doc: Doc, end: int) -> int:
    """How many tokens after a number belong to it: "m" of "£17m", "per cent", "%"."""
    if end >= len(doc):
        return 0
    token = doc[end]
    if token.lower_ in SCALE_SUFFIXES and not doc[end - 1].whitespace_:
        return 1
    if token.lower_ in ("%", "percent") or token.lower_ in CURRENCY_WORDS:
        return 1
    if token.lower_ == "per" and end + 1 < len(doc) and doc[end + 1].lower_ == "cent":
        return 2
    if token.lower_ in ("a", "an", "per") and end + 1 < len(doc) \
            and doc[end + 1].lower_ in RATE_UNITS:
        return 2  # "$6.99 a month", "40 hours a week"
    return 0


def _widen(doc: Doc, first: int, end: int) -> tuple[int, int]:
    """Take in the currency sign before, a scale ("£17m") or "per cent" after, and drop
    leading words that are not part of the figure ("a mere", "only")."""
    if first > 0 and doc[first - 1].text in CURRENCY_MARKS:
        first -= 1
    while extra := _trailing_unit(doc, end):
        end += extra
    keep_after = (*LARGE_SCALES, "dozen", "hundred", "thousand")
    while first < end - 1 and _is_leader_to_drop(doc[first]) \
            and doc[first + 1].lower_ not in keep_after:
        first += 1
    return first, end


def _is_leader_to_drop(token: Token) -> bool:
    """A word in front of a figure that is not part of it: "a mere", "only", or a verb
    the model took into the entity ("post $250,000")."""
    if token.lower_ in DROPPED_LEADERS:
        return True
    return token.is_alpha and token.lower_ not in HEDGES and token.lower_ not in NUMBER_TERMS


def _unmarked_second(doc: Doc, end: int) -> int:
    """The end of a second number the model did not mark after "to" ("£30 to £36"), or 0."""
    if end + 1 >= len(doc) or doc[end].lower_ not in ("to", "-", "–"):
        return 0
    at = end + 1
    if doc[at].text in CURRENCY_MARKS and at + 1 < len(doc):
        at += 1
    if not doc[at].like_num or doc[at].ent_type_:
        return 0
    return at + 1


def _figure_spans(doc: Doc) -> list[_Span]:
    """Number entities made whole: "one in five", "from 20 to 10", "£17m", "9 per cent"."""
    ents = [e for e in nlp.doc_ents(doc) if e.label_ in NUMBER_LABELS or is_bare_range(e)]
    out: list[_Span] = []
    skip_next = False
    for index, ent in enumerate(ents):
        if skip_next:
            skip_next = False
            continue
        end = ent.end
        following = ents[index + 1] if index + 1 < len(ents) else None
        # a joiner is at most two words ("out of"): a longer gap is never read out
        joiner = doc[end:following.start].text.lower() \
            if following is not None and following.start - end <= 2 else ""
        joined = False
        if following is not None and joiner in JOINERS:
            end, skip_next, joined = following.end, True, True
        elif second := _unmarked_second(doc, end):
            joiner, end, joined = doc[end].lower_, second, True
        first, end = _widen(doc, ent.start, end)
        text = doc[first:end].text
        label = "PERCENT" if _PERCENT.match(text) else \
            ("CARDINAL" if is_bare_range(ent) else ent.label_)
        if label != "PERCENT" and any(text.startswith(m) for m in CURRENCY_MARKS):
            label = "MONEY"
        if joined:
            out.append(_Span(first, end, label, joiner))
        else:
            out.append(_Span(first, end, label, "to" if is_bare_range(ent) else ""))
    return out


# --------------------------------------------------------------------------- not figures

def _is_noise(span: _Span, doc: Doc) -> bool:
    """Years, ages, scores, ranks, ordinals, name parts, "one", vague plurals, clock times."""
    tokens = doc[span.first:span.end]
    text = tokens.text
    lowered = text.lower()
    previous = doc[span.first - 1] if span.first > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    words = set(re.findall(r"[a-z]+", lowered))
    if _YEAR.fullmatch(text) or re.search(r"\d:\d\d|\b\d+\s?(?:am|pm)\b", lowered):
        return True
    if not re.search(r"\d", text) and not words & NUMBER_TERMS:
        return True  # a name the model took for a number
    if span.label == "CARDINAL" and (lowered in ("one", "1", "a", "an") or words & ORDINAL_WORDS
                                     or lowered in VAGUE_WORDS):
        return True
    if previous is not None and previous.text == ":" and span.first > 1 \
            and doc[span.first - 2].is_upper:
        return True  # "AGE: 27" in a stats box
    if _is_score(doc, span):
        return True
    if after is not None and _is_times(doc, span.end):
        return True  # "three-time champion", "five times"
    if previous is not None and previous.lower_ in RANK_WORDS and span.label == "CARDINAL":
        return True  # "top 100", "No 4"
    if any(t.ent_type_ in NAME_LABELS for t in tokens):
        return True
    if previous is not None and span.label == "CARDINAL" and text.isdigit() \
            and previous.is_title and not previous.is_sent_start \
            and previous.text not in CURRENCY_MARKS:
        return True  # "Formula 4", "Hanover 96", "Schalke 04"
    return _is_age_after_name(span, doc)


def _is_times(doc: Doc, end: int) -> bool:
    after = doc[end]
    if after.lower_ in ("time", "times"):
        return True
    return after.text == "-" and end + 1 < len(doc) and doc[end + 1].lower_ in ("time", "times")


def _is_score(doc: Doc, span: _Span) -> bool:
    """"2-1", "6-3 6-1", "Bayern won 2 - 0": two small numbers joined by a dash."""
    if span.label not in ("CARDINAL", "DATE"):
        return False
    sentence = doc[span.first].sent
    begin = doc[span.first].idx - sentence.start_char
    stop = doc[span.end - 1].idx + len(doc[span.end - 1].text) - sentence.start_char
    for match in _SCORE.finditer(sentence.text):
        if match.start() <= stop and begin <= match.end():
            return True
    return False


def _is_age_after_name(span: _Span, doc: Doc) -> bool:
    """"Lane, 22," is an age."""
    text = doc[span.first:span.end].text
    if not (text.isdigit() and int(text) <= 120 and span.first > 0):
        return False
    after = doc[span.end] if span.end < len(doc) else None
    return doc[span.first - 1].text == "," and after is not None and after.text in (",", ".", ")")


# --------------------------------------------------------------------------- subjects

def _counted_noun(root: Token, skip: frozenset[int]) -> tuple[Token, Token] | None:
    """The noun a number counts, and the token whose role in the clause it takes.

    "eight officers", "a 25 per cent drop": the number modifies the noun, which fills
    the clause itself. "tens of thousands of people", "one in five divorcees": the
    number heads the phrase and the counted noun hangs from it by "of" or "in".
    """
    current = root
    for _ in range(3):
        if current.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod") \
                and current.head.i != current.i and current.head.i > current.i:
            current = current.head
        else:
            break
    if current.i != root.i and current.i not in skip and not is_verb_like(current):
        return current, current
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "out"):
            pobj = next((g for g in child.subtree if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.i not in skip:
                return pobj, root
    return None


def _role_verb(carrier: Token) -> list[Token]:
    """The verb a counted noun is subject or object of, to say what happened to it."""
    verb = carrier.head
    if carrier.dep_ in ("dobj", "nsubjpass") and is_verb_like(verb):
        # "officers expelled" reads as a participle; "contract approving" and
        # "bail post" (from "had to post") do not
        infinitive = any(c.dep_ == "aux" for c in verb.children)
        return [] if verb.lower_.endswith("ing") or infinitive else [verb]
    if carrier.dep_ == "nsubj" and is_verb_like(verb):
        return verb_group(verb)
    return []


def _named(tokens: list[Token]) -> bool:
    """A subject says something only if it has a word that is not a pronoun."""
    return any(t.is_alpha and t.lower_ not in PRONOUNS for t in tokens)


def _subject_of(root: Token, skip: frozenset[int],
                carries_unit: bool) -> tuple[str, Token | None]:
    """What a figure counts or measures, and its head noun; ("", None) when nothing is.

    In order: the noun it counts; the noun whose "of" phrase it is ("price of $3");
    for a figure hanging from a verb by a preposition, the verb's object ("reduced the
    size of the mission from 20 to 10") or its subject ("support rose by 15%"); for a
    figure that is the verb's complement ("was worth £17m", "won $500"), the subject,
    but only when the figure carries its own unit (money, a percentage, a measure): a
    bare number as an object ("call 999", "hit four") counts nothing nameable.
    """
    counted = _counted_noun(root, skip)
    if counted is not None:
        noun, carrier = counted
        phrase = noun_phrase(noun, skip)
        if _named(phrase):
            words = [render(phrase), render(_role_verb(carrier))]
            return clip_words(" ".join(w for w in words if w), 10), noun
    head = root.head
    if root.dep_ == "pobj" and head.dep_ in ("prep", "agent", "dative"):
        owner = head.head
        if is_verb_like(owner):
            changed = next((c for c in owner.children if c.dep_ == "dobj"
                            and not mentions_skipped(c, skip)), None)
            if changed is not None:
                phrase = noun_phrase(changed, skip)
                return (clip_words(render(phrase), 10), changed) if _named(phrase) else ("", None)
            return _clause_phrase(owner, skip)
        phrase = noun_phrase(owner, skip)
        return (clip_words(render(phrase), 10), owner) if _named(phrase) else ("", None)
    if carries_unit and root.dep_ in ("dobj", "attr", "acomp", "npadvmod", "oprd", "nsubj",
                                      "nsubjpass"):
        verb = governing_verb(root)
        if verb is not None:
            return _clause_phrase(verb, skip)
    return "", None


def _clause_phrase(verb: Token, skip: frozenset[int]) -> tuple[str, Token | None]:
    """The clause's named subject with its verb ("public support rose"), if it has one."""
    subject = clause_subject(verb, skip)
    if not _named(subject):
        return "", None
    inside = {t.i for t in subject}
    head = next((t for t in subject if t.head.i not in inside or t.head.i == t.i), subject[0])
    return clip_words(event(verb, skip, 10), 10), head


# --------------------------------------------------------------------------- units

def _unit(span: _Span, doc: Doc, noun: Token | None) -> str | None:
    text = doc[span.first:span.end].text
    lowered = text.lower()
    if span.label == "PERCENT":
        return "%"
    sign = next((m for m in sorted(CURRENCY_MARKS, key=len, reverse=True) if m in text), None)
    if sign is not None:
        return sign
    following = doc[span.end].lower_ if span.end < len(doc) else ""
    for word in (*re.findall(r"[a-z]+", lowered), following):
        if word in CURRENCY_WORDS:
            return CURRENCY_WORDS[word]
    if span.label == "QUANTITY":
        for word in re.findall(r"[a-z°/]+", lowered):
            for candidate in (word, word.rstrip("s"), word[:-2] if word.endswith("es") else ""):
                if candidate in QUANTITY_UNITS:
                    return QUANTITY_UNITS[candidate]
        return None
    if noun is not None and (noun.lower_ in PEOPLE_NOUNS or noun.ent_type_ == "NORP"
                             or noun.lower_.endswith(("ists", "ians"))
                             or (noun.is_title and noun.lower_.endswith("s")
                                 and not noun.is_sent_start)):
        return "people"  # "eight officers", "the nine Danes" (a people named by a plural)
    return None


# --------------------------------------------------------------------------- finding

def find_figures(doc: Doc) -> list[Figure]:
    """Every figure with a unit and a subject, in text order (repeats included)."""
    out: list[Figure] = []
    for span in _figure_spans(doc):
        if _is_noise(span, doc):
            continue
        tokens = doc[span.first:span.end]
        skip = frozenset(range(span.first, span.end))
        subject, noun = _subject_of(tokens.root, skip, span.label != "CARDINAL")
        if not subject:
            continue
        value = _range_value(tokens, span.joiner)
        out.append(Figure(start=tokens.start_char, end=tokens.end_char, value=value,
                          unit=_unit(span, doc, noun), subject=subject,
                          head=(noun.lower_ if noun is not None else subject.split()[-1].lower())))
    return out
