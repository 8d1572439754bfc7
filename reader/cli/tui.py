"""``reader [SOURCE...]``: open the reader in the terminal (the only path to Textual).

A terminal is needed twice: to draw on (stdout) and to read keys from. Keys come from
stdin, or, when stdin is a pipe or a file (``cat story.txt | reader -``, ``reader x
</dev/null``), from the controlling terminal ``/dev/tty`` once the piped article is read.
Without either, Textual would wait for keys that never come, so we stop with one line.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from reader import __version__
from reader.errors import ReaderError
from reader.sources import (
    Source,
    demo_sources,
    limits_from,
    parse_source,
    read_local,
    start_loading,
)

NO_TERMINAL = ("no terminal to show the reader on; use reader extract or reader annotate "
               "in scripts and pipes")
NO_KEYBOARD = ("no terminal to read keys from; use reader extract or reader annotate in "
               "scripts and pipes")


def main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read news in the terminal: the article beside its quotes, "
                    "named entities and key facts.",
        epilog="Headless commands: reader extract SOURCE [--format text|json], "
               "reader annotate SOURCE... [--format json|jsonl|markdown], "
               "reader compare SOURCE SOURCE... [--format text|json|markdown] [--tui], "
               "reader feeds add|list|items|remove|refresh|import|export, "
               "reader stories [--since 2d] [--format text|json], "
               "reader save SOURCE..., reader library list|search|show|delete, "
               "reader export SOURCE|ID|--all, reader import FILE.json. "
               "Options before a command (reader --library PATH save x) apply to it. "
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


def run_tui(argv: Sequence[str]) -> int:
    # No garbage collection until the first frame is drawn (the app turns it back on):
    # start-up allocates hundreds of thousands of objects that live on, and collecting
    # them as they come cost the first frame ~70 ms of its ~550.
    gc.disable()
    args = main_parser().parse_args(list(argv))
    sources = [parse_source(arg) for arg in args.sources]
    if args.demo:
        sources = demo_sources() + sources
    if sum(1 for s in sources if s.kind == "stdin") > 1:
        raise ReaderError("standard input (-) can be named only once")
    if not sources:
        from reader.library import db

        db.connect(args.library).close()  # a broken library is reported before the TUI
    if not sys.stdout.isatty():
        raise ReaderError(NO_TERMINAL)
    stdin_data = None
    if any(s.kind == "stdin" for s in sources):
        stdin_data = read_local(Source("stdin", "-"))
    if not sys.stdin.isatty():
        keys_from_terminal()
    from reader.config import load_config

    settings = load_config()
    questions = None
    if settings.images:
        # The terminal can only be asked what it draws before Textual reads the keys: ask
        # now, and read the answers once Textual is imported (they arrive meanwhile).
        from reader.tui.graphics import ask_terminal

        questions = ask_terminal()
    try:
        from reader.analysis import pool

        # Forked now, while this process has one thread and has not imported Textual, so
        # the worker shares the interpreter's pages. It loads the model at once when a
        # core is free for it (the app draws on the other); on a busy machine that cost
        # the first frame ~0.4 s, so there the load waits for the first frame.
        pool.start(load_model=pool.spare_core())
        # The first article loads while Textual imports (after the fork: no thread may
        # run while the worker is forked), so the first frame can show it.
        early = start_loading(sources[0], library=args.library, limits=limits_from(settings),
                              stdin=stdin_data) if sources else None
        from reader.tui.app import make_app

        app = make_app(sources, settings=settings, stdin_data=stdin_data,
                       library=args.library, early=early)
    finally:
        if questions is not None:
            from reader.tui.graphics import probe_terminal

            probe_terminal(questions=questions)
    try:
        app.run()
    finally:
        pool.shutdown()
    return app.return_code or 0


def keys_from_terminal() -> None:
    """Read keys from the controlling terminal instead of the pipe or file on stdin."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise ReaderError(NO_KEYBOARD) from None
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = open(0, closefd=False)  # noqa: SIM115 - replaces the process stdin
