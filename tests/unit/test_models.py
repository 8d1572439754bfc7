from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.models import (
    SCHEMA,
    Annotated,
    Article,
    Block,
    Entity,
    Fact,
    Highlight,
    Mention,
    Quote,
)

text_st = st.text(min_size=0, max_size=40)


@st.composite
def annotated_st(draw: st.DrawFn) -> Annotated:
    text = draw(st.text(min_size=1, max_size=200))
    n = len(text)
    offset = st.integers(min_value=0, max_value=n)
    span = st.tuples(offset, offset).map(lambda p: (min(p), max(p)))
    article = Article(
        text=text, title=draw(text_st), url=draw(st.none() | st.just("https://a.example/x")),
        byline=draw(st.none() | text_st), published=draw(st.none() | st.just("2021-10-06")),
        site=draw(st.none() | text_st),
        blocks=tuple(Block(draw(st.sampled_from(["heading", "paragraph", "list_item",
                                                  "blockquote"])), 0, n)
                     for _ in range(draw(st.integers(0, 3)))),
    )
    entities = tuple(
        Entity(id=f"e{i}", name=draw(text_st), label="PERSON",
               mentions=(Mention((m := draw(span))[0], m[1], draw(text_st)),),
               ambiguous=draw(st.booleans()))
        for i in range(draw(st.integers(0, 3))))
    quotes = tuple(
        Quote(text=draw(text_st), start=(q := draw(span))[0], end=q[1],
              speaker=draw(st.none() | text_st), speaker_entity=None,
              cue=draw(st.none() | st.just("said")),
              kind=draw(st.sampled_from(["direct", "partial"])),
              speaker_kind=draw(st.sampled_from(["named", "unnamed", "unknown"])))
        for _ in range(draw(st.integers(0, 3))))
    facts = tuple(
        Fact(text=draw(text_st), start=(f := draw(span))[0], end=f[1],
             kind=draw(st.sampled_from(["key_point", "number", "date", "sentence"])),
             score=draw(st.floats(0, 1)), value=draw(st.none() | text_st),
             when=draw(st.none() | st.just("2021-10-06")))
        for _ in range(draw(st.integers(0, 3))))
    highlights = (Highlight(0, n, note=draw(text_st), created="2026-01-01T00:00:00"),)
    return Annotated(article, entities, quotes, facts, highlights)


@given(annotated_st())
def test_json_round_trip(annotated: Annotated) -> None:
    data = json.loads(json.dumps(annotated.to_dict()))
    assert Annotated.from_dict(data) == annotated


def test_schema_shape() -> None:
    article = Article(text="Hello world.", title="T", blocks=(Block("paragraph", 0, 12),))
    data = Annotated(article).to_dict()
    assert data["schema"] == SCHEMA
    assert data["article"]["word_count"] == 2
    assert data["article"]["blocks"] == [{"kind": "paragraph", "start": 0, "end": 12}]
    assert set(data) == {"schema", "article", "entities", "quotes", "facts", "highlights"}


def test_unknown_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported schema"):
        Annotated.from_dict({"schema": "other/9", "article": {"text": "x"}})


def test_reading_time_rounds_up() -> None:
    assert Article(text="word " * 231).reading_minutes == 2
    assert Article(text="word").reading_minutes == 1


LAZY_MODELS = """
import sys
import reader.models as models
print("reader.annotation_models" in sys.modules)
quote = models.Quote
print("reader.annotation_models" in sys.modules, quote.__name__)
"""


def test_the_analysis_classes_are_created_only_when_first_asked_for() -> None:
    """``reader.models`` alone (what the first frame needs) does not create the six
    analysis classes; asking the module for one loads them, and they are the same classes
    wherever they are imported from."""
    import subprocess
    import sys

    from reader import annotation_models, models

    result = subprocess.run([sys.executable, "-c", LAZY_MODELS], capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["False", "True", "Quote"]
    assert models.Annotated is annotation_models.Annotated
    with pytest.raises(AttributeError, match="no attribute 'Quotes'"):
        models.Quotes  # noqa: B018 - a misspelt name still fails as usual
