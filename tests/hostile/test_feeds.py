"""Feeds that fight back: escapes in JSON Feeds and OPML, keyless items, bad ports
among good feeds, a full disk while subscribing (issue 12: causes 1, 4, 8)."""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.conftest import (
    ESC_RED,
    ESC_TITLE,
    HOSTILE,
    RawServer,
    assert_clean,
    assert_error,
    assert_ok,
    http_response,
    run_reader,
)


def json_feed(items: list[dict[str, Any]], title: str = "Harbour News") -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": title,
                       "items": items}).encode()


def hostile_items(server: RawServer) -> list[dict[str, Any]]:
    return [{"id": f"i{n}", "url": server.url(f"/story{n}"), "title": f"Story {n}{HOSTILE}",
             "authors": [{"name": f"Ann{ESC_TITLE}{ESC_RED}"}],
             "content_text": f"Body {n}{HOSTILE} " + "ferry news " * 20,
             "tags": [f"t{ESC_RED}"]} for n in range(3)]


@pytest.fixture
def hostile_feed(server: RawServer) -> str:
    server.routes["/feed.json"] = http_response(
        body=json_feed(hostile_items(server), title=f"Feed{HOSTILE}"),
        headers={"Content-Type": "application/feed+json"})
    return server.url("/feed.json")


@pytest.mark.parametrize("command", [
    ("feeds", "list"), ("feeds", "list", "--format", "json"), ("feeds", "items"),
    ("feeds", "items", "--format", "json"), ("feeds", "export"), ("feeds", "refresh"),
    ("feeds", "refresh", "--format", "json"),
], ids=lambda c: "-".join(c[1:]))
def test_json_feed_escapes_never_reach_the_terminal(home: Path, hostile_feed: str,
                                                    command: tuple[str, ...]) -> None:
    assert_ok(run_reader("feeds", "add", hostile_feed, home=home))
    result = run_reader(*command, home=home)
    assert_ok(result)
    assert result.stdout.strip()


def test_feed_add_output_is_clean(home: Path, hostile_feed: str) -> None:
    result = run_reader("feeds", "add", hostile_feed, "--title", f"mine{ESC_TITLE}",
                        "--tag", f"x{ESC_RED}", home=home)
    assert_ok(result)


def test_opml_with_escapes(home: Path, server: RawServer) -> None:
    opml = home / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline text="A&#x1b;]2;x&#x1b;\\&#x9b;1m" type="rss" xmlUrl="{server.url("/f")}"/>'
        '</body></opml>')
    result = run_reader("feeds", "import", str(opml), home=home)
    assert_clean(result)
    assert_ok(run_reader("feeds", "list", home=home))


# ---------------------------------------------------------- 22 keyless items

def test_items_without_guid_link_or_title_are_kept_apart(home: Path,
                                                          server: RawServer) -> None:
    items = "".join(f"<item><description>Report number {n} about the harbour.</description>"
                    "</item>" for n in range(22))
    server.routes["/rss"] = http_response(
        body=(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Anon</title>'
              f"<link>{server.base}/</link>{items}</channel></rss>").encode(),
        headers={"Content-Type": "application/rss+xml"})
    assert_ok(run_reader("feeds", "add", server.url("/rss"), home=home))
    result = run_reader("feeds", "items", "--format", "json", home=home)
    assert_ok(result)
    assert len(json.loads(result.stdout)) == 22


def test_json_feed_items_without_ids_are_kept_apart(home: Path, server: RawServer) -> None:
    items = [{"content_text": f"Report number {n} about the harbour."} for n in range(22)]
    server.routes["/f"] = http_response(body=json_feed(items),
                                        headers={"Content-Type": "application/feed+json"})
    assert_ok(run_reader("feeds", "add", server.url("/f"), home=home))
    result = run_reader("feeds", "items", "--format", "json", home=home)
    assert len(json.loads(result.stdout)) == 22


# ------------------------------------------------- 4. one bad feed among good ones

def good_rss(server: RawServer, path: str) -> str:
    server.routes[path] = http_response(
        body=(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title>'
              f"<item><guid>g1</guid><title>Ferry</title><link>{server.base}/s</link></item>"
              "</channel></rss>").encode(),
        headers={"Content-Type": "application/rss+xml"})
    return server.url(path)


def test_feed_add_with_port_out_of_range(home: Path) -> None:
    assert_error(run_reader("feeds", "add", "http://127.0.0.1:99999/feed", home=home))


def test_refresh_all_survives_a_feed_with_a_bad_port(home: Path, server: RawServer) -> None:
    """A bad port is refused when subscribing; a library from before that check may still
    hold one (written here with sqlite3), and it must not stop the other feeds."""
    good = good_rss(server, "/good")
    other = good_rss(server, "/other")
    opml = home / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline text="Other" type="rss" xmlUrl="{other}"/>'
        f'<outline text="Good" type="rss" xmlUrl="{good}"/></body></opml>')
    assert_ok(run_reader("feeds", "import", str(opml), home=home))
    with sqlite3.connect(home / "library.sqlite3") as db:
        db.execute("UPDATE feeds SET url = 'http://127.0.0.1:99999/feed' WHERE url = ?",
                   (other,))
    result = run_reader("feeds", "refresh", "--all", "--format", "json", home=home)
    assert_clean(result)
    report = json.loads(result.stdout)
    assert any(r["error"] for r in report)
    assert any(r["new_items"] == 1 for r in report)
    assert_ok(run_reader("feeds", "refresh", "--all", home=home))


def test_refresh_all_survives_a_feed_that_redirects_without_location(
        home: Path, server: RawServer) -> None:
    good = good_rss(server, "/good")
    server.routes["/moved"] = http_response("302 Found", b"")
    opml = home / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline text="Moved" type="rss" xmlUrl="{server.url("/moved")}"/>'
        f'<outline text="Good" type="rss" xmlUrl="{good}"/></body></opml>')
    assert_clean(run_reader("feeds", "import", str(opml), home=home))
    result = run_reader("feeds", "refresh", "--all", "--format", "json", home=home)
    assert_clean(result)
    assert any(r["new_items"] == 1 for r in json.loads(result.stdout))


# --------------------------------------------------------------- 8. disk full

def test_disk_full_during_feed_add_leaves_nothing_half_done(home: Path,
                                                            server: RawServer) -> None:
    items = [{"id": f"i{n}", "url": server.url(f"/s{n}"), "title": f"Story {n}",
              "content_html": "<p>" + "harbour ferry news " * 400 + "</p>"}
             for n in range(200)]
    server.routes["/big"] = http_response(body=json_feed(items),
                                          headers={"Content-Type": "application/feed+json"})
    assert_ok(run_reader("feeds", "list", home=home))  # creates the library
    library = home / "library.sqlite3"
    cap = library.stat().st_size + 256 * 1024

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))

    result = run_reader("feeds", "add", server.url("/big"), home=home, preexec=small_disk)
    assert_error(result)
    assert "no transaction" not in result.stderr
    listing = run_reader("feeds", "list", "--format", "json", home=home)
    assert_ok(listing)
    assert json.loads(listing.stdout) == []
