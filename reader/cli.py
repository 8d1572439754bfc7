"""The ``reader`` command: the TUI by default, headless subcommands for scripts.

Only the TUI path imports Textual, so ``reader extract`` and ``reader annotate`` start
fast and work where no terminal is attached.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__
from reader.errors import ReaderError
from reader.sources import Loaded, Source, demo_sources, load, parse_source
from reader.textutil import clean_inline

LIBRARY_COMMANDS = ("save", "library", "export", "import")
HEADLESS_COMMANDS = ("extract", "annotate", "feeds", *LIBRARY_COMMANDS)


def _main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read news in the terminal: the article beside its quotes, "
                    "named entities and key facts.",
        epilog="Headless commands: reader extract SOURCE [--format text|json], "
               "reader annotate SOURCE... [--format json|jsonl|markdown], "
               "reader feeds add|list|items|remove|refresh|import|export, "
               "reader save SOURCE..., reader library list|search|show|delete, "
               "reader export SOURCE|ID|--all, reader import FILE.json. "
               "A SOURCE is an http(s) URL, a local .html/.txt file, or - for stdin.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE",
                        help="URLs, files or - (stdin); several open as a list (J/K)")
    parser.add_argument("--demo", action="store_true",
                        help="open the bundled sample articles (offline)")
    parser.add_argument("--library", metavar="PATH", type=Path,
                        help="the library database (default: in the user data folder)")
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


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


def _loaded(source: Source) -> Loaded:
    """Load one source; what the user should know about it goes to stderr, one line."""
    loaded = load(source)
    if loaded.warning:
        sys.stderr.write(f"reader: warning: {clean_inline(loaded.warning)}\n")
    return loaded


def _plain_text(source: Source) -> str:
    article = _loaded(source).article
    head = [article.title] if article.title else []
    meta = [part for part in (article.byline, article.site, article.published) if part]
    if meta:
        head.append(" · ".join(meta))
    return "\n\n".join([*head, article.text]) + "\n"


def run_extract(args: argparse.Namespace) -> int:
    from reader.library.export import dumps

    source = parse_source(args.source)
    if args.format == "json":
        sys.stdout.write(dumps(_loaded(source).article.to_dict()) + "\n")
    else:
        sys.stdout.write(_plain_text(source))
    return 0


def run_annotate(args: argparse.Namespace) -> int:
    from reader.analysis import annotate_many
    from reader.library.export import dumps, to_markdown

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


def run_tui(args: argparse.Namespace) -> int:
    sources = [parse_source(arg) for arg in args.sources]
    if args.demo:
        sources = demo_sources() + sources
    if sum(1 for s in sources if s.kind == "stdin") > 1:
        raise ReaderError("standard input (-) can be named only once")
    from reader.tui.app import make_app

    stdin_data = None
    if any(s.kind == "stdin" for s in sources):
        from reader.sources import read_local

        stdin_data = read_local(Source("stdin", "-"))
        _reattach_terminal()
    from reader.analysis import pool

    if not sources:
        from reader.library import db

        db.connect(args.library).close()  # a broken library is reported before the TUI
    app = make_app(sources, stdin_data=stdin_data, library=args.library)
    try:
        app.run()
    finally:
        pool.shutdown()
    return app.return_code or 0


def _reattach_terminal() -> None:
    """After reading an article from a pipe, read keys from the terminal instead."""
    import os

    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError as exc:
        raise ReaderError("no terminal to read keys from; use reader extract - instead") \
            from exc
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - replaces the process stdin


def _report_config_problems() -> None:
    """Say once, on one line, what was wrong in config.toml (those keys use defaults);
    the TUI shows the same line as a notification."""
    from reader.config import load_config

    settings = load_config()
    if settings.problems:
        sys.stderr.write(f"reader: config.toml: {clean_inline('; '.join(settings.problems))}\n")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if args_list and args_list[0] in HEADLESS_COMMANDS:
            _report_config_problems()
        if args_list and args_list[0] == "extract":
            return run_extract(_extract_parser().parse_args(args_list[1:]))
        if args_list and args_list[0] == "annotate":
            return run_annotate(_annotate_parser().parse_args(args_list[1:]))
        if args_list and args_list[0] == "feeds":
            from reader.feeds_cli import run_feeds

            return run_feeds(args_list[1:])
        if args_list and args_list[0] in LIBRARY_COMMANDS:
            from reader import library_cli

            run = getattr(library_cli, f"run_{args_list[0]}")
            result: int = run(args_list[1:])
            return result
        return run_tui(_main_parser().parse_args(args_list))
    except ReaderError as exc:
        sys.stderr.write(f"reader: error: {clean_inline(str(exc))}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("reader: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
