"""``reader save``, ``reader library``, ``reader export`` and ``reader import``.

The library from scripts: save articles (fetch, extract, analyse, store), list, search,
show and delete them, and move them in and out as Markdown, JSON or HTML files. Each
``run_*`` parses its own arguments and returns the exit status; failures are raised as
``ReaderError`` for the CLI wrapper to print as one line. Text from articles passes
through :func:`clean_inline` before it reaches the terminal.

:func:`save_sources` loads through :func:`reader.sources.load`, the loader the TUI uses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from reader.cli.args import (
    article_id as parse_article_id,
)
from reader.cli.args import (
    format_option,
    library_of,
    library_option,
    offset,
    positive,
    print_json,
    say,
    warn,
)
from reader.display_dates import display_date
from reader.errors import ReaderError
from reader.ids import ascii_number
from reader.library import images as lead_images
from reader.library import search as library_search
from reader.library import store
from reader.library.export import (
    FORMAT_NAMES,
    ExportMeta,
    Format,
    check_target,
    export_filename,
    format_for,
    render,
    write_atomic,
)
from reader.models import Annotated, Article
from reader.sources import Loaded, Source, load, parse_source
from reader.textutil import clean_inline, plural

if TYPE_CHECKING:
    import httpx

AnalyseFunction = Callable[[Sequence[Article]], Iterable[Annotated]]


# ------------------------------------------------------------------------ pipeline


def _default_analyse(articles: Sequence[Article]) -> Iterable[Annotated]:
    from reader.analysis import annotate_many

    return annotate_many(articles)


def save_sources(db: Any, sources: Sequence[Source], *, tags: Sequence[str] = (),
                 transport: httpx.AsyncBaseTransport | None = None,
                 analyse: AnalyseFunction | None = None,
                 on_error: Callable[[Source, ReaderError], None] | None = None
                 ) -> list[store.SaveResult]:
    """Capture, analyse (in one batch) and save each source; returns what was saved.

    A source that fails is passed to ``on_error`` (or raised when none is given), so
    one dead link does not stop the rest.
    """
    captured: list[Loaded] = []
    for source in sources:
        try:
            captured.append(load(source, transport=transport))
        except ReaderError as error:
            if on_error is None:
                raise
            on_error(source, error)
    analysed = list((analyse or _default_analyse)([c.article for c in captured]))
    return [store.save(db, annotated, source=item.page.content if item.page else None,
                       source_type=item.page.content_type if item.page else None,
                       fetched=item.fetched, tags=tags)
            for item, annotated in zip(captured, analysed, strict=True)]


# ------------------------------------------------------------------------ helpers


def _row_line(row: store.ArticleSummary) -> str:
    parts = [f"{row.id:>5}", row.saved[:10], clean_inline(row.title) or "(untitled)"]
    if row.site:
        parts.append(f"· {clean_inline(row.site)}")
    if row.tags:
        parts.append("[" + ", ".join(clean_inline(t) for t in row.tags) + "]")
    if row.highlights:
        parts.append(f"({plural(row.highlights, 'highlight')})")
    flags = [name for name, on in (("link only", row.link_only), ("archived", row.archived))
             if on]
    if flags:
        parts.append(f"({', '.join(flags)})")
    return "  ".join(parts)


# --------------------------------------------------------------------------- save


def _save_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader save", parents=[library_option()],
        description="Fetch, extract, analyse and save articles to the library; prints "
                    "their ids. Saving a URL again updates it and keeps your notes.")
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="an http(s) URL, a local .html/.txt file, or - (stdin)")
    parser.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    return parser


def run_save(argv: Sequence[str], *, transport: httpx.AsyncBaseTransport | None = None,
             analyse: AnalyseFunction | None = None) -> int:
    """``reader save SOURCE...``: exit 1 if any source could not be saved."""
    args = _save_parser().parse_args(list(argv))
    sources = [parse_source(arg) for arg in args.sources]
    if sum(1 for s in sources if s.kind == "stdin") > 1:
        raise ReaderError("standard input (-) can be named only once")
    failures: list[str] = []

    def report(source: Source, error: ReaderError) -> None:
        failures.append(source.label)
        sys.stderr.write(f"reader: error: {clean_inline(source.label)}: "
                         f"{clean_inline(str(error))}\n")

    with store.opened(library_of(args)) as db:
        results = save_sources(db, sources, tags=args.tag, transport=transport, analyse=analyse,
                               on_error=report)
    for result in results:
        say(str(result.id))
        _report_update(result)
    return 1 if failures else 0


def _report_update(result: store.SaveResult) -> None:
    if result.diff is not None:
        warn(f"updated article {result.id}: {result.diff.summary()}")
    for lost in result.lost:
        warn(f"article {result.id}: a highlight no longer fits the text and was dropped: "
              f"\"{lost.text[:60]}\"" + (f" (note: {lost.note[:60]})" if lost.note else ""))


# ------------------------------------------------------------------------ library


def _library_parser() -> argparse.ArgumentParser:
    common = library_option()
    parser = argparse.ArgumentParser(prog="reader library", parents=[common],
                                     description="Browse and search saved articles.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", parents=[common], help="saved articles, newest first")
    listing.add_argument("--tag", help="only articles with this tag")
    listing.add_argument("--limit", type=positive, default=store.LIST_PAGE_SIZE)
    listing.add_argument("--offset", type=offset, default=0)
    format_option(listing)

    search = commands.add_parser(
        "search", parents=[common],
        help='full-text search (words, "a phrase", word*, OR, tag:x, speaker:"A B")')
    search.add_argument("query", metavar="QUERY", nargs="+")
    search.add_argument("--limit", type=positive, default=library_search.SEARCH_LIMIT)
    format_option(search)

    show = commands.add_parser("show", parents=[common], help="one article with your notes")
    show.add_argument("id", metavar="ID")
    show.add_argument("--format", choices=("text", "json", "md"), default="text")

    delete = commands.add_parser("delete", parents=[common], help="remove an article")
    delete.add_argument("id", metavar="ID")

    tag = commands.add_parser("tag", parents=[common], help="add tags to an article")
    tag.add_argument("id", metavar="ID")
    tag.add_argument("tags", metavar="TAG", nargs="+")
    tag.add_argument("--remove", action="store_true", help="remove these tags instead")

    mentions = commands.add_parser("mentions", parents=[common],
                                   help="saved articles naming an entity")
    mentions.add_argument("name", metavar="NAME", nargs="+")
    format_option(mentions)

    quotes = commands.add_parser("quotes", parents=[common],
                                 help="every saved quote by a speaker")
    quotes.add_argument("name", metavar="SPEAKER", nargs="+")
    format_option(quotes)
    return parser



def run_library(argv: Sequence[str]) -> int:
    """``reader library list|search|show|delete|tag|mentions|quotes``."""
    args = _library_parser().parse_args(list(argv))
    with store.opened(library_of(args)) as db:
        return _LIBRARY_COMMANDS[args.command](db, args)


def _list(db: Any, args: argparse.Namespace) -> int:
    page = store.list_articles(db, limit=args.limit, offset=args.offset, tag=args.tag)
    if args.format == "json":
        print_json({"total": page.total, "offset": page.offset,
                     "articles": [row.to_dict() for row in page.rows]})
        return 0
    for row in page.rows:
        say(_row_line(row))
    if page.total > page.offset + len(page.rows):
        warn(f"showing {len(page.rows)} of {page.total} articles (use --offset / --limit)")
    return 0


def _search(db: Any, args: argparse.Namespace) -> int:
    hits = library_search.search(db, " ".join(args.query), limit=args.limit)
    if args.format == "json":
        print_json([{**hit.summary.to_dict(), "snippet": hit.snippet} for hit in hits])
        return 0
    for hit in hits:
        say(_row_line(hit.summary))
        if hit.snippet:
            say("       " + clean_inline(hit.snippet))
    return 0


def _show(db: Any, args: argparse.Namespace) -> int:
    saved = store.get(db, parse_article_id(args.id))
    if args.format in {"json", "md"}:
        sys.stdout.write(render(saved.annotated, cast(Format, args.format), saved.export_meta()))
        return 0
    article = saved.annotated.article
    say(clean_inline(article.title) or "(untitled)")
    published = display_date(article.published) if article.published else None
    facts = [clean_inline(x) for x in (article.byline, article.site, published) if x]
    if facts:
        say(" · ".join(facts))
    if article.url:
        say(clean_inline(article.url))
    line = f"saved {saved.summary.saved}"
    if saved.summary.updated != saved.summary.saved:
        line += f", updated {saved.summary.updated}"
    if saved.tags:
        line += "; tags: " + ", ".join(saved.tags)
    say(line)
    say()
    from reader.textutil import make_visible

    say(make_visible(article.text))
    if saved.highlights:
        say()
        say("Highlights:")
        for h in saved.highlights:
            note = f" — {clean_inline(h.note)}" if h.note else ""
            say(f"  #{h.id} [{h.start}-{h.end}] \"{clean_inline(h.text)}\"{note}")
    return 0


def _delete(db: Any, args: argparse.Namespace) -> int:
    article_id = parse_article_id(args.id)
    title = store.summary(db, article_id).title
    store.delete(db, article_id)
    say(f"deleted article {article_id}: {clean_inline(title) or '(untitled)'}")
    return 0


def _tag(db: Any, args: argparse.Namespace) -> int:
    article_id = parse_article_id(args.id)
    if args.remove:
        tags = store.remove_tags(db, article_id, args.tags)
    else:
        tags = store.add_tags(db, article_id, args.tags)
    say(f"article {article_id}: " + (", ".join(tags) if tags else "no tags"))
    return 0


def _mentions(db: Any, args: argparse.Namespace) -> int:
    hits = library_search.articles_mentioning(db, " ".join(args.name))
    if args.format == "json":
        print_json([{**hit.summary.to_dict(), "entity": hit.entity, "label": hit.label,
                      "mentions": hit.mentions} for hit in hits])
        return 0
    for hit in hits:
        say(f"{_row_line(hit.summary)}  — {clean_inline(hit.entity)} ({hit.label}, "
             f"{hit.mentions})")
    return 0


def _quotes(db: Any, args: argparse.Namespace) -> int:
    hits = library_search.quotes_by_speaker(db, " ".join(args.name))
    if args.format == "json":
        print_json([hit.to_dict() for hit in hits])
        return 0
    for hit in hits:
        say(f"{hit.article_id:>5}  {clean_inline(hit.title)}")
        say(f"       “{clean_inline(hit.text)}” — {clean_inline(hit.speaker or '')}")
    return 0


_LIBRARY_COMMANDS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "list": _list, "search": _search, "show": _show, "delete": _delete, "tag": _tag,
    "mentions": _mentions, "quotes": _quotes,
}


# ------------------------------------------------------------------------- export


def _export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader export", parents=[library_option()],
        description="Export an article as Markdown (front matter, ==highlights==, "
                    "footnoted notes), JSON or a self-contained HTML page. A number is a "
                    "saved article's id (write ./12 for a file named 12).")
    parser.add_argument("target", metavar="SOURCE|ID", nargs="?")
    parser.add_argument("--all", action="store_true",
                        help="every saved article, one file each, into the -o folder")
    parser.add_argument("--format", choices=sorted(FORMAT_NAMES),
                        help="md (default), json or html; without it, -o FILE's extension "
                             "decides (.md, .json, .html)")
    parser.add_argument("-o", "--output", metavar="FILE|DIR",
                        help="write here (atomically) instead of standard output")
    parser.add_argument("--force", action="store_true",
                        help="replace files that already exist")
    return parser


def run_export(argv: Sequence[str], *, transport: httpx.AsyncBaseTransport | None = None,
               analyse: AnalyseFunction | None = None) -> int:
    """``reader export SOURCE|ID [-o FILE]`` or ``reader export --all -o DIR``."""
    args = _export_parser().parse_args(list(argv))
    if args.all == (args.target is not None):
        raise ReaderError("name one article (a source or a saved id) or use --all")
    if args.all:
        if not args.output:
            raise ReaderError("--all needs -o DIR, the folder to write the files into")
        return _export_all(library_of(args), Path(args.output), format_for(None, args.format),
                           overwrite=args.force)
    fmt = format_for(args.output, args.format)
    if args.output:
        check_target(args.output, overwrite=args.force)  # before any fetch or analysis
    annotated, meta = _export_target(args.target, library_of(args), transport, analyse)
    document = render(annotated, fmt, meta)
    if args.output:
        write_atomic(args.output, document)
    else:
        sys.stdout.write(document)
    return 0


def _export_target(target: str, library: str | None,
                   transport: httpx.AsyncBaseTransport | None,
                   analyse: AnalyseFunction | None) -> tuple[Annotated, ExportMeta]:
    """A saved article by id or URL (with its notes), else the source analysed afresh."""
    if ascii_number(target) is not None:
        with store.opened(library) as db:
            saved = store.get(db, parse_article_id(target))
            return saved.annotated, lead_images.export_meta(db, saved)
    source = parse_source(target)
    if source.kind == "url" and _library_exists(library):
        with store.opened(library) as db:
            article_id = store.find_by_url(db, source.location)
            if article_id is not None:
                saved = store.get(db, article_id)
                return saved.annotated, lead_images.export_meta(db, saved)
    captured = load(source, transport=transport)
    annotated = next(iter((analyse or _default_analyse)([captured.article])))
    return annotated, ExportMeta()


def _library_exists(library: str | None) -> bool:
    from reader import paths

    return (Path(library) if library else paths.library_file()).exists()


def _export_all(library: str | None, folder: Path, fmt: Format, *, overwrite: bool) -> int:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReaderError(f"cannot create {folder}: {error.strerror or error}") from None
    if not folder.is_dir():
        raise ReaderError(f"{folder} is not a folder")
    with store.opened(library) as db:
        count = 0
        for article_id in store.all_ids(db):
            saved = store.get(db, article_id)
            path = folder / export_filename(saved.summary.title, article_id, fmt)
            check_target(path, overwrite=overwrite)
            write_atomic(path, render(saved.annotated, fmt, lead_images.export_meta(db, saved)))
            say(str(path))
            count += 1
    warn(f"exported {plural(count, 'article')} to {folder}")
    return 0


# ------------------------------------------------------------------------- import


def _import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader import", parents=[library_option()],
        description="Bring articles into the library from a reader JSON export or another "
                    "service's export, recognised by content: Pocket (zip, CSV or HTML), "
                    "Omnivore (zip), wallabag (JSON), Instapaper (CSV) or a browser's "
                    "bookmarks (HTML). Prints the ids; rows that cannot be read are named "
                    "and skipped. Importing again adds nothing twice.")
    parser.add_argument("files", nargs="*", metavar="FILE", help="a file, or - (stdin)")
    parser.add_argument("--tag", action="append", default=[], help="add a tag (repeatable)")
    parser.add_argument("--fetch", action="store_true",
                        help="then fetch the articles that came as links only (resumable: "
                             "run again to go on; no link is fetched twice)")
    return parser


def run_import(argv: Sequence[str], *, transport: httpx.AsyncBaseTransport | None = None,
               analyse: AnalyseFunction | None = None) -> int:
    """``reader import FILE... [--fetch]``, or ``reader import --fetch`` to go on fetching."""
    args = _import_parser().parse_args(list(argv))
    if not args.files and not args.fetch:
        raise ReaderError("name a file to import (or use --fetch to fetch imported links)")
    # Every file is read and recognised before anything is written, and each file's
    # writes share one transaction: a file that cannot be read imports nothing.
    batches = [_read_import(name) for name in args.files]
    with store.opened(library_of(args)) as db:
        for name, batch in batches:
            _import_batch(db, name, batch, args.tag, analyse)
    if args.fetch:
        return _fetch_links(library_of(args), transport, analyse)
    return 0


def _read_import(name: str) -> tuple[str, Any]:
    """(file name, the reader's own articles or another service's parsed items)."""
    from reader.library.importers import detect, read_export
    from reader.library.imports import read_json_export

    data = _read_file(name)
    what = "standard input" if name == "-" else name
    kind = detect(data, what)
    if kind == "reader":
        return what, read_json_export(data, what=what)
    return what, read_export(data, what, kind)


def _import_batch(db: Any, name: str, batch: Any, tags: Sequence[str],
                  analyse: AnalyseFunction | None) -> None:
    from reader.library.db import transaction
    from reader.library.importers import FORMAT_NAMES, Parsed
    from reader.library.importing import import_parsed

    if isinstance(batch, Parsed):
        report = import_parsed(db, batch, tags=tags, analyse=analyse)
        for problem in report.problems:
            warn(f"{name}: {problem}")
        for article_id in report.ids:
            say(str(article_id))
        warn(f"{name} ({FORMAT_NAMES.get(report.format, report.format)}): "
             f"{report.summary()}")
        return
    with transaction(db):
        results = [store.save(db, item.annotated, fetched=item.meta.fetched,
                              tags=[*item.meta.tags, *tags], saved=item.meta.saved)
                   for item in batch]
    for result in results:
        say(str(result.id))
        _report_update(result)


def _fetch_links(library: str | None, transport: httpx.AsyncBaseTransport | None,
                 analyse: AnalyseFunction | None) -> int:
    """Fetch the imported links with a progress line; exit 1 if any could not be fetched."""
    from reader.library.importing import FetchProgress, fetch_links

    live = sys.stderr.isatty()

    def progress(step: FetchProgress) -> None:
        if live:
            sys.stderr.write(f"\rfetching {step.done}/{step.total} "
                             f"{clean_inline(step.url)[:60]:<60}")
            sys.stderr.flush()
        if step.starting:
            return
        if step.error is not None:
            if live:
                sys.stderr.write("\n")
            warn(f"could not fetch {step.url}: {step.error}")

    try:
        report = fetch_links(library, transport=transport, analyse=analyse,
                             progress=progress)
    except KeyboardInterrupt:
        if live:
            sys.stderr.write("\n")
        warn("fetching stopped; what was fetched is kept: run reader import --fetch to go on")
        raise
    if live:
        sys.stderr.write("\n")
    line = f"fetched {plural(report.fetched, 'link')}"
    if report.failed:
        line += f", {report.failed} could not be fetched (kept as links)"
    if report.highlights:
        line += f"; {report.anchored} of {plural(report.highlights, 'highlight')} anchored"
    warn(line)
    return 1 if report.failed else 0


IMPORT_CAP = 50 * 1024 * 1024
"""An export of a whole library is a few MB; anything past this is not one."""


def _read_file(name: str) -> bytes:
    from reader.localfile import read_regular

    if name == "-":
        data = sys.stdin.buffer.read(IMPORT_CAP + 1)
        if len(data) > IMPORT_CAP:
            raise ReaderError("standard input is larger than 50 MB")
        return data
    return read_regular(name, IMPORT_CAP)
