"""Named entities as a reader thinks of them: people, organisations and places, merged.

spaCy's small model finds *mentions*; on news text it stumbles in predictable ways that
a few document-level rules repair before the mentions are merged:

* shouting (ALL-CAPS headlines and datelines) looks like one long acronym to the model,
  so those lines are re-read from a truecased copy of the same length;
* spans drag in determiners, possessives, titles, dates, scores and headline dashes;
* the model labels the same name differently in two sentences, and misses a name it
  found a paragraph earlier. A reporter means one thing by one name within a story,
  so each name's label is decided once from all the article's evidence
  (``entity_labels``) and missed repeats are recovered.

Merging then joins "President Joe Biden", "Biden" and "Biden's" into one person, an
acronym with its spelled-out form, and keeps a surname shared by two people apart.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from reader.analysis import nlp
from reader.analysis.entity_labels import (
    ORG_HEADS,
    cue_spans,
    decide_labels,
    fixture_spans,
    results_lines,
    team_spans,
)
from reader.analysis.identity import acronym_of, organisation_short_forms
from reader.analysis.names import given_name_certainty, place_kind
from reader.analysis.spans import Span
from reader.models import Article, Entity, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW",
          "PRODUCT", "LANGUAGE")
"""The labels kept, in the order the entity list shows them; dates, times, money and
counts are facts, not entities."""
_KEEP = frozenset(LABELS)

_PRONOUNS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them "
    "their theirs this that these those who whom whose which what here there".split()
)
_DETERMINERS = frozenset({"the", "a", "an"})
_TITLES = frozenset(
    "mr mrs ms miss mx dr prof sen rep gov gen lt col capt sgt adm cmdr maj rev fr sir dame "
    "lord lady hon president vice prime premier chancellor senator representative "
    "congressman congresswoman governor mayor minister secretary general judge justice pope "
    "king queen prince princess sheikh ayatollah coach captain chairman chairwoman chair "
    "commissioner ambassador director detective officer sergeant colonel lieutenant admiral "
    "bishop cardinal archbishop rabbi imam father professor doctor speaker chief deputy "
    "foreign defence defense finance interior home trade economy health justice "
    "attorney state former then-president sen. rep. gov. gen. dr. mr. mrs. ms. prof. "
    "lt. col. capt. sgt. adm. maj. rev. fr. st. fusilier private pte spc specialist corporal "
    "cpl sheriff constable pc trooper marine mp mep qc baroness baron councillor cllr "
    "superintendent inspector pastor reverend".split()
)
"""Words that precede a name without being part of it ("Foreign Minister", "Sen.")."""
_RANKS = frozenset("mr mrs ms dr spc pte pfc sgt cpl lt col capt maj gen cmdr adm fusilier "
                   "private corporal sergeant lieutenant colonel captain major mp qc".split())
"""Titles that end an organisation's span when the person's name after them was split
off ("Army Spc" of "Army Spc Caleb Barnes")."""
_NUMBERLESS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
"""Labels whose names never start or end with a number or a lower-case word: a score,
a date or "news agency" next to them is context. Products, laws and events keep theirs
("Windows 11", "the Clean Air Act of 1990")."""
_NAME_PARTICLES = frozenset(
    "de da di del della van von der den ter ten le la du dos das al el bin ben ibn"
    .split()
)
_CORPORATE_SUFFIXES = frozenset(
    "inc inc. corp corp. co co. ltd ltd. llc plc ag sa nv bv gmbh group holdings".split()
)
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of in on at to for from by with as into onto over under "
    "after before about against between during without within than is are was were be "
    "been has have had will would can could may might must shall should do does did not "
    "no its his her their our your my up out off down".split()
)
"""Lower-cased when a shouted line is truecased and the document gives no other evidence."""

_WORD = re.compile(r"\S+")
_EDGE_PUNCT = "\"'“”‘’()[]{}<>,;:!?/\\|*+=#@~_-–—&"
_SPLITTERS = re.compile(r"\n+|\s[-–—]+\s|\s*[()\[\]]\s*|\s/\s|;\s")
"""An entity never spans a line break, a spaced dash (headline separator), brackets or a
semicolon: the two sides are two mentions."""
_NUMBER_SPLITTER = re.compile(r"\s\d[\d.,:/-]*\s|\s(?:v|vs\.?)\s(?=[A-Z])")
_SENTENCE_OPENER = re.compile(
    r"\s(?=(?:The|A|An|Meanwhile|However|But|And|He|She|They|It|We|This|That|These|Those|"
    r"After|Before|When|While|Signed|Pictured|Picture|Photo|Credit|Scroll|Video)\b)")
_OPENER_WORDS = frozenset(
    "Meanwhile However But And After Before When While Signed Pictured Picture Photo Credit "
    "Scroll".split())
"""A capitalised opener inside a name's span starts a new sentence whose full stop the
page lost (captions run into the text: "the work of Flinck The FBI declined")."""
"""A number inside a person's or a place's span is a score or a table cell between two
names ("Chelsea 2 Everton")."""


# --------------------------------------------------------------------------- mentions


def ner_spans(text: str) -> list[tuple[int, int, str]]:
    """Cleaned NER spans of ``text``: what the scorer compares with gold annotations."""
    doc = nlp.parse_text(text)
    return [(s.start, s.end, s.label) for s in find_mentions(doc, text)]


def find_mentions(doc: Doc, text: str | None = None) -> list[Span]:
    """spaCy's entities, re-read where shouted, cleaned and made consistent per document.

    ``text`` is the parsed text when the caller has it: ``doc.text`` is rebuilt from the
    tokens on every access.
    """
    if text is None or not is_text_of(doc, text):
        text = doc.text
    shouted = shouting_segments(text)
    spans = model_spans(doc)
    if shouted:
        spans = _reread_shouting(text, spans, shouted)
    cleaned = [piece for span in spans for piece in clean_span(text, span)]
    cleaned = [piece for span in cleaned for piece in split_person_tail(text, span)]
    place = dateline_place(text)
    for fixed in (place, source_tag(text)):
        if fixed is not None:
            cleaned = [s for s in cleaned if not _overlaps_any(s, [fixed])] + [fixed]
    cleaned = [_relabel_by_shape(text, span) for span in _drop_overlaps(cleaned)]
    cleaned = sorted(cleaned + team_spans(text, cleaned, results_lines(text)))
    cleaned = sorted(cleaned + fixture_spans(text, cleaned))
    cleaned = sorted(cleaned + cue_spans(text, cleaned))
    cleaned = without_common_words(text, cleaned)
    cleaned = with_given_names(text, cleaned)
    cleaned = decide_labels(text, cleaned, shouted, place)
    cleaned = introduced_acronyms(text, cleaned)
    cleaned = recover_repeats(text, cleaned)
    cleaned = with_given_names(text, recover_surnames(text, cleaned))
    return sorted(cleaned)


_PLAIN_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}")
_JUNK_FIRST_WORDS = _DETERMINERS | _PRONOUNS | _TITLES


def is_text_of(doc: Doc, text: str) -> bool:
    """Cheap check that ``text`` is what was parsed (only the last token is compared)."""
    if len(doc) == 0:
        return not text
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text) and text.endswith(last.text_with_ws)


def model_spans(doc: Doc) -> list[Span]:
    """The model's entities with a label kept here."""
    return [Span(e.start_char, e.end_char, e.label_)
            for e in nlp.doc_ents(doc) if e.label_ in _KEEP]


def clean_span(text: str, span: Span) -> list[Span]:
    """Split a span at separators, then trim what is not part of the name off each piece."""
    segment = text[span.start:span.end]
    if _PLAIN_NAME.fullmatch(segment) and not _SENTENCE_OPENER.search(segment) and \
            segment.split(" ", 1)[0].lower() not in _JUNK_FIRST_WORDS and \
            segment.rsplit(" ", 1)[-1].lower() not in _RUN_ON_WORDS:
        return [span]
    pieces: list[Span] = []
    cursor = span.start
    splitters = [_SPLITTERS, _NUMBER_SPLITTER, _SENTENCE_OPENER] \
        if span.label in _NUMBERLESS else [_SPLITTERS]
    cuts = sorted((m for pattern in splitters for m in pattern.finditer(segment)),
                  key=lambda m: m.start())
    for match in cuts:
        if span.start + match.start() < cursor:
            continue
        pieces.append(Span(cursor, span.start + match.start(), span.label))
        cursor = span.start + match.end()
    pieces.append(Span(cursor, span.end, span.label))
    out = []
    for piece in pieces:
        trimmed = _trim(text, piece)
        if trimmed is not None:
            out.append(trimmed)
    return out


_TAIL_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})


def split_person_tail(text: str, span: Span) -> list[Span]:
    """"United Nations Samantha Power", "Army Spc Caleb Barnes": an organisation's span
    that runs on into a person's full name (a given name and one or two more capitalised
    words) is two mentions; a title between them belongs to neither."""
    if span.label not in _TAIL_LABELS:
        return [span]
    words = [(span.start + m.start(), span.start + m.end())
             for m in _WORD.finditer(text[span.start:span.end])]
    if len(words) < 3:
        return [span]
    for i in range(1, len(words) - 1):
        tail = [text[a:b] for a, b in words[i:]]
        if len(tail) > 3 or not all(_CAPITALISED_WORD.fullmatch(w) for w in tail):
            continue
        if given_name_certainty(tail[0]) < 1.0 or tail[-1].lower() in ORG_HEADS or \
                place_kind(text[words[i - 1][0]:words[i][1]]) is not None:
            continue
        head = words[:i]
        titled = False
        while head and text[head[-1][0]:head[-1][1]].lower() in _TITLES:
            head.pop()
            titled = True
        head_words = [text[a:b] for a, b in head]
        label = span.label
        if len(head_words) == 1 and _DEMONYM.fullmatch(head_words[0]):
            label = "NORP"
        elif not titled and (len(head_words) < 2 or "and" in head_words):
            continue
        person = Span(words[i][0], span.end, "PERSON")
        return [Span(span.start, head[-1][1], label), person] if head else [person]
    return [span]


_DEMONYM = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|i)")
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")


def _trim(text: str, span: Span) -> Span | None:
    """Trim words off both ends until the span starts and ends with a name word."""
    words = [(span.start + m.start(), span.start + m.end())
             for m in _WORD.finditer(text[span.start:span.end])]
    words = [_strip_edge_punct(text, s, e) for s, e in words]
    words = [(s, e) for s, e in words if e > s]
    while words and _is_leading_junk(text[words[0][0]:words[0][1]], span.label, len(words)):
        words.pop(0)
    while words and _is_trailing_junk(text[words[-1][0]:words[-1][1]], span.label) and \
            not _numbered_name(text, words):
        words.pop()
    last = text[words[-1][0]:words[-1][1]].lower() if words else ""
    if span.label == "ORG" and len(words) >= 3 and last in _ORG_PRODUCTS and \
            text[words[-2][0]:words[-2][1]].lower().rstrip(",") in ORG_HEADS:
        words.pop()  # "the latest World Health Organization Report"
    elif span.label in _NUMBERLESS and len(words) >= 2 and last in _CROWDS:
        words.pop()  # "against Spurs Fans are unhappy": a full stop the page lost
    if not words:
        return None
    start, end = words[0][0], words[-1][1]
    end = _without_possessive(text, start, end)
    name = text[start:end]
    if not _looks_like_name(name):
        return None
    return Span(start, end, span.label)


_ORG_PRODUCTS = frozenset(
    "report reports statement survey study studies data figures spokesman spokeswoman "
    "spokesperson official officials chief boss bosses staff website guidelines "
    "guidance".split())
"""Nouns for what an organisation issues or who speaks for it: after the organisation's
head word ("... Organization Report") they end the span, not extend the name."""


_NUMBERED_HEADS = frozenset({"radio", "channel"})
"""Names that end in a number: "BBC Radio 4", "Channel 5"."""


def _numbered_name(text: str, words: Sequence[tuple[int, int]]) -> bool:
    """The last word is the one- or two-digit number of a station or channel."""
    return len(words) >= 2 and bool(_STATION_NUMBER.fullmatch(text, *words[-1])) and \
        text[words[-2][0]:words[-2][1]].lower() in _NUMBERED_HEADS


_STATION_NUMBER = re.compile(r"\d{1,2}(?:['’]s)?")


_CROWDS = frozenset({"fans", "supporters"})
"""Followers of a name are never part of it; capitalised after it they open a sentence."""
_RUN_ON_WORDS = _ORG_PRODUCTS | _CROWDS


def _strip_edge_punct(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    if end > start + 1 and text[end - 1] == "." and text[start:end - 1].isalpha() \
            and text[start:end - 1].islower():
        end -= 1
    prefix = _LOWER_PREFIX.match(text, start, end)
    if prefix:
        start = prefix.end()
    return start, end


_LOWER_PREFIX = re.compile(r"(?:ex|anti|pro|non|post|pre|then|former|mid)-(?=[A-Z])")
"""A lower-case prefix glued to a name ("ex-Mirror", "anti-Tory") is not part of it."""


def _is_leading_junk(word: str, label: str, remaining: int) -> bool:
    lower = word.lower()
    if not any(ch.isalpha() for ch in word):
        return label in _NUMBERLESS or not any(ch.isdigit() for ch in word)
    if lower in _DETERMINERS or lower in _PRONOUNS or \
            (word in _OPENER_WORDS and label in _NUMBERLESS):
        return True
    if word.islower() and lower not in _NAME_PARTICLES and label in _NUMBERLESS:
        return True
    return label == "PERSON" and remaining > 1 and lower in _TITLES


def _is_trailing_junk(word: str, label: str) -> bool:
    if not any(ch.isalpha() for ch in word):
        return label in _NUMBERLESS or not any(ch.isdigit() for ch in word)
    return word in ("'s", "’s", "'", "’") or (word.islower() and label in _NUMBERLESS) or \
        (label in ("ORG", "GPE", "NORP") and word.lower().rstrip(".") in _RANKS)


def _without_possessive(text: str, start: int, end: int) -> int:
    tail = text[start:end]
    if re.search(r"['’]s$", tail, re.IGNORECASE) and end - start > 3:
        return end - 2
    if re.search(r"s['’]$", tail, re.IGNORECASE) and end - start > 3:
        return end - 1
    return end


def _looks_like_name(name: str) -> bool:
    """A name has a capital letter and is not a pronoun or a bare number."""
    if not any(ch.isupper() for ch in name):
        return False
    return name.lower() not in _PRONOUNS and any(ch.isalpha() for ch in name)


_INITIALS_NAME = re.compile(r"(?:[A-Z]\.\s?){1,3}[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?")


def _relabel_by_shape(text: str, span: Span) -> Span:
    """"K. Benjamin" or "J.R. Smith" is a person whatever the model thought."""
    if span.label in ("ORG", "GPE", "LOC", "FAC", "NORP") and \
            _INITIALS_NAME.fullmatch(text[span.start:span.end]):
        return Span(span.start, span.end, "PERSON")
    return span


def _drop_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep the longer of two overlapping spans (a re-read can overlap a kept one)."""
    chosen: list[Span] = []
    for span in sorted(spans):
        if chosen and span.start < chosen[-1].end:
            if span.end - span.start > chosen[-1].end - chosen[-1].start:
                chosen[-1] = span
            continue
        chosen.append(span)
    return chosen


# ------------------------------------------------------------------------- shouting


def _is_shouted_word(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def shouting_segments(text: str) -> list[tuple[int, int]]:
    """Lines written in capitals (headlines, datelines), and a capitalised run that opens
    a line ("WASHINGTON (Reuters) -").

    A line counts when its capitalised words outnumber its lower-case ones; acronyms in
    ordinary sentences ("NATO said") never do.
    """
    segments: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if _CAPS_PAIR.search(line):
            words = line.split()
            shouted = sum(1 for w in words if w.isupper() and _is_shouted_word(w))
            lower = sum(1 for w in words if w != w.upper())
            if shouted and shouted > lower and (shouted >= 2 or lower == 0):
                segments.append((pos, pos + len(line)))
            else:
                lead = _leading_capitals(line)
                if lead:
                    segments.append((pos, pos + lead))
        pos += len(line) + 1
    return segments


_CAPS_PAIR = re.compile(r"[^\W\d_a-z]{2}")
_LEADING_CAPS = re.compile(r"^(?:[A-Z][A-Z.'&-]*[A-Z.](?: |$))+")


def _leading_capitals(line: str) -> int:
    """Length of a dateline-like run of capitalised words that opens a mixed-case line."""
    match = _LEADING_CAPS.match(line)
    if not match:
        return 0
    run = match.group().rstrip()
    words = run.split()
    if len(words) < 2 and len(run) < 4:
        return 0
    rest = line[len(run):].lstrip()
    if rest[:1] in (",", "(", "-", "–", "—") or rest[:1].isdigit():
        return len(run)
    return 0


_EVIDENCE_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?:;\"“”‘’(\n]\s*$")


def _case_evidence(text: str, shouted: Sequence[tuple[int, int]]) -> dict[str, str]:
    """How the document itself writes, outside its shouted lines, the words they shout.

    Inside a sentence a word's case is informative ("the", "Japan", "NATO"); at a
    sentence start it is not, so those forms count only when nothing else is known.
    """
    wanted = {w.lower() for a, b in shouted for w in _EVIDENCE_WORD.findall(text, a, b)}
    if not wanted:
        return {}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, wanted)) + r")(?!\w)",
                         re.IGNORECASE)
    inner: dict[str, Counter[str]] = defaultdict(Counter)
    initial: dict[str, Counter[str]] = defaultdict(Counter)
    cursor = 0
    for start, end in [*shouted, (len(text), len(text))]:
        for match in pattern.finditer(text, cursor, start):
            word = match.group()
            before = text[max(cursor, match.start() - 3):match.start()]
            at_start = match.start() == cursor or bool(_SENTENCE_END.search(before))
            (initial if at_start else inner)[word.lower()][word] += 1
        cursor = end
    evidence = {word: forms.most_common(1)[0][0] for word, forms in initial.items()}
    evidence.update({word: forms.most_common(1)[0][0] for word, forms in inner.items()})
    return evidence


def _ordinary_text_words(text: str, shouted: Sequence[tuple[int, int]]) -> int:
    lower_words = len(_LOWER_WORD.findall(text))
    return lower_words - sum(len(_LOWER_WORD.findall(text, a, b)) for a, b in shouted)


_LOWER_WORD = re.compile(r"\b[a-z]+\b")


@lru_cache(maxsize=2)
def _lower_case_words(text: str) -> frozenset[str]:
    """The words the article writes in lower case (two passes ask, once per article)."""
    return frozenset(_LOWER_WORD.findall(text))


MIN_ORDINARY_WORDS = 40
"""Lower-case words the document must have outside its shouted lines before a shouted
word it never writes is taken for an ordinary word; in a text all in capitals (or
nearly) such words are title-cased instead."""


def truecase(segment: str, evidence: dict[str, str], unknown_is_ordinary: bool = True) -> str:
    """The segment as the document would write it; the length never changes.

    A headline's names nearly always recur in the story, so a shouted word the story
    never writes is most likely an ordinary word and is lower-cased, as function words
    always are. The first word keeps a capital, as in a sentence.
    """
    def fix(match: re.Match[str]) -> str:
        word = match.group()
        if not _is_shouted_word(word) and not word.isupper():
            return word
        known = evidence.get(word.lower())
        if known is not None:
            form = known
        elif match.start() == 0:
            form = word.capitalize()
        elif word.lower() in _FUNCTION_WORDS or unknown_is_ordinary:
            form = word.lower()
        else:
            form = "-".join(part.capitalize() for part in word.split("-"))
        return form if len(form) == len(word) else word

    return re.sub(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", fix, segment)


def _reread_shouting(text: str, spans: list[Span],
                     shouted: Sequence[tuple[int, int]]) -> list[Span]:
    """Replace the model's guesses inside shouted text by its reading of a truecased copy.

    A name the copy reveals is trusted when the model also saw something there in the
    original, or when the document writes one of its words capitalised elsewhere; a
    word never seen in lower or upper case ("STANDINGS") is not enough on its own.
    """
    pipeline = nlp.load()
    evidence = _case_evidence(text, shouted)
    ordinary = _ordinary_text_words(text, shouted) >= MIN_ORDINARY_WORDS
    copies = [pipeline.make_doc(truecase(text[s:e], evidence, ordinary)) for s, e in shouted]
    ner: Any = pipeline.get_pipe("ner")
    fresh: list[Span] = []
    for (offset, _), copy in zip(shouted, ner.pipe(copies), strict=True):
        for ent in copy.ents:
            span = Span(offset + ent.start_char, offset + ent.end_char, ent.label_)
            if ent.label_ in _KEEP and (_overlaps_any(span, spans)
                                        or _capitalised_elsewhere(ent.text, evidence)):
                fresh.append(span)
    kept = [s for s in spans if not any(a < s.end and s.start < b for a, b in shouted)]
    return sorted(kept + fresh)


def _overlaps_any(span: Span, others: Iterable[Span]) -> bool:
    return any(o.start < span.end and span.start < o.end for o in others)


def _capitalised_elsewhere(name: str, evidence: dict[str, str]) -> bool:
    for word in re.findall(r"[^\W\d_]+", name):
        form = evidence.get(word.lower())
        if form is not None and form[0].isupper() and word.lower() not in _FUNCTION_WORDS:
            return True
    return False


_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})"
    r"(?=\s*\(|\s+[-–—]+\s+\S*[a-z]|\s+\d{4}-\d\d-\d\d|\s*,\s*[A-Z][a-z])"
)
DATELINE_LINES = 3
"""A dateline opens the story; further down a capitalised word before a number is a
table row or a score, not a dateline."""


_SOURCE_TAG = re.compile(
    r"(?:[^()\n]{0,60}?\s)?\((?P<source>[A-Z][A-Za-z&.]{1,15}(?: [A-Z][A-Za-z]+)?)\)"
    r"(?=\s*[-–—]|[A-Z]|\s+[A-Z])")


def source_tag(text: str) -> Span | None:
    """The news agency that opens wire copy: "LONDON (Reuters) -", "(CNN)Rescuers ..."."""
    for number, line in enumerate(re.finditer(r"[^\n]+", text)):
        if number >= DATELINE_LINES:
            break
        match = _SOURCE_TAG.match(line.group())
        if match:
            offset = line.start()
            return Span(offset + match.start("source"), offset + match.end("source"), "ORG")
    return None


def dateline_place(text: str) -> Span | None:
    """The place of a wire-copy dateline ("LONDON, March 3 (Reuters) -", "PARIS 1996-08-30")."""
    seen = 0
    for line in re.finditer(r"[^\n]+", text):
        if not line.group().strip():
            continue
        match = _DATELINE.match(line.group())
        if match and sum(ch.isalpha() for ch in match.group("place")) >= 3:
            return Span(line.start(), line.start() + match.end("place"), "GPE")
        seen += 1
        if seen >= DATELINE_LINES:
            break
    return None


# ------------------------------------------------------------------- consistency


# The look-behind comes after the first character: a pattern that opens on a character
# lets the search jump to candidates; one that opens on a look-behind tries every position.
_WORD_START = re.compile(r"[^\W\d_a-zß-ÿ](?<![\w'’.-].)[^\W_]*")
_NAME_END = re.compile(r"[\w-]|['’]\w\w")


_DEFINED_ACRONYM = re.compile(r"\s*\((?P<acronym>[A-Z][A-Z&]{1,7})\)")


def introduced_acronyms(text: str, spans: list[Span]) -> list[Span]:
    """"the Dock Workers Union (DWU)": the letters in brackets name the same thing.

    News copy defines an acronym once this way and then uses it alone, where the model
    often does not recognise it; naming it here lets ``recover_repeats`` find the rest.
    """
    taken = {(s.start, s.end) for s in spans}
    found = list(spans)
    for span in spans:
        if span.label not in ("ORG", "GPE", "LOC", "FAC", "LAW", "EVENT", "PRODUCT"):
            continue
        match = _DEFINED_ACRONYM.match(text, span.end)
        if match is None:
            continue
        start, end = match.span("acronym")
        if (start, end) not in taken and not any(s.start < end and start < s.end
                                                 for s in spans):
            found.append(Span(start, end, span.label))
    return sorted(found)


def without_common_words(text: str, spans: list[Span]) -> list[Span]:
    """Drop one-word "names" that are ordinary words capitalised by their place: a month
    or weekday, or a word the article also writes in lower case ("Election results",
    "Batting: ...") when every mention of it opens a sentence or a line."""
    lower_words = _lower_case_words(text)
    openings: dict[str, bool] = {}
    for span in spans:
        word = text[span.start:span.end]
        if " " in word or not word.isalpha() or not word.istitle():
            continue
        before = text[max(0, span.start - 3):span.start]
        opens = span.start == 0 or bool(_SENTENCE_END.search(before))
        openings[word] = openings.get(word, True) and opens
    common = {w for w, always_opens in openings.items()
              if w in _NOT_GIVEN or (always_opens and w.lower() in lower_words)}
    return [s for s in spans if text[s.start:s.end] not in common]


_GIVEN_BEFORE = re.compile(r"(?<![\w'’.-])([A-Z][a-z]+(?:-[A-Z][a-z]+)?) $")
_NOT_GIVEN = frozenset("January February March April May June July August September October "
                       "November December Monday Tuesday Wednesday Thursday Friday Saturday "
                       "Sunday".split())


def with_given_names(text: str, spans: list[Span]) -> list[Span]:
    """"Ana Ruiz Calderon": a person's span that the model started after the given name
    is widened to take it in (only a name used for one gender, never a month)."""
    out = []
    for span in spans:
        if span.label == "PERSON":
            match = _GIVEN_BEFORE.search(text, max(0, span.start - 30), span.start)
            if match and match.group(1) not in _NOT_GIVEN and \
                    given_name_certainty(match.group(1)) >= 1.0 and \
                    given_name_certainty(text[span.start:span.end].split()[0]) < 1.0:
                span = Span(match.start(1), span.end, span.label)
        out.append(span)
    return _drop_overlaps(out)


_SURNAME_NEXT = re.compile(r"(?:['’]s?)?(?:[\s,.;:!?)\"”’]|$)(?!\s*[A-Z][a-z])")


def recover_surnames(text: str, spans: list[Span]) -> list[Span]:
    """Find the surnames of people named in full where the model missed them ("Benz told
    reporters" after "Commissioner Laura Benz"), unless the article also writes the word
    in lower case (a "Power" that may be the noun) or another capitalised word follows."""
    surnames: dict[str, int] = {}
    for span in spans:
        words = text[span.start:span.end].split()
        if span.label == "PERSON" and len(words) > 1 and len(words[-1]) >= 3 and \
                words[-1].isalpha() and words[-1][0].isupper():
            surnames[words[-1]] = surnames.get(words[-1], 0) + 1
    if not surnames:
        return spans
    lower_words = _lower_case_words(text)
    wanted = [w for w in surnames if w.lower() not in lower_words]
    if not wanted:
        return spans
    covered = bytearray(len(text) + 1)
    for span in spans:
        covered[span.start:span.end] = b"\x01" * (span.end - span.start)
    pattern = re.compile(r"(?<![\w'’.-])(?:" + "|".join(map(re.escape, wanted)) + r")\b")
    found = list(spans)
    for match in pattern.finditer(text):
        start, end = match.span()
        if any(covered[start:end]) or not _SURNAME_NEXT.match(text, end):
            continue
        found.append(Span(start, end, "PERSON"))
    return sorted(found)


def recover_repeats(text: str, spans: list[Span]) -> list[Span]:
    """Find again, as whole words, the names the model recognised elsewhere in the text.

    Only capitalised occurrences count (the name "Bush" is not the shrub "bush"), and
    names must be at least three characters long.
    """
    by_first_word: dict[str, dict[str, str]] = defaultdict(dict)
    for span in spans:
        name = text[span.start:span.end]
        if len(name) >= 3 and name[0].isupper():
            for form in (name, name.upper()):
                first = _WORD_START.match(form)
                if first:
                    by_first_word[first.group()].setdefault(form, span.label)
    if not by_first_word:
        return spans
    candidates = {word: sorted(forms.items(), key=lambda f: -len(f[0]))
                  for word, forms in by_first_word.items()}
    covered = bytearray(len(text) + 1)
    for span in spans:
        covered[span.start:span.end] = b"\x01" * (span.end - span.start)
    found = list(spans)
    for word in _WORD_START.finditer(text):
        start = word.start()
        if covered[start] or word.group() not in candidates:
            continue
        for name, label in candidates[word.group()]:
            end = start + len(name)
            if text.startswith(name, start) and not _NAME_END.match(text, end) \
                    and not any(covered[start:end]):
                found.append(Span(start, end, label))
                covered[start:end] = b"\x01" * (end - start)
                break
    return sorted(found)


# -------------------------------------------------------------------------- merging


def extract_entities(doc: Doc, article: Article) -> list[Entity]:
    """Entities of the article, most salient first within each label."""
    text = article.text
    mentions = find_mentions(doc, nlp.analysable_text(text))
    groups = merge_mentions(text, mentions)
    return _rank(groups, text, article)


@dataclass
class _Group:
    label: str
    spans: list[Span]
    name: str
    ambiguous: bool = False


def _name_words(text: str, span: Span) -> list[str]:
    words = text[span.start:span.end].split()
    if span.label == "PERSON":
        while len(words) > 1 and words[0].lower() in _TITLES:
            words.pop(0)
    return words


def _is_caps(name: str) -> bool:
    return name.isupper() and len(name) > 1


def _is_shouting(name: str) -> bool:
    """Capitals that are not an acronym: several words, or one long word."""
    return _is_caps(name) and (" " in name or len(name) > 5)


def _better_name(current: str, candidate: str) -> str:
    """The fullest proper form: more words wins, then mixed case over shouting."""
    def rank(name: str) -> tuple[int, bool, bool, int]:
        return (len(name.split()), not _is_shouting(name), not name.isupper(), len(name))
    return candidate if rank(candidate) > rank(current) else current


def display_name(name: str) -> str:
    """A name seen only in capitals ("BRUSSELS") is shown as a name ("Brussels")."""
    if not _is_shouting(name):
        return name
    return " ".join(w if len(w) <= 3 else "-".join(p.capitalize() for p in w.split("-"))
                    for w in name.split())


def merge_mentions(text: str, spans: Sequence[Span]) -> list[_Group]:
    """Group mentions into entities: exact names first, then short forms and acronyms."""
    exact: dict[tuple[str, str], _Group] = {}
    for span in spans:
        words = _name_words(text, span)
        key = (span.label, _match_key(words, span.label))
        group = exact.get(key)
        if group is None:
            exact[key] = _Group(span.label, [span], " ".join(words))
        else:
            group.spans.append(span)
            group.name = _better_name(group.name, " ".join(words))
    groups = list(exact.values())
    groups = _attach_short_person_names(groups)
    groups = _attach_short_organisation_names(groups)
    groups = _attach_acronyms(groups)
    return groups


def _match_key(words: Sequence[str], label: str) -> str:
    cleaned = [w.lower().rstrip(",") for w in words]
    if label == "ORG":
        while len(cleaned) > 1 and cleaned[-1] in _CORPORATE_SUFFIXES:
            cleaned.pop()
    return " ".join(cleaned).replace(".", "") if len(cleaned) == 1 else " ".join(cleaned)


def _attach_short_person_names(groups: list[_Group]) -> list[_Group]:
    """Join "Biden" to "Joe Biden" and "Ruiz Calderon" to "Ana Ruiz Calderon"; a short
    form two people share ("Biden" with Joe and Hunter Biden) stays apart.

    Longer short forms are joined first, so that "Calderon" finds one owner."""
    people = sorted((g for g in groups if g.label == "PERSON"),
                    key=lambda g: -len(g.name.split()))
    by_ending: dict[tuple[str, ...], list[_Group]] = defaultdict(list)
    by_first: dict[str, list[_Group]] = defaultdict(list)
    for group in people:
        words = tuple(group.name.lower().split())
        for k in range(1, len(words)):
            by_ending[words[-k:]].append(group)
        if len(words) > 1:
            by_first[words[0]].append(group)
    absorbed: set[int] = set()
    for group in people:
        words = tuple(group.name.lower().split())
        owners = [g for g in by_ending.get(words, []) if id(g) not in absorbed]
        if not owners and len(words) == 1:
            owners = [g for g in by_first.get(words[0], []) if id(g) not in absorbed]
        if len(owners) == 1:
            owners[0].spans.extend(group.spans)
            absorbed.add(id(group))
        else:
            group.ambiguous = len(owners) > 1
    return [g for g in groups if id(g) not in absorbed]


def _attach_short_organisation_names(groups: list[_Group]) -> list[_Group]:
    """Join "Nimbus" to "Nimbus Orbital Systems Inc." and "State Department" to
    "Department of State": a form the identity rules make of exactly one other
    organisation's name."""
    organisations = [g for g in groups if g.label == "ORG"]
    owners_of: dict[str, list[_Group]] = defaultdict(list)
    for group in organisations:
        for form in organisation_short_forms(group.name):
            if " " in form or not _is_caps(form):
                owners_of[form.lower()].append(group)
        words = group.name.split()
        if len(words) >= 3 and _is_caps(words[0]):
            owners_of[" ".join(words[1:]).lower()].append(group)  # "Radio 3" of "BBC Radio 3"
        if len(words) == 2 and words[-1].lower() not in ORG_HEADS and \
                not any(place_kind(w) for w in words):
            owners_of[words[-1].lower()].append(group)
    absorbed: set[int] = set()
    for group in sorted(organisations, key=lambda g: len(g.name)):
        owners = [g for g in owners_of.get(group.name.lower(), [])
                  if g is not group and id(g) not in absorbed]
        if len(owners) == 1:
            owners[0].spans.extend(group.spans)
            absorbed.add(id(group))
    return [g for g in groups if id(g) not in absorbed]


def _attach_acronyms(groups: list[_Group]) -> list[_Group]:
    by_acronym: dict[str, list[_Group]] = defaultdict(list)
    for group in groups:
        acronym = acronym_of(group.name)
        if acronym:
            by_acronym[acronym].append(group)
    kept: list[_Group] = []
    for group in groups:
        letters = group.name.replace(".", "")
        owners = by_acronym.get(letters, []) if _is_caps(letters) and " " not in letters else []
        owners = [g for g in owners if g is not group]
        if len(owners) == 1:
            owners[0].spans.extend(group.spans)
        else:
            kept.append(group)
    return kept


# -------------------------------------------------------------------------- ranking


_TITLE_WORD = re.compile(r"\w+")


def _word_sequences(text: str) -> set[tuple[str, ...]]:
    """Every run of consecutive words in a (short) title, lower-cased."""
    words = [w.lower() for w in _TITLE_WORD.findall(text)]
    return {tuple(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def _appears_in(title_sequences: set[tuple[str, ...]], names: Iterable[str]) -> bool:
    """Whether any of the names appears in the title as whole words (one set lookup per
    name: no pattern is built per name)."""
    return any(tuple(w.lower() for w in _TITLE_WORD.findall(n)) in title_sequences
               for n in names if n)


def _lead_end(article: Article) -> int:
    """The lead is the first paragraph (or the first 400 characters without blocks)."""
    for block in article.blocks:
        if block.kind == "paragraph":
            return block.end
    return min(len(article.text), 400)


def _rank(groups: list[_Group], text: str, article: Article) -> list[Entity]:
    """Order by label, then salience: mentions, a place in the title or lead, first use."""
    lead_end = _lead_end(article)
    title_sequences = _word_sequences(article.title[:300])

    def salience(group: _Group) -> tuple[int, float, int]:
        first = min(s.start for s in group.spans)
        names = {group.name, group.name.split()[-1]} if group.label == "PERSON" else {group.name}
        names |= {text[s.start:s.end] for s in group.spans}
        bonus = (1.0 if _appears_in(title_sequences, names) else 0.0) + \
            (0.5 if first < lead_end else 0.0)
        return (LABELS.index(group.label), -(len(group.spans) + bonus), first)

    ordered = sorted(groups, key=salience)
    entities = []
    for number, group in enumerate(ordered, start=1):
        spans = sorted(set(group.spans))
        entities.append(Entity(
            id=f"e{number}", name=display_name(group.name), label=group.label,
            mentions=tuple(Mention(s.start, s.end, text[s.start:s.end]) for s in spans),
            ambiguous=group.ambiguous,
        ))
    return entities
