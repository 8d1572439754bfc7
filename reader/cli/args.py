"""What every ``reader`` subcommand shares: the ``--library`` option, ``--format``,
argument types, and the two ways of printing (stdout for results, stderr for notes).

Text from articles and feeds comes from strangers; everything printed for a human passes
through :func:`clean_inline` first, so a control sequence is shown, never obeyed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from reader import ids
from reader.textutil import clean_inline


def library_option() -> argparse.ArgumentParser:
    """A parent parser with ``--library PATH``, for every command that opens the library.

    SUPPRESS: the option may come before or after a subcommand, and a subparser's default
    must not overwrite a value the main parser already read.
    """
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--library", metavar="PATH", default=argparse.SUPPRESS,
                        help="the library database (default: the user data folder)")
    return parent


def library_of(args: argparse.Namespace) -> str | None:
    value: str | None = getattr(args, "library", None)
    return value


def format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


# Numbers typed by the user become SQLite integers: ASCII digits only ("²" passes
# str.isdigit), within SQLite's range (beyond it the driver raises OverflowError). They
# raise ReaderError, which argparse lets through, so each is one "reader: error:" line.
positive = ids.count
offset = ids.offset
article_id = ids.article_id


def say(line: str = "") -> None:
    """One result line on stdout; untrusted fields in it went through clean_inline."""
    sys.stdout.write(line + "\n")


def warn(line: str) -> None:
    """A note for the human on stderr, cleaned as a whole."""
    sys.stderr.write(f"reader: {clean_inline(line)}\n")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
