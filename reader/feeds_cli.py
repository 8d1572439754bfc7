"""``reader feeds ...``: manage subscriptions and read items from scripts and shells.

Output is one line per row (or JSON with ``--format json``) so it pipes into grep, cut and
jq. Feed titles and item text come from strangers, so every printed field passes through
:func:`clean_inline`: a control sequence in a title is shown, never obeyed by the terminal.
Failures are raised as ``ReaderError`` for the CLI wrapper to print as one line.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any

from reader import feeds, ids
from reader.errors import ReaderError
from reader.library import db as library
from reader.textutil import clean_inline

Command = Callable[[sqlite3.Connection, argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    library_option = argparse.ArgumentParser(add_help=False)
    library_option.add_argument("--library", metavar="PATH", default=argparse.SUPPRESS,
                                help="the library database (default: the user data folder)")
    parser = argparse.ArgumentParser(
        prog="reader feeds", parents=[library_option],
        description="Follow RSS, Atom and JSON feeds.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add = commands.add_parser("add", parents=[library_option],
                              help="subscribe to a feed, or to the feed a page links to")
    add.add_argument("url", metavar="URL")
    add.add_argument("--title", help="your own title for the feed")
    add.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")

    listing = commands.add_parser("list", parents=[library_option],
                                  help="subscriptions with unread counts and errors")
    _format_option(listing)

    items = commands.add_parser("items", parents=[library_option],
                                help="items of one feed (or all), newest first")
    items.add_argument("feed", metavar="FEED", nargs="?", help="feed id, title or URL")
    items.add_argument("--unread", action="store_true", help="only unread items")
    items.add_argument("--limit", type=ids.count, help="at most this many items")
    _format_option(items)

    remove = commands.add_parser("remove", parents=[library_option],
                                 help="unsubscribe (the feed's items go too)")
    remove.add_argument("feed", metavar="FEED")

    refresh = commands.add_parser("refresh", parents=[library_option],
                                  help="fetch new items (all feeds unless one is named)")
    refresh.add_argument("feed", metavar="FEED", nargs="?")
    refresh.add_argument("--all", action="store_true", help="every feed (the default)")
    _format_option(refresh)

    importing = commands.add_parser("import", parents=[library_option],
                                    help="subscribe to the feeds of an OPML or newsboat file")
    importing.add_argument("file", metavar="FILE")

    commands.add_parser("export", parents=[library_option],
                        help="print every subscription as OPML 2.0")
    return parser


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run_feeds(argv: list[str]) -> int:
    """Entry point for ``reader feeds``; returns the exit status."""
    args = _parser().parse_args(argv)
    command: Command = _COMMANDS[args.command]
    connection = library.connect(getattr(args, "library", None))
    try:
        return command(connection, args)
    finally:
        connection.close()


def _add(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    result = feeds.add_feed_sync(db, args.url, title=args.title, tags=args.tag)
    _say(f"added feed {result.feed.id}: {_field(result.feed.title)} "
         f"({_count(result.new_items)})")
    return 0


def _list(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    rows = feeds.list_feeds(db)
    if args.format == "json":
        _print_json([feed.to_dict() for feed in rows])
        return 0
    width = max((len(f"{feed.unread}/{feed.total}") for feed in rows), default=0)
    for feed in rows:
        counts = f"{feed.unread}/{feed.total}".rjust(width)
        parts = [f"{feed.id:>4}", counts, _field(feed.title)]
        if feed.tags:
            parts.append("[" + ", ".join(_field(tag) for tag in feed.tags) + "]")
        if feed.last_error:
            parts.append(f"! {_field(feed.last_error)}")
        _say("  ".join(parts))
    return 0


def _items(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    feed = feeds.find_feed(db, args.feed) if args.feed else None
    rows = feeds.feed_items(db, feed.id if feed else None, unread_only=args.unread,
                            limit=args.limit)
    if args.format == "json":
        _print_json([item.to_dict() for item in rows])
        return 0
    for item in rows:
        mark = " " if item.read else "*"
        date = (item.published or item.first_seen)[:10]
        title = _field(item.title) or "(untitled)"
        where = "" if feed else f"{_field(item.feed_title)}: "
        _say(f"{item.id:>6} {mark} {date}  {where}{title}")
    return 0


def _remove(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    feed = feeds.find_feed(db, args.feed)
    feeds.remove_feed(db, feed.id)
    _say(f"removed feed {feed.id}: {_field(feed.title)}")
    return 0


def _refresh(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    if args.feed and args.all:
        raise ReaderError("name a feed or use --all, not both")
    targets = [feeds.find_feed(db, args.feed)] if args.feed else None
    report = feeds.refresh_feeds_sync(db, targets)
    if args.format == "json":
        _print_json([{"feed": r.feed.to_dict(), "new_items": r.new_items,
                      "not_modified": r.not_modified, "error": r.error}
                     for r in report.results])
        return 0
    for result in report.results:
        _say(f"{result.feed.id:>4}  {_field(result.feed.title)}: {_outcome(result)}")
    failed = len(report.failed)
    _say(f"refreshed {len(report.results)} feeds: {_count(report.new_items, 'new item')}"
         + (f", {failed} failed" if failed else ""))
    return 0


def _outcome(result: feeds.FeedResult) -> str:
    if result.error:
        return f"! {_field(result.error)}"
    if result.not_modified:
        return "not modified"
    return f"{result.new_items} new"


def _import(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    subscriptions, skipped_lines = feeds.read_subscriptions(args.file)
    report = feeds.import_subscriptions(db, subscriptions)
    for reason in (*skipped_lines, *report.skipped):
        sys.stderr.write(f"reader feeds: skipped {clean_inline(reason)}\n")
    _say(f"imported {_count(len(report.added), 'feed')}"
         + (f" ({len(report.existing)} already subscribed)" if report.existing else "")
         + "; run reader feeds refresh to fetch them")
    return 0


def _export(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    sys.stdout.write(feeds.export_opml(db))
    return 0


def _count(n: int, noun: str = "item") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _say(line: str) -> None:
    """One output line; untrusted fields inside it went through :func:`_field` first."""
    sys.stdout.write(line + "\n")


def _field(text: str) -> str:
    return clean_inline(text)


def _print_json(data: Sequence[dict[str, Any]]) -> None:
    sys.stdout.write(json.dumps(list(data), ensure_ascii=False, indent=2) + "\n")


_COMMANDS: dict[str, Command] = {
    "add": _add, "list": _list, "items": _items, "remove": _remove, "refresh": _refresh,
    "import": _import, "export": _export,
}
