"""Where a fetch may go (issue 12, degraded: address rules).

Redirects, AMP links and feed item links must not lead to link-local, unspecified or
multicast addresses, nor from a public host to a private or loopback one; a URL the user
typed for a loopback or private host stays allowed. The host is resolved once and the
connection goes to the address that was checked.

Nothing here sends a packet: the network is ``httpx.MockTransport`` and the resolver is
patched (``socket.getaddrinfo``), except one case against a server on 127.0.0.1.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reader import feeds
from reader.errors import ReaderError
from reader.fetch import make_client
from reader.library import db as library_db
from reader.sources import Source, load
from tests.hostile.conftest import PARAGRAPH, RawServer, article_html, http_response

PUBLIC = "93.184.215.14"
NAMES = {"news.example": PUBLIC, "amp.example": PUBLIC, "meta.example": "169.254.169.254",
         "intranet.example": "10.0.0.7", "router.example": "192.168.1.1",
         "v6local.example": "fe80::1", "rebind.example": PUBLIC}


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A fake DNS: names above resolve to fixed addresses; lookups are recorded."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def fake(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in NAMES:
            asked.append(name)
            address = NAMES[name]
            if name == "rebind.example" and asked.count(name) > 1:
                address = "169.254.169.254"
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr: tuple[Any, ...] = (address, port or 80, 0, 0) if family == \
                socket.AF_INET6 else (address, port or 80)
            return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


class Recorder:
    """A MockTransport handler that answers per URL and records every request."""

    def __init__(self, routes: dict[str, Callable[[httpx.Request], httpx.Response]]) -> None:
        self.routes = routes
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        route = self.routes.get(str(request.url))
        return route(request) if route else httpx.Response(404)

    @property
    def hosts(self) -> list[str]:
        return [r.url.host for r in self.seen]


def redirect(to: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _r: httpx.Response(302, headers={"Location": to})


def page(body: bytes | None = None) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _r: httpx.Response(200, headers={"Content-Type": "text/html"},
                                     content=body or article_html())


def load_with(recorder: Recorder, url: str) -> Any:
    return load(url, transport=httpx.MockTransport(recorder))


FORBIDDEN_REDIRECTS = {
    "link-local-v4": "http://169.254.169.254/latest/meta-data/",
    "link-local-v6": "http://[fe80::1]/",
    "unspecified-v4": "http://0.0.0.0/",
    "unspecified-v6": "http://[::]/",
    "multicast": "http://224.0.0.1/",
    "public-to-loopback": "http://127.0.0.1/admin",
    "public-to-private": "http://10.0.0.7/",
    "name-to-link-local": "http://meta.example/",
    "name-to-private": "http://intranet.example/",
    "name-to-v6-link-local": "http://v6local.example/",
}


@pytest.mark.parametrize("target", FORBIDDEN_REDIRECTS.values(), ids=FORBIDDEN_REDIRECTS.keys())
def test_redirect_to_a_forbidden_address_is_refused_unsent(resolver: list[str],
                                                           target: str) -> None:
    recorder = Recorder({"http://news.example/a": redirect(target), target: page()})
    with pytest.raises(ReaderError, match="refused"):
        load_with(recorder, "http://news.example/a")
    assert recorder.hosts == ["news.example"]


def test_typed_private_and_loopback_urls_stay_allowed(resolver: list[str]) -> None:
    for url in ("http://10.0.0.7/a", "http://router.example/a", "http://127.0.0.1:8080/a"):
        recorder = Recorder({url: page()})
        assert "harbour authority" in load_with(recorder, url).article.text


def test_private_to_private_redirect_is_allowed(resolver: list[str]) -> None:
    recorder = Recorder({"http://10.0.0.7/a": redirect("http://intranet.example/b"),
                         "http://intranet.example/b": page()})
    assert "harbour authority" in load_with(recorder, "http://10.0.0.7/a").article.text


def test_amp_link_to_link_local_is_refused_unsent(resolver: list[str]) -> None:
    shell = (b"<html><head><title>Shell</title><link rel='amphtml' "
             b"href='http://169.254.169.254/amp'></head><body><p>Loading</p></body></html>")
    recorder = Recorder({"http://news.example/a": page(shell),
                         "http://169.254.169.254/amp": page()})
    try:
        load_with(recorder, "http://news.example/a")
    except ReaderError:
        pass
    assert "169.254.169.254" not in recorder.hosts


def test_amp_link_from_public_page_to_loopback_is_refused(resolver: list[str]) -> None:
    shell = (b"<html><head><title>Shell</title><link rel='amphtml' "
             b"href='http://127.0.0.1/amp'></head><body><p>Loading</p></body></html>")
    recorder = Recorder({"http://news.example/a": page(shell), "http://127.0.0.1/amp": page()})
    try:
        load_with(recorder, "http://news.example/a")
    except ReaderError:
        pass
    assert "127.0.0.1" not in recorder.hosts


def test_feed_item_link_to_link_local_is_refused(resolver: list[str], tmp_path: Path) -> None:
    rss = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>'
           b"<item><guid>1</guid><title>Trap</title>"
           b"<link>http://169.254.169.254/latest/</link>"
           b"<description>Short summary.</description></item></channel></rss>")
    recorder = Recorder({
        "http://news.example/feed": lambda _r: httpx.Response(
            200, headers={"Content-Type": "application/rss+xml"}, content=rss),
        "http://169.254.169.254/latest/": page()})
    library = tmp_path / "lib.sqlite3"
    connection = library_db.connect(library)
    try:
        async_client = make_client(httpx.MockTransport(recorder))
        feeds.add_feed_sync(connection, "http://news.example/feed", client=async_client)
        item = feeds.feed_items(connection)[0]
    finally:
        connection.close()
    loaded = load(Source("item", str(item.id)), library=library,
                  transport=httpx.MockTransport(recorder))
    assert "169.254.169.254" not in recorder.hosts
    assert loaded.warning and "refused" in loaded.warning


def test_host_is_resolved_once_per_fetch(resolver: list[str]) -> None:
    recorder = Recorder({"http://rebind.example/a": redirect("http://rebind.example/b"),
                         "http://rebind.example/b": page()})
    assert "harbour" in load_with(recorder, "http://rebind.example/a").article.text
    assert resolver.count("rebind.example") == 1


@pytest.fixture
def local_server() -> Iterator[RawServer]:
    running = RawServer()
    yield running
    running.close()


def test_connection_goes_to_the_checked_address(resolver: list[str],
                                                local_server: RawServer) -> None:
    """A name the fake DNS maps to 127.0.0.1 (typed by the user, so allowed) is fetched
    from the local server: the connection used the address that was resolved and checked,
    and the server still saw the name in the Host header."""
    NAMES["typed.example"] = "127.0.0.1"
    seen: list[str] = []

    def answer(sock: socket.socket, request: str) -> None:
        seen.append(request)
        sock.sendall(http_response(body=article_html()))

    local_server.routes["/a"] = answer
    try:
        loaded = load(f"http://typed.example:{local_server.port}/a")
    finally:
        del NAMES["typed.example"]
    assert PARAGRAPH.split()[1] in loaded.article.text
    assert resolver.count("typed.example") == 1
    assert f"host: typed.example:{local_server.port}" in seen[0].lower()


def test_feed_discovered_on_a_public_page_may_not_point_inside(resolver: list[str],
                                                              tmp_path: Path) -> None:
    page_html = (b"<html><head><link rel='alternate' type='application/rss+xml' "
                 b"href='http://169.254.169.254/feed'></head><body>hi</body></html>")
    recorder = Recorder({"http://news.example/": page(page_html),
                         "http://169.254.169.254/feed": page()})
    connection = library_db.connect(tmp_path / "lib.sqlite3")
    try:
        with pytest.raises(ReaderError, match="refused"):
            feeds.add_feed_sync(connection, "http://news.example/",
                                client=make_client(httpx.MockTransport(recorder)))
        assert feeds.list_feeds(connection) == []
    finally:
        connection.close()
    assert "169.254.169.254" not in recorder.hosts
