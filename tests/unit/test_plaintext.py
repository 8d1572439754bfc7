from __future__ import annotations

import pytest

from reader.errors import ExtractError
from reader.models import Article
from reader.plaintext import article_from_text


def _blocks(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, article.text[b.start:b.end]) for b in article.blocks]


def test_title_bullets_and_blank_line_paragraphs() -> None:
    text = ("Storm closes bridge\n"
            "- Winds reached 120 km/h.\n"
            "* The bridge reopens Friday.\n"
            "\n"
            "The Harbour Bridge was closed\nat noon on Monday.\n"
            "\n"
            "Engineers will inspect it.\n")
    article = article_from_text(text)
    assert article.title == "Storm closes bridge"
    assert _blocks(article) == [
        ("list_item", "Winds reached 120 km/h."),
        ("list_item", "The bridge reopens Friday."),
        ("paragraph", "The Harbour Bridge was closed at noon on Monday."),
        ("paragraph", "Engineers will inspect it."),
    ]
    assert article.text.count("\n\n") == 3


def test_one_paragraph_per_line_when_no_blank_lines() -> None:
    article = article_from_text("Title\nFirst paragraph.\nSecond paragraph.\n• A bullet")
    assert _blocks(article) == [("paragraph", "First paragraph."),
                                ("paragraph", "Second paragraph."),
                                ("list_item", "A bullet")]


def test_given_title_keeps_whole_text_as_body() -> None:
    article = article_from_text("Line one.\nLine two.", title="Given")
    assert article.title == "Given"
    assert [t for _, t in _blocks(article)] == ["Line one.", "Line two."]


def test_offsets_cover_text_exactly() -> None:
    article = article_from_text("T\n\nA  b\tc\n\n- d\n\ne")
    for block in article.blocks:
        assert article.text[block.start:block.end].strip() == article.text[block.start:block.end]
    assert article.blocks[-1].end == len(article.text)


def test_terminal_escapes_become_visible_symbols() -> None:
    article = article_from_text("Title \x1b[31mred\nBody \x07 bell [bold]x[/]")
    assert "\x1b" not in article.title and "\u241b[31mred" in article.title
    assert "\x07" not in article.text and "[bold]x[/]" in article.text


def test_empty_text_is_an_error() -> None:
    with pytest.raises(ExtractError):
        article_from_text("   \n\n  ")


def test_title_only_text_becomes_its_own_body() -> None:
    article = article_from_text("Just a headline")
    assert article.title == "Just a headline"
    assert article.text == "Just a headline"


def test_header_lines_after_the_title_are_metadata() -> None:
    article = article_from_text("Port reopens\nBy Ana Lindqvist\nPublished: 2026-03-04\n"
                                "Source: Harbour News\n\nThe port reopened on Friday.")
    assert (article.byline, article.published, article.site) == (
        "Ana Lindqvist", "2026-03-04", "Harbour News")
    assert article.text == "The port reopened on Friday."


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    article = article_from_text("Port reopens\nBy Friday the port had reopened.")
    assert article.byline is None
    assert article.text == "By Friday the port had reopened."
