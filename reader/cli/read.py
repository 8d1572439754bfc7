"""``reader extract`` and ``reader annotate``: an article (or several) on stdout.

Both load through :func:`reader.sources.load`, the loader the TUI uses, so a source
behaves the same whether it is printed or read on screen.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from reader.display_dates import display_date
from reader.library.export import dumps, to_markdown
from reader.models import Article
from reader.sources import Loaded, Source, load, parse_source
from reader.textutil import clean_inline


def _extract_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader extract",
                                     description="Print the clean article text.")
    parser.add_argument("source", metavar="SOURCE")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _annotate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader annotate",
        description="Print articles with their entities, quotes and key facts.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--format", choices=("json", "jsonl", "markdown"), default="json")
    return parser


def plain_text(article: Article) -> str:
    head = [article.title] if article.title else []
    published = display_date(article.published) if article.published else None
    meta = [part for part in (article.byline, article.site, published) if part]
    if meta:
        head.append(" · ".join(meta))
    return "\n\n".join([*head, article.text]) + "\n"


def _loaded(source: Source) -> Loaded:
    """Load one source; what the user should know about it (a teaser, a summary shown
    instead of the page) goes to stderr, one line."""
    loaded = load(source)
    if loaded.warning:
        sys.stderr.write(f"reader: warning: {clean_inline(loaded.warning)}\n")
    return loaded


def run_extract(argv: Sequence[str]) -> int:
    """``reader extract SOURCE [--format text|json]``."""
    args = _extract_parser().parse_args(list(argv))
    article = _loaded(parse_source(args.source)).article
    if args.format == "json":
        sys.stdout.write(dumps(article.to_dict()) + "\n")
    else:
        sys.stdout.write(plain_text(article))
    return 0


def run_annotate(argv: Sequence[str]) -> int:
    """``reader annotate SOURCE... [--format json|jsonl|markdown]``."""
    from reader.analysis import annotate_many

    args = _annotate_parser().parse_args(list(argv))
    articles = [_loaded(parse_source(arg)).article for arg in args.sources]
    results = list(annotate_many(articles))
    from reader.analysis.nlp import analysis_note

    for article in articles:
        note = analysis_note(article.text)
        if note:
            label = clean_inline(article.title or article.url or "the article")[:60]
            sys.stderr.write(f"reader: warning: {label}: {note} of {article.word_count:,}\n")
    if args.format == "jsonl":
        for annotated in results:
            sys.stdout.write(dumps(annotated.to_dict(), indent=None) + "\n")
    elif args.format == "markdown":
        sys.stdout.write("\n".join(to_markdown(a) for a in results))
    elif len(results) == 1:
        sys.stdout.write(dumps(results[0].to_dict()) + "\n")
    else:
        sys.stdout.write(dumps([a.to_dict() for a in results]) + "\n")
    return 0
