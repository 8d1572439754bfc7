"""Adapter for ../shared/tools/score_ner.py: the entity analyser's cleaned mention spans.

Run from the checkout with PYTHONPATH set to it:
    PYTHONPATH=. python ../shared/tools/score_ner.py ../shared/eval/ner/conll2003_test.txt \
        --ner tests/benchmarks/ner_adapter.py:ner
"""

from __future__ import annotations

from reader.analysis.entities import ner_spans


def ner(text: str) -> list[tuple[int, int, str]]:
    return ner_spans(text)
