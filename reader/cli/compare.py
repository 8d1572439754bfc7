"""``reader compare SOURCE SOURCE… [--format text|json|markdown] [--tui]``: how several
outlets covered one story.

Each source loads through :func:`reader.sources.load` and is analysed as ``reader
annotate`` does; :func:`reader.stories.compare.compare` does the comparing. ``--tui``
opens the same comparison on the coverage screen. Every field printed for a human comes
from a page, so it passes through :func:`clean_inline`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reader.cli.args import library_option, print_json, warn
from reader.errors import ReaderError
from reader.models import Annotated, Article
from reader.stories.compare import Coverage, Outlet, compare
from reader.stories.gather import gather
from reader.textutil import clean_inline


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader compare", parents=[library_option()],
        description="Compare how several outlets covered one story: each one's headline, "
                    "length, sources, quotes and figures, and what differs between them.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="two or more URLs or files (item:N and saved:N name a feed "
                             "item or a saved article)")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument("--tui", action="store_true",
                        help="show the comparison on the coverage screen")
    return parser


def _analyse(articles: list[Article]) -> list[Annotated]:
    from reader.analysis import annotate_many

    return list(annotate_many(articles))


def run_compare(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    library = getattr(args, "library", None)
    if len(args.sources) < 2:
        raise ReaderError("compare needs two or more sources")
    if args.tui:
        return _run_tui(args.sources, Path(library) if library else None)
    gathered = gather(args.sources, _analyse, library=library)
    for line in gathered.warnings:
        warn(f"warning: {line}")
    coverage = compare(gathered.annotated)
    if args.format == "json":
        print_json(coverage.to_dict())
    elif args.format == "markdown":
        sys.stdout.write(as_markdown(coverage))
    else:
        sys.stdout.write(as_text(coverage))
    return 0


def _run_tui(sources: list[str], library: Path | None) -> int:
    from reader.cli.tui import NO_TERMINAL, keys_from_terminal

    if not sys.stdout.isatty():
        raise ReaderError(NO_TERMINAL)
    if not sys.stdin.isatty():
        keys_from_terminal()
    from reader.analysis import pool
    from reader.tui.app import make_app

    app = make_app([], library=library, coverage=sources)
    try:
        app.run()
    finally:
        pool.shutdown()
    return app.return_code or 0


# --------------------------------------------------------------------------- rendering

def _c(text: str | None) -> str:
    return clean_inline(text or "")


def sources_line(outlet: Outlet) -> str:
    """"2 named, 1 unnamed sources · 4 quotes (1 unattributed)"."""
    line = f"{outlet.named_sources} named, {outlet.unnamed_sources} unnamed sources"
    line += f" · {outlet.quotes} quote{'s' if outlet.quotes != 1 else ''}"
    if outlet.unattributed_quotes:
        line += f" ({outlet.unattributed_quotes} unattributed)"
    return line


def speakers_line(outlet: Outlet) -> str:
    return ", ".join(f"{_c(s.name)} ({s.quotes})" for s in outlet.speakers) or "nobody"


def names(coverage: Coverage, indexes: Sequence[int]) -> str:
    return ", ".join(_c(coverage.outlets[i].name) for i in indexes)


def as_text(coverage: Coverage) -> str:
    lines = [f"{len(coverage.outlets)} outlets", ""]
    for outlet in coverage.outlets:
        lines.append(f"{outlet.index + 1}. {_c(outlet.name)} — {_c(outlet.title)}")
        lines.append(f"   {outlet.words:,} words ({outlet.minutes} min) · "
                     f"{sources_line(outlet)}")
        lines.append(f"   quotes: {speakers_line(outlet)}")
        for figure in outlet.figures:
            lines.append(f"   figure: {_c(figure.label)}")
        lines.append("")
    lines.append("Figures that disagree")
    for d in coverage.disagreements:
        told = " · ".join(f"{_c(coverage.outlets[c.outlet].name)}: {_c(c.value)}"
                          for c in d.claims)
        lines.append(f"  {_c(d.subject)}: {told}")
    if not coverage.disagreements:
        lines.append("  none found")
    lines += ["", "Only some outlets mention"]
    for entity in coverage.only_some:
        lines.append(f"  {_c(entity.name)} ({entity.label}): "
                     f"{names(coverage, entity.outlets)}")
    if not coverage.only_some:
        lines.append("  none")
    lines += ["", "Quotes only one outlet carries"]
    for quote in coverage.unique_quotes:
        lines.append(f"  {_c(coverage.outlets[quote.outlet].name)}, "
                     f"{_c(quote.speaker) or 'unattributed'}: “{_c(quote.text)}”")
    if not coverage.unique_quotes:
        lines.append("  none")
    return "\n".join(lines) + "\n"


def _md(text: str | None) -> str:
    """Plain text safe inside a Markdown table cell or list item."""
    cleaned = _c(text)
    for mark in ("\\", "|", "*", "_", "`", "[", "]", "<", ">", "#"):
        cleaned = cleaned.replace(mark, "\\" + mark)
    return cleaned


def as_markdown(coverage: Coverage) -> str:
    out = ["# Coverage compared", "",
           "| Outlet | Headline | Words | Named sources | Unnamed sources | Quotes |",
           "|---|---|---:|---:|---:|---:|"]
    for o in coverage.outlets:
        headline = f"[{_md(o.title)}](<{_c(o.url)}>)" if o.url and o.url.startswith(
            ("http://", "https://")) else _md(o.title)
        out.append(f"| {_md(o.name)} | {headline} | {o.words} | {o.named_sources} | "
                   f"{o.unnamed_sources} | {o.quotes} |")
    for o in coverage.outlets:
        out += ["", f"## {_md(o.name)}", "", f"- Quotes: {_md(speakers_line(o))}"]
        out += [f"- Figure: {_md(f.label)}" for f in o.figures]
    out += ["", "## Figures that disagree", ""]
    for d in coverage.disagreements:
        told = "; ".join(f"{_md(coverage.outlets[c.outlet].name)}: **{_md(c.value)}**"
                         for c in d.claims)
        out.append(f"- {_md(d.subject)}: {told}")
    if not coverage.disagreements:
        out.append("None found.")
    out += ["", "## Only some outlets mention", ""]
    out += [f"- {_md(e.name)} ({e.label}): {_md(names(coverage, e.outlets))}"
            for e in coverage.only_some] or ["None."]
    out += ["", "## Quotes only one outlet carries", ""]
    out += [f"- {_md(coverage.outlets[q.outlet].name)}, {_md(q.speaker) or 'unattributed'}: "
            f"“{_md(q.text)}”" for q in coverage.unique_quotes] or ["None."]
    return "\n".join(out) + "\n"
