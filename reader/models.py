"""The data that flows from extraction to the screen, the exporters and the library.

Every annotation points into ``Article.text`` by ``[start, end)`` character offsets, so
the UI and exporters never have to find text again by searching for it. All classes are
frozen so an analysis result can be shared between threads without copying.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

if TYPE_CHECKING:
    from reader.annotation_models import Annotated as Annotated
    from reader.annotation_models import Entity as Entity
    from reader.annotation_models import Fact as Fact
    from reader.annotation_models import Highlight as Highlight
    from reader.annotation_models import Mention as Mention
    from reader.annotation_models import Quote as Quote

SCHEMA = "reader.annotated/1"
WORDS_PER_MINUTE = 230

BlockKind = Literal["heading", "paragraph", "list_item", "blockquote", "caption"]
QuoteKind = Literal["direct", "partial"]
SpeakerKind = Literal["named", "unnamed", "unknown"]
FactKind = Literal["key_point", "number", "date", "sentence"]


BLOCK_KINDS = frozenset(get_args(BlockKind))
QUOTE_KINDS = frozenset(get_args(QuoteKind))
SPEAKER_KINDS = frozenset(get_args(SpeakerKind))
FACT_KINDS = frozenset(get_args(FactKind))
MAX_OFFSET = 2**31
"""No article is two billion characters long; larger offsets are damage, not data."""

# Terminal controls (C0 but newline and tab, DEL, C1) and lone surrogates, which no
# terminal or UTF-8 file can take.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC
    return "\u2421" if code == 0x7F else "\ufffd"


def clean_control(text: str) -> str:
    """``text`` with every terminal control shown as a visible symbol, one for one.

    Every model below runs its strings through this when it is built, whatever the
    source (page, feed, import, library row), so nothing downstream can print a control
    character. The replacement keeps the length, so offsets into the text still hold.
    """
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def clean_strings(obj: object) -> None:
    """Clean every ``str`` field (and tuple of strings) of a frozen dataclass in place.

    Called from ``__post_init__`` of every model built from outside data (articles and
    their annotations here, library rows, feeds and feed items). It runs for every row a
    list reads (20,000 headlines), so the field names are looked up once per class and a
    clean string costs one regex search."""
    kind = type(obj)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(spec.name for spec in fields(obj))  # type: ignore[arg-type]
    search = _UNSAFE.search
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, str):
            if search(value):
                object.__setattr__(obj, name, _UNSAFE.sub(_visible, value))
        elif (isinstance(value, tuple) and value and all(isinstance(v, str) for v in value)
              and any(search(v) for v in value)):
            object.__setattr__(obj, name, tuple(clean_control(v) for v in value))


class SchemaError(ValueError):
    """An exported or stored document does not match the schema (names the field)."""


def _get(data: Any, key: str, kind: type | tuple[type, ...], where: str, *,
         required: bool = True, default: Any = None) -> Any:
    if not isinstance(data, dict):
        raise SchemaError(f"{where} must be an object")
    if key not in data or (data[key] is None and not required):
        if required:
            raise SchemaError(f"not a reader export: {where}.{key} is missing")
        return default
    value = data[key]
    # bool is an int to Python, never to the schema.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in
                                       (kind if isinstance(kind, tuple) else (kind,))):
        names = "/".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise SchemaError(f"{where}.{key} must be {_TYPE_WORDS.get(names, names)}")
    return value


_TYPE_WORDS = {"str": "text", "int": "a whole number", "int/float": "a number",
               "list": "a list", "dict": "an object", "bool": "true or false"}


def _offset(data: Any, key: str, where: str) -> int:
    value: int = _get(data, key, int, where)
    if not 0 <= value <= MAX_OFFSET:
        raise SchemaError(f"{where}.{key} is out of range: {value}")
    return value


def _span(data: Any, where: str) -> tuple[int, int]:
    start, end = _offset(data, "start", where), _offset(data, "end", where)
    if end < start:
        raise SchemaError(f"{where} ends before it starts")
    return start, end


def _choice(data: Any, key: str, allowed: frozenset[str], where: str, default: str) -> str:
    value: str = _get(data, key, str, where, required=False, default=default)
    if value not in allowed:
        raise SchemaError(f"{where}.{key} is not one of {', '.join(sorted(allowed))}")
    return value


def _items(data: Any, key: str, where: str) -> list[Any]:
    value: list[Any] = _get(data, key, list, where, required=False, default=[])
    return value


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
    def from_dict(cls, data: dict[str, Any], where: str = "block") -> Block:
        start, end = _span(data, where)
        kind = _choice(data, "kind", BLOCK_KINDS, where, "paragraph")
        return cls(kind=cast(BlockKind, kind), start=start, end=end)


@dataclass(frozen=True)
class Link:
    """A hyperlink of the article body, kept so the reader can follow it by keyboard."""

    url: str
    text: str

    def __post_init__(self) -> None:
        clean_strings(self)

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "link") -> Link:
        return cls(url=_get(data, "url", str, where),
                   text=_get(data, "text", str, where, required=False, default=""))


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
    image_caption: str | None = None
    """What the page says under its lead image (caption, credit), if it says anything."""
    method: str | None = None

    def __post_init__(self) -> None:
        clean_strings(self)

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
        for key in ("language", "image", "image_caption", "method"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "article") -> Article:
        """Checked against the schema: a wrong type or an offset outside the text raises
        :class:`SchemaError` naming the field, so nothing half-valid is ever stored."""
        text: str = _get(data, "text", str, where)
        optional = {key: _get(data, key, str, where, required=False)
                    for key in ("url", "byline", "published", "site", "language", "image",
                                "image_caption", "method")}
        blocks = tuple(Block.from_dict(b, f"{where}.blocks[{n}]")
                       for n, b in enumerate(_items(data, "blocks", where)))
        for n, block in enumerate(blocks):
            if block.end > len(text):
                raise SchemaError(f"{where}.blocks[{n}] lies outside the text")
        return cls(
            text=text,
            title=_get(data, "title", str, where, required=False, default=""),
            blocks=blocks,
            links=tuple(Link.from_dict(x, f"{where}.links[{n}]")
                        for n, x in enumerate(_items(data, "links", where))),
            **optional,
        )


_ANNOTATION_MODELS = frozenset({"Mention", "Entity", "Quote", "Fact", "Highlight", "Annotated"})


def __getattr__(name: str) -> Any:
    """The analysis' classes, from :mod:`reader.annotation_models` when first asked for.

    They are part of this module's interface, but the reader's first frame shows an
    article before any analysis exists, and six more frozen dataclasses would cost it
    ~5 ms to create (a dataclass compiles its methods from source)."""
    if name in _ANNOTATION_MODELS:
        from reader import annotation_models

        return getattr(annotation_models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
