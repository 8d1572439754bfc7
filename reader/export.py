"""Annotated articles as JSON and Markdown documents.

Markdown is meant to be read and kept (Obsidian, static sites), so it carries YAML front
matter and the analysis as sections after the body. Every value from the article is
escaped for YAML by JSON-encoding it, which YAML reads as a plain string.
"""

from __future__ import annotations

import json
from typing import Any

from reader.models import Annotated, Article

PEOPLE = {"PERSON"}
ORGANISATIONS = {"ORG"}
PLACES = {"GPE", "LOC", "FAC"}


def article_json(article: Article) -> dict[str, Any]:
    return article.to_dict()


def dumps(data: Any, *, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


def _yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def _front_matter(annotated: Annotated) -> list[str]:
    article = annotated.article
    lines = ["---"]
    for key, value in (("title", article.title), ("url", article.url),
                       ("author", article.byline), ("published", article.published),
                       ("site", article.site)):
        if value:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    for key, labels in (("people", PEOPLE), ("organisations", ORGANISATIONS),
                        ("places", PLACES)):
        names = [e.name for e in annotated.entities if e.label in labels]
        if names:
            lines.append(f"{key}: {_yaml_list(names)}")
    lines.append("---")
    return lines


def _body(article: Article) -> list[str]:
    out: list[str] = []
    for block in article.blocks:
        text = article.block_text(block)
        if block.kind == "heading":
            out.append(f"## {text}")
        elif block.kind == "list_item":
            out.append(f"- {text}")
        elif block.kind == "blockquote":
            out.append(f"> {text}")
        elif block.kind == "caption":
            out.append(f"*{text}*")
        else:
            out.append(text)
    return out


def to_markdown(annotated: Annotated) -> str:
    """A Markdown document: front matter, the article, then quotes, facts and entities."""
    article = annotated.article
    lines = _front_matter(annotated)
    lines += ["", f"# {article.title}" if article.title else "", ""]
    lines.append("\n\n".join(_body(article)))
    if annotated.quotes:
        lines += ["", "## Quotes", ""]
        for quote in annotated.quotes:
            who = quote.speaker or "unknown speaker"
            lines.append(f"> {quote.text}\n>\n> — {who}\n")
    if annotated.facts:
        lines += ["", "## Key facts", ""]
        for fact in annotated.facts:
            prefix = f"**{fact.value}** — " if fact.value else ""
            lines.append(f"- {prefix}{fact.subject or fact.text}")
    if annotated.entities:
        lines += ["", "## Entities", ""]
        for entity in annotated.entities:
            lines.append(f"- {entity.name} ({entity.label}, {len(entity.mentions)})")
    return "\n".join(lines).rstrip() + "\n"
