"""The analysable part of a text: what the word cap keeps."""

from __future__ import annotations

from reader.analysis import nlp


def test_a_text_too_short_for_the_word_cap_is_parsed_whole() -> None:
    text = "word " * 20_000
    assert nlp.analysable_text(text) == text


def test_a_text_past_the_word_cap_is_cut_after_the_last_word_kept() -> None:
    capped = "a " * (nlp.MAX_WORDS + 10)
    kept = nlp.analysable_text(capped)
    assert len(kept.split()) == nlp.MAX_WORDS
    assert kept.endswith("a")
