"""Highlights find their words again after the article text changes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library.anchors import Anchor, make_anchor, relocate, relocate_all

TEXT = (
    "The harbour board met on Tuesday evening. It agreed to dredge the eastern channel "
    "before the summer season.\n\n"
    "Fishermen said the silt had made the channel dangerous at low tide. "
    "The work will cost 2.4 million pounds, the board said.\n\n"
    "Dredging starts in April."
)


def anchor_for(words: str, text: str = TEXT) -> Anchor:
    start = text.index(words)
    return make_anchor(text, start, start + len(words))


def test_anchor_keeps_text_and_thirty_characters_of_context() -> None:
    anchor = anchor_for("dredge the eastern channel")
    assert anchor.text == "dredge the eastern channel"
    assert len(anchor.prefix) == 30 and TEXT[anchor.start - 30:anchor.start] == anchor.prefix
    assert len(anchor.suffix) == 30 and anchor.suffix.startswith(" before the summer")


def test_context_is_clipped_at_the_edges_of_the_text() -> None:
    anchor = make_anchor(TEXT, 0, 10)
    assert anchor.prefix == ""
    with pytest.raises(ValueError, match="outside the text"):
        make_anchor(TEXT, 5, len(TEXT) + 1)


def test_unchanged_text_keeps_the_offsets() -> None:
    anchor = anchor_for("silt had made the channel dangerous")
    placement = relocate(anchor, TEXT)
    assert placement is not None
    assert (placement.start, placement.end, placement.method) == (
        anchor.start, anchor.end, "unchanged")


def test_text_inserted_before_moves_the_highlight() -> None:
    anchor = anchor_for("silt had made the channel dangerous")
    edited = "UPDATE: this story has been corrected.\n\n" + TEXT
    placement = relocate(anchor, edited)
    assert placement is not None and placement.method == "context"
    assert edited[placement.start:placement.end] == anchor.text
    assert placement.start == anchor.start + len("UPDATE: this story has been corrected.\n\n")


def test_context_beats_a_nearer_copy_of_the_same_words() -> None:
    """An inserted sentence puts "the channel" right where the highlight used to be."""
    anchor = anchor_for("the channel")
    assert TEXT.count("the channel") == 1
    edited = TEXT.replace("Fishermen said", "Critics have long argued that the channel was "
                          "neglected by the board. Fishermen said")
    decoy = edited.index("the channel")
    assert abs(decoy - anchor.start) < abs(edited.index("the channel", decoy + 1) - anchor.start)
    placement = relocate(anchor, edited)
    assert placement is not None and placement.method == "context"
    assert edited[:placement.start].endswith("silt had made ")


def test_changed_context_falls_back_to_the_occurrence_nearest_the_old_place() -> None:
    anchor = anchor_for("2.4 million pounds")
    edited = TEXT.replace("The work will cost", "Officials now expect the dredging to cost")
    placement = relocate(anchor, edited)
    assert placement is not None and placement.method == "nearest"
    assert edited[placement.start:placement.end] == "2.4 million pounds"


def test_small_edit_inside_the_highlight_is_found_fuzzily() -> None:
    anchor = anchor_for("Fishermen said the silt had made the channel dangerous at low tide.")
    edited = TEXT.replace("Fishermen said the silt had made",
                          "Local fishermen said that the silt had made")
    placement = relocate(anchor, edited)
    assert placement is not None and placement.method == "fuzzy"
    found = edited[placement.start:placement.end]
    assert "silt had made the channel dangerous at low tide." in found
    assert found.endswith("low tide.")


def test_removed_words_are_lost_not_pinned_elsewhere() -> None:
    anchor = anchor_for("Fishermen said the silt had made the channel dangerous at low tide.")
    edited = TEXT.replace(
        "Fishermen said the silt had made the channel dangerous at low tide. ", "")
    assert relocate(anchor, edited) is None


def test_relocate_all_splits_found_and_lost() -> None:
    kept = anchor_for("Dredging starts in April.")
    gone = anchor_for("harbour board met on Tuesday")
    edited = TEXT.replace("The harbour board met on Tuesday evening. ", "")
    found, lost = relocate_all([kept, gone], edited)
    assert [a for a, _ in found] == [kept] and lost == [gone]


@given(st.integers(min_value=0, max_value=len(TEXT) - 2), st.integers(min_value=1, max_value=40),
       st.text(alphabet="abc XYZ.\n", max_size=30))
def test_exact_text_survives_any_insertion_before_it(start: int, length: int,
                                                     inserted: str) -> None:
    end = min(len(TEXT), start + length)
    anchor = make_anchor(TEXT, start, end)
    edited = inserted + TEXT
    placement = relocate(anchor, edited)
    assert placement is not None
    assert edited[placement.start:placement.end] == anchor.text
