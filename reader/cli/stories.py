"""``reader stories``: the events in the feeds and the library, each with its outlets.

Items not yet in a story are placed first (incrementally: placed items stay put), then the
stories are printed newest event first: one line per story, then one indented line per
distinct write-up, copies of the same wire text folded into "also in: …".
"""

from __future__ import annotations

import argparse

from reader import stories
from reader.cli.args import format_option, library_of, library_option, print_json, say
from reader.library import db as library
from reader.textutil import clean_inline, plural


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader stories", parents=[library_option()],
        description="Feed items and saved articles grouped by the event they report.")
    parser.add_argument("--since", metavar="AGE", default=None,
                        help="only stories with an item this recent: 30m, 12h, 2d, 1w")
    format_option(parser)
    return parser


def run_stories(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    since = stories.parse_since(args.since) if args.since is not None else None
    connection = library.connect(library_of(args))
    try:
        stories.update_stories(connection)
        found = stories.list_stories(connection, since=since)
    finally:
        connection.close()
    if args.format == "json":
        print_json([story.to_dict() for story in found])
        return 0
    for story in found:
        outlets = len(story.outlets)
        unread = f", {story.unread} unread" if story.unread else ""
        say(f"{story.id:>5}  {clean_inline(story.title) or '(untitled)'}  "
            f"({plural(outlets, 'outlet')}{unread})")
        for row in story.rows:
            line = (f"       {row.item.published[:16].replace('T', ' ')}  "
                    f"{clean_inline(row.item.feed)}: {clean_inline(row.item.title)}")
            if row.also_in:
                line += "  (also in: " + ", ".join(
                    clean_inline(copy.feed) for copy in row.also_in) + ")"
            say(line)
    return 0
