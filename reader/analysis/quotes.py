"""Quotes and who said them.

News prose reports speech in a handful of fixed shapes: the quote followed or preceded by
an attribution ("…," she said / X said: "…"), a quote broken by its attribution, a quote
that runs over several paragraphs, a quote that continues the speaker of the paragraph
before, and fragments of someone's words woven into the writer's sentence. The analyser
finds the quoted spans by scanning the quotation marks (double ones, and single ones as
British and Daily Mail copy uses them, telling the closing mark from an apostrophe), then
reads the shared dependency parse around each span for a speech cue and its subject.

The subject becomes a speaker as a reader needs it: a surname is shown in the fullest
form the article spells it anywhere (fullnames.NameIndex: possessives, headline, names
the recogniser missed); "he"/"she" is the last person of that gender named as a subject,
"it"/"the company" the last organisation; "the 61-year-old" and "the former minister"
are the person the article gave that age or role; a crowd stays an unnamed source. Each
speaker carries the confidence of the evidence that made it (see Quote).

Only ``token.lower_``, ``dep_``, ``head``, ``ent_type_`` and sentence boundaries are read:
the shared pipeline has no tagger or lemmatizer, so cue words are listed inflected. Every
per-quote step is a bounded walk over nearby tokens or a lookup in tables built once per
article, so the extractor stays a small fraction of the parse.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.analysis import nlp
from reader.analysis.entities import is_text_of
from reader.analysis.fullnames import (
    HE,
    SHE,
    SUFFIXES,
    TITLES,
    NameIndex,
    nicknamed_surname,
    person_spans,
    without_titles,
)
from reader.analysis.identity import COMPANY_HEADS
from reader.models import Article, Entity, Quote, QuoteKind, SpeakerKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Opening mark -> the marks that may close it. A straight quote may be closed by a curly
# one and vice versa: copy-edited text mixes them often enough that being strict loses
# whole quotes.
_CLOSERS = {"“": "”\"", '"': '"”', "«": "»", "„": "“”"}
_MARK_OR_BREAK = re.compile(r"[“”\"«»„]|\n+")
_LETTER = re.compile(r"[^\W\d_]")

# Verbs of saying, writing and characterising, by their base form. Without a lemmatizer
# the inflected forms are spelled out by _inflections; irregular ones are listed.
_SPEECH_VERBS = (
    "say", "tell", "add", "ask", "warn", "write", "tweet", "note", "explain", "state",
    "insist", "argue", "claim", "recall", "continue", "reply", "respond", "declare",
    "announce", "acknowledge", "admit", "suggest", "predict", "vow", "promise", "urge",
    "charge", "counter", "quip", "joke", "concede", "complain", "observe", "remark",
    "emphasize", "emphasise", "stress", "conclude", "post", "shout", "yell", "testify",
    "allege", "contend", "maintain", "describe", "call", "label", "brand", "dub", "mock",
    "blast", "slam", "praise", "accuse", "assert", "reiterate", "boast", "brag", "lament",
    "caution", "speculate", "wonder", "demand", "pledge", "proclaim", "report", "read",
    "thunder", "exclaim", "interject", "chime", "muse", "agree", "disagree", "confirm",
    "deny", "question", "answer", "recount", "text", "email", "message", "assure", "hammer",
    "criticize", "criticise", "dismiss", "refer", "repeat", "tout", "promote", "trumpet",
    "attack", "ridicule", "deride", "decry", "denounce", "condemn", "hail", "laud", "blame",
    "fume", "quote", "retweet", "scoff", "snap", "sneer", "tease", "plead", "pronounce",
    "blurt", "lash", "rail", "reveal", "uncover", "disclose",
    "characterize", "characterise", "portray", "chant", "sing", "cry", "scream", "mutter",
    "whisper", "sob", "rant", "gush", "beg",
)
_IRREGULAR = (
    "said", "says", "told", "wrote", "written", "writing", "read", "went", "spoke",
    "spoken", "admitted", "admitting", "referred", "referring",
)
NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "compound",
                          "npadvmod", "oprd"})


def _inflections(verb: str) -> set[str]:
    """Base, -s, -ed and -ing forms, with the common English spelling changes."""
    forms = {verb}
    if verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    else:
        plural = verb + "es" if verb.endswith(("s", "sh", "ch", "x")) else verb + "s"
        double = verb + verb[-1] if re.fullmatch(r".*[^aeiou][aeiou][bdgmnpt]", verb) \
            and len(verb) <= 4 else verb
        forms |= {plural, double + "ed", double + "ing"}
    return forms


# Verbs that are speech only with "back": "Stancil fired back", "she hit back".
BACK_VERBS = ("fired", "fires", "shot", "shoots", "hit", "hits", "struck", "strikes")

# Nouns of speech: "Clinton's allegations of a “vast conspiracy”", "his words".
SPEECH_NOUNS = frozenset({
    "allegation", "allegations", "claim", "claims", "words", "remarks", "comments",
    "comment", "statement", "statements", "assertion", "description", "message", "email",
    "tweet", "tweets", "memo", "letter", "speech", "promise", "pledge", "warning", "vow",
    "advice", "argument", "accusation", "accusations", "charge", "charges", "complaint",
    "insistence", "slogan", "refrain", "mantra", "boast", "joke", "jab", "attack",
    "attacks", "criticism", "rhetoric", "language", "testimony", "post", "posts",
})

CUE_WORDS = frozenset(
    {form for verb in _SPEECH_VERBS for form in _inflections(verb)}
    | set(_IRREGULAR) | SPEECH_NOUNS | {"according", "per", "pointed", "put", "puts"}
    | set(BACK_VERBS)
)
"""Words that introduce reported speech. "pointed" and "went" count only as "pointed
out" / "went on"; "according" only as "according to"; "per" only before a name; a
noun only when it says whose words they were."""

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
HEARER_DEPS = frozenset({"dobj", "dative", "pobj", "iobj"})
CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# Relations through which a cue inherits the subject of the verb it hangs from:
# "X smiled and said", "the daily wrote, adding", "a statement saying", "quoted as saying".
CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp", "acl", "relcl", "pcomp", "prep", "dep",
                        "dobj", "pobj", "ccomp", "partmod"})
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "we", "it"})
POSSESSIVE_PRONOUNS = {"his": "he", "their": "they", "its": "it", "our": "we"}
"""The owner of "his promise of “…”" is found as "he" would be."""
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
DETERMINERS = frozenset({"a", "an", "the", "another", "one", "some", "several", "two",
                         "three", "many", "other", "his", "her", "their", "its"})
# Words right before a quoted term that make it a name or a label rather than speech.
NAMING_WORDS = frozenset({"so-called", "nicknamed", "titled", "entitled", "headlined",
                          "hashtag", "slogan", "alias", "motto", "nickname", "codenamed",
                          "code-named", "dubbed", "named", "called", "known", "labeled",
                          "labelled", "branded"})
# Of those, the ones that are also speech when someone does them ("what he called …").
NAMING_CUES = frozenset({"dubbed", "called", "labeled", "labelled", "branded", "named"})
MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to",
                         "for", "with", "by", "from", "as", "is", "&"})
DASHES = frozenset({"—", "–", "-", "--", "―"})
# How many tokens after a closing mark an attribution may start ("…," the senator from
# Ohio said); further away a cue belongs to the next statement.
AFTER_WINDOW = 16
BARE_TAG_TAIL = 4
PHRASE_DEPS = frozenset({"prep", "compound", "amod", "nummod"})
MAX_PHRASE_TAIL = 8


@dataclass(frozen=True)
class _Span:
    """One quoted passage: ``open_at`` is the opening mark, [start, end) the words."""

    open_at: int
    close_at: int
    start: int
    end: int


# How sure an attribution is, by the evidence that made it (see Quote.speaker_confidence).
SURE_FULL_NAME = 0.92  # the cue's subject, spelled out in full
SURE_ORGANISATION = 0.9
SURE_UNNAMED = 0.85  # "a spokesman for the ministry said": the source is as written
RESOLVED_SURNAME = 0.88  # a surname the article spells out in full elsewhere
BARE_SURNAME = 0.7  # a surname the article never spells out
SHARED_SURNAME = 0.45  # a surname several people in the article share
TRANSCRIPT_LABEL = 0.85  # "PENCE: Well, look ..."
PRONOUN_GENDERED = 0.75  # "she said" -> the last woman named as a subject
PRONOUN_GROUP = 0.7  # "it said" -> the last organisation named as a subject
PRONOUN_UNSURE = 0.48  # "he said", the antecedent's gender unknown: right 4 times in 5
PRONOUN_AMBIGUOUS = 0.45  # "she said" with two women named just before
RIVAL_WINDOW = 400  # characters before the chosen antecedent where a rival counts
DESCRIPTION_ROLE = 0.7  # "the former minister said" -> who the article calls that
DESCRIPTION_BODY = 0.6  # "the company said" -> the last organisation named
DESCRIPTION_UNRESOLVED = 0.45  # "the 61-year-old said", nobody found
CONTINUATION = 0.85  # times the previous quote's confidence
PREVIOUS_SUBJECT = 0.55  # a cue-less quote after a sentence about someone
NEAREST_NAME = 0.45  # a name beside the cue that the parse did not attach
ONE_WORD = 0.45  # a single quoted word inside the writer's sentence
UNRECOGNISED_NAME = 0.45  # a capitalised word the recogniser missed
RELAYED = 0.45  # "…,' reported the Daily Star": the outlet relays someone else's words
REPORT_CUES = frozenset({"reported", "reports", "report", "reporting"})
FAR_ANTECEDENT = 2500  # characters: a pronoun reaching further back is a guess
ORG_LABELS = frozenset({"ORG", "NORP", "GPE"})
# Nouns that name a body rather than a person: "the company said" is the last one named.
BODY_NOUNS = frozenset({
    "company", "firm", "agency", "department", "ministry", "group", "organisation",
    "organization", "club", "team", "council", "government", "bank", "university",
    "hospital", "party", "campaign", "committee", "board", "union", "airline", "network",
    "newspaper", "paper", "website", "site", "school", "court", "police", "force",
    "charity", "retailer", "manufacturer", "business", "brand", "store", "chain",
    "corporation", "authority", "office", "service", "association", "federation",
    "league", "institute", "foundation", "administration", "regulator", "watchdog",
    "broadcaster", "publisher", "insurer", "operator", "developer", "startup", "lender",
    "fund", "commission", "panel", "body", "embassy", "army", "military",
})
# Heads of descriptions that name a source of words: "a spokesman said" is as sure as a
# name, "all of the stolen money said" is a parse gone wrong.
SOURCE_NOUNS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "spokespeople", "official", "officials",
    "source", "sources", "witness", "witnesses", "resident", "residents", "neighbour",
    "neighbours", "neighbor", "neighbors", "friend", "friends", "relative", "relatives",
    "protesters", "protestors", "demonstrators", "crowd", "crowds", "fans", "supporters",
    "critics", "officer", "officers", "police", "investigators", "prosecutors",
    "prosecutor", "lawyer", "lawyers", "attorney", "attorneys", "analyst", "analysts",
    "expert", "experts", "researchers", "scientists", "doctors", "doctor", "nurse",
    "teacher", "student", "students", "worker", "workers", "employee", "employees",
    "passenger", "passengers", "driver", "man", "woman", "men", "women", "people",
    "person", "mother", "father", "parents", "victim", "victims", "survivor",
    "survivors", "member", "members", "insider", "insiders", "aide", "aides", "adviser",
    "advisers", "advisor", "diplomat", "diplomats", "executive", "executives", "voters",
    "leader", "leaders", "minister", "ministers", "lawmaker", "lawmakers", "senator",
    "representative", "commentator", "observers", "onlookers", "locals", "villagers",
    "campaigners", "activists", "organisers", "organizers", "staff", "colleague",
    "colleagues", "chairman", "director", "manager", "coach", "player", "players",
    "statement", "report", "study", "survey", "judge", "jury", "court", "mayor",
})
NOT_SPEAKERS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY",
                          "QUANTITY"})
_TRANSCRIPT = re.compile(r"([A-Z][A-Z’'.\-]+(?: [A-Z][A-Z’'.\-]+){0,2}):\s")
_NOT_LABELS = frozenset({"UPDATE", "BREAKING", "NOTE", "WATCH", "READ", "MORE", "RELATED",
                         "PHOTOS", "VIDEO", "EDITOR'S NOTE", "EDITOR’S NOTE", "PS", "CNN",
                         "AP", "UPDATED", "WARNING", "EXCLUSIVE", "LIVE", "WASHINGTON"})


@dataclass(frozen=True)
class _Speaker:
    name: str
    kind: SpeakerKind
    entity: str | None
    group: bool  # an organisation or a group rather than one person
    head: str  # lower-cased head noun, so "the official" finds "a NATO official"
    at: int  # character offset of the mention, for resolving later pronouns
    confidence: float = 0.5
    label: str = ""  # the recogniser's label for named speakers
    salient: bool = True  # a speaker, or the subject of a sentence's main verb


def _sure(speaker: _Speaker | None, confidence: float) -> _Speaker | None:
    """The same speaker with at most ``confidence``."""
    if speaker is None or speaker.confidence <= confidence:
        return speaker
    return _Speaker(speaker.name, speaker.kind, speaker.entity, speaker.group, speaker.head,
                    speaker.at, confidence, speaker.label)


@dataclass(frozen=True)
class _Attribution:
    speaker: _Speaker | None
    cue: str | None


class _Context:
    """Per-article lookup tables, built once so each quote costs a few token visits."""

    def __init__(self, doc: Doc, text: str, entities: Sequence[Entity],
                 spans: list[_Span]) -> None:
        self.doc = doc
        self.text = text  # Doc.text rebuilds the string on every access
        self.spans = spans
        # One array read instead of a Token object per token, and whole-column numpy
        # operations instead of a Python loop per token (the parse's cost budget is
        # tight: these tables must stay a small share of it).
        import numpy

        count = len(doc)
        columns = doc.to_array(["IDX", "IS_TITLE", "IS_PUNCT", "SENT_START", "DEP",
                                "ENT_TYPE", "LOWER", "HEAD"]).reshape(count, 8)
        self.token_starts: list[int] = columns[:, 0].tolist()
        # HEAD is the offset to the head, stored unsigned: read it back as signed.
        self.heads: list[int] = (numpy.arange(count, dtype="int64")
                                 + columns[:, 7].view("int64")).tolist()
        """Index of each token's head (``token.head.i``), read without a Token."""
        strings = doc.vocab.strings
        subject_deps = [strings.add(d) for d in (*SUBJECT_DEPS, "pobj", "poss")]
        person, pronouns = strings.add("PERSON"), [strings.add(w) for w in HE | SHE]
        # Only these tokens can be an antecedent or a person the article describes:
        # the per-article passes visit them alone.
        self._subject_candidates: list[int] = numpy.isin(
            columns[:, 4], numpy.array(subject_deps, dtype="uint64")).nonzero()[0].tolist()
        self._people_candidates: list[int] = (
            (columns[:, 5] == person)
            | numpy.isin(columns[:, 6], numpy.array(pronouns, dtype="uint64"))
        ).nonzero()[0].tolist()
        self.inside = self._inside_map(spans)
        # The sentences from the SENT_START column: iterating ``doc.sents`` builds a
        # Token for every word, a tenth of the whole analysis.
        starts = columns[:, 3] == 1
        starts[:1] = True
        self.sent_starts: list[int] = starts.nonzero()[0].tolist()
        self.sent_of: list[int] = (numpy.cumsum(starts) - 1).tolist()
        self.sent_ends = [*self.sent_starts[1:], count]
        self.mentions = sorted((m.start, m.end, e) for e in entities for m in e.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self.entities = list(entities)
        self.entity_named = {e.name: e for e in entities}
        self.midsentence_titles = {doc[int(i)].text for i in (
            (columns[1:, 1] == 1) & ~starts[1:] & (columns[:-1, 2] != 1)).nonzero()[0] + 1}
        self.names = NameIndex(text, person_spans(doc))
        self._fullest_cache: dict[str, Entity] = {}
        self._named_cache: dict[tuple[int, bool], _Speaker | None] = {}
        self.roles: dict[str, list[tuple[int, str, frozenset[str]]]] = {}
        self.ages: dict[str, list[tuple[int, str]]] = {}
        self.person_count: dict[str, int] = {}
        self._read_people()
        self.antecedents = self._subject_mentions()
        self.antecedent_at = [a.at for a in self.antecedents]

    def _inside_map(self, spans: list[_Span]) -> list[int]:
        """Index of the quote each token lies in (marks included), or -1."""
        inside = [-1] * len(self.token_starts)
        for number, span in enumerate(spans):
            first = bisect.bisect_left(self.token_starts, span.open_at)
            last = bisect.bisect_left(self.token_starts, span.close_at + 1)
            for i in range(first, last):
                inside[i] = number
        return inside

    def token_at(self, char: int) -> int:
        """Index of the token covering (or first starting after) a character offset."""
        i = bisect.bisect_right(self.token_starts, char) - 1
        return max(i, 0)

    def entity_at(self, char: int) -> Entity | None:
        i = bisect.bisect_right(self.mention_starts, char) - 1
        while i >= 0 and self.mentions[i][0] <= char:
            start, end, entity = self.mentions[i]
            if start <= char < end:
                return entity
            i -= 1
            if char - start > 200:
                break
        return None

    def _read_people(self) -> None:
        """One pass over the people the article names outside quotes: what it calls
        them ("the mayor, Anna Berg", "manager Gary Locke"), their ages ("Locke, 39,"),
        how often they appear, and the pronouns it uses of them (a sentence naming one
        person, or the sentence after it)."""
        doc = self.doc
        previous_single: str | None = None
        candidates = self._people_candidates
        cursor = 0
        for sent_end in self.sent_ends:
            people: set[str] = set()
            pronouns: list[str] = []
            first = cursor
            while cursor < len(candidates) and candidates[cursor] < sent_end:
                cursor += 1
            for token in (doc[i] for i in candidates[first:cursor] if self.inside[i] < 0):
                word = token.lower_
                if word in HE or word in SHE:
                    if token.dep_ in SUBJECT_DEPS:
                        pronouns.append(word)
                    continue
                if token.ent_type_ != "PERSON" or _name_head(token) is not token:
                    continue
                full = self.person_name(token)
                if full is None:
                    continue
                people.add(full)
                self.person_count[full] = self.person_count.get(full, 0) + 1
                self._read_descriptions(token, full)
            single = next(iter(people)) if len(people) == 1 else None
            target = single if people else previous_single
            if target is not None:
                for pronoun in (pronouns if people else pronouns[:1]):
                    self.names.note_pronoun(target, pronoun)
            previous_single = single if people else None

    def _read_descriptions(self, token: Token, full: str) -> None:
        doc = self.doc
        at = token.idx
        titles = [c for c in token.children if c.dep_ in ("compound", "amod")
                  and c.ent_type_ != "PERSON" and c.is_alpha]
        words = frozenset(t.lower_.rstrip(".") for t in titles)
        for title in titles:
            self.roles.setdefault(title.lower_.rstrip("."), []).append((at, full, words))
        described = [c for c in token.children if c.dep_ == "appos" and c.ent_type_ != "PERSON"]
        if token.dep_ == "appos" and token.head.ent_type_ != "PERSON":
            described.append(token.head)
        for role in described:
            modifiers = frozenset(c.lower_ for c in role.children
                                  if c.dep_ in ("compound", "amod"))
            self.roles.setdefault(role.lower_, []).append((at, full, modifiers | {role.lower_}))
        nxt = token.i + 1
        if nxt < len(doc) and doc[nxt].text == "(":  # "Jamie Cole (left), 14, and ..."
            close = next((t.i for t in doc[nxt + 1:nxt + 5] if t.text == ")"), None)
            nxt = close + 1 if close is not None else nxt
        if nxt + 2 < len(doc) and doc[nxt].text == "," and doc[nxt + 1].like_num \
                and doc[nxt + 2].text in (",", ")", "."):
            self.ages.setdefault(doc[nxt + 1].text, []).append((at, full))
        start = token.i
        while start > 0 and doc[start - 1].ent_type_ == "PERSON":
            start -= 1
        if start >= 5 and doc[start - 1].lower_ == "old" and doc[start - 3].lower_ == "year":
            self.ages.setdefault(doc[start - 5].text, []).append((at, full))

    def person_name(self, token: Token) -> str | None:
        speaker = self.named(token)
        return speaker.name if speaker is not None else None

    def full_name(self, name: str, at: int) -> tuple[str, float]:
        """A person's name as the article spells it out, and how sure that is."""
        resolved = self.names.resolve(name, at)
        if resolved is None:
            return name, SURE_FULL_NAME if len(name.split()) >= 2 else BARE_SURNAME
        if resolved.name == name:
            return name, SURE_FULL_NAME
        if resolved.choices > 1:
            return resolved.name, SHARED_SURNAME
        return resolved.name, RESOLVED_SURNAME

    def _subject_mentions(self) -> list[_Speaker]:
        """Named people and bodies that are grammatical subjects, in order: a later
        "he said" or standalone quote most often continues the last of them."""
        found: list[_Speaker] = []
        for token in (self.doc[i] for i in self._subject_candidates if self.inside[i] < 0):
            agent = token.dep_ == "pobj" and token.head.dep_ == "agent"  # "designed by X"
            # "Oz's advice earned him …, where he appeared": the subject's owner
            owner = token.dep_ == "poss" and token.head.dep_ in SUBJECT_DEPS and \
                token.ent_type_ == "PERSON"
            if token.dep_ not in SUBJECT_DEPS and not agent and not owner:
                continue
            if token.ent_type_ not in NAMED_LABELS:
                # "The teen's attorney, John Waldron, said": the person named in apposition
                named = _named_within(self, token) if token.is_alpha else None
                if named is None:
                    named = _employer(self, token)
                    if named is None:
                        continue
                token = _name_head(named)
            if _place_after_place(self, token):
                person = _person_before(self, token)  # "Ann Lee of X in Austin, Texas said"
                if person is None:
                    continue
                token = person
            speaker = self.named(token)
            if speaker is not None:
                if token.head.dep_ != "ROOT" and not _is_cue(self, token.head) and not agent:
                    # "Danczuk said it was not right for Janner to stay": Janner is
                    # named inside what Danczuk said, a weaker antecedent than him
                    speaker = dataclasses.replace(speaker, salient=False)
                found.append(speaker)
        return found

    def fullest(self, entity: Entity) -> Entity:
        """The entity under its fullest name ("Stoltenberg" -> "Jens Stoltenberg").

        The entity extractor already merges short and full forms; this keeps the quote
        panel right when it is given unmerged entities.
        """
        cached = self._fullest_cache.get(entity.id)
        if cached is not None:
            return cached
        words = entity.name.split()
        best = entity
        for other in self.entities:
            if other.label != entity.label or len(other.name) <= len(best.name):
                continue
            other_words = other.name.split()
            if other_words[-len(words):] == words or \
                    (len(words) == 1 and words[0] in other_words
                     and (_surname_of(words[0], other_words)
                          or (other.label == "ORG" and other_words[0] == words[0]
                              and other_words[-1].lower() in COMPANY_HEADS))):
                best = other
        self._fullest_cache[entity.id] = best
        return best

    def named(self, token: Token, *, speaking: bool = False) -> _Speaker | None:
        """The named person or body at ``token``; ``speaking`` when it is the subject of a
        speech cue, where a surname the article spells out as a person's full name
        counts as that person whatever the recogniser's label."""
        key = (token.i, speaking)
        if key not in self._named_cache:
            self._named_cache[key] = self._name_at(token, speaking)
        return self._named_cache[key]

    def _name_at(self, token: Token, speaking: bool) -> _Speaker | None:
        entity = self.entity_at(token.idx)
        label = token.ent_type_
        if entity is None and label not in NAMED_LABELS:
            return None
        surface = _ent_text(token)
        if entity is not None:
            entity = self.fullest(entity)
            name, label = entity.name, entity.label
        else:
            name = surface
        if _misread(surface) and token.is_title and token.ent_type_ != "PERSON":
            # "Trump accused Holt of being a" read as one title: the capitalised word at
            # the mention is the name, a person if the article spells them out
            run = _name_phrase(token)
            if self.names.resolve(run, token.idx) is not None:
                entity, label, name, surface = None, "PERSON", run, run
        if label != "PERSON" and (_after_honorific(token) or self.names.personal(name) or (
                speaking and self.names.resolve(surface, token.idx) is not None)):
            label = "PERSON"  # "Mr Hussen" is a person whatever the recogniser said
        group = label != "PERSON"
        confidence = SURE_ORGANISATION
        entity_id = entity.id if entity is not None else None
        if not group:
            # The words at this mention decide ("Jordan" may be the father or the son);
            # the entity's merged name only when the article never spells it out.
            name, confidence = self.full_name(without_titles(surface), token.idx)
            merged = without_titles(entity.name) if entity is not None else name
            if len(name.split()) < 2 and len(merged.split()) > 1:
                name = merged
            other = self.entity_named.get(name)
            if other is not None:
                entity_id = other.id
        if _misread(name):
            confidence = min(confidence, UNRECOGNISED_NAME)  # a misread span, not a name
        return _Speaker(name, "named", entity_id, group, name.split()[-1].lower(),
                        token.idx, confidence, label)


NAME_PARTICLES = frozenset({"de", "da", "del", "della", "di", "du", "van", "von", "der", "den",
                            "le", "la", "bin", "ibn", "al", "dos", "das", "of", "and", "for",
                            "the", "&"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lady", "lord",
                        "prof", "professor"})


def _surname_of(word: str, full: list[str]) -> bool:
    """``word`` ends the name ``full`` (before a "Jr."), or follows a particle ("Le Pen"):
    "Hale" is not "the Hale Express", nor a headline's "Hale Says Ortiz". (A company's
    first word stands for it only before a company word: "Nimbus Orbital Systems".)"""
    while len(full) > 1 and full[-1].lower().strip(".") in SUFFIXES:
        full = full[:-1]
    return full[-1] == word or (word in full[1:] and full[full.index(word) - 1].islower())


def _misread(name: str) -> bool:
    """A recogniser span that runs over ordinary lower-case words is not a name."""
    return any(w.islower() and w not in NAME_PARTICLES for w in name.split())


def _after_honorific(token: Token) -> bool:
    """The name starts with, or follows, Mr / Ms / Dr and the like."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].ent_type_ == token.ent_type_ and \
            doc[start - 1].ent_iob_ != "O" and doc[start].ent_iob_ == "I":
        start -= 1
    words = (doc[start].lower_.rstrip("."),
             doc[start - 1].lower_.rstrip(".") if start > 0 else "")
    return any(w in HONORIFICS for w in words)


def _ent_text(token: Token) -> str:
    """The words of the recogniser's span around ``token`` (or the token alone)."""
    if not token.ent_type_:
        return token.text
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return _strip_possessive(doc[start:end].text)


def _strip_possessive(name: str) -> str:
    return re.sub(r"[’']s$", "", name)


def _find_spans(text: str) -> list[_Span]:
    """Every quoted passage: double marks first, then single marks outside them (curly
    ones always; straight ones when the article quotes with them more than with double
    marks, as Daily Mail copy does)."""
    doubles = _double_spans(text)
    singles = _single_spans(text, doubles, "‘", "’")
    straight = _single_spans(text, doubles, "'", "'")
    if len(straight) >= max(2, len(doubles), len(singles) + 1):
        singles = sorted([*singles, *straight], key=lambda s: s.open_at)
    if singles:
        # A double-quoted phrase inside a single-quoted passage is nested, not its own.
        starts = [x.open_at for x in singles]
        doubles = [d for d in doubles if not _within(singles, starts, d.open_at)]
    spans = sorted([*doubles, *singles], key=lambda s: s.open_at)
    return [s for s in (_trim(text, span) for span in spans) if s is not None]


def _double_spans(text: str) -> list[_Span]:
    """Quoted passages, joined across paragraphs when the next one reopens the quote."""
    spans: list[_Span] = []
    open_at = -1
    closers = ""
    reopen_at = -1  # a continuation paragraph's opening mark, skipped
    for match in _MARK_OR_BREAK.finditer(text):
        mark, at = match.group(), match.start()
        if mark[0] == "\n":
            if open_at < 0:
                continue
            nxt = match.end()
            while nxt < len(text) and text[nxt] in " \t":
                nxt += 1
            if nxt < len(text) and text[nxt] in _CLOSERS and _TRANSCRIPT.match(text, nxt + 1):
                spans.append(_Span(open_at, at, open_at + 1, at))  # the next speaker's turn
                open_at, closers = nxt, _CLOSERS[text[nxt]]
                reopen_at = nxt
            elif nxt < len(text) and text[nxt] in _CLOSERS:
                reopen_at = nxt
            else:
                spans.append(_Span(open_at, at, open_at + 1, at))
                open_at = -1
            continue
        if open_at < 0:
            if mark == '"' and _only_closes(text, at):
                continue  # left over from a quote whose opening mark was lost
            if mark in _CLOSERS:
                open_at, closers = at, _CLOSERS[mark]
            elif mark == "”" and at + 1 < len(text) and text[at + 1].isalpha():
                open_at, closers = at, "”\""  # a closing mark typed for an opening one
            continue
        if at == reopen_at:
            reopen_at = -1
        elif mark == '"' and _only_opens(text, at) and _reopens(text, at):
            spans.append(_Span(open_at, at, open_at + 1, at))  # a paragraph break was lost
            open_at, closers = at, _CLOSERS[mark]
        elif mark in closers:
            spans.append(_Span(open_at, at, open_at + 1, at))
            open_at = -1
        elif mark == "“" and closers.startswith("”"):
            spans.append(_Span(open_at, at, open_at + 1, at))  # unclosed: a typo
            open_at, closers = at, _CLOSERS[mark]
    if open_at >= 0:
        spans.append(_Span(open_at, len(text), open_at + 1, len(text)))
    return spans


def _single_spans(text: str, doubles: list[_Span], opener: str,
                  closer: str) -> list[_Span]:
    """Passages in single marks (British and Daily Mail style), outside double ones.

    The closing mark is also the apostrophe: between letters ("don’t") it never closes,
    and after a plural ("players’ wages") it closes only when nothing surer does before
    the paragraph ends or the next passage opens. An opening mark with no close ends
    where the next one opens: copy that lost its paragraph breaks reopens each
    paragraph of a long statement without closing the one before.
    """
    if opener not in text:
        return []
    pattern = _SINGLE_OPEN if opener == "‘" else _STRAIGHT_OPEN
    openers = [m.start() for m in pattern.finditer(text)]
    if not openers:
        return []
    starts = [d.open_at for d in doubles]
    spans: list[_Span] = []
    resume = 0
    for number, at in enumerate(openers):
        if at < resume or _within(doubles, starts, at):
            continue
        following = number + 1
        while following < len(openers) and not _reopens(text, openers[following]) \
                and _CLOSE[closer].search(text, openers[following] + 1,
                                          openers[following] + NESTED_CHARS):
            following += 1  # a short quote inside the quote: 'It's like 'yes'. I …'
        limit = openers[following] if following < len(openers) else len(text)
        brk = text.find("\n", at, limit)
        if brk >= 0:
            limit = brk
        nested = [o for o in openers[number + 1:following] if o < limit]
        close = _single_close(text, at + 1, limit, closer, nested)
        if close is None:
            spans.append(_Span(at, limit, at + 1, limit))
            resume = limit
        else:
            spans.append(_Span(at, close, at + 1, close))
            resume = close + 1
    return spans


# The look-behind comes after the first character: a pattern that opens on a character
# lets the search jump to candidates; one that opens on a look-behind tries every position.
_SINGLE_OPEN = re.compile(r"‘(?<![\w’‘].)(?=[\w“\"(.…\-])(?!\d\ds?\b)")
_STRAIGHT_OPEN = re.compile(
    r"(?<![\w'’‘])'(?=[A-Za-z0-9“\"(…])(?!\d\ds?\b|(?:em|n|til|cause|tis|twas)\b)")


_CLOSE = {"’": re.compile(r"’(?!\w)"), "'": re.compile(r"'(?!\w)")}


# A quote inside a quote is a few words long; a longer one is a passage of its own.
NESTED_CHARS = 60


def _only_opens(text: str, at: int) -> bool:
    """A straight mark that can only open: after a space, before a word."""
    return (at == 0 or text[at - 1].isspace() or text[at - 1] in "([—–") and \
        at + 1 < len(text) and (text[at + 1].isalnum() or text[at + 1] in "‘'…(")


def _only_closes(text: str, at: int) -> bool:
    """A straight mark that can only close: after a word or a stop, before a space."""
    return at > 0 and not text[at - 1].isspace() and text[at - 1] not in "([—–" and \
        (at + 1 == len(text) or text[at + 1].isspace() or text[at + 1] in ".,;:!?)]")


def _reopens(text: str, at: int) -> bool:
    """An opening mark after a sentence's end starts a passage of its own."""
    before = text[max(at - 3, 0):at].rstrip()
    return not before or before[-1] in ".!?…:;,\n"


def _single_close(text: str, start: int, limit: int, closer: str,
                  nested: list[int]) -> int | None:
    """Where a single-quoted passage closes: the first sure mark, else the last one
    after a plural."""
    weak: int | None = None
    for match in _CLOSE[closer].finditer(text, start, limit):
        at = match.start()
        if nested and nested[0] < at:
            nested = [o for o in nested if o > at]  # this mark closes the inner quote
            continue
        before = text[at - 1] if at > start else ""
        after = text[at + 1:at + 3]
        plural = before in "sz" and re.match(r" [a-z0-9]", after) is not None
        if not plural:
            return at
        weak = at
    return weak


def _within(spans: list[_Span], starts: list[int], at: int) -> bool:
    i = bisect.bisect_right(starts, at) - 1
    return i >= 0 and spans[i].open_at < at <= spans[i].close_at


def _trim(text: str, span: _Span) -> _Span | None:
    """The words of a span without surrounding space and a trailing comma."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    if not _LETTER.search(text, start, end):
        return None
    return _Span(span.open_at, span.close_at, start, end)


def _is_cue(ctx: _Context, token: Token) -> bool:
    word = token.lower_
    if word not in CUE_WORDS or ctx.inside[token.i] >= 0:
        return False
    if token.is_title and token.i > 0 and ctx.doc[token.i - 1].is_title \
            and not token.is_sent_start:
        return False  # "Islamic State", "Secretary of State", "Good Report"
    nxt = token.nbor(1).lower_ if token.i + 1 < len(ctx.doc) else ""
    if word == "according":
        return nxt == "to"
    if word == "pointed":
        return nxt == "out"
    if word in BACK_VERBS:
        return nxt == "back"
    if word == "went":
        return nxt == "on"
    if word in ("put", "puts"):  # "as Lee put it, “…”", not "he put it down"
        return nxt == "it" and any(c.lower_ == "as" for c in token.children)
    if word == "per":
        return any(c.dep_ == "pobj" and (c.ent_type_ in NAMED_LABELS or c.is_title)
                   for c in token.children)
    if word in SPEECH_NOUNS and _used_as_noun(token):
        return any(c.dep_ == "poss" for c in token.children)
    # "this report", "the post": a verb of speech used as a noun says nothing here.
    return not any(c.dep_ == "det" for c in token.children)


def _used_as_noun(token: Token) -> bool:
    """No part-of-speech tags are available: a word with a determiner or possessor, or
    in a noun's role, is a noun ("his claims" vs "he claims")."""
    return token.dep_ in NOMINAL_DEPS or any(
        c.dep_ in ("det", "poss", "amod") for c in token.children)


def _cue_text(ctx: _Context, cue: Token) -> str:
    if (cue.lower_ in ("according", "pointed", "went") or cue.lower_ in BACK_VERBS) \
            and cue.i + 1 < len(ctx.doc):
        return f"{cue.text} {cue.nbor(1).text}"
    return cue.text


def _find_cue(ctx: _Context, number: int) -> Token | None:
    """The speech cue that governs quote ``number``: one it hangs from in the parse,
    else the nearest after it, else the nearest before it in its sentence."""
    span = ctx.spans[number]
    doc = ctx.doc
    first = ctx.token_at(span.open_at)
    last = ctx.token_at(max(span.close_at - 1, span.open_at))
    if _ends_with_comma(ctx, span):  # "…,’ said Locke": the tag follows the comma
        after = _cue_after(ctx, number, last)
        if after is not None:
            return after
    ancestor = _ancestor_cue(ctx, number, first, last)
    if ancestor is not None and ancestor.i > last and _closes_sentence(ctx, span) \
            and _says_its_own(ctx, ancestor, number):
        ancestor = None  # "…?" The judge told him to sit down.
    if ancestor is not None and ancestor.i < first:
        # "The spot ends with footage of Lee saying at the debate, “…”": the participle
        # after a name, nearer the quote, introduces it rather than the verb above it
        for i in range(first - 1, ancestor.i, -1):
            if ctx.inside[i] >= 0:
                break
            if _is_cue(ctx, doc[i]) and _name_before_participle(ctx, doc[i]) is not None:
                return doc[i]
    if ancestor is not None:
        return ancestor
    after = _cue_after(ctx, number, last) or _manner_tag(ctx, number, last)
    if after is not None:
        return after
    sent = ctx.sent_of[ctx.token_at(span.start)]
    sent_start = ctx.sent_starts[sent]
    if sent > 0 and doc[sent_start - 1].text == ":":
        sent_start = ctx.sent_starts[sent - 1]
    for i in range(first - 1, sent_start - 1, -1):
        if ctx.inside[i] >= 0 and ctx.inside[i] != number:
            break
        if i < first - 1 and doc[i].text in (".", "!", "?") and ctx.inside[i] < 0:
            break  # "He did not suggest it. “Our goal …”": that sentence has ended
        if _is_cue(ctx, doc[i]):
            return doc[i]
    if _ends_sentence(ctx, span):
        return None
    end = ctx.sent_ends[ctx.sent_of[ctx.token_at(span.end - 1)]]
    for i in range(last + 1, end):
        if ctx.inside[i] == number:
            continue
        if ctx.inside[i] >= 0:
            break
        if _is_cue(ctx, doc[i]):
            return doc[i]
    return None


def _ends_with_comma(ctx: _Context, span: _Span) -> bool:
    inner = ctx.text[span.start:span.close_at].rstrip()
    after = ctx.text[span.close_at + 1:span.close_at + 2]
    return inner.endswith(",") or after == ","


def _closes_sentence(ctx: _Context, span: _Span) -> bool:
    return ctx.text[span.end - 1] in ".!?"


def _says_its_own(ctx: _Context, cue: Token, number: int) -> bool:
    """The cue carries its own reported words ("told him to sit down", "said she would"),
    so a quote before it is not what it reports."""
    told = any(c.dep_ in ("dobj", "dative") for c in cue.children)
    return any((c.dep_ == "ccomp" or (c.dep_ == "xcomp" and told))
               and ctx.inside[c.i] != number for c in cue.children)


def _ends_sentence(ctx: _Context, span: _Span) -> bool:
    """The quote closes on a full stop: what follows is a new sentence, not its tag."""
    return ctx.text[span.end - 1] in ".!"


def _ancestor_cue(ctx: _Context, number: int, first: int, last: int) -> Token | None:
    """A cue the quote hangs from in the parse: "warned that anyone would “regret” it".

    A verb wins over a noun of speech lower down: in "Trump said her criticism raised
    questions about “…”" the words are Trump's.
    """
    doc = ctx.doc
    seen: set[int] = set()
    noun: Token | None = None
    for i in range(first, min(last + 1, first + 60)):
        if ctx.inside[ctx.heads[i]] == number:
            continue
        head = doc[i].head
        steps = 0
        while head.i not in seen and steps < 6:
            seen.add(head.i)
            if _other_paragraph(ctx, ctx.spans[number], head):
                break  # the parse joined two paragraphs: words never cross a break
            if _is_cue(ctx, head):
                if head.lower_ not in SPEECH_NOUNS or not _used_as_noun(head):
                    return head
                noun = noun or head
            if _characterises(ctx, head):
                return _characterising_verb(head)
            if head.head.i == head.i or (ctx.inside[head.i] >= 0
                                         and ctx.inside[head.i] != number):
                break
            head = head.head
            steps += 1
    return noun


def _other_paragraph(ctx: _Context, span: _Span, token: Token) -> bool:
    """``token`` lies in another paragraph than the quote."""
    if token.idx >= span.close_at:
        return "\n" in ctx.text[span.close_at:token.idx]
    return "\n" in ctx.text[token.idx:span.open_at]


def _characterises(ctx: _Context, token: Token) -> bool:
    """ "attack Democrats as “rubber stamps”", "referred to her as “the devil”": the quote
    is how the subject of the verb described someone."""
    if token.lower_ != "as" or token.dep_ != "prep" or ctx.inside[token.head.i] >= 0:
        return False
    verb = _characterising_verb(token)
    return any(c.dep_ in SUBJECT_DEPS for c in verb.children) or verb.dep_ in CLIMB_DEPS


def _characterising_verb(as_token: Token) -> Token:
    """The verb whose subject describes: in "Ruiz denounced Hale's remarks as “cruel”"
    the parse hangs "as" from "remarks", but the words are Ruiz's, not Hale's."""
    head = as_token.head
    if head.dep_ == "dobj" and any(c.dep_ in SUBJECT_DEPS for c in head.head.children):
        return head.head
    return head


def _cue_after(ctx: _Context, number: int, last: int) -> Token | None:
    """A cue right after the closing mark: "…," she said / "…," said X / "…?" asked X.

    After a quote that ends on a full stop only a bare tag counts ("…." Smith said.):
    anything longer is the next sentence, with a statement of its own; so is a cue with
    its own reported words after any sentence end ("…?" The judge told him to sit down.).
    """
    doc = ctx.doc
    limit = min(len(doc), last + 1 + AFTER_WINDOW)
    cue: Token | None = None
    for i in range(last + 1, limit):
        token = doc[i]
        if ctx.inside[i] == number:
            continue
        if ctx.inside[i] >= 0 or "\n" in token.text or token.text in (".", "!", "?", ";"):
            if cue is not None and token.text in (".", "!", "?", ";"):
                return cue
            break
        if cue is None and token.lower_ in CLAUSE_OPENERS and ctx.inside[i] < 0:
            return None  # "…," when Lee blasted him: a clause of its own, not the tag
        if cue is None and _is_cue(ctx, token):
            if _closes_sentence(ctx, ctx.spans[number]) and _says_its_own(ctx, token, number):
                return None
            cue = token
            if not _ends_sentence(ctx, ctx.spans[number]):
                return cue
            if i - last > BARE_TAG_TAIL + 1:
                return None  # "…!" CNN's Sam Lee contributed to this report.
        elif cue is not None and i - cue.i > BARE_TAG_TAIL:
            break
    return None


def _manner_tag(ctx: _Context, number: int, last: int) -> Token | None:
    """ "“This is fantastic!” beamed Ann Lee" / "“…,” she quipped": right after a quote
    that does not end its sentence, a verb in the past tense with a person as its
    subject is the tag, whatever the verb."""
    span = ctx.spans[number]
    inner = ctx.text[span.start:span.close_at].rstrip()
    if inner[-1:] not in (",", "!", "?") and ctx.text[span.close_at + 1:span.close_at + 2] != ",":
        return None
    doc = ctx.doc
    for i in range(last + 1, min(len(doc), last + 2 + BARE_TAG_TAIL)):
        token = doc[i]
        if ctx.inside[i] == number or (i == last + 1 and token.text == ","):
            continue
        if ctx.inside[i] >= 0 or token.is_punct or "\n" in token.text \
                or token.lower_ in CLAUSE_OPENERS:
            return None  # "“…,” when Lee challenged him": a clause of its own
        if token.is_lower and token.is_alpha and token.lower_.endswith("ed") and (any(
                c.dep_ == "nsubj" and (c.ent_type_ == "PERSON" or c.lower_ in PERSON_PRONOUNS)
                for c in token.children) or _person_follows(ctx, token)):
            return token
    return None


def _person_follows(ctx: _Context, verb: Token) -> bool:
    """ "…!” beamed union leader Ann Lee": a person named within a few words after the
    verb, before any punctuation."""
    for token in ctx.doc[verb.i + 1:verb.i + 1 + BARE_TAG_TAIL]:
        if token.is_punct or ctx.inside[token.i] >= 0:
            return False
        if token.ent_type_ == "PERSON":
            return True
    return False


# Words that open a clause of their own after a quote: what follows them is not its tag
# ("“…,” but stopped short of calling …", "“…,” when Lee blasted him"). "as" is left
# out: "“…,” as Lee put it" is a tag.
CLAUSE_OPENERS = frozenset({"but", "and", "or", "yet", "when", "while", "after", "before",
                            "because", "although", "though", "if", "until", "since",
                            "whereas", "whether", "unless"})


def _subject(ctx: _Context, cue: Token) -> Token | None:
    return _subject_path(ctx, cue)[0]


def _subject_path(ctx: _Context, cue: Token) -> tuple[Token | None, bool]:
    """Who performs the cue, climbing from participles and conjuncts to their verb; the
    flag says the parse did not say and a name beside the cue was taken instead."""
    if cue.lower_ in ("according", "per"):
        holder = cue.nbor(1) if cue.lower_ == "according" else cue
        return next((c for c in holder.children if c.dep_ == "pobj"), None), False
    owner = next((c for c in cue.children if c.dep_ == "poss"), None)
    if owner is not None and cue.lower_ in SPEECH_NOUNS:
        return owner, False
    named = _name_before_participle(ctx, cue)
    if named is not None:
        return named, False
    token = cue
    for _ in range(5):
        subject = next((c for c in token.children
                        if c.dep_ in SUBJECT_DEPS and ctx.inside[c.i] < 0
                        and not c.is_punct and not _not_a_speaker(c)), None)
        passive_hearer = subject is not None and subject.dep_ == "nsubjpass" and \
            token.lower_ in ("told", "asked")
        if subject is not None and not passive_hearer and token.i != cue.i \
                and token.dep_ == "ccomp" and _is_cue(ctx, token.head):
            # "X warned that the union wants … and urged 'calm'": the union is in what
            # X reported, not who urged; the outer cue's subject speaks
            token = token.head
            continue
        if subject is not None and not passive_hearer:
            if subject.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
                return token.head, False
            return subject, False
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), None), False
        if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
            break
        if ctx.inside[token.head.i] >= 0:
            # "“…,” Lee said, going on to say that …": the parse hung the participle
            # from a verb inside the quote; the tag just before it has the speaker
            tagged = _tag_subject_before(ctx, cue)
            if tagged is not None:
                return tagged, False
        token = token.head
    nearby = _nearby_name(ctx, cue)
    return nearby, nearby is not None


def _tag_subject_before(ctx: _Context, cue: Token) -> Token | None:
    """The subject of a speech verb a few words before ``cue`` in its sentence (the tag
    "Lee said," before "adding …" or "going on to say …")."""
    doc = ctx.doc
    for i in range(cue.i - 1, max(cue.i - 8, cue.sent.start, 0) - 1, -1):
        if ctx.inside[i] >= 0:
            return None
        verb = doc[i]
        if verb.is_punct or verb.i == cue.i or not _is_cue(ctx, verb):
            continue
        return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS
                     and ctx.inside[c.i] < 0 and not c.is_punct), None)
    return None


def _name_before_participle(ctx: _Context, cue: Token) -> Token | None:
    """ "footage of Ann Lee asking, “…”", "a video of Lee saying": a participle of speech
    right after a person's name says what that person said, whatever the parse hangs
    the participle from."""
    if not cue.lower_.endswith("ing") or cue.i == 0:
        return None
    before = ctx.doc[cue.i - 1]
    if ctx.inside[before.i] >= 0 or not before.ent_type_ or not before.is_title:
        return None
    entity = ctx.entity_at(before.idx)
    person = entity.label == "PERSON" if entity is not None else before.ent_type_ == "PERSON"
    if not person and ctx.names.resolve(_ent_text(before), before.idx) is None:
        return None  # a body's name; a person's surname the article spells out counts
    return _name_head(before)


def _place_after_place(ctx: _Context, token: Token) -> bool:
    """ "Dr Ann Lee of the institute in Austin, Texas said": the parse takes the state for
    the subject; a place right after "<place>," is part of an address."""
    doc = ctx.doc
    return token.ent_type_ == "GPE" and token.i >= 2 and doc[token.i - 1].text == "," \
        and doc[token.i - 2].ent_type_ == "GPE" and ctx.inside[token.i] < 0


def _person_before(ctx: _Context, token: Token) -> Token | None:
    """The last person named earlier in ``token``'s sentence, outside quotation marks."""
    for i in range(token.i - 1, token.sent.start - 1, -1):
        word = ctx.doc[i]
        if ctx.inside[i] < 0 and word.ent_type_ == "PERSON" and not _is_group(ctx, word):
            return _name_head(word)
    return None


def _is_group(ctx: _Context, token: Token) -> bool:
    """The article's decided label says a body ("TransIP" tagged PERSON at one mention
    is still the company the rest of the article calls it)."""
    entity = ctx.entity_at(token.idx)
    label = entity.label if entity is not None else token.ent_type_
    return label in ORG_LABELS


def _nearby_name(ctx: _Context, cue: Token) -> Token | None:
    """A name next to the cue when the parse left it unattached ("…," said Jane Doe).

    Names the cue governs as its object ("told CNN's Dana Bash") heard the words.
    """
    doc = ctx.doc
    appositive = _before_appositive(ctx, cue)
    if appositive is not None:
        return appositive
    after = _person_after(ctx, cue)
    if after is not None:
        return after
    for i in (*range(cue.i + 1, min(len(doc), cue.i + 4)), *range(cue.i - 1, cue.i - 4, -1)):
        if not 0 <= i < len(doc) or ctx.inside[i] >= 0:
            continue
        token: Token = doc[i]
        if token.dep_ in HEARER_DEPS or token.head.dep_ in HEARER_DEPS:
            continue
        if token.ent_type_ in ("PERSON", "ORG") or _unrecognised_name(ctx, token):
            return token
    return None


def _person_after(ctx: _Context, cue: Token) -> Token | None:
    """ "said TransIP chief Jeroen Hupscher", "said study co-author Ann Wood": the person
    in the words after the cue, past any organisation or title before them."""
    doc = ctx.doc
    for i in range(cue.i + 1, min(len(doc), cue.i + 7)):
        token = doc[i]
        if (token.is_punct and token.text not in ("-", "’s", "'s")) or ctx.inside[i] >= 0:
            return None
        if token.ent_type_ == "PERSON" and token.dep_ not in HEARER_DEPS \
                and not _is_group(ctx, token):
            return token
    return None


def _before_appositive(ctx: _Context, cue: Token) -> Token | None:
    """ "Flynn, a top Trump surrogate, said": the name before a description set off by
    commas right before the cue."""
    doc = ctx.doc
    if cue.i < 3 or doc[cue.i - 1].text != ",":
        return None
    for i in range(cue.i - 2, max(cue.i - 14, 0), -1):
        if ctx.inside[i] >= 0 or doc[i].text in ".;:!?\n":
            return None
        if doc[i].text == ",":
            name = doc[i - 1]
            if ctx.inside[name.i] < 0 and name.ent_type_ in ("PERSON", "ORG"):
                return name
            return None
    return None


def _name_head(token: Token) -> Token:
    """The last word of a name ("Jens" -> "Stoltenberg"), which carries the entity."""
    while token.dep_ == "compound" and token.head.i > token.i and token.head.ent_type_:
        token = token.head
    return token


def _describe(ctx: _Context, token: Token, history: list[_Speaker]) -> _Speaker | None:
    """Turn a subject token into a speaker as a reader needs it."""
    issuer = _issuer(ctx, token)
    if issuer is not None:
        return _sure(ctx.named(issuer), DESCRIPTION_ROLE)
    if token.lower_ in SPEECH_NOUNS:  # "Duterte's comments showed …": Duterte's words
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is None:
            if token.lower_ in ("statement", "statements"):
                # "the statement said": most likely the organisation named last
                body = next((c for c in _recent(ctx, history, token.idx) if _is_body(ctx, c)),
                            None)
                if body is not None:
                    return _sure(_moved(body, token.idx), DESCRIPTION_UNRESOLVED)
            # "the memo said": the document is the source as far as the article says
            return _Speaker(_phrase(ctx, token), "unnamed", None, True, token.lower_,
                            token.idx, DESCRIPTION_UNRESOLVED)
        token = owner
    if _not_a_speaker(token) or ctx.inside[token.i] >= 0:
        return None
    if _place_after_place(ctx, token):
        person = _person_before(ctx, token)  # "Ann Lee of X in Austin, Texas said"
        if person is None:
            return None
        token = person
    token = _name_head(token)
    if token.ent_type_ not in NAMED_LABELS:
        named = _named_within(ctx, token)
        if named is not None:
            token = _name_head(named)
    if token.ent_type_ in NAMED_LABELS:
        return ctx.named(token, speaking=True)
    word = POSSESSIVE_PRONOUNS.get(token.lower_, token.lower_)
    if word in PERSON_PRONOUNS or word in GROUP_PRONOUNS:
        return _resolve_pronoun(ctx, token, history)
    if token.dep_ == "appos" and token.head.ent_type_ in NAMED_LABELS:
        return ctx.named(token.head)  # "Hamilton, a man who claims …": Hamilton
    if _unrecognised_name(ctx, token):
        name = without_titles(_name_phrase(token))
        full, confidence = ctx.full_name(name, token.idx)
        if full == name:
            confidence = UNRECOGNISED_NAME
        return _Speaker(full, "named", None, False, full.split()[-1].lower(), token.idx,
                        confidence, "PERSON")
    if not token.is_alpha or word in RELATIVE_PRONOUNS or word in ("i", "you", "one"):
        return None
    return _resolve_description(ctx, token, history)


ISSUED_NOUNS = frozenset({"report", "statement", "memo", "letter", "study", "survey",
                          "release", "announcement", "filing", "complaint", "lawsuit",
                          "notice", "bulletin", "assessment", "forecast", "analysis",
                          "review", "audit", "post", "tweet", "email", "website"})


def _issuer(ctx: _Context, token: Token) -> Token | None:
    """ "the IMF report stated", "a Pentagon statement said", "the bank's forecast
    warned": a document or statement speaks for the organisation that issued it."""
    if token.lower_ not in ISSUED_NOUNS and token.lower_.rstrip("s") not in ISSUED_NOUNS:
        return None
    for child in token.children:
        if child.dep_ not in ("compound", "poss", "nmod") or ctx.inside[child.i] >= 0:
            continue
        head = _name_head(child)
        entity = ctx.entity_at(head.idx)
        label = entity.label if entity is not None else head.ent_type_
        if label == "ORG" and not ctx.names.personal(_ent_text(head)):
            return head
    return None


def _not_a_speaker(token: Token) -> bool:
    """Dates, times and amounts ("Thursday morning said" is a misparse); "the
    61-year-old" is tagged a date but names a person."""
    return token.ent_type_ in NOT_SPEAKERS and token.lower_ != "old"


NAMING_VERBS = frozenset({"named", "identified", "introduced"})


def _named_within(ctx: _Context, token: Token) -> Token | None:
    """The person a description goes on to name: "China's envoy, Wei Zhang," or "a
    senior officer — later named as Colonel Ada Brooks —"."""
    for t in token.subtree:
        if t.i - token.i > 30:
            break
        if t.ent_type_ != "PERSON" or ctx.inside[t.i] >= 0:
            continue
        if t.dep_ == "appos":
            return t
        head = t.head
        for _ in range(4):
            if head.i == token.i or head.head.i == head.i:
                break
            if head.lower_ in NAMING_VERBS:
                return t
            head = head.head
    return None


SPOKESPEOPLE = frozenset({"official", "officials", "spokesman", "spokeswoman",
                         "spokesperson", "representative", "representatives", "executives"})


def _employer(ctx: _Context, token: Token) -> Token | None:
    """"Harwick Freight officials confirmed …": officials speak for their organisation, so
    a later "the statement said" or "it said" points back to it."""
    if token.lower_ not in SPOKESPEOPLE:
        return None
    for child in token.children:
        entity = ctx.entity_at(child.idx) if child.dep_ == "compound" else None
        if entity is not None and entity.label == "ORG":
            return child
    return None


def _phrase(ctx: _Context, token: Token) -> str:
    """The noun phrase of a description ("a spokesman for the ministry"), without
    relative clauses, appositions, times ("in recent days") or anything quoted."""
    doc = ctx.doc
    start = token.left_edge.i
    while start < token.i and (ctx.inside[start] >= 0 or doc[start].is_punct
                               or doc[start].ent_type_ in ("DATE", "TIME")):
        start += 1
    end = token.i + 1
    for child in token.rights:
        if child.dep_ not in PHRASE_DEPS or any(t.is_punct for t in doc[end:child.i]):
            break
        child_end = child.right_edge.i + 1
        stop = next((t.i for t in doc[child.i:child_end]
                     if t.is_punct or ctx.inside[t.i] >= 0 or t.ent_type_ in ("DATE", "TIME")
                     or t.dep_ in ("relcl", "acl")), child_end)
        if stop - end > MAX_PHRASE_TAIL or (stop <= child.i + 1 and child.dep_ == "prep"):
            break
        end = stop
    while end > token.i + 1 and (doc[end - 1].is_punct or ctx.inside[end - 1] >= 0):
        end -= 1
    words = doc[start:end].text
    first = doc[start]
    if first.is_title and (first.lower_ in DETERMINERS or (
            not first.ent_type_ and first.text not in ctx.midsentence_titles)):
        words = first.lower_ + words[len(first.text):]
    return words


def _unrecognised_name(ctx: _Context, token: Token) -> bool:
    """A capitalised word the recogniser missed that reads as a name: capitalised in
    mid-sentence somewhere in the article, not after an article ("the Fund")."""
    if not token.is_title or token.lower_ in DETERMINERS or token.ent_type_ in NOT_SPEAKERS:
        return False  # "said Monday": a day is no name
    if token.i > 0 and ctx.doc[token.i - 1].lower_ in DETERMINERS:
        return False
    return token.text in ctx.midsentence_titles


def _name_phrase(token: Token) -> str:
    """A capitalised name the recogniser missed: the word and the names compounded to it."""
    start = token.i
    while start > 0 and token.doc[start - 1].dep_ == "compound" and \
            token.doc[start - 1].head.i >= start and token.doc[start - 1].is_title:
        start -= 1
    return token.doc[start:token.i + 1].text


def _resolve_description(ctx: _Context, token: Token, history: list[_Speaker]) -> _Speaker:
    """ "the official" is the earlier "a NATO official"; "the 61-year-old" and "the
    former minister" are the person the article gave that age or called that; "the
    company" is the organisation named last. A new description stays as written and
    marks an unnamed source."""
    definite = any(c.lower_ in ("the", "this", "that") or c.dep_ == "poss"
                   for c in token.lefts)  # "United's head coach" is someone in particular
    word = token.lower_
    if definite:
        for earlier in reversed(history):
            if earlier.head == word:
                return _sure(_moved(earlier, token.idx), DESCRIPTION_ROLE) or earlier
        referent = _described_person(ctx, token, history)
        if referent is not None:
            return referent
        if word in BODY_NOUNS:
            body = next((c for c in _recent(ctx, [], token.idx) if _is_body(ctx, c)), None)
            if body is not None:
                return _sure(_moved(body, token.idx), DESCRIPTION_BODY) or body
    else:
        # "a 14-year-old girl said": the article names exactly one person of that age
        age = _age_of(ctx, token) or next(
            (_age_of(ctx, c) for c in token.lefts if c.lower_ == "old"), None)
        holders = {name for _, name in ctx.ages.get(age, [])} if age else set()
        if len(holders) == 1:
            return _person(ctx, holders.pop(), token.idx, DESCRIPTION_ROLE)
    confidence = SURE_UNNAMED if not definite and (word in SOURCE_NOUNS or word in BODY_NOUNS) \
        else DESCRIPTION_UNRESOLVED
    return _Speaker(_phrase(ctx, token), "unnamed", None, word in BODY_NOUNS, word,
                    token.idx, confidence)


def _described_person(ctx: _Context, token: Token, history: list[_Speaker]) -> _Speaker | None:
    """The person a definite description points to, by age or by role."""
    age = _age_of(ctx, token)
    if age is not None:
        holders = ctx.ages.get(age, [])
    else:
        wanted = {c.lower_ for c in token.lefts
                  if c.dep_ in ("compound", "amod") and c.lower_ not in PASSING_MODIFIERS}
        holders = [(at, name) for at, name, words in ctx.roles.get(token.lower_, [])
                   if wanted <= words]
    if not holders and age is None and token.lower_ in AGE_NOUNS:
        low, high = AGE_NOUNS[token.lower_]
        holders = [(at, name) for years, held in ctx.ages.items() if years.isdigit()
                   and low <= int(years) <= high for at, name in held]
    if not holders:
        if age is None and token.lower_ not in SOURCE_NOUNS and token.lower_ not in TITLES \
                and token.lower_ not in AGE_NOUNS:
            return None
        main = _main_person(ctx, history)
        wanted_gender = GENDERED_NOUNS.get(token.lower_)
        if main and wanted_gender and ctx.names.gender(main) not in (None, wanted_gender):
            return None  # "the girl" is not the man the article is about
        return _person(ctx, main, token.idx, DESCRIPTION_UNRESOLVED) if main else None
    before = [h for h in holders if h[0] < token.idx]
    name = max(before)[1] if before else min(holders)[1]
    distinct = len({h[1] for h in holders})
    return _person(ctx, name, token.idx, DESCRIPTION_ROLE if distinct == 1 else PRONOUN_UNSURE)


def _main_person(ctx: _Context, history: list[_Speaker]) -> str | None:
    """Who the article is mostly quoting so far, else the person it names most."""
    spoken: dict[str, int] = {}
    for speaker in history:
        if speaker.kind == "named" and not speaker.group:
            spoken[speaker.name] = spoken.get(speaker.name, 0) + 1
    counts = spoken or ctx.person_count
    if not counts:
        return None
    return max(counts.items(), key=lambda item: item[1])[0]


AGE_NOUNS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(("teenager", "teen"), (13, 19)),
    **dict.fromkeys(("girl", "boy", "youngster", "schoolgirl", "schoolboy", "pupil"), (0, 17)),
    "toddler": (0, 3), "pensioner": (60, 120),
}
"""Descriptions by stage of life, with the ages they fit: "the teenager" is the person
the article gives an age of 13 to 19, else (like "the 14-year-old") its main person."""

# Modifiers that a description may add to the role the article gave ("the former
# minister" for "Olaf Brandt, a minister until 2019").
PASSING_MODIFIERS = frozenset({"former", "then", "current", "new", "outgoing", "incoming",
                               "veteran", "longtime", "embattled", "beleaguered", "young",
                               "old", "retired", "late", "acting", "interim"})


def _age_of(ctx: _Context, token: Token) -> str | None:
    """The age in "the 61-year-old" (the parser makes "old" the head)."""
    if token.lower_ != "old":
        return None
    words = ctx.doc[token.left_edge.i:token.i]
    if not any(t.lower_ == "year" for t in words):
        return None
    return next((t.text for t in words if t.like_num), None)


def _is_body(ctx: _Context, speaker: _Speaker) -> bool:
    """An organisation, or a name tagged as a person that has no given name and nothing
    in the article calls he or she ("Harwick Freight")."""
    if speaker.kind != "named":
        return False
    if speaker.group:
        return speaker.label == "ORG"
    return ctx.names.gender(speaker.name) is None and \
        not ctx.names.has_given_name(speaker.name)


def _person(ctx: _Context, name: str, at: int, confidence: float) -> _Speaker:
    entity = ctx.entity_named.get(name)
    return _Speaker(name, "named", entity.id if entity else None, False,
                    name.split()[-1].lower(), at, confidence, "PERSON")


def _recent(ctx: _Context, history: list[_Speaker], at: int) -> Iterator[_Speaker]:
    """Earlier speakers and named subjects, the latest first (a bounded walk back)."""
    i = bisect.bisect_left(ctx.antecedent_at, at) - 1
    j = len(history) - 1
    while j >= 0 and history[j].at >= at:
        j -= 1
    for _ in range(80):
        if i < 0 and j < 0:
            return
        if j < 0 or (i >= 0 and ctx.antecedents[i].at >= history[j].at):
            yield ctx.antecedents[i]
            i -= 1
        else:
            yield history[j]
            j -= 1


def _resolve_pronoun(ctx: _Context, token: Token, history: list[_Speaker]) -> _Speaker | None:
    """The latest earlier speaker or named subject of the right sort: a group for "it"
    and "they"; for "he" and "she" the latest person of the pronoun's gender (by what
    the article says of them, else by their given name), or failing that the latest
    person whose gender nothing tells."""
    word = POSSESSIVE_PRONOUNS.get(token.lower_, token.lower_)
    if word == "they":
        crowd = _plural_subject_before(ctx, token)
        if crowd is not None:
            return crowd
    want_group = word in GROUP_PRONOUNS
    want = "male" if word in HE else "female" if word in SHE else None
    fallback: _Speaker | None = None
    chosen: _Speaker | None = None
    confidence = PRONOUN_UNSURE
    for candidate in _recent(ctx, history, token.idx):
        if candidate.kind == "unknown":
            continue
        if want_group:
            if candidate.group:
                # "it said" is an organisation far more often than a country
                confidence = PRONOUN_GROUP if candidate.label == "ORG" else PRONOUN_AMBIGUOUS
                chosen = candidate
                break
            if _is_body(ctx, candidate):
                chosen, confidence = candidate, PRONOUN_UNSURE
                break
            continue
        if candidate.group or (candidate.kind != "named" and (
                candidate.head in DOCUMENT_NOUNS or candidate.head in SPEECH_NOUNS)):
            continue  # "she" is never "the affidavit"
        gender = ctx.names.gender(candidate.name) if candidate.kind == "named" \
            else GENDERED_NOUNS.get(candidate.head)
        if candidate.kind != "named" and gender is None and candidate.head.endswith("s") \
                and not candidate.head.endswith("ss"):
            continue  # "he" is not "the robots"
        if gender is None:
            fallback = fallback or candidate
            continue
        if gender != want:
            continue
        if fallback is not None and fallback.kind == "named" and \
                ctx.sent_of[ctx.token_at(fallback.at)] >= ctx.sent_of[token.i] - 1:
            break  # '"…," Lee said. He did not …': the person just named, gender unknown
        if not candidate.salient:
            better = _salient_in_sentence(ctx, history, candidate, want, token.idx)
            candidate = better or candidate
        chosen = candidate
        confidence = PRONOUN_GENDERED if fallback is None else PRONOUN_UNSURE
        if _rival(ctx, history, chosen, want, token.idx) or _described_between(ctx, chosen,
                                                                                 token):
            confidence = PRONOUN_AMBIGUOUS
        break
    if chosen is None:
        chosen = fallback
    if chosen is None:
        return None
    if token.idx - chosen.at > FAR_ANTECEDENT:
        confidence = min(confidence, PRONOUN_UNSURE)
    return _Speaker(chosen.name, chosen.kind, chosen.entity, chosen.group, chosen.head,
                    token.idx, min(confidence, chosen.confidence), chosen.label)


def _plural_subject_before(ctx: _Context, token: Token) -> _Speaker | None:
    """ "The researchers warned … They said:": "they" after a sentence whose subject is
    a plural description is that description."""
    sent = ctx.sent_of[token.i]
    if sent == 0:
        return None
    start = ctx.sent_starts[sent - 1]
    subject = next((t for t in ctx.doc[start:ctx.sent_ends[sent - 1]]
                    if t.dep_ == "nsubj" and t.head.dep_ == "ROOT" and ctx.inside[t.i] < 0),
                   None)
    if subject is None or subject.ent_type_ or not subject.is_alpha \
            or not subject.lower_.endswith("s") or subject.lower_ in GROUP_PRONOUNS:
        return None
    if subject.lower_ not in SOURCE_NOUNS:
        return None
    return _Speaker(_phrase(ctx, subject), "unnamed", None, True, subject.lower_, token.idx,
                    PRONOUN_UNSURE + 0.1)


def _salient_in_sentence(ctx: _Context, history: list[_Speaker], embedded: _Speaker,
                         want: str | None, at: int) -> _Speaker | None:
    """A main-clause subject of the same gender in the sentence of an embedded one."""
    sentence = ctx.sent_of[ctx.token_at(embedded.at)]
    for candidate in _recent(ctx, history, embedded.at):
        if ctx.sent_of[ctx.token_at(candidate.at)] != sentence:
            return None
        if candidate.salient and not candidate.group and candidate.kind == "named" and \
                ctx.names.gender(candidate.name) == want:
            return candidate
    return None


def _rival(ctx: _Context, history: list[_Speaker], chosen: _Speaker, want: str | None,
           at: int) -> bool:
    """Another person the pronoun could mean, named shortly before the chosen one
    ("Cheryl Silvonek ... her daughter Jamie ... she said")."""
    for candidate in _recent(ctx, history, chosen.at):
        if chosen.at - candidate.at > RIVAL_WINDOW or at - candidate.at > 2 * RIVAL_WINDOW:
            return False
        if candidate.group or candidate.kind != "named" or candidate.name == chosen.name:
            continue
        gender = ctx.names.gender(candidate.name)
        if gender is None or gender == want:
            return True
    return False


def _described_between(ctx: _Context, chosen: _Speaker, token: Token) -> bool:
    """A person described but not named as the subject of the sentence before the
    pronoun, after the chosen antecedent ("The eighth-grader sent her mother a text.
    'Mom …,' she said"): the pronoun may well mean them."""
    sent = ctx.sent_of[token.i]
    first = ctx.sent_starts[sent - 1] if sent > 0 else ctx.sent_starts[sent]
    for t in ctx.doc[first:token.i]:
        if t.dep_ != "nsubj" or t.idx <= chosen.at or ctx.inside[t.i] >= 0 or t.ent_type_ \
                or not t.is_alpha or not t.is_lower or t.lower_ in PERSON_PRONOUNS:
            continue
        word = t.lower_
        if word in SOURCE_NOUNS or word in GENDERED_NOUNS or word in TITLES or \
                word.endswith(("er", "or", "ist", "ian", "ant", "ent")):
            return True
    return False


GENDERED_NOUNS: dict[str, str] = {
    **dict.fromkeys(("spokesman", "man", "father", "husband", "son", "boy", "brother",
                     "businessman", "chairman", "dad", "uncle", "grandfather"), "male"),
    **dict.fromkeys(("spokeswoman", "woman", "mother", "wife", "daughter", "girl", "sister",
                     "businesswoman", "chairwoman", "mum", "mom", "aunt", "grandmother"),
                    "female"),
}


def _attribute(ctx: _Context, number: int, history: list[_Speaker]) -> _Attribution:
    cue = _find_cue(ctx, number)
    inner: _Attribution | None = None
    while cue is not None:
        subject, guessed = _subject_path(ctx, cue)
        if subject is None or guessed:
            subject = _inverted_tag_name(ctx, number, cue) or subject
        if subject is not None and subject.i > cue.i and subject.lower_ not in PERSON_PRONOUNS \
                and (subject.ent_type_ != "PERSON" or _is_group(ctx, subject)):
            # "said study co-author Ann Wood": the parse took a word of her title
            subject = _person_after(ctx, cue) or subject
        speaker = _describe(ctx, subject, history) if subject is not None else None
        if guessed:
            speaker = _sure(speaker, NEAREST_NAME)
        if speaker is not None and speaker.group and cue.lower_ in REPORT_CUES:
            speaker = _sure(speaker, RELAYED)
        outer = _outer_cue(ctx, cue)
        reporting = _reporting_cue(ctx, cue)
        if reporting is not None and speaker is not None and speaker.kind != "unknown" \
                and _phrase_in_report(ctx, number, cue, reporting):
            # "Lee said rivals were calling “every 15 minutes”": a phrase inside what
            # Lee reports is in Lee's words, not the rivals'
            reporter = _subject(ctx, reporting)
            reported = _describe(ctx, reporter, history) if reporter is not None else None
            if reported is not None and reported.kind == "named" and reported.label == "PERSON":
                return _Attribution(reported, _cue_text(ctx, reporting))
        if outer is not None and speaker is not None and _abstract(speaker):
            # "Ryan said the spate of shootings demands “more listening”": a thing
            # does not speak; the outer cue's speaker does, if it names one
            inner = inner or _Attribution(speaker, _cue_text(ctx, cue))
            cue = outer
            continue
        if inner is not None and (speaker is None or _abstract(speaker)):
            return inner
        if speaker is not None and speaker.kind == "unnamed" and \
                speaker.head in DOCUMENT_NOUNS:
            # "The teen texted him: '…,' the affidavit said": the document relays the
            # words of the person the sentence before introduced
            colon = _colon_source(ctx, number)
            relayed = _describe(ctx, colon, history) if colon is not None else None
            if relayed is not None and relayed.head not in DOCUMENT_NOUNS:
                return _Attribution(relayed, ":")
        if speaker is None and subject is None and _opens_with_participle(ctx, cue) \
                and history and 0 <= cue.idx - history[-1].at <= PARTICIPLE_REACH:
            # "Lee called it “weak.” Adding, “…”": the participle goes on with the last
            # speaker
            return _Attribution(_moved(_sure(history[-1], PREVIOUS_SUBJECT), cue.idx),
                                _cue_text(ctx, cue))
        if speaker is None and cue.lower_ != "according":
            according = _according_in_sentence(ctx, number)
            if according is not None:
                cue = according  # "For Hale, according to Ann Lee, the speech is “a test”"
                continue
        if speaker is not None or outer is None:
            return _Attribution(speaker, _cue_text(ctx, cue))
        cue = outer  # "Moore said they were saying, “…”": their words as he tells it
    if inner is not None:
        return inner
    dash = _dash_source(ctx, number)
    if dash is not None:
        return _Attribution(_describe(ctx, dash, history), "—")
    colon = _colon_source(ctx, number)
    if colon is not None:
        introduced = _describe(ctx, colon, history)
        if introduced is not None and not _abstract(introduced):
            return _Attribution(introduced, ":")  # not "The rationale is …: “…”"
    return _Attribution(None, None)


PARTICIPLE_REACH = 400  # characters back to the speaker a sentence-initial "Adding," continues


def _according_in_sentence(ctx: _Context, number: int) -> Token | None:
    """An "according to" in the quote's sentence, outside any quote."""
    sentence = ctx.sent_of[ctx.token_at(ctx.spans[number].start)]
    for i in range(ctx.sent_starts[sentence], ctx.sent_ends[sentence]):
        token = ctx.doc[i]
        if token.lower_ == "according" and ctx.inside[i] < 0 and _is_cue(ctx, token):
            return token
    return None


def _opens_with_participle(ctx: _Context, cue: Token) -> bool:
    """The cue is an "-ing" word that opens its sentence ("Adding, “…”")."""
    start = ctx.sent_starts[ctx.sent_of[cue.i]]
    return cue.lower_.endswith("ing") and all(
        t.is_punct or t.is_space for t in ctx.doc[start:cue.i])


DOCUMENT_NOUNS = frozenset({"affidavit", "affidavits", "document", "documents", "complaint",
                            "indictment", "filing", "filings", "records", "transcript",
                            "lawsuit", "report", "memo", "papers", "warrant", "court"})
"""Documents that quote people: their cue gives way to a speaker introduced before."""

GROUPS_OF_PEOPLE = frozenset({"couple", "family", "families", "pair", "duo", "trio", "teen",
                              "teens", "kids", "children", "child", "boys", "girls", "guy",
                              "guys", "americans", "citizens", "democrats", "republicans",
                              "candidates", "candidate", "nominee", "host", "star", "pope",
                              "masses", "public", "audience", "users"})


def _abstract(speaker: _Speaker) -> bool:
    """An unnamed "speaker" whose head is no person, source or body ("the epidemic",
    "party procedures"): most often the subject of a clause inside someone's words."""
    head = speaker.head
    if head.endswith("s") and head[:-1] in BODY_NOUNS | SOURCE_NOUNS:
        return False  # "food banks", "the agencies"
    if head.endswith(("ment", "ments")):
        return speaker.kind == "unnamed"  # "the advertisement", "the agreement"
    return speaker.kind == "unnamed" and head not in SOURCE_NOUNS \
        and head not in BODY_NOUNS and head not in GENDERED_NOUNS \
        and head not in SPEECH_NOUNS and head not in TITLES and head not in GROUPS_OF_PEOPLE \
        and not head.endswith(("er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "ant",
                               "ants", "ent", "ents", "old", "olds"))


def _reporting_cue(ctx: _Context, cue: Token) -> Token | None:
    """The cue whose reported clause holds ``cue`` ("Lee said [they were calling …]"),
    climbing through reported clauses only: a coordinated verb ("Ruiz accuses X and Lee
    says …") reports nothing of the first."""
    token = cue
    for _ in range(3):
        if token.dep_ not in ("ccomp", "xcomp") or token.head.i == token.i:
            return None
        token = token.head
        if _is_cue(ctx, token):
            return token
    return None


def _phrase_in_report(ctx: _Context, number: int, cue: Token, outer: Token) -> bool:
    """Quote ``number`` is a phrase inside the clause ``outer`` reports, not the words
    ``cue`` introduces: it opens mid-sentence, without a comma or colon before it, and
    both cues come before it in the sentence."""
    span = ctx.spans[number]
    before = ctx.text[max(0, span.open_at - 2):span.open_at].strip()
    if before.endswith((",", ":")) or not (outer.idx < cue.idx < span.open_at):
        return False
    first = ctx.token_at(span.start)
    if any(c.dep_ == "ccomp" and c.left_edge.i <= first <= c.right_edge.i
           for c in cue.children):
        return False  # "he said the President had said it was ‘…’": the President's words
    sentence = ctx.sent_of[first]
    return sentence == ctx.sent_of[outer.i] and ctx.sent_starts[sentence] < first


def _inverted_tag_name(ctx: _Context, number: int, cue: Token) -> Token | None:
    """ "“Are you sure?” asked Judge Reyes": right after the closing mark the name after
    the cue is who speaks, though the parse may take it for the one asked."""
    span = ctx.spans[number]
    if span.close_at >= cue.idx or ctx.text[span.close_at + 1:cue.idx].strip() not in ("", ","):
        return None
    doc = ctx.doc
    for i in range(cue.i + 1, min(len(doc), cue.i + 1 + BARE_TAG_TAIL)):
        token = doc[i]
        if token.is_punct or ctx.inside[i] >= 0:
            return None
        if token.ent_type_ == "PERSON" or (token.ent_type_ == "ORG" and _is_group(ctx, token)):
            return _name_head(token)
    return None


def _outer_cue(ctx: _Context, cue: Token) -> Token | None:
    """The cue that reports the clause holding ``cue``, if any."""
    token = cue
    for _ in range(6):
        if token.head.i == token.i:
            return None
        token = token.head
        if _is_cue(ctx, token):
            return token
    return None


def _colon_source(ctx: _Context, number: int) -> Token | None:
    """Who is introduced before a colon: `Smith: "…"`, `Abedin's reply: "…"`,
    `Trump deflected with a non sequitur: "…"`."""
    doc = ctx.doc
    first = ctx.token_at(ctx.spans[number].open_at)
    while first > 0 and doc[first - 1].is_space:
        first -= 1  # "Stated Lee:" in a paragraph of its own before the quote
    if first < 2 or doc[first - 1].text != ":" or ctx.inside[first - 2] >= 0:
        return None
    token = doc[first - 2]
    while token.head.i < first - 1 and token.head.i != token.i \
            and ctx.inside[token.head.i] < 0:
        token = token.head
    if token.ent_type_ in ("PERSON", "ORG"):
        return token
    last = doc[first - 2]
    for dep in ("nsubj", "poss"):
        found = next((c for c in token.children if c.dep_ == dep and ctx.inside[c.i] < 0), None)
        if found is not None and last.ent_type_ == "PERSON" and _common_noun(found) and \
                found.lower_ not in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return last  # "The timing doesn't surprise pollster Ann Lee: “…”"
        if found is not None:
            return found
    return _only_person_in_lead(ctx, first - 1)


def _common_noun(token: Token) -> bool:
    """No name: lower case, or capitalised only as a sentence's first word or a headline's
    capitals ("The timing …", "VOTERS CARE …"), and outside every entity."""
    return not token.ent_type_ and (token.is_lower or token.is_sent_start or token.is_upper)


def _only_person_in_lead(ctx: _Context, colon: int) -> Token | None:
    """ "Stated Lee:", "More from Lee:", "In the words of Ann Lee:": a short lead-in that
    names one person introduces that person's words."""
    doc = ctx.doc
    start = ctx.sent_starts[ctx.sent_of[colon]]
    if colon - start > COLON_LEAD_TOKENS:
        return None
    people = {_name_head(t).i for t in doc[start:colon]
              if t.ent_type_ == "PERSON" and ctx.inside[t.i] < 0}
    return doc[people.pop()] if len(people) == 1 else None


COLON_LEAD_TOKENS = 8


def _dash_source(ctx: _Context, number: int) -> Token | None:
    """ "…" — Jane Doe: a name right after a dash that follows the closing mark."""
    text = ctx.text
    at = ctx.spans[number].close_at + 1
    while at < len(text) and text[at] in " \t\u00a0\n":
        at += 1
    if at >= len(text) or text[at] not in "—–―-":
        return None
    at += 1
    while at < len(text) and text[at] in " \t\u00a0-":
        at += 1
    signed = "\n" in text[ctx.spans[number].close_at:at]
    if at >= len(text) or (signed and not _sign_off_line(text, at)):
        return None
    following = ctx.doc[ctx.token_at(at)]
    if following.idx != at or ctx.inside[following.i] >= 0:
        return None
    if signed and following.lower_.strip(".") in TITLES and following.i + 1 < len(ctx.doc):
        following = ctx.doc[following.i + 1]  # "— President Ann Lee"
    if following.ent_type_ in ("PERSON", "ORG") or _unrecognised_name(ctx, following):
        return _name_head(following)
    return None


def _sign_off_line(text: str, at: int) -> bool:
    """ "“…”" then a paragraph "— Ann Lee." alone: the quote is signed."""
    end = text.find("\n", at)
    line = text[at:end if end >= 0 else len(text)]
    return len(line.split()) <= SIGN_OFF_WORDS and text[text.rfind("\n", 0, at) + 1:at].strip(
        " \t\u00a0") in ("—", "–", "―", "-", "--") and text.count("\n", 0, at) > 0


SIGN_OFF_WORDS = 5


def _sentence_before(ctx: _Context, number: int) -> tuple[int, int] | None:
    """Token range of the sentence that ends right before quote ``number`` opens.

    The parser often glues a closing mark or the next opening mark to the wrong
    sentence, so the sentence is the one holding the last real token before the mark.
    """
    first = ctx.token_at(ctx.spans[number].open_at)
    prev = first - 1
    while prev >= 0 and (ctx.doc[prev].is_space or ctx.inside[prev] == number):
        prev -= 1
    if prev < 0:
        return None
    return ctx.sent_starts[ctx.sent_of[prev]], first


def _previous_sentence_speaker(ctx: _Context, number: int, quotes: list[_Found],
                               history: list[_Speaker]) -> _Speaker | None:
    """Who speaks a quote that has no cue of its own.

    It continues an earlier quote in the sentence before (in the same or the previous
    paragraph), or it is the person that sentence is about (Stoltenberg was blunt.
    "We will not …").
    """
    span = ctx.spans[number]
    before = _sentence_before(ctx, number)
    if before is None:
        return None
    start, end = before
    start_char = ctx.doc[start].idx
    for found in reversed(quotes):
        if start_char <= found.span.close_at <= span.open_at:
            earlier = found.attribution.speaker
            return _sure(earlier, earlier.confidence * CONTINUATION) if earlier else None
        if found.span.close_at < start_char:
            break
    root = next((t for t in ctx.doc[start:end]
                 if t.dep_ == "ROOT" and ctx.inside[t.i] < 0), None)
    if root is None:
        return None
    subject = next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or ctx.inside[subject.i] >= 0:
        return None
    speaker = _describe(ctx, subject, history)
    if speaker is None or speaker.kind != "named":
        return None
    return _sure(speaker, PREVIOUS_SUBJECT)


@dataclass(frozen=True)
class _Found:
    span: _Span
    attribution: _Attribution
    kind: QuoteKind


def _is_standalone(ctx: _Context, number: int) -> bool:
    """The quote opens its sentence or follows a colon, a dash or a cue and comma.

    Read on the characters: the parser's sentence boundaries around quotation marks
    are unreliable.
    """
    span = ctx.spans[number]
    text = ctx.text
    at = span.open_at - 1
    while at >= 0 and text[at] in " \t":
        at -= 1
    if at < 0 or text[at] in "\n.!?:;—–(" or text[at] in _CLOSERS or text[at] in "”»‘’'":
        return True
    return text[at] == "," and span.start < len(text) and text[span.start].isupper()


def _has_clause(ctx: _Context, number: int) -> bool:
    span = ctx.spans[number]
    first = ctx.token_at(span.start)
    last = ctx.token_at(max(span.end - 1, span.start))
    return any(t.dep_ in CLAUSE_DEPS and ctx.inside[t.head.i] == number
               for t in ctx.doc[first:last + 1])


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text)


def _named_not_said(ctx: _Context, number: int) -> bool:
    """A term introduced as a name: the so-called "Squad", a spot titled "Unfit", a
    phenomenon called "differential nonresponse" (but not what someone called it)."""
    span = ctx.spans[number]
    first = ctx.token_at(span.open_at)
    if first == 0:
        return False
    before = ctx.doc[first - 1]
    if before.lower_ not in NAMING_WORDS:
        return False
    if before.lower_ in NAMING_CUES:
        return _subject(ctx, before) is None
    return True


def _is_nickname(ctx: _Context, number: int) -> bool:
    """ "Weird Al" Yankovic: capitalised words in quotation marks right before a person's
    surname are part of the name, not words anyone said."""
    span = ctx.spans[number]
    inner = ctx.text[span.start:span.close_at]
    words = _words(inner)
    if not 0 < len(words) <= 3 or not all(w[0].isupper() for w in words) \
            or not inner.rstrip()[-1:].isalnum() or span.close_at + 2 >= len(ctx.text):
        return False
    if ctx.text[span.close_at + 1] != " ":
        return False
    token = ctx.doc[ctx.token_at(span.close_at + 2)]
    if token.idx != span.close_at + 2 or not token.is_title:
        return False
    return token.ent_type_ == "PERSON" or nicknamed_surname(ctx.text, token.text)


def _looks_like_title(ctx: _Context, number: int) -> bool:
    """Capitalised words that read as a title or a name ("Meet the Press")."""
    span = ctx.spans[number]
    words = _words(ctx.text[span.start:span.end])
    if len(words) < 2:
        return False
    capitalised = [w for w in words if w.lower() not in MINOR_WORDS]
    return len(capitalised) >= 2 and all(w[0].isupper() or w[0].isdigit() for w in capitalised)


def extract_quotes(doc: Doc, article: Article, entities: Sequence[Entity]) -> list[Quote]:
    """Every quotation in the article with its speaker, cue and kind, in text order."""
    text = nlp.analysable_text(article.text)
    if not is_text_of(doc, text):
        text = doc.text  # rebuilt from every token: only for a doc of some other text
    spans = _find_spans(text)
    if not spans:
        return []
    ctx = _Context(doc, text, entities, spans)
    history: list[_Speaker] = []
    found: list[_Found] = []
    for number in range(len(spans)):
        result = _classify(ctx, number, found, history)
        if result is None:
            continue
        found.append(result)
        if result.attribution.speaker is not None:
            history.append(result.attribution.speaker)
    found = _tagged_at_the_end(ctx, found)
    return [_to_quote(article, f) for f in found if f.span.end <= len(article.text)]


def _tagged_at_the_end(ctx: _Context, found: list[_Found]) -> list[_Found]:
    """A statement over several paragraphs is tagged in one of them: a paragraph left
    open with no cue ("‘We won. ‘It was hard,’ he said.") takes the speaker of the
    tagged paragraph that follows it directly."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        here, nxt = out[i], out[i + 1]
        speaker = nxt.attribution.speaker
        if here.attribution.cue is not None or speaker is None or nxt.attribution.cue is None \
                or \
                ctx.text[here.span.close_at:here.span.close_at + 1] not in _OPENERS or \
                ctx.text[here.span.close_at:nxt.span.open_at].strip():
            continue
        moved = _sure(_moved(speaker, here.span.open_at), speaker.confidence * CONTINUATION)
        out[i] = _Found(here.span, _Attribution(moved, None), here.kind)
    return out


_OPENERS = "“\"«„‘'"


def _classify(ctx: _Context, number: int, found: list[_Found],
              history: list[_Speaker]) -> _Found | None:
    """Decide whether a quoted span is someone's words, and whose."""
    span = ctx.spans[number]
    if _named_not_said(ctx, number) or _is_nickname(ctx, number):
        return None
    standalone = _is_standalone(ctx, number)
    clause = _has_clause(ctx, number)
    kind: QuoteKind = "direct" if standalone or clause else "partial"
    label = _transcript_label(ctx, number)
    if label is not None:
        return _Found(span, _Attribution(label, None), "direct")
    attribution = _attribute(ctx, number, history)
    listed = _listed_after(ctx, number, found) if kind == "partial" else None
    if listed is not None:
        attribution = listed
    if attribution.cue is not None:
        if kind == "partial" and _looks_like_title(ctx, number):
            return None
        return _Found(span, attribution, kind)
    if _looks_like_title(ctx, number) and kind == "partial":
        return None
    if standalone:
        if len(_words(ctx.text[span.start:span.end])) < 2:
            return None
        speaker = _previous_sentence_speaker(ctx, number, found, history)
        return _Found(span, _Attribution(_moved(speaker, span.open_at), None), kind)
    context = _context_attribution(ctx, number, found, history)
    if context is None:
        return None
    return _Found(span, context, kind)


_LIST_JOIN = re.compile(r"\s*,?\s*(?:and|or)\s*|\s*,\s*")


def _listed_after(ctx: _Context, number: int, found: list[_Found]) -> _Attribution | None:
    """ "as Lee went on about “a, ” and “b” and “c,” Ann said yes": phrases quoted in a
    list share the source of the first, whose cue comes before the list; a tag after
    the list's last comma is the next clause's."""
    if number == 0 or not found or found[-1].span is not ctx.spans[number - 1]:
        return None
    previous = found[-1]
    if previous.kind != "partial" or previous.attribution.speaker is None or \
            _LIST_JOIN.fullmatch(ctx.text, previous.span.close_at + 1,
                                 ctx.spans[number].open_at) is None:
        return None
    cue = _find_cue(ctx, number - 1)
    if cue is None or cue.i >= ctx.token_at(previous.span.open_at):
        return None
    return _Attribution(_moved(previous.attribution.speaker, ctx.spans[number].open_at),
                        previous.attribution.cue)


def _transcript_label(ctx: _Context, number: int) -> _Speaker | None:
    """A transcript quoted whole names each speaker in capitals: "PENCE: Well, look …"."""
    span = ctx.spans[number]
    match = _TRANSCRIPT.match(ctx.text, span.start, span.end)
    if match is None or match.group(1) in _NOT_LABELS or len(match.group(1)) < 2:
        return None
    label = " ".join(w.capitalize() for w in match.group(1).split())
    resolved = ctx.names.resolve(label, span.start)
    name = resolved.name if resolved is not None else label
    entity = ctx.entity_named.get(name)
    return _Speaker(name, "named", entity.id if entity else None, False,
                    name.split()[-1].lower(), span.start, TRANSCRIPT_LABEL, "PERSON")


def _moved(speaker: _Speaker | None, at: int) -> _Speaker | None:
    """The same speaker, mentioned again at ``at`` (what later pronouns look back to)."""
    if speaker is None:
        return None
    return _Speaker(speaker.name, speaker.kind, speaker.entity, speaker.group, speaker.head, at,
                    speaker.confidence, speaker.label)


def _context_attribution(ctx: _Context, number: int, found: list[_Found],
                         history: list[_Speaker]) -> _Attribution | None:
    """A fragment with no cue of its own, inside a passage of reported speech: the
    sentence before it in the same paragraph reports someone's words, so the fragment
    is theirs. Outside such a passage it is the writer's scare quote."""
    span = ctx.spans[number]
    first = ctx.token_at(span.open_at)
    sent = ctx.sent_of[first]
    if sent == 0:
        return None
    prev_start = ctx.sent_starts[sent - 1]
    text = ctx.text
    if "\n" in text[ctx.doc[prev_start].idx:span.open_at]:
        return None
    for earlier in reversed(found):
        if earlier.span.close_at < ctx.doc[prev_start].idx:
            break
        speaker = earlier.attribution.speaker
        if speaker is not None:
            moved = _moved(speaker, span.open_at)
            return _Attribution(_sure(moved, speaker.confidence * CONTINUATION), None)
    for i in range(first - 1, prev_start - 1, -1):
        token = ctx.doc[i]
        if _is_cue(ctx, token):
            subject = _subject(ctx, token)
            speaker = _describe(ctx, subject, history) if subject is not None else None
            return _Attribution(_sure(_moved(speaker, span.open_at), PREVIOUS_SUBJECT), None)
    return None


def _to_quote(article: Article, found: _Found) -> Quote:
    speaker = found.attribution.speaker
    text = article.text[found.span.start:found.span.end]
    if speaker is not None and found.kind == "partial" and len(_words(text)) < 2:
        speaker = _sure(speaker, ONE_WORD)  # often the writer's scare quote, not speech
    return Quote(
        text=article.text[found.span.start:found.span.end],
        start=found.span.start,
        end=found.span.end,
        speaker=speaker.name if speaker else None,
        speaker_entity=speaker.entity if speaker else None,
        cue=found.attribution.cue,
        kind=found.kind,
        speaker_kind=speaker.kind if speaker else "unknown",
        speaker_confidence=round(speaker.confidence, 2) if speaker else 0.0,
    )
