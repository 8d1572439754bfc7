"""What kind of thing a name is, decided once per article from all the evidence.

The model labels each mention on its own, from a few words around it, so one story can
call "Kestrel" a person in one sentence and a company in the next, or a county cricket
team a place. A reader decides from everything the article says: a title ("Sen.",
"Commissioner") or an age (", 61,") marks a person; a legal form ("Inc"), a head noun
("... Labs", "... Pictures"), "the company" in apposition, "X shares" or "Ontario-based
X" mark an organisation; a dateline, "the town of X" or a known country mark a place;
a name followed by scores in a results table is a team. Each piece of evidence is a
weighted vote for one label, added to the model's own votes for every mention of the
name; the winner labels every mention. Short forms follow the full name they belong
to: a surname follows its person, "Nimbus" follows "Nimbus Orbital Systems".

Some names the model never marks are found from their use alone: the sides of a sport
story's inline fixtures ("WASPS v EXETER"), a platform posted on ("wrote on X", "a X
post") and inner capitals ("SpaceX"). And some shapes overrule any context: an
adjective of a country ("Montenegrin") names a people, an adjective-only word before a
noun ("Transatlantic defense") is no name at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from reader.analysis.names import (
    given_name_certainty,
    has_company_suffix,
    is_adjective_only,
    is_country_code,
    is_demonym,
    is_dictionary_word,
    is_given_name,
    is_us_state_code,
    place_kind,
)
from reader.analysis.spans import Span

PERSON_TITLES = frozenset(
    "mr mrs ms miss mx dr prof sen rep gov gen lt col capt sgt adm cmdr maj rev fr sir dame "
    "lord lady president senator congressman congresswoman governor mayor minister "
    "secretary judge justice pope king queen prince princess sheikh coach captain chairman "
    "chairwoman commissioner ambassador detective officer sergeant colonel lieutenant "
    "admiral bishop cardinal archbishop rabbi imam professor premier chancellor striker "
    "midfielder defender goalkeeper quarterback pitcher spokesman spokeswoman actor "
    "actress singer rapper author novelist director owner inspector constable cleric "
    "preacher activist lawyer barrister solicitor chef artist painter photographer "
    "journalist reporter correspondent editor writer poet musician comedian presenter "
    "host star player footballer cricketer batsman bowler teenager boy girl wife husband "
    "daughter son mother father brother sister uncle aunt grandmother grandfather friend "
    "boyfriend girlfriend fiance fiancee widow victim suspect defendant student pupil "
    "teacher nurse surgeon scientist researcher economist analyst investor businessman "
    "businesswoman entrepreneur founder veteran soldier fusilier private corporal killer "
    "gunman bomber mp mep qc pastor manager boss striker"
    .split()
)
"""Words that, right before a name, say it is a person's."""

ORG_HEADS = frozenset(
    "pictures studios studio labs lab laboratories systems technologies industries "
    "corporation company holdings group bank bancorp partners capital ventures airlines "
    "airways motors foods pharmaceuticals therapeutics energy petroleum telecom "
    "communications networks network media entertainment records games software "
    "solutions services university college institute academy foundation trust fund "
    "association federation union council committee commission agency authority board "
    "bureau department ministry office party league club fc united rovers police army "
    "navy court parliament assembly congress senate exchange times post journal herald "
    "tribune news press gazette robotics dynamics aerospace electronics insurance "
    "securities investments realty logistics biotech brands stores inc corp ltd plc llc "
    "community society movement front alliance coalition centre center mission church "
    "reporter magazine channel radio bros brothers hospital clinic "
    "school prison organization organisation"
    .split()
)
"""Last words that make a name an organisation's ("Starlight Pictures", "Bluefin Labs")."""

PARTY_NAMES = frozenset({"tories", "lib dems", "liberal democrats", "conservatives",
                         "labour", "snp", "ukip", "plaid cymru", "greens", "sinn fein",
                         "sinn féin", "dup"})
"""The short names parties go by ("the Tories", "Lib Dems"): the model reads them as a
nationality or a person, a reader as the party, an organisation. A closed set."""

_ORG_NOUNS = (
    r"company|firm|carmaker|automaker|maker|manufacturer|bank|lender|insurer|retailer|"
    r"airline|carrier|broker|brokerage|startup|start-up|conglomerate|giant|club|side|team|"
    r"newspaper|daily|broadcaster|agency|studio|group|operator|developer|chain|unit|"
    r"subsidiary|publisher|label|network|platform|provider|supplier|producer|exchange|"
    r"party|union|charity|organisation|organization|outlet|service|website|site"
)
_PRODUCT_NOUNS = (
    r"console|app|phone|smartphone|handset|laptop|tablet|headset|browser|chatbot|"
    r"vaccine|drug|rocket|jet|aircraft|plane|car|truck|vehicle|device|chip|processor|"
    r"game|video game|operating system"
)

_TITLE_BEFORE = re.compile(r"(?:^|[\s(\"“])(?P<word>[A-Za-z][A-Za-z-]*)\.?\s+$")
_PERSON_AFTER = re.compile(r"\s+(?:administration|presidency|family|MP|MEP|QC)\b|"
                           r"['’]s?\s+(?:administration|presidency)\b")
_PERSON_BEFORE = re.compile(
    r"\b(?:(?:painted|written|directed|composed|sung|designed|invented|discovered|"
    r"created|photographed|narrated)\s+by|(?:painting|paintings|novel|novels|song|songs|"
    r"film|films|book|books|work|works|poem|poems|sketch|sketches|portrait)\s+by)\s+$",
    re.IGNORECASE)
_AGE_AFTER = re.compile(r"\s*,\s*(?:aged\s+\d{1,3}|\d{1,3}\s*,|who\s)")
_PERSON_POSSESSION = re.compile(
    r"\s*['’]s?\s+(?:wife|husband|son|daughter|mother|father|family|brother|sister|"
    r"widow|lawyer|attorney|girlfriend|boyfriend|parents|funeral|death|birthday|career)\b")
_ORG_POSSESSION = re.compile(
    r"\s*['’]s?\s+(?:(?:new|latest|flagship|own|popular)\s+)?(?:shares|stock|"
    r"shareholders|investors|subsidiary|subsidiaries|unit|board|chief executive|ceo|"
    r"headquarters|profits?|revenues?|earnings|sales|customers|employees|workforce|"
    r"products?|services?|apps?|consoles?|phones?|smartphones?|platform|software|"
    r"stores|factories|plants?|brand|market value|share price)\b", re.IGNORECASE)
_ORG_AFTER = re.compile(
    r"\s+(?:shares|stock|share price|account|accounts|page|feed|profile|channel|followers|"
    r"post|posts|"
    r"users|spokesman|spokeswoman|spokesperson|manager|boss|striker|midfielder|defender|"
    r"goalkeeper|keeper|winger|forward|ace|fans|supporters|squad|chairman|leader|MPs|"
    r"captain|side|"
    r"candidate|player|players|star|chief|official|officials|executives|employees|staff)\b|\s*,\s*(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:" + _ORG_NOUNS + r")\b(?!\s+of\b)")
_ROLE_AFTER = re.compile(
    r"(?:\s+[a-z]+){0,3}\s+(?:chief|chiefs|official|officials|spokesman|spokeswoman|"
    r"spokesperson|boss|bosses|executive|executives|staff|employee|employees|worker|workers)"
    r"\b")
""""Oxfam poverty chief", "a Serco detention centre official": a role held at the name,
a few lower-case words later, makes it an employer, not a place."""
_SPORT_WORDS = re.compile(
    r"\b(?=[cdfghiklmprsw])(?:goals?|striker|midfielder|defender|goalkeeper|league|match|matches|fixture|"
    r"innings|wickets?|penalty|relegation|promotion|kick-off|half-time|manager|coach|"
    r"season|squad|premiership|cup)\b", re.IGNORECASE)
"""(The lookahead on the first letters lets the search skip most words at once.)"""
SPORT_WORDS_PER_1000_CHARS = 1.5
"""Sport words per 1,000 characters (about 8 per 1,000 words) above which a story is about
sport, where a town played against is a team."""
_TEAM_BEFORE = re.compile(
    r"\b(?:against|beat|beating|beaten by|draw with|drew with|lost to|defeats? by|defeated by|"
    r"win over|victory over|host|hosts|hosting|face|faces|facing|play|plays|joined|for|"
    r"meeting with|clash with|"
    r"signed for|loan at|at home to|away to|away at|former)\s+$", re.IGNORECASE)
_ORG_BEFORE = re.compile(
    r"(?:\b(?:" + _ORG_NOUNS + r"),?|\bspokes(?:man|woman|person)\s+(?:for|of)|-based|"
    r"\bshares\s+(?:of|in)|\bstake\s+in|\bsubsidiary\s+of|\bunit\s+of)\s+$", re.IGNORECASE)
_PLACE_HEADS = frozenset(
    "street road avenue lane close drive square park bridge stadium arena airport station "
    "hall harbour harbor bay river lake mountain mount island islands valley beach coast "
    "gardens cathedral church tower palace castle".split())
"""Last words of a place or a building's name ("Rugby Park", "Flamborough Close")."""
_THOROUGHFARES = frozenset("street road avenue lane boulevard".split())
"""Last words of a street's name that are hardly ever surnames (unlike Park or Hall)."""
_NATURAL_PLACE_HEADS = frozenset("bay river lake mountain mount island islands valley beach "
                                 "coast harbour harbor".split())
EVENT_HEADS = frozenset("election elections games olympics cup championship championships war "
                        "summit festival conference open tournament".split())
"""Last words of an event's name ("General Election", "World Cup")."""
WORK_HEADS = frozenset("show series sitcom programme program podcast album".split())
"""Last words of a work's name ("The Stan Freberg Show")."""
_CAMEL_CASE = re.compile(r"[A-Z]?[a-z]+[A-Z][A-Za-z]*")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{1,5}")
_SURNAME_PREFIX = re.compile(r"Mc|Mac|De|Di|Van|Von|La|Le|O['’]")
_WHICH_AFTER = re.compile(r"\s*,\s*which\s")
_PRODUCT_BEFORE = re.compile(r"\b(?:" + _PRODUCT_NOUNS + r")s?\s+$")
_ORG_BEFORE_ENDS = (*_ORG_NOUNS.split("|"), "for", "of", "in", "-based")
_PRODUCT_BEFORE_ENDS = tuple(end for noun in _PRODUCT_NOUNS.split("|")
                             for end in (noun.split()[-1], noun.split()[-1] + "s"))
"""The words _ORG_BEFORE and _PRODUCT_BEFORE can end on (before a comma): searching the
window with either is tried only when the word before the name ends so."""
_PLACE_BEFORE = re.compile(
    r"\b(?:town|city|village|province|region|state|island|capital|peninsula|republic|"
    r"county|district|port|suburb|outskirts|territory|annexation|invasion|occupation|"
    r"liberation|partition)\s+of\s+$|"
    r"\b(?:in|near|across|throughout|outside|annexed|visit|visited|invaded)\s+$")
_PLACE_AFTER = re.compile(r"\s*,\s*(?:the\s+)?capital\s+of\b|-born\b|-based\b")
_PLACE_FIRST_WORDS = frozenset("isle isles mount lake cape fort gulf bay".split())

W_MODEL = 1.0
W_SHOUTED_MODEL = 0.3
"""A label read from a shouted line counts for less than one read from ordinary text."""
W_TITLE = 3.0
W_AGE = 2.0
W_GIVEN_NAME = 1.5
W_HEAD = 3.0
W_SUFFIX = 5.0
W_CONTEXT = 2.0
W_WEAK = 0.5
W_DATELINE = 5.0
W_COUNTRY = 2.0
W_TEAM = 3.0


# ------------------------------------------------------------------- results tables


_NUMBER_TOKEN = re.compile(r"\d[\d.,:/-]*(?:st|nd|rd|th)?|\d+=|[-+]?\.\d+")
_NUMBER_STARTS = frozenset("0123456789+-.")
_FIXTURE = re.compile(r"^\S.{0,60}?\s(?:v|vs\.?|AT)\s\S.{0,60}$")


def results_lines(text: str) -> list[tuple[int, int]]:
    """Lines of a results table or fixture list: scores, standings, "Leeds v Hull".

    A line counts when at least two of its words, and a third of them, are numbers, or
    when it is a short "A v B" fixture.
    """
    lines = []
    pos = 0
    for line in text.split("\n"):
        words = line.split()
        # Only words that start like a number can be one: a cheap bound first, so long
        # prose lines never pay for a pattern per word.
        numeric = sum(1 for w in words if w[0] in _NUMBER_STARTS)
        numbers = sum(1 for w in words if _NUMBER_TOKEN.fullmatch(w)) \
            if numeric >= 2 and numeric * 3 >= len(words) else 0
        if (numbers >= 2 and numbers * 3 >= len(words)) or \
                (len(words) <= 10 and _FIXTURE.match(line)):
            lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    return lines


_TEAM_NEXT = re.compile(r"(?:\s*\([^()\n]{1,30}\))?\s+\d|\s+(?:v|vs\.?|AT)\s|\s*$")
_TEAM_PREVIOUS = re.compile(r"(?:\s(?:v|vs\.?|AT)|\d)\s+$")
_TEAM_NAME = re.compile(r"(?<![\w.'’-])[A-Z][\w'’.&-]*(?: (?:[A-Z][\w'’.&-]*|of|de|and))*"
                        r"(?<![ .])")


_SIDE = r"[A-Z][\w'’&-]*(?: [A-Z][\w'’&-]*){0,2}"
_INLINE_FIXTURE = re.compile(rf"(?<![\w'’.-])({_SIDE}) (?:v|vs) ({_SIDE})(?![\w'’-])")


def fixture_sides(text: str) -> set[str]:
    """Name keys of the sides of "Gloucester v Newcastle" or "WASPS v EXETER" anywhere in
    the text (previews run fixtures inline): in a sport story each side is a team, every
    time the story names it ("the defeat by Exeter")."""
    if " v " not in text and " vs" not in text:  # most stories: skip the slow pattern
        return set()
    return {_name_key(side) for match in _INLINE_FIXTURE.finditer(text)
            for side in match.groups()}


@lru_cache(maxsize=4)
def is_sport_story(text: str) -> bool:
    """Sport words are dense, or the text runs two fixtures ("A v B") inline."""
    sport_words = len(_SPORT_WORDS.findall(text))
    return sport_words * 1000 >= SPORT_WORDS_PER_1000_CHARS * max(len(text), 1) or \
        len(fixture_sides(text)) >= 4


_LOWER_NEXT = re.compile(r"[ \t]+[a-z]")
_JOINER_BEFORE = re.compile(r"(?:, | and | or )$")
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?:\"“”‘’]\s*)$")


def fixture_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Teams of a sport story's inline fixtures that the model did not mark at all
    ("WASPS v EXETER"), at the fixture and wherever the story names them again inside a
    sentence ("for Wasps")."""
    if (" v " not in text and " vs" not in text) or not is_sport_story(text):
        return []
    covered = bytearray(len(text) + 1)
    for span in spans:
        covered[span.start:span.end] = b"\x01" * (span.end - span.start)
    found: list[Span] = []
    names: set[str] = set()
    for match in _INLINE_FIXTURE.finditer(text):
        for side in (1, 2):
            name = match.group(side)
            if place_kind(name) == "country" or _looks_personal(name) or len(name) < 3:
                continue
            names.update({name, " ".join(w.capitalize() for w in name.split())})
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(r"(?<![\w'’.-])" + re.escape(name) + r"(?![\w'’-])", text):
            start, end = match.span()
            if any(covered[start:end]) or (not name.isupper() and _SENTENCE_BEFORE.search(
                    text, max(0, start - 3), start)):
                continue
            found.append(Span(start, end, "ORG"))
            covered[start:end] = b"\x01" * (end - start)
    return found


# The look-behind comes after the first character: a pattern that opens on a character
# lets the search jump to candidates; one that opens on a look-behind tries every position.
_INNER_CAPITALS = re.compile(r"[A-Z](?<![\w'’.-].)[a-z]+[A-Z][A-Za-z]*(?![\w'’-])")
_PLATFORM_USE = re.compile(
    r"\b(?:(?:wrote|posted|written|shared|tweeted|published|uploaded|commented|appeared|"
    r"announced|streamed|broadcast)\s+on|(?:a|an|his|her|their|its|the)|on\s+(?:his|her|their|"
    r"its|the))\s+(?P<name>[A-Z][a-z]+)(?P<after>(?:\s+(?:post|posts|page|account|feed|"
    r"video|profile|message|livestream|group|channel))?)(?![\w'’-])")
_CALENDAR = frozenset("january february march april may june july august september october "
                      "november december monday tuesday wednesday thursday friday saturday "
                      "sunday christmas easter".split())


def cue_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Organisations the model did not mark that their shape or use names: inner capitals
    ("SpaceX", "YouTube"), or a platform posted on ("wrote on Facebook", "in a Facebook
    post")."""
    covered = bytearray(len(text) + 1)
    for span in spans:
        covered[span.start:span.end] = b"\x01" * (span.end - span.start)
    found = []
    for match in _INNER_CAPITALS.finditer(text):
        start, end = match.span()
        if not any(covered[start:end]) and not _SURNAME_PREFIX.match(match.group()):
            found.append(Span(start, end, "ORG"))
            covered[start:end] = b"\x01" * (end - start)
    for match in _PLATFORM_USE.finditer(text):
        start, end = match.span("name")
        name = match.group("name")
        on = "on" in match.group()[:match.start("name") - match.start()].split()
        if any(covered[start:end]) or not (on or match.group("after")):
            continue
        if not on and not text[end:end + 1].isspace():
            continue
        if name.lower() in _CALENDAR or place_kind(name) is not None or \
                is_given_name(name) or (not match.group("after") and
                                        is_dictionary_word(name)):
            continue
        found.append(Span(start, end, "ORG"))
        covered[start:end] = b"\x01" * (end - start)
    return found


def is_team_position(text: str, start: int, end: int, line_start: int) -> bool:
    """A name in a results line that scores are given for, or one side of a fixture."""
    if not _TEAM_NEXT.match(text, end):
        return False
    opens_line = not text[line_start:start].strip(" :,0123456789.=-")
    return opens_line or bool(_TEAM_PREVIOUS.search(text, line_start, start))


_PARTICLES = frozenset("de da di del della van von der den ter le la du dos bin al el".split())


def personal_shape(name: str) -> float:
    """How much a name looks like a person's by its words, in [0, 1]: initials first
    ("J. Adams") or a given name first ("Laura Benz" surely, "Red Cross" barely)."""
    words = name.split()
    if len(words) < 2 or len(words) > 4 or words[-1].lower().strip(".") in ORG_HEADS or \
            any(word.islower() and word not in _PARTICLES for word in words):
        return 0.0
    first = words[0]
    if is_country_code(first.replace(".", "")):
        return 0.0
    if re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?[a-z'’]*", first):
        return 1.0
    return given_name_certainty(first)


def _looks_personal(name: str) -> bool:
    return personal_shape(name) >= 0.6


# ------------------------------------------------------------------- evidence


def _name_key(name: str) -> str:
    return " ".join(name.split()).lower()


Votes = defaultdict[str, float]
"""Weighted votes by label."""


def _add(into: Votes, votes: Votes) -> None:
    for label, weight in votes.items():
        into[label] += weight


def mention_evidence(text: str, span: Span) -> Votes:
    """Votes, by label, that the words around one mention give its name."""
    votes: Votes = defaultdict(float)
    before = text[max(0, span.start - 40):span.start]
    if "\n" in before:
        before = before[before.rindex("\n") + 1:]
    # The patterns before a name all end on one of a few words: look at the last word
    # first rather than searching the whole window with each of them.
    words = before.rsplit(None, 1)
    last = words[-1].lower() if words and before[-1:].isspace() else ""
    title = _TITLE_BEFORE.search(before) if last else None
    if title and title.group("word").lower() in PERSON_TITLES:
        votes["PERSON"] += W_TITLE
    if last == "by" and _PERSON_BEFORE.search(before):
        votes["PERSON"] += W_CONTEXT
    if _AGE_AFTER.match(text, span.end) or _PERSON_POSSESSION.match(text, span.end) or \
            _PERSON_AFTER.match(text, span.end):
        votes["PERSON"] += W_AGE
    if _WHICH_AFTER.match(text, span.end):
        votes["ORG"] += W_WEAK * 2
    if _ITS_AFTER.match(text, span.end):
        votes["ORG"] += W_WEAK
    org_before = last.rstrip(",").endswith(_ORG_BEFORE_ENDS) and \
        _ORG_BEFORE.search(before) is not None
    if _ORG_POSSESSION.match(text, span.end) or _ORG_AFTER.match(text, span.end) or \
            org_before:
        votes["ORG"] += W_CONTEXT
    if last in _POSTED_ON_LAST and _POSTED_ON_BEFORE.search(before):
        votes["ORG"] += W_CONTEXT
    if last.endswith(_PRODUCT_BEFORE_ENDS) and _PRODUCT_BEFORE.search(before) and \
            not org_before:
        votes["PRODUCT"] += W_CONTEXT
    if last in _PLACE_LAST and _PLACE_BEFORE.search(before):
        votes["GPE"] += W_CONTEXT if "of" in before[-4:] else W_WEAK
    if _PLACE_AFTER.match(text, span.end):
        votes["GPE"] += W_CONTEXT
    return votes


def _org_shaped_word(name: str) -> bool:
    """An acronym that is no country code ("CNN"), or inner capitals ("YouTube", not
    "McLaren"): shapes of organisations and products, not of people."""
    if _ACRONYM.fullmatch(name):
        return not is_country_code(name)
    return bool(_CAMEL_CASE.fullmatch(name)) and not _SURNAME_PREFIX.match(name)


def name_evidence(name: str) -> Votes:
    """Votes that the name's own words give, once per mention."""
    votes: Votes = defaultdict(float)
    words = name.split()
    if len(words) > 1 and words[-1].isdigit() and words[-2].lower() in ("radio", "channel"):
        votes["ORG"] += W_HEAD  # "Radio 4", "BBC Radio 3": a station
        return votes
    last = words[-1].lower().strip(".,") if words else ""
    if name.lower() in PARTY_NAMES:
        votes["ORG"] += W_SUFFIX
    elif len(words) > 1 and words[0].lower().strip(".") in PERSON_TITLES:
        votes["PERSON"] += W_TITLE
    elif has_company_suffix(name):
        votes["ORG"] += W_SUFFIX
    elif len(words) > 1 and last in ORG_HEADS:
        votes["ORG"] += W_HEAD
    elif len(words) > 1 and last in EVENT_HEADS:
        votes["EVENT"] += W_HEAD
    elif len(words) > 1 and last in WORK_HEADS:
        votes["WORK_OF_ART"] += W_HEAD
    elif len(words) > 1 and last in _THOROUGHFARES:
        votes["FAC"] += W_HEAD  # "of Robert Street, Plumstead": an address, not a person
    elif len(words) > 1 and last in _PLACE_HEADS:
        pass  # "Calder Bay" or "Lena Park": the model's reading decides
    elif len(words) > 1 and not _looks_personal(name) and \
            words[0].lower() in _PLACE_FIRST_WORDS:
        votes["LOC"] += W_HEAD
    elif _org_shaped_word(name):
        votes["ORG"] += W_CONTEXT
    elif place_kind(name) is None:
        votes["PERSON"] += W_GIVEN_NAME * personal_shape(name)
    kind = place_kind(name)
    if kind in ("country", "region"):
        votes["GPE"] += W_COUNTRY
    elif kind == "city":
        votes["GPE"] += W_WEAK
    return votes


def team_spans(text: str, spans: Sequence[Span], lines: Sequence[tuple[int, int]]
               ) -> list[Span]:
    """Teams in results lines that the model did not mark at all ("Hajduk 4 2 0 2")."""
    covered = bytearray(len(text) + 1)
    for span in spans:
        covered[span.start:span.end] = b"\x01" * (span.end - span.start)
    found = []
    for line_start, line_end in lines:
        for match in _TEAM_NAME.finditer(text, line_start, line_end):
            start, end = match.span()
            name = match.group()
            if any(covered[start:end]) or len(name) < 3 or _looks_personal(name) or \
                    not is_team_position(text, start, end, line_start):
                continue
            if name.split()[0].lower() in PERSON_TITLES or (name.isupper() and len(name) < 4):
                continue
            found.append(Span(start, end, "ORG"))
    return found


def decide_labels(text: str, spans: list[Span],
                  shouted: Sequence[tuple[int, int]] = (),
                  dateline: Span | None = None) -> list[Span]:
    """One label per name per article, from the model's votes and the evidence."""
    in_shouting = bytearray(len(text) + 1)
    for a, b in shouted:
        in_shouting[a:b] = b"\x01" * (b - a)
    lines = results_lines(text)
    line_starts = [a for a, _ in lines]
    votes: dict[str, Votes] = defaultdict(lambda: defaultdict(float))
    personal: Votes = defaultdict(float)
    by_name: dict[str, Votes] = {}
    place_ends = {s.end for s in spans if s.label in ("GPE", "LOC", "FAC")}
    sporty = is_sport_story(text)
    for span in spans:
        name = text[span.start:span.end]
        key = _name_key(name)
        tally = votes[key]
        tally[span.label] += W_SHOUTED_MODEL if in_shouting[span.start] else W_MODEL
        evidence = mention_evidence(text, span) if span.label != "NORP" else Votes(float)
        joiner = _JOINER_BEFORE.search(text, max(0, span.start - 5), span.start)
        if joiner and joiner.start() in place_ends and not name.isupper():
            evidence["GPE"] += W_WEAK * 2  # "Paris, Texas", "Isle of Pines and Noumea"
        elif joiner and joiner.group() == ", " and joiner.start() in place_ends and \
                is_us_state_code(name):
            evidence["GPE"] += W_DATELINE  # "Washington, DC": a city's state
        if " " not in name and is_adjective_only(name) and \
                _LOWER_NEXT.match(text, span.end):
            evidence[NOT_A_NAME] += W_CONTEXT  # "Transatlantic defense": an adjective
        if " " not in name and is_demonym(name):
            # "Montenegrin fans": an adjective of a country names a people, never a
            # body, whatever the words around it suggest.
            evidence = Votes(float)
            evidence["NORP"] = W_SUFFIX
        if span.label == "PERSON" and text[max(0, span.start - 4):span.start] == "the ":
            evidence["ORG"] += W_WEAK * 2
        if span.label in ("PERSON", "PRODUCT") and _PLATFORM_BEFORE.search(
                text, max(0, span.start - 12), span.start):
            evidence["ORG"] += W_CONTEXT
        if sporty and place_kind(name) != "country" and \
                _TEAM_BEFORE.search(text, max(0, span.start - 25), span.start):
            evidence["ORG"] += W_CONTEXT
        if span.label in ("GPE", "LOC", "FAC") and place_kind(name) is None and \
                name.rsplit(None, 1)[-1].lower() not in _PLACE_HEADS and \
                _ROLE_AFTER.match(text, span.end):
            evidence["ORG"] += W_TITLE
        if sporty and place_kind(name) == "city" and evidence["ORG"] > 0:
            # "Newcastle manager John Carver": in a sport story a town named with a team
            # role is its team, and a story means one thing by one name
            evidence["ORG"] += W_WEAK * 2
        if sporty and span.label == "PERSON" and place_kind(name) == "city":
            # A town the model reads as a person in a sport story is its team ("the
            # defeat by Exeter"); a player's surname that is also a town follows the
            # player's full name (short-form votes outweigh this).
            evidence["ORG"] += W_CONTEXT
        last_word = name.rsplit(None, 1)[-1].lower()
        if name not in by_name:
            by_name[name] = name_evidence(name)
        _add(evidence, by_name[name])
        if " " in name and last_word in _PLACE_HEADS and span.label != "PERSON":
            evidence["LOC" if last_word in _NATURAL_PLACE_HEADS else "FAC"] += W_CONTEXT
        if span.label in ("GPE", "LOC", "FAC"):
            # Places are named after people ("Nova Scotia"): a given name alone does
            # not overrule the model's reading of a place.
            evidence["PERSON"] -= by_name[name]["PERSON"] / 2
        _add(tally, evidence)
        personal[key] += evidence["PERSON"] + _pronoun_follows(text, span.end)
        line_start = _containing_line(lines, line_starts, span.start)
        if line_start is not None and span.label in ("ORG", "GPE", "LOC", "PERSON", "FAC") \
                and is_team_position(text, span.start, span.end, line_start) \
                and place_kind(name) != "country" and not _looks_personal(name):
            tally["ORG"] += W_TEAM
        if dateline is not None and text[dateline.start:dateline.end] == name:
            tally["GPE"] += W_DATELINE
    if dateline is not None:
        votes[_name_key(text[dateline.start:dateline.end])]["GPE"] += W_DATELINE
    if sporty:
        for key in fixture_sides(text):
            if key in votes and place_kind(key) != "country":
                votes[key]["ORG"] += W_TEAM
    anchored = _add_short_form_votes(votes)
    decided = {key: _winner(tally) for key, tally in votes.items()}
    for key, label in decided.items():
        if label == "PERSON" and " " not in key and key not in anchored and \
                personal[key] < 1.0 and given_name_certainty(key) < 0.6:
            decided[key] = _unlikely_person(key, votes[key])
    out = []
    for span in spans:
        label = decided.get(_name_key(text[span.start:span.end]))
        if label != NOT_A_NAME:
            out.append(Span(span.start, span.end, label or span.label))
    return out


def _containing_line(lines: Sequence[tuple[int, int]], starts: Sequence[int],
                     offset: int) -> int | None:
    """The start of the results line holding ``offset``, if one does."""
    index = bisect_right(starts, offset) - 1
    if index >= 0 and offset < lines[index][1]:
        return lines[index][0]
    return None


_PRONOUN_AFTER = re.compile(r"[^.!?\nA-Z]{0,80}?\b(?:he|she|his|her|him|himself|herself)\b")


_POSTED_ON_BEFORE = re.compile(
    r"\b(?:wrote|posted|written|shared|tweeted|published|uploaded|commented|streamed)\s+on\s+"
    r"(?:(?:his|her|their|its|the)\s+)?$", re.IGNORECASE)
""""wrote on Quillbook": where words are posted is a platform, a company's."""
_POSTED_ON_LAST = frozenset({"on", "his", "her", "their", "its", "the"})
_PLACE_LAST = frozenset({"of", "in", "near", "across", "throughout", "outside", "annexed",
                         "visit", "visited", "invaded"})
_PLATFORM_BEFORE = re.compile(r"\b(?:on|via)\s+$", re.IGNORECASE)
""""posted on Twitter": what the model takes for a person is a platform."""
_ITS_AFTER = re.compile(r"[^.!?\nA-Z]{0,60}?\b(?:its|it said|it says|it has|it will)\b")


def _pronoun_follows(text: str, end: int) -> float:
    """Weak evidence of a person: "he" or "she" later in the same sentence, with no
    other name in between."""
    return W_WEAK * 2 if _PRONOUN_AFTER.match(text, end) else 0.0


def _unlikely_person(key: str, tally: Votes) -> str:
    """The label for a one-word "person" nothing in the article supports as one: the
    best other label with any vote; else no name at all if it is a dictionary word
    ("Batting", "Scroll"), else an organisation (in news copy a lone word the model
    calls a person is more often a team, company or brand)."""
    others = [(weight, label) for label, weight in tally.items()
              if label != "PERSON" and weight > 0]
    if others:
        return max(others)[1]
    return NOT_A_NAME if is_dictionary_word(key) else "ORG"


NOT_A_NAME = ""
"""The decided label of a mention that is no name: it is dropped."""


def _add_short_form_votes(votes: dict[str, Votes]) -> set[str]:
    """A one-word name that is part of a longer name follows it: a surname its person
    ("Biden" of "Joe Biden"), a first word its organisation ("Nimbus" of "Nimbus Orbital
    Systems"), a last word too ("Grumman" of "Northrop Grumman").

    Returns the words of people's full names: a one-word name among them is a person
    the article names in full."""
    full = {key: _winner(tally) for key, tally in votes.items() if " " in key}
    surnames: Counter[str] = Counter()
    org_words: Counter[str] = Counter()
    person_words: set[str] = set()
    for key, label in full.items():
        words = key.split()
        if label == "PERSON":
            surnames[words[-1]] += 1
            person_words.update(words)
        elif label == "ORG":
            org_words[words[0]] += 1
            org_words[words[-1]] += 1
    first_names = {key.split()[0] for key, label in full.items()
                   if label == "PERSON" and given_name_certainty(key.split()[0]) > 0}
    for key, tally in votes.items():
        if " " in key:
            continue
        weight = sum(tally.values()) + 1.0
        if surnames[key]:
            tally["PERSON"] += weight
        elif key in first_names:
            tally["PERSON"] += W_GIVEN_NAME
        elif org_words[key] and _winner(tally) in (None, "PERSON", "ORG", "PRODUCT") \
                and not is_given_name(key) and place_kind(key) is None:
            tally["ORG"] += weight
    return person_words


def _winner(tally: Votes) -> str | None:
    best = sorted(tally.items(), key=lambda item: -item[1])[:2]
    if not best or (len(best) > 1 and abs(best[0][1] - best[1][1]) < 1e-9):
        return None
    return best[0][0]
