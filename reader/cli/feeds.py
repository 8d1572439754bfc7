"""``reader feeds ...``: manage subscriptions and read items from scripts and shells.

Output is one line per row (or JSON with ``--format json``) so it pipes into grep, cut and
jq. Feed titles and item text come from strangers, so every printed field passes through
:func:`clean_inline`: a control sequence in a title is shown, never obeyed by the terminal.
Failures are raised as ``ReaderError`` for the CLI wrapper to print as one line.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Callable

from reader import feeds
from reader.cli.args import format_option, library_of, positive, print_json, say
from reader.cli.args import library_option as args_library_option
from reader.errors import ReaderError
from reader.library import db as library
from reader.textutil import clean_inline, plural

Command = Callable[[sqlite3.Connection, argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    library_option = args_library_option()
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
    format_option(listing)

    items = commands.add_parser("items", parents=[library_option],
                                help="items of one feed (or all), newest first")
    items.add_argument("feed", metavar="FEED", nargs="?", help="feed id, title or URL")
    items.add_argument("--unread", action="store_true", help="only unread items")
    items.add_argument("--limit", type=positive, help="at most this many items")
    items.add_argument("--all", action="store_true",
                       help="also the items a filter hid (marked with h)")
    format_option(items)

    remove = commands.add_parser("remove", parents=[library_option],
                                 help="unsubscribe (the feed's items go too)")
    remove.add_argument("feed", metavar="FEED")

    refresh = commands.add_parser("refresh", parents=[library_option],
                                  help="fetch new items (all feeds unless one is named)")
    refresh.add_argument("feed", metavar="FEED", nargs="?")
    refresh.add_argument("--all", action="store_true",
                         help="every feed that is due (the default; for cron)")
    refresh.add_argument("--force", action="store_true",
                         help="also the feeds whose TTL or back-off says not yet")
    format_option(refresh)

    importing = commands.add_parser("import", parents=[library_option],
                                    help="subscribe to the feeds of an OPML or newsboat file")
    importing.add_argument("file", metavar="FILE")

    commands.add_parser("export", parents=[library_option],
                        help="print every subscription as OPML 2.0")
    return parser




def run_feeds(argv: list[str]) -> int:
    """Entry point for ``reader feeds``; returns the exit status."""
    args = _parser().parse_args(argv)
    command: Command = _COMMANDS[args.command]
    connection = library.connect(library_of(args))
    try:
        return command(connection, args)
    finally:
        connection.close()


def _add(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    from reader.config import load_config

    result = feeds.add_feed_sync(db, args.url, title=args.title, tags=args.tag,
                                 filters=load_config().filters)
    say(f"added feed {result.feed.id}: {clean_inline(result.feed.title)} "
         f"({plural(result.new_items, 'item')})")
    return 0


def _list(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    rows = feeds.list_feeds(db)
    if args.format == "json":
        print_json([feed.to_dict() for feed in rows])
        return 0
    width = max((len(f"{feed.unread}/{feed.total}") for feed in rows), default=0)
    for feed in rows:
        counts = f"{feed.unread}/{feed.total}".rjust(width)
        parts = [f"{feed.id:>4}", counts, clean_inline(feed.title)]
        if feed.tags:
            parts.append("[" + ", ".join(clean_inline(tag) for tag in feed.tags) + "]")
        if feed.hidden:
            parts.append(f"({feed.hidden} hidden)")
        if feed.last_error:
            parts.append(f"! {clean_inline(feed.last_error)}")
        say("  ".join(parts))
    return 0


def _items(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    feed = feeds.find_feed(db, args.feed) if args.feed else None
    rows = feeds.feed_items(db, feed.id if feed else None, unread_only=args.unread,
                            limit=args.limit, include_hidden=args.all)
    if args.format == "json":
        print_json([item.to_dict() for item in rows])
        return 0
    for item in rows:
        mark = "h" if item.hidden else " " if item.read else "*"
        date = (item.published or item.first_seen)[:10]
        title = clean_inline(item.title) or "(untitled)"
        where = "" if feed else f"{clean_inline(item.feed_title)}: "
        say(f"{item.id:>6} {mark} {date}  {where}{title}")
    return 0


def _remove(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    feed = feeds.find_feed(db, args.feed)
    feeds.remove_feed(db, feed.id)
    say(f"removed feed {feed.id}: {clean_inline(feed.title)}")
    return 0


def _refresh(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    if args.feed and args.all:
        raise ReaderError("name a feed or use --all, not both")
    from reader.config import load_config

    targets = [feeds.find_feed(db, args.feed)] if args.feed else None
    settings = load_config()
    for problem in settings.problems:
        sys.stderr.write(f"reader feeds: config: {clean_inline(problem)}\n")
    # A named feed is the user's own request; --all (cron) keeps to each feed's schedule.
    report = feeds.refresh_feeds_sync(db, targets, filters=settings.filters,
                                      due_only=targets is None and not args.force)
    if args.format == "json":
        print_json([{"feed": r.feed.to_dict(), "new_items": r.new_items,
                      "not_modified": r.not_modified, "error": r.error,
                      "deferred": r.deferred}
                     for r in report.results])
        return 0
    for result in report.results:
        say(f"{result.feed.id:>4}  {clean_inline(result.feed.title)}: {_outcome(result)}")
    failed, deferred = len(report.failed), len(report.deferred)
    say(f"refreshed {plural(len(report.results) - deferred, 'feed')}: "
        f"{plural(report.new_items, 'new item')}"
         + (f", {failed} failed" if failed else "")
         + (f", {deferred} not due yet (--force fetches them)" if deferred else ""))
    return 0


def _outcome(result: feeds.FeedResult) -> str:
    if result.error:
        return f"! {clean_inline(result.error)}"
    if result.deferred:
        return f"not due until {clean_inline(result.feed.not_before or '')}"
    if result.not_modified:
        return "not modified"
    return f"{result.new_items} new"


def _import(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    subscriptions, skipped_lines = feeds.read_subscriptions(args.file)
    report = feeds.import_subscriptions(db, subscriptions)
    for reason in (*skipped_lines, *report.skipped):
        sys.stderr.write(f"reader feeds: skipped {clean_inline(reason)}\n")
    say(f"imported {plural(len(report.added), 'feed')}"
         + (f" ({len(report.existing)} already subscribed)" if report.existing else "")
         + "; run reader feeds refresh to fetch them")
    return 0


def _export(db: sqlite3.Connection, args: argparse.Namespace) -> int:
    sys.stdout.write(feeds.export_opml(db))
    return 0






_COMMANDS: dict[str, Command] = {
    "add": _add, "list": _list, "items": _items, "remove": _remove, "refresh": _refresh,
    "import": _import, "export": _export,
}
