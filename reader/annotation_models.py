"""What the analysis finds in an article (entities and their mentions, quotes, facts), the
reader's highlights, and :class:`Annotated`, which holds them all with the article.

They belong to :mod:`reader.models` and are imported from there; they live in a module of
their own so that showing an article (the first frame) does not pay for creating them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from reader.models import (
    FACT_KINDS,
    QUOTE_KINDS,
    SCHEMA,
    SPEAKER_KINDS,
    Article,
    FactKind,
    QuoteKind,
    SchemaError,
    SpeakerKind,
    _choice,
    _get,
    _items,
    _span,
    clean_strings,
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    def __post_init__(self) -> None:
        clean_strings(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "mention") -> Mention:
        start, end = _span(data, where)
        return cls(start=start, end=end, text=_get(data, "text", str, where))


@dataclass(frozen=True)
class Entity:
    """One real-world thing, with every place the article names it."""

    id: str
    name: str
    label: str
    mentions: tuple[Mention, ...] = ()
    ambiguous: bool = False

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "name": self.name, "label": self.label,
            "mentions": [m.to_dict() for m in self.mentions],
        }
        if self.ambiguous:
            data["ambiguous"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "entity") -> Entity:
        return cls(
            id=_get(data, "id", str, where), name=_get(data, "name", str, where),
            label=_get(data, "label", str, where),
            mentions=tuple(Mention.from_dict(m, f"{where}.mentions[{n}]")
                           for n, m in enumerate(_items(data, "mentions", where))),
            ambiguous=_get(data, "ambiguous", bool, where, required=False, default=False),
        )


@dataclass(frozen=True)
class Quote:
    """Words the article reports someone said; ``text`` excludes the quotation marks.

    ``speaker_confidence`` in [0, 1] says how sure the attribution is, from the evidence
    that made it: the subject of a speech cue spelled out in full (about 0.9) or an
    organisation; a surname the article spells out in full elsewhere (0.88) or never
    (0.7); a transcript label (0.85); an unnamed source as written ("a spokesman", 0.85);
    "she"/"he" resolved to the last person of that gender (0.75) or "it" to the last
    organisation (0.7); a role or age description resolved to its person (0.7); a quote
    continuing the one before (0.85 of that one's confidence). Guesses stay below 0.5: a
    surname several people share, a pronoun with a rival just before it, a name beside
    the cue the parse did not attach, an unresolved description, a one-word quote.
    Speakers at 0.5 or more were right 95% of the time on the hand-annotated dev set;
    the panel marks the others with "?". 0.0 with no speaker ("unknown").
    """

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_entity: str | None = None
    cue: str | None = None
    kind: QuoteKind = "direct"
    speaker_kind: SpeakerKind = "unknown"
    speaker_confidence: float = 0.0

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "start": self.start, "end": self.end,
            "speaker": self.speaker, "speaker_entity": self.speaker_entity,
            "cue": self.cue, "kind": self.kind, "speaker_kind": self.speaker_kind,
            "speaker_confidence": self.speaker_confidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "quote") -> Quote:
        start, end = _span(data, where)
        return cls(
            text=_get(data, "text", str, where), start=start, end=end,
            speaker=_get(data, "speaker", str, where, required=False),
            speaker_entity=_get(data, "speaker_entity", str, where, required=False),
            cue=_get(data, "cue", str, where, required=False),
            kind=cast(QuoteKind, _choice(data, "kind", QUOTE_KINDS, where, "direct")),
            speaker_kind=cast(SpeakerKind, _choice(data, "speaker_kind", SPEAKER_KINDS,
                                                   where, "unknown")),
            speaker_confidence=float(_get(data, "speaker_confidence", (int, float), where,
                                          required=False, default=0.0)),
        )


@dataclass(frozen=True)
class Fact:
    """A key point, a figure or a date, pointing at the sentence that carries it.

    ``value`` is the figure or date as shown ("8", "20 → 10", "2021-10-06"); ``subject``
    says what it counts or what happened; ``unit`` is people, money, percent, ...
    ``when`` is an ISO date for timeline entries whose date could be resolved.
    ``referent`` names what an opening pronoun or "This"/"The move" points back to, when
    the fact's own sentence does not say it.
    """

    text: str
    start: int
    end: int
    kind: FactKind
    score: float = 0.0
    value: str | None = None
    unit: str | None = None
    subject: str | None = None
    when: str | None = None
    referent: str | None = None

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text, "start": self.start, "end": self.end,
            "kind": self.kind, "score": self.score,
        }
        for key in ("value", "unit", "subject", "when", "referent"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "fact") -> Fact:
        start, end = _span(data, where)
        optional = {key: _get(data, key, str, where, required=False)
                    for key in ("value", "unit", "subject", "when", "referent")}
        return cls(
            text=_get(data, "text", str, where), start=start, end=end,
            kind=cast(FactKind, _choice(data, "kind", FACT_KINDS, where, "sentence")),
            score=float(_get(data, "score", (int, float), where, required=False,
                             default=0.0)),
            **optional,
        )


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    note: str = ""
    created: str = ""

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "note": self.note,
                "created": self.created}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "highlight") -> Highlight:
        start, end = _span(data, where)
        return cls(start=start, end=end,
                   note=_get(data, "note", str, where, required=False, default=""),
                   created=_get(data, "created", str, where, required=False, default=""))


@dataclass(frozen=True)
class Annotated:
    """An article with everything the analysers and the reader found in it."""

    article: Article
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    facts: tuple[Fact, ...] = ()
    highlights: tuple[Highlight, ...] = field(default_factory=tuple)

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
            "facts": [f.to_dict() for f in self.facts],
            "highlights": [h.to_dict() for h in self.highlights],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotated:
        schema = data.get("schema")
        if schema != SCHEMA:
            raise ValueError(f"unsupported schema: {schema!r} (expected {SCHEMA})")
        article = Article.from_dict(_get(data, "article", dict, "document"))
        limit = len(article.text)

        def inside(items: tuple[Any, ...], name: str) -> tuple[Any, ...]:
            for n, item in enumerate(items):
                if item.end > limit:
                    raise SchemaError(f"{name}[{n}] lies outside the article text")
            return items

        entities = tuple(Entity.from_dict(e, f"entities[{n}]")
                         for n, e in enumerate(_items(data, "entities", "document")))
        for entity in entities:
            inside(entity.mentions, f"entity {entity.id} mentions")
        return cls(
            article=article,
            entities=entities,
            quotes=inside(tuple(Quote.from_dict(q, f"quotes[{n}]")
                                for n, q in enumerate(_items(data, "quotes", "document"))),
                          "quotes"),
            facts=inside(tuple(Fact.from_dict(f, f"facts[{n}]")
                               for n, f in enumerate(_items(data, "facts", "document"))),
                         "facts"),
            highlights=tuple(Highlight.from_dict(h, f"highlights[{n}]")
                             for n, h in enumerate(_items(data, "highlights", "document"))),
        )
