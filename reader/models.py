"""The data that flows from extraction to the screen, the exporters and the library.

Every annotation points into ``Article.text`` by ``[start, end)`` character offsets, so
the UI and exporters never have to find text again by searching for it. All classes are
frozen so an analysis result can be shared between threads without copying.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

SCHEMA = "reader.annotated/1"
WORDS_PER_MINUTE = 230

BlockKind = Literal["heading", "paragraph", "list_item", "blockquote", "caption"]
QuoteKind = Literal["direct", "partial"]
SpeakerKind = Literal["named", "unnamed", "unknown"]
FactKind = Literal["key_point", "number", "date", "sentence"]


def count_words(text: str) -> int:
    return len(text.split())


def now_iso() -> str:
    """The current time as every stored timestamp reads: ``YYYY-MM-DDTHH:MM:SSZ`` (UTC)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Block:
    """A run of the article text that the reader sees as one unit (a paragraph, a heading)."""

    kind: BlockKind
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Block:
        return cls(kind=cast(BlockKind, data["kind"]), start=int(data["start"]),
                   end=int(data["end"]))


@dataclass(frozen=True)
class Link:
    """A hyperlink of the article body, kept so the reader can follow it by keyboard."""

    url: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return cls(url=str(data["url"]), text=str(data.get("text", "")))


@dataclass(frozen=True)
class Article:
    """Clean article text plus what we know about it."""

    text: str
    title: str = ""
    url: str | None = None
    byline: str | None = None
    published: str | None = None
    site: str | None = None
    blocks: tuple[Block, ...] = ()
    links: tuple[Link, ...] = ()
    language: str | None = None
    image: str | None = None
    method: str | None = None

    @property
    def word_count(self) -> int:
        return count_words(self.text)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def block_text(self, block: Block) -> str:
        return self.text[block.start:block.end]

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "url": self.url,
            "title": self.title,
            "byline": self.byline,
            "published": self.published,
            "site": self.site,
            "text": self.text,
            "word_count": self.word_count,
            "blocks": [b.to_dict() for b in self.blocks],
        }
        if self.links:
            data["links"] = [link.to_dict() for link in self.links]
        for key in ("language", "image", "method"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            text=str(data["text"]),
            title=str(data.get("title") or ""),
            url=data.get("url"),
            byline=data.get("byline"),
            published=data.get("published"),
            site=data.get("site"),
            blocks=tuple(Block.from_dict(b) for b in data.get("blocks", [])),
            links=tuple(Link.from_dict(x) for x in data.get("links", [])),
            language=data.get("language"),
            image=data.get("image"),
            method=data.get("method"),
        )


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(start=int(data["start"]), end=int(data["end"]), text=str(data["text"]))


@dataclass(frozen=True)
class Entity:
    """One real-world thing, with every place the article names it."""

    id: str
    name: str
    label: str
    mentions: tuple[Mention, ...] = ()
    ambiguous: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "name": self.name, "label": self.label,
            "mentions": [m.to_dict() for m in self.mentions],
        }
        if self.ambiguous:
            data["ambiguous"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=str(data["id"]), name=str(data["name"]), label=str(data["label"]),
            mentions=tuple(Mention.from_dict(m) for m in data.get("mentions", [])),
            ambiguous=bool(data.get("ambiguous", False)),
        )


@dataclass(frozen=True)
class Quote:
    """Words the article reports someone said; ``text`` excludes the quotation marks."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_entity: str | None = None
    cue: str | None = None
    kind: QuoteKind = "direct"
    speaker_kind: SpeakerKind = "unknown"
    # How likely the speaker is right, in [0, 1]; the panel marks speakers below 0.5.
    speaker_confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "start": self.start, "end": self.end,
            "speaker": self.speaker, "speaker_entity": self.speaker_entity,
            "cue": self.cue, "kind": self.kind, "speaker_kind": self.speaker_kind,
            "speaker_confidence": self.speaker_confidence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        return cls(
            text=str(data["text"]), start=int(data["start"]), end=int(data["end"]),
            speaker=data.get("speaker"), speaker_entity=data.get("speaker_entity"),
            cue=data.get("cue"), kind=cast(QuoteKind, data.get("kind", "direct")),
            speaker_kind=cast(SpeakerKind, data.get("speaker_kind", "unknown")),
            speaker_confidence=float(data.get("speaker_confidence", 0.0)),
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
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(
            text=str(data["text"]), start=int(data["start"]), end=int(data["end"]),
            kind=cast(FactKind, data["kind"]), score=float(data.get("score", 0.0)),
            value=data.get("value"), unit=data.get("unit"), subject=data.get("subject"),
            when=data.get("when"), referent=data.get("referent"),
        )


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    note: str = ""
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "note": self.note,
                "created": self.created}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Highlight:
        return cls(start=int(data["start"]), end=int(data["end"]),
                   note=str(data.get("note", "")), created=str(data.get("created", "")))


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
        return cls(
            article=Article.from_dict(data["article"]),
            entities=tuple(Entity.from_dict(e) for e in data.get("entities", [])),
            quotes=tuple(Quote.from_dict(q) for q in data.get("quotes", [])),
            facts=tuple(Fact.from_dict(f) for f in data.get("facts", [])),
            highlights=tuple(Highlight.from_dict(h) for h in data.get("highlights", [])),
        )
