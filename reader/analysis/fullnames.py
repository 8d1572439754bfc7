"""Full personal names an article spells out, found again from a surname or a pronoun.

Articles name a person fully once (often in the headline, a caption, a possessive or an
appositive the recogniser misses) and by surname afterwards. A reader wants the full
name on every quote, so the index reads the text itself rather than only the
recogniser's spans: every run of capitalised words is a candidate, and it counts as a
person's name from its first word that is a known given name or that the recogniser
tagged PERSON ("Commissioner Laura Benz" -> "Laura Benz", "Maria Lopez's" -> "Maria
Lopez", "Ana Ruiz Calderon", "Jean-Luc Petit"). The same index keeps what the article
says about each person's gender (titles, the pronouns used of them, the given name), so
"she" can find the last woman named.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.analysis.names import Gender, given_name_gender, has_company_suffix

if TYPE_CHECKING:
    from spacy.tokens import Doc

_WORD = r"(?:[A-Z][’']?[A-Za-zÀ-ÖØ-öø-ÿ]+(?:-[A-Za-zÀ-ÖØ-öø-ÿ]+)*(?:[’']s\b)?|(?:[A-Z]\.)+)"
_PARTICLE = r"(?:de|da|del|della|di|du|van|von|der|den|le|la|bin|ibn|al|dos|das)"
_RUN = re.compile(rf"{_WORD}(?: (?:{_PARTICLE} )?{_WORD})*")
_POSSESSIVE = re.compile(r"[’']s$")
# The look-behind comes after the first character: a pattern that opens on a character
# lets the search jump to candidates; one that opens on a look-behind tries every position.
_LOWER_WORD = re.compile(r"[a-z](?<![\w’'-].)[a-z]*(?![\w’'-])")
# A nickname in quotation marks right before a surname: "Weird Al" Yankovic, ‘Bubba’ Watson.
_NICKNAMED = re.compile(r"[\"“‘'](?<![\w’'].)([A-Z][\w.-]*(?: [A-Z][\w.-]*){0,2})[\"”’'] "
                        r"([A-Z][\w’'-]+)(?![\w-])")

TITLE_GENDER: dict[str, Gender] = {
    "mr": "male", "mr.": "male", "sir": "male", "lord": "male", "mrs": "female",
    "mrs.": "female", "ms": "female", "ms.": "female", "miss": "female", "dame": "female",
    "lady": "female",
}
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words that stand before a name without being part of it: honorifics, ranks, offices.
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "prof",
    "professor", "judge", "justice", "sheriff", "president", "senator", "sen", "rep",
    "representative", "gov", "governor", "mayor", "minister", "chancellor", "secretary",
    "mp", "mep", "tory", "labour", "captain", "capt", "colonel", "col", "general", "gen",
    "lt", "lieutenant", "sgt", "sergeant", "major", "corporal", "cpl", "private", "pte",
    "officer", "detective", "inspector", "constable", "pc", "superintendent", "chief",
    "coach", "manager", "boss", "chairman", "chairwoman", "director", "father", "rev",
    "reverend", "pope", "king", "queen", "prince", "princess", "commissioner", "ambassador",
    "attorney", "agent", "deputy", "councillor", "councilman", "councilwoman", "speaker",
    "leader", "premier", "fusilier", "rabbi", "imam", "bishop", "archbishop", "cardinal",
    "congressman", "congresswoman", "assemblyman", "assemblywoman", "alderman",
    "spokesman", "spokeswoman", "spokesperson",
})


def _is_title(word: str) -> bool:
    """An office or rank ("MP", "Sen."), or a job in capitals ("CEO", "CFO")."""
    bare = word.strip(".,")
    return bare.lower() in TITLES or (len(bare) >= 2 and bare.isupper() and bare.isalpha())


def _after_last_title(words: Sequence[str]) -> int:
    """Where the name starts in "Leicestershire North West Tory MP David Ashby" or
    "Acme CEO Jan Wendt": past the last title that has a given name and surname after it
    (a title with one word after it may be a name itself: "TJ Ioane", "Prince Harry")."""
    start = 0
    if all(word.isupper() for word in words):
        return 0  # a name in a capitals headline
    for i, word in enumerate(words[:-2]):
        if _is_title(word):
            start = i + 1
    return start


def without_titles(name: str) -> str:
    """ "Tory MP Michael Ellis" -> "Michael Ellis", "Mr Balls" -> "Balls": a name from
    its first given name, or without the titles and lower-case words before it."""
    words = name.replace("’s", "").split()
    words = words[_after_last_title(words):]
    first = next((i for i, w in enumerate(words[:-1]) if _given(w) is not None
                  and w.lower().strip(".") not in TITLES), None)
    if first is not None:
        return " ".join(words[first:])
    while len(words) > 1 and (words[0].lower().strip(".") in TITLES or words[0].islower()):
        words = words[1:]
    return " ".join(words)


HE = frozenset({"he", "him", "his", "himself"})
SHE = frozenset({"she", "her", "hers", "herself"})


@cache
def _given(word: str) -> Gender | None:
    if len(word) < 2 or word.endswith("."):
        return None
    return given_name_gender(word)


@dataclass(frozen=True)
class Resolved:
    """A name as the article spells it out in full; ``choices`` > 1 means a guess among
    several people who share the surname."""

    name: str
    choices: int


_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january "
                      "february march april may june july august september october november "
                      "december".split())


def nicknamed_surname(text: str, word: str) -> bool:
    """A word after a quoted nickname is a surname when the article uses it again
    ("Marrone wrote") and it is no day or month ("dubbed it 'Project Fear' Monday")."""
    return word.lower() not in _CALENDAR and text.count(word) >= 2


class NameIndex:
    """Full names by every tail of their words ("Calderon", "Ruiz Calderon")."""

    def __init__(self, text: str, person_spans: Sequence[tuple[int, int]]) -> None:
        self._by_tail: dict[str, list[tuple[int, str]]] = {}
        self._full: set[str] = set()
        self._title_votes: dict[str, Counter[Gender]] = {}
        self._pronoun_votes: dict[str, Counter[Gender]] = {}
        starts = [s for s, _ in person_spans]
        self._text = text
        self._common_words: frozenset[str] | None = None
        for match in _RUN.finditer(text):
            if " " not in match.group():
                continue  # one word is never a full name (most runs: sentence starts)
            for run, at in self._names_in_run(match.group(), match.start()):
                self._add_run(run, at, person_spans, starts)
        for match in _NICKNAMED.finditer(text):
            if _in_spans(person_spans, starts, match.start(2)) or \
                    nicknamed_surname(text, match.group(2)):
                self._add_nickname(match.group(1), match.group(2), match.start())

    def _add_nickname(self, nickname: str, surname: str, at: int) -> None:
        """ "Weird Al" Yankovic is the full name a later "Yankovic" stands for."""
        full = f"{nickname} {surname}"
        self._full.add(full)
        self._by_tail.setdefault(surname.lower(), []).append((at, full))
        self._by_tail.setdefault(full.lower(), []).append((at, full))

    def _names_in_run(self, run: str, at: int) -> list[tuple[str, int]]:
        """A headline in title case joins names and words into one run ("Elena Ortiz
        Says Mark Hale ..."): it is cut before a word that the article writes in lower
        case elsewhere ("says") or a given name, once two words precede it and more
        follow it (so "Martin Luther King Jr." stays whole)."""
        words = run.split(" ")
        if len(words) < 4:
            return [(run, at)]
        out: list[tuple[str, int]] = []
        begin = 0
        offset = at
        starts = []
        for word in words:
            starts.append(offset)
            offset += len(word) + 1
        for i in range(2, len(words) - 1):
            if i - begin < 2:
                continue
            tail = [w for w in words[i + 1:] if w.lower().strip(".") not in SUFFIXES]
            if not tail:
                break
            word = words[i]
            common = word.lower() in self._common()
            if common or _given(word) is not None:
                out.append((" ".join(words[begin:i]), starts[begin]))
                begin = i + 1 if common else i
        out.append((" ".join(words[begin:]), starts[begin] if begin < len(words) else at))
        return [(part, where) for part, where in out if part]

    def _common(self) -> frozenset[str]:
        """The words the article writes in lower case (read once, when first needed)."""
        if self._common_words is None:
            self._common_words = frozenset(_LOWER_WORD.findall(self._text))
        return self._common_words

    def _add_run(self, run: str, at: int, spans: Sequence[tuple[int, int]],
                 starts: list[int]) -> None:
        words: list[tuple[str, int]] = []
        offset = at
        for word in run.split(" "):
            bare = _POSSESSIVE.sub("", word)
            words.append((bare, offset))
            offset += len(word) + 1
            if bare != word:
                break  # "Lopez's speech": the name ends at the possessive
        first = next((i for i, (word, where) in enumerate(words)
                      if word.lower().strip(".") not in TITLES
                      and (_given(word) is not None or _in_spans(spans, starts, where))), None)
        if first is not None:
            first += _after_last_title([w for w, _ in words[first:]])
        if first is None or len(words) - first < 2 or words[-1][0].endswith("."):
            return
        parts = [w for w, _ in words[first:]]
        full = " ".join(parts)
        self._full.add(full)
        title = words[first - 1][0].lower() if first > 0 else ""
        if title in TITLE_GENDER:
            self._title_votes.setdefault(full, Counter())[TITLE_GENDER[title]] += 1
        unsuffixed = parts[:-1] if parts[-1].lower() in SUFFIXES and len(parts) > 2 else parts
        for tails in {tuple(parts), tuple(unsuffixed)}:
            for i in range(len(tails)):
                tail = " ".join(tails[i:]).lower()
                self._by_tail.setdefault(tail, []).append((words[first][1], full))

    def resolve(self, name: str, at: int) -> Resolved | None:
        """The full form of ``name`` (a surname or any tail of a full name).

        When several people share it, the one the article spells out in full least often:
        writers repeat the full name of the relative ("Frank Jordan told CNN") so that the
        bare surname stays free for the story's subject ("Jordan said"); on a tie, the one
        named first (most often the subject: "B.B. King ... his daughter, Claudette King
        ... King said")."""
        found = self._by_tail.get(_POSSESSIVE.sub("", name).lower())
        if not found:
            return None
        names = {full for _, full in found}
        # "Ana Calderon" and "Ana Ruiz Calderon" are one person: keep the longest form.
        longest = {n for n in names
                   if not any(o != n and set(n.split()) < set(o.split()) for o in names)}
        if len(longest) == 1:
            return Resolved(next(iter(longest)), 1)
        mentions = Counter(full for _, full in found if full in longest)
        pick = min((mentions[full], where, full) for where, full in found if full in longest)[2]
        return Resolved(pick, len(longest))

    def is_full(self, name: str) -> bool:
        return name in self._full

    @staticmethod
    def personal(name: str) -> bool:
        """Reads as a person's name whatever the recogniser said: two or three words, the
        first a given name of one gender ("Marcus Feld"; not "Morgan Stanley"), no legal
        form at the end."""
        words = name.split()
        return 2 <= len(words) <= 3 and _given(words[0]) in ("male", "female") and \
            not has_company_suffix(name) and all(w[:1].isupper() for w in words)

    @staticmethod
    def has_given_name(name: str) -> bool:
        words = name.split()
        return len(words) > 1 and _given(words[0]) is not None

    def note_pronoun(self, full: str, pronoun: str) -> None:
        """The article used ``pronoun`` of ``full`` (one person named in the sentence)."""
        gender: Gender | None = "male" if pronoun in HE else "female" if pronoun in SHE \
            else None
        if gender is not None:
            self._pronoun_votes.setdefault(full, Counter())[gender] += 1

    def gender(self, full: str) -> Gender | None:
        """A title (Mr, Ms) first, then the given name's usual gender, then the pronouns
        the article uses near the name (noisier: "Lopez told him" is about someone else)."""
        given = _given(full.split()[0]) if full else None
        for votes in (self._title_votes.get(full), self._pronoun_votes.get(full)):
            if votes:
                (top, count), *rest = votes.most_common(2)
                if not rest or count > rest[0][1]:
                    return top
            if given in ("male", "female"):
                return given  # a given name outweighs the pronouns near the name
        return None


def _in_spans(spans: Sequence[tuple[int, int]], starts: list[int], at: int) -> bool:
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and spans[i][0] <= at < spans[i][1]


def person_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(e.start_char, e.end_char) for e in nlp.doc_ents(doc) if e.label_ == "PERSON"]
