"""Quotes and who said them.

News prose reports speech in a handful of fixed shapes: the quote followed or preceded by
an attribution ("…," she said / X said: "…"), a quote broken by its attribution, a quote
that runs over several paragraphs, a quote that continues the speaker of the paragraph
before, and fragments of someone's words woven into the writer's sentence. The analyser
finds the quoted spans by scanning the quotation marks, then reads the shared dependency
parse around each span for a speech cue and its subject. Pronouns and definite
descriptions ("he", "the official") are resolved to the earlier speaker they point back
to, and names are shown in the fullest form the article uses.

Only ``token.lower_``, ``dep_``, ``head``, ``ent_type_`` and sentence boundaries are read:
the shared pipeline has no tagger or lemmatizer, so cue words are listed inflected.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.models import Article, Entity, Quote, QuoteKind, SpeakerKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Opening mark -> the marks that may close it. A straight quote may be closed by a curly
# one and vice versa: copy-edited text mixes them often enough that being strict loses
# whole quotes.
_CLOSERS = {"“": "”\"", '"': '"”', "«": "»", "„": "“”"}
_MARK_OR_BREAK = re.compile(r"[“”\"«»„]|\n+")
_LETTER = re.compile(r"[^\W\d_]")

CUE_WORDS = frozenset({
    "said", "says", "say", "saying", "told", "tells", "tell", "telling", "added", "adds",
    "adding", "asked", "asks", "asking", "warned", "warns", "warning", "wrote", "writes",
    "writing", "tweeted", "tweets", "tweeting", "noted", "notes", "noting", "explained",
    "explains", "explaining", "stated", "states", "insisted", "insists", "insisting",
    "argued", "argues", "arguing", "claimed", "claims", "claiming", "recalled", "recalls",
    "continued", "continues", "replied", "replies", "responded", "responds", "declared",
    "declares", "announced", "announces", "acknowledged", "acknowledges", "admitted",
    "admits", "suggested", "suggests", "predicted", "predicts", "vowed", "vows",
    "promised", "promises", "urged", "urges", "charged", "countered", "counters",
    "quipped", "joked", "jokes", "conceded", "concedes", "complained", "complains",
    "observed", "remarked", "emphasized", "emphasised", "stressed", "stresses",
    "concluded", "posted", "shouted", "yelled", "testified", "alleged", "contended",
    "maintained", "maintains", "described", "describes", "describing", "called", "calls",
    "calling", "labeled", "labelled", "branded", "dubbed", "mocked", "blasted", "slammed",
    "praised", "accused", "accuses", "asserted", "asserts", "reiterated", "boasted",
    "bragged", "lamented", "cautioned", "predicting", "speculated", "announcing",
    "tweet", "wondered", "demanded", "pledged", "promising", "proclaimed", "reported",
    "reports", "read", "reads", "thundered", "exclaimed", "interjected", "chimed",
    "mused", "agreed", "agrees", "disagreed", "confirmed", "confirms", "denied",
    "denies", "questioned", "answered", "answers", "suggesting", "arguing", "insisting",
    "recounted", "texted", "emailed", "messaged", "posting", "thought", "believes",
    "believed", "thinks", "hoped", "hopes", "feared", "fears", "pointed", "went",
    "according", "per",
})
"""Words that introduce reported speech. "pointed" and "went" count only as "pointed
out" / "went on"; "according" only as "according to"; "per" only before a name."""

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CLAUSE_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# Relations through which a cue inherits the subject of the verb it hangs from:
# "X smiled and said", "the daily wrote, adding", "a statement saying", "quoted as saying".
CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp", "acl", "relcl", "pcomp", "prep", "dobj",
                        "pobj", "ccomp", "partmod"})
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART"})
GROUP_LABELS = frozenset({"ORG", "GPE", "NORP"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "we", "it"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
DETERMINERS = frozenset({"a", "an", "the", "another", "one", "some", "several", "two",
                         "three", "many", "other", "his", "her", "their", "its"})
# Words before a quoted term that mark it as a name or a label rather than speech.
NAMING_WORDS = frozenset({"so-called", "dubbed", "nicknamed", "titled", "entitled",
                          "headlined", "named", "hashtag", "slogan", "term", "word",
                          "phrase", "label", "nickname", "motto", "book", "film", "song",
                          "show", "album", "movie", "series", "column", "essay", "article",
                          "headline", "program", "programme", "operation", "called"})
MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to",
                         "for", "with", "by", "from", "as", "is", "&"})
DASHES = frozenset({"—", "–", "-", "--", "―"})
# How many tokens after a closing mark an attribution may start ("…," the senator from
# Ohio said); further away a cue belongs to the next statement.
AFTER_WINDOW = 8


@dataclass(frozen=True)
class _Span:
    """One quoted passage: ``open_at`` is the opening mark, [start, end) the words."""

    open_at: int
    close_at: int
    start: int
    end: int


@dataclass(frozen=True)
class _Speaker:
    name: str
    kind: SpeakerKind
    entity: str | None
    group: bool  # an organisation or a group rather than one person
    head: str  # lower-cased head noun, so "the official" finds "a NATO official"
    at: int  # character offset of the mention, for resolving later pronouns


@dataclass(frozen=True)
class _Attribution:
    speaker: _Speaker | None
    cue: str | None


class _Context:
    """Per-article lookup tables, built once so each quote costs a few token visits."""

    def __init__(self, doc: Doc, entities: Sequence[Entity], spans: list[_Span]) -> None:
        self.doc = doc
        self.spans = spans
        self.token_starts = [t.idx for t in doc]
        self.inside = self._inside_map(spans)
        self.sent_starts: list[int] = []
        self.sent_of: list[int] = []
        for number, sent in enumerate(doc.sents):
            self.sent_starts.append(sent.start)
            self.sent_of.extend([number] * (sent.end - sent.start))
        self.sent_ends = [*self.sent_starts[1:], len(doc)]
        self.mentions = sorted((m.start, m.end, e) for e in entities for m in e.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self.entities = list(entities)
        self.antecedents = self._subject_mentions()

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

    def _subject_mentions(self) -> list[_Speaker]:
        """Named people and bodies that are grammatical subjects, in order: a later
        "he said" or standalone quote most often continues the last of them."""
        found: list[_Speaker] = []
        for token in self.doc:
            if token.dep_ in SUBJECT_DEPS and token.ent_type_ in NAMED_LABELS \
                    and self.inside[token.i] < 0:
                speaker = self.named(token)
                if speaker is not None:
                    found.append(speaker)
        return found

    def fullest(self, entity: Entity) -> Entity:
        """The entity under its fullest name ("Stoltenberg" -> "Jens Stoltenberg").

        The entity extractor already merges short and full forms; this keeps the quote
        panel right when it is given unmerged entities.
        """
        words = entity.name.split()
        best = entity
        for other in self.entities:
            if other.label != entity.label or len(other.name) <= len(best.name):
                continue
            other_words = other.name.split()
            if other_words[-len(words):] == words or \
                    (len(words) == 1 and words[0] in other_words):
                best = other
        return best

    def named(self, token: Token) -> _Speaker | None:
        entity = self.entity_at(token.idx)
        label = token.ent_type_
        if entity is not None:
            entity = self.fullest(entity)
            return _Speaker(entity.name, "named", entity.id, label != "PERSON",
                            entity.name.split()[-1].lower(), token.idx)
        if label not in NAMED_LABELS:
            return None
        ent = next((e for e in self.doc.ents if e.start <= token.i < e.end), None)
        if ent is None:
            return None
        return _Speaker(ent.text, "named", None, label != "PERSON",
                        ent.text.split()[-1].lower(), token.idx)


def _find_spans(text: str) -> list[_Span]:
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
            if nxt < len(text) and text[nxt] in _CLOSERS:
                reopen_at = nxt
            else:
                spans.append(_Span(open_at, at, open_at + 1, at))
                open_at = -1
            continue
        if open_at < 0:
            if mark in _CLOSERS:
                open_at, closers = at, _CLOSERS[mark]
            elif mark == "”" and at + 1 < len(text) and text[at + 1].isalpha():
                open_at, closers = at, "”\""  # a closing mark typed for an opening one
            continue
        if at == reopen_at:
            reopen_at = -1
        elif mark in closers:
            spans.append(_Span(open_at, at, open_at + 1, at))
            open_at = -1
        elif mark == "“" and closers.startswith("”"):
            spans.append(_Span(open_at, at, open_at + 1, at))  # unclosed: a typo
            open_at, closers = at, _CLOSERS[mark]
    if open_at >= 0:
        spans.append(_Span(open_at, len(text), open_at + 1, len(text)))
    return [s for s in (_trim(text, span) for span in spans) if s is not None]


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
    nxt = token.nbor(1).lower_ if token.i + 1 < len(ctx.doc) else ""
    if word == "according":
        return nxt == "to"
    if word == "pointed":
        return nxt == "out"
    if word == "went":
        return nxt == "on"
    if word == "per":
        return any(c.dep_ == "pobj" and (c.ent_type_ in NAMED_LABELS or c.is_title)
                   for c in token.children)
    return True


def _cue_text(ctx: _Context, cue: Token) -> str:
    if cue.lower_ in ("according", "pointed", "went") and cue.i + 1 < len(ctx.doc):
        return f"{cue.text} {cue.nbor(1).text}"
    return cue.text


def _find_cue(ctx: _Context, number: int) -> Token | None:
    """The speech cue that governs quote ``number``, nearest the quote first."""
    span = ctx.spans[number]
    doc = ctx.doc
    first = ctx.token_at(span.open_at)
    last = ctx.token_at(max(span.close_at - 1, span.open_at))
    sent = ctx.sent_of[first]
    sent_start = ctx.sent_starts[sent]
    if sent > 0 and doc[sent_start - 1].text == ":":
        sent_start = ctx.sent_starts[sent - 1]
    ancestor = _ancestor_cue(ctx, number, first, last)
    if ancestor is not None:
        return ancestor
    after = _cue_after(ctx, last)
    if after is not None:
        return after
    for i in range(first - 1, sent_start - 1, -1):
        if ctx.inside[i] >= 0 and ctx.inside[i] != number:
            break
        if _is_cue(ctx, doc[i]):
            return doc[i]
    end = ctx.sent_ends[ctx.sent_of[last]]
    for i in range(last + 1, end):
        if ctx.inside[i] >= 0:
            break
        if _is_cue(ctx, doc[i]):
            return doc[i]
    return None


def _ancestor_cue(ctx: _Context, number: int, first: int, last: int) -> Token | None:
    """A cue the quote hangs from in the parse: "warned that anyone would “regret” it"."""
    doc = ctx.doc
    seen: set[int] = set()
    for i in range(first, min(last + 1, first + 60)):
        token = doc[i]
        head = token.head
        if ctx.inside[head.i] == number:
            continue
        steps = 0
        while head.i not in seen and steps < 6:
            seen.add(head.i)
            if _is_cue(ctx, head):
                return head
            if head.head.i == head.i or (ctx.inside[head.i] >= 0
                                         and ctx.inside[head.i] != number):
                break
            head = head.head
            steps += 1
    return None


def _cue_after(ctx: _Context, last: int) -> Token | None:
    """A cue right after the closing mark: "…," she said / "…," said X."""
    doc = ctx.doc
    limit = min(len(doc), last + 1 + AFTER_WINDOW)
    for i in range(last + 1, limit):
        token = doc[i]
        if ctx.inside[i] >= 0 or "\n" in token.text or token.text in (".", "!", "?", ";"):
            break
        if _is_cue(ctx, token):
            return token
    return None


def _subject(ctx: _Context, cue: Token) -> Token | None:
    """Who performs the cue, climbing from participles and conjuncts to their verb."""
    if cue.lower_ in ("according", "per"):
        holder = cue.nbor(1) if cue.lower_ == "according" else cue
        return next((c for c in holder.children if c.dep_ == "pobj"), None)
    token = cue
    for _ in range(5):
        subject = next((c for c in token.children
                        if c.dep_ in SUBJECT_DEPS and ctx.inside[c.i] < 0), None)
        passive_hearer = subject is not None and subject.dep_ == "nsubjpass" and \
            token.lower_ in ("told", "asked")
        if subject is not None and not passive_hearer:
            if subject.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
                return token.head
            return subject
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((c for c in agent.children if c.dep_ == "pobj"), None)
        if token.dep_ not in CLIMB_DEPS or token.head.i == token.i:
            break
        token = token.head
    return _nearby_name(ctx, cue)


def _nearby_name(ctx: _Context, cue: Token) -> Token | None:
    """A name next to the cue when the parse left it unattached ("…," said Jane Doe)."""
    doc = ctx.doc
    for i in (*range(cue.i + 1, min(len(doc), cue.i + 4)), *range(cue.i - 1, cue.i - 4, -1)):
        if 0 <= i < len(doc) and ctx.inside[i] < 0 and doc[i].ent_type_ in ("PERSON", "ORG"):
            return doc[i]
    return None


def _name_head(token: Token) -> Token:
    """The last word of a name ("Jens" -> "Stoltenberg"), which carries the entity."""
    while token.dep_ == "compound" and token.head.i > token.i and token.head.ent_type_:
        token = token.head
    return token


def _describe(ctx: _Context, token: Token, history: list[_Speaker]) -> _Speaker | None:
    """Turn a subject token into a speaker as a reader needs it."""
    token = _name_head(token)
    if token.ent_type_ not in NAMED_LABELS:
        appos = next((c for c in token.children if c.dep_ == "appos"
                      and c.ent_type_ == "PERSON"), None)
        if appos is not None:
            token = appos
    if token.ent_type_ in NAMED_LABELS:
        return ctx.named(token)
    word = token.lower_
    if word in PERSON_PRONOUNS or word in GROUP_PRONOUNS:
        return _resolve_pronoun(ctx, token, history)
    if token.is_title and token.i > 0 and not token.is_sent_start \
            and ctx.doc[token.i - 1].lower_ not in DETERMINERS:
        return _Speaker(_phrase(ctx, token), "named", None, False, word, token.idx)
    if not token.is_alpha or word in RELATIVE_PRONOUNS or word in ("i", "you", "one"):
        return None
    return _resolve_description(ctx, token, history)


def _phrase(ctx: _Context, token: Token) -> str:
    """The noun phrase of a description, without relative clauses or appositions."""
    doc = ctx.doc
    start = token.left_edge.i
    while start < token.i and (ctx.inside[start] >= 0 or doc[start].is_punct):
        start += 1
    end = token.i + 1
    for child in token.rights:
        if child.dep_ not in ("prep", "compound", "amod", "nummod") or \
                any(t.is_punct for t in doc[end:child.i]):
            break
        end = child.right_edge.i + 1
    while end > token.i + 1 and (doc[end - 1].is_punct or ctx.inside[end - 1] >= 0):
        end -= 1
    words = doc[start:end].text
    first = doc[start]
    if first.lower_ in DETERMINERS and first.is_title:
        words = first.lower_ + words[len(first.text):]
    return words


def _resolve_description(ctx: _Context, token: Token, history: list[_Speaker]) -> _Speaker:
    """ "the official" is the earlier "a NATO official"; a new description stays as
    written and marks an unnamed source."""
    definite = any(c.lower_ in ("the", "this", "that") for c in token.lefts)
    if definite:
        for earlier in reversed(history):
            if earlier.head == token.lower_:
                return _Speaker(earlier.name, earlier.kind, earlier.entity, earlier.group,
                                earlier.head, token.idx)
    return _Speaker(_phrase(ctx, token), "unnamed", None, False, token.lower_, token.idx)


def _resolve_pronoun(ctx: _Context, token: Token, history: list[_Speaker]) -> _Speaker | None:
    """The nearest earlier speaker or named subject of the right sort (person vs group)."""
    want_group = token.lower_ in GROUP_PRONOUNS
    best: _Speaker | None = None
    for candidate in (*history, *ctx.antecedents):
        if candidate.at >= token.idx or candidate.group != want_group:
            continue
        if candidate.kind == "unknown":
            continue
        if best is None or candidate.at > best.at:
            best = candidate
    if best is None:
        return None
    return _Speaker(best.name, best.kind, best.entity, best.group, best.head, token.idx)


def _attribute(ctx: _Context, number: int, history: list[_Speaker]) -> _Attribution:
    doc = ctx.doc
    cue = _find_cue(ctx, number)
    if cue is not None:
        subject = _subject(ctx, cue)
        speaker = _describe(ctx, subject, history) if subject is not None else None
        return _Attribution(speaker, _cue_text(ctx, cue))
    span = ctx.spans[number]
    last = ctx.token_at(max(span.close_at - 1, span.open_at))
    dash = _dash_source(ctx, last)
    if dash is not None:
        return _Attribution(_describe(ctx, dash, history), doc[last + 1].text)
    first = ctx.token_at(span.open_at)
    if first >= 2 and doc[first - 1].text == ":" and ctx.inside[first - 2] < 0 \
            and doc[first - 2].ent_type_ in ("PERSON", "ORG"):
        return _Attribution(_describe(ctx, doc[first - 2], history), ":")
    return _Attribution(None, None)


def _dash_source(ctx: _Context, last: int) -> Token | None:
    """ "…" — Jane Doe: a name right after a dash that follows the closing mark."""
    doc = ctx.doc
    if last + 2 >= len(doc) or doc[last + 1].text not in DASHES:
        return None
    following = doc[last + 2]
    if ctx.inside[following.i] < 0 and following.ent_type_ in ("PERSON", "ORG"):
        return following
    return None


def _governing_subject(ctx: _Context, number: int) -> Token | None:
    """The subject of the clause a quoted fragment sits in, when that is a person or a
    body: "Trump hammered the “disgusting” media" carries Trump's word, "a phenomenon
    called “differential nonresponse”" carries nobody's."""
    span = ctx.spans[number]
    first = ctx.token_at(span.start)
    token = ctx.doc[first]
    while ctx.inside[token.head.i] == number and token.head.i != token.i:
        token = token.head
    for _ in range(8):
        head = token.head
        if head.i == token.i:
            break
        token = head
        if ctx.inside[token.i] >= 0:
            continue
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None:
            continue
        subject = _name_head(subject)
        if ctx.inside[subject.i] >= 0:
            return None
        if subject.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or \
                subject.lower_ in PERSON_PRONOUNS or subject.lower_ in GROUP_PRONOUNS:
            return subject
        return None
    return None


def _previous_sentence_speaker(ctx: _Context, number: int, quotes: list[_Found],
                               history: list[_Speaker]) -> _Speaker | None:
    """Who speaks a quote that has no cue of its own.

    It continues an earlier quote in the same or the previous paragraph, or the person
    the sentence before it is about (Stoltenberg was blunt. "We will not …").
    """
    span = ctx.spans[number]
    first = ctx.token_at(span.open_at)
    sent = ctx.sent_of[first]
    if sent == 0:
        return None
    prev_start = ctx.sent_starts[sent - 1]
    prev_start_char = ctx.doc[prev_start].idx
    if ctx.doc.text.count("\n\n", prev_start_char, span.open_at) > 1:
        return None
    for found in reversed(quotes):
        if found.span.close_at >= prev_start_char and found.span.close_at <= span.open_at:
            return found.attribution.speaker
        if found.span.close_at < prev_start_char:
            break
    root = next((t for t in ctx.doc[prev_start:first] if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    subject = next((c for c in root.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or ctx.inside[subject.i] >= 0:
        return None
    speaker = _describe(ctx, subject, history)
    if speaker is None or speaker.kind != "named":
        return None
    return speaker


@dataclass(frozen=True)
class _Found:
    span: _Span
    attribution: _Attribution
    kind: QuoteKind


def _is_standalone(ctx: _Context, number: int) -> bool:
    """The quote opens its sentence or follows a colon or a cue and comma."""
    span = ctx.spans[number]
    doc = ctx.doc
    first = ctx.token_at(span.open_at)
    if first == 0 or ctx.sent_starts[ctx.sent_of[first]] == first:
        return True
    before = doc[first - 1]
    if "\n" in before.text_with_ws or before.text in (":", "—", "–", "(") \
            or ctx.inside[first - 1] >= 0:
        return True
    text = ctx.doc.text
    return before.text == "," and span.start < len(text) and text[span.start].isupper()


def _has_clause(ctx: _Context, number: int) -> bool:
    span = ctx.spans[number]
    first = ctx.token_at(span.start)
    last = ctx.token_at(max(span.end - 1, span.start))
    return any(t.dep_ in CLAUSE_DEPS and ctx.inside[t.head.i] == number
               for t in ctx.doc[first:last + 1])


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text)


def _looks_like_label(ctx: _Context, number: int) -> bool:
    """A title, a nickname or a scare-quoted term rather than someone's words."""
    span = ctx.spans[number]
    first = ctx.token_at(span.open_at)
    if first > 0 and ctx.doc[first - 1].lower_ in NAMING_WORDS:
        return True
    words = _words(ctx.doc.text[span.start:span.end])
    capitalised = [w for w in words if w.lower() not in MINOR_WORDS]
    return bool(capitalised) and all(w[0].isupper() or w[0].isdigit() for w in capitalised) \
        and not re.search(r"[.!?,]$", ctx.doc.text[span.start:span.end]) and len(words) > 1


def extract_quotes(doc: Doc, article: Article, entities: Sequence[Entity]) -> list[Quote]:
    """Every quotation in the article with its speaker, cue and kind, in text order."""
    text = doc.text
    spans = _find_spans(text)
    if not spans:
        return []
    ctx = _Context(doc, entities, spans)
    history: list[_Speaker] = []
    found: list[_Found] = []
    for number, span in enumerate(spans):
        result = _classify(ctx, number, found, history)
        if result is None:
            continue
        found.append(result)
        if result.attribution.speaker is not None:
            history.append(result.attribution.speaker)
    return [_to_quote(article, f) for f in found if f.span.end <= len(article.text)]


def _classify(ctx: _Context, number: int, found: list[_Found],
              history: list[_Speaker]) -> _Found | None:
    span = ctx.spans[number]
    standalone = _is_standalone(ctx, number)
    clause = _has_clause(ctx, number)
    attribution = _attribute(ctx, number, history)
    n_words = len(_words(ctx.doc.text[span.start:span.end]))
    if attribution.cue is None:
        if _looks_like_label(ctx, number) or not standalone or n_words < 2:
            return None
        speaker = _previous_sentence_speaker(ctx, number, found, history)
        if speaker is not None:
            speaker = _Speaker(speaker.name, speaker.kind, speaker.entity, speaker.group,
                               speaker.head, span.open_at)
        attribution = _Attribution(speaker, None)
    elif not standalone and not clause and _looks_like_label(ctx, number):
        return None
    kind: QuoteKind = "direct" if standalone or clause else "partial"
    return _Found(span, attribution, kind)


def _to_quote(article: Article, found: _Found) -> Quote:
    speaker = found.attribution.speaker
    return Quote(
        text=article.text[found.span.start:found.span.end],
        start=found.span.start,
        end=found.span.end,
        speaker=speaker.name if speaker else None,
        speaker_entity=speaker.entity if speaker else None,
        cue=found.attribution.cue,
        kind=found.kind,
        speaker_kind=speaker.kind if speaker else "unknown",
    )
