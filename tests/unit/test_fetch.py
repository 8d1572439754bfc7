"""reader.fetch against in-process servers (httpx.MockTransport): no request leaves the test."""

from __future__ import annotations

import asyncio
import codecs
import functools
import gzip
import socket
import ssl
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable

import httpx
import pytest

from reader.errors import FetchError
from reader.fetch import Fetched, FetchLimits, fetch, human_size, make_client

Handler = Callable[[httpx.Request], httpx.Response]
DEFAULTS = FetchLimits()
AnyHandler = Handler | Callable[[httpx.Request], Coroutine[None, None, httpx.Response]]

HTML = b"<!doctype html><html><head><title>Port reopens</title></head><body><p>Ships sail.</p>"
CYRILLIC = (
    "Городской совет утвердил новый бюджет на следующий год. Расходы на школы и "
    "больницы вырастут, а строительство новой дороги отложено до весны."
)


class CountingStream(httpx.AsyncByteStream):
    """A body served chunk by chunk, remembering how far the client read it."""

    def __init__(self, chunks: Iterable[bytes], pause: float = 0.0) -> None:
        self.chunks = list(chunks)
        self.pause = pause
        self.served = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            if self.pause:
                await asyncio.sleep(self.pause)
            self.served += 1
            yield chunk


def client_for(handler: AnyHandler) -> httpx.AsyncClient:
    return make_client(httpx.MockTransport(handler))


def streamed(body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    """A 200 whose body arrives as a stream, as from a socket (``content=`` is pre-read)."""
    return httpx.Response(200, headers=headers or {}, stream=CountingStream([body]))


def page(body: bytes = HTML, content_type: str = "text/html; charset=utf-8") -> Handler:
    return lambda request: streamed(body, {"content-type": content_type})


def bare(body: bytes) -> Handler:
    """A page served without any Content-Type header."""
    return lambda request: streamed(body)


async def fetch_from(
    handler: AnyHandler, url: str = "https://news.test/a", limits: FetchLimits = DEFAULTS
) -> Fetched:
    async with client_for(handler) as client:
        return await fetch(url, client=client, limits=limits)


async def fetch_error(
    handler: AnyHandler, url: str = "https://news.test/a", limits: FetchLimits = DEFAULTS
) -> str:
    """The FetchError's message, checked to be the one line the user will see."""
    with pytest.raises(FetchError) as caught:
        await fetch_from(handler, url, limits)
    message = str(caught.value)
    assert "\n" not in message
    return message


@functools.cache
def gzip_bomb() -> bytes:
    """50 MB of zeros in about 230 KB of gzip (built once: compressing takes ~0.3 s)."""
    return gzip.compress(bytes(50 * 1024 * 1024), compresslevel=1)


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


# --- the happy path -----------------------------------------------------------------------


async def test_html_page_is_returned_with_bytes_type_charset_and_headers() -> None:
    fetched = await fetch_from(page())
    assert fetched.url == "https://news.test/a"
    assert fetched.content == HTML
    assert fetched.content_type == "text/html"
    assert fetched.is_html
    assert fetched.charset == "utf-8"
    assert fetched.headers["content-type"] == "text/html; charset=utf-8"
    assert "Ships sail." in fetched.text()


async def test_requests_look_like_a_browser_naming_reader() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return page()(request)

    await fetch_from(handler)
    user_agent = seen[0].headers["user-agent"]
    assert user_agent.startswith("Mozilla/5.0")
    assert "reader/" in user_agent
    assert seen[0].headers["accept-encoding"] == "gzip, deflate"


async def test_plain_text_and_xhtml_are_accepted() -> None:
    text = await fetch_from(page(b"Just words.", "text/plain"))
    assert (text.content_type, text.is_html) == ("text/plain", False)
    xhtml = await fetch_from(page(HTML, "application/xhtml+xml"))
    assert (xhtml.content_type, xhtml.is_html) == ("application/xhtml+xml", True)


async def test_gzip_body_is_decoded() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/html", "content-encoding": "gzip"}
        return streamed(gzip.compress(HTML), headers)

    assert (await fetch_from(handler)).content == HTML


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
async def test_deflate_body_is_decoded_with_or_without_zlib_header(wbits: int) -> None:
    packer = zlib.compressobj(wbits=wbits)
    body = packer.compress(HTML) + packer.flush()

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/html", "content-encoding": "deflate"}
        return streamed(body, headers)

    assert (await fetch_from(handler)).content == HTML


async def test_gzip_with_two_members_and_trailing_junk_is_decoded() -> None:
    body = gzip.compress(HTML[:20]) + gzip.compress(HTML[20:]) + b"\0\0junk"

    def handler(request: httpx.Request) -> httpx.Response:
        return streamed(body, {"content-type": "text/html", "content-encoding": "gzip"})

    assert (await fetch_from(handler)).content == HTML


async def test_body_already_read_by_a_custom_transport_is_used_and_capped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, content=HTML)

    assert (await fetch_from(handler)).content == HTML
    message = await fetch_error(handler, limits=FetchLimits(max_bytes=10))
    assert message == "page larger than 10 bytes"


# --- redirects ----------------------------------------------------------------------------


async def test_redirects_are_followed_including_relative_locations() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "https://news.test/moved/here"})
        if request.url.path == "/moved/here":
            return httpx.Response(302, headers={"location": "../final?x=1"})
        return page()(request)

    fetched = await fetch_from(handler, "https://news.test/old")
    assert fetched.url == "https://news.test/final?x=1"
    assert fetched.content == HTML


async def test_too_many_redirects() -> None:
    hops: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hops.append(str(request.url))
        return httpx.Response(302, headers={"location": f"/hop{len(hops)}"})

    message = await fetch_error(handler)
    assert message == "too many redirects (more than 10)"
    assert len(hops) == 11


async def test_redirect_limit_is_configurable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "/again"})

    message = await fetch_error(handler, limits=FetchLimits(max_redirects=2))
    assert message == "too many redirects (more than 2)"


async def test_redirect_body_is_never_read() -> None:
    huge = CountingStream([b"x" * 1024 * 1024] * 200)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/a":
            return httpx.Response(302, headers={"location": "/b"}, stream=huge)
        return page()(request)

    fetched = await fetch_from(handler)
    assert fetched.url == "https://news.test/b"
    assert huge.served == 0


async def test_redirect_to_another_scheme_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "file:///etc/passwd"})

    assert await fetch_error(handler) == "unsupported URL scheme: file"


# --- size caps ----------------------------------------------------------------------------


async def test_large_plain_body_stops_at_the_cap() -> None:
    body = CountingStream([b"a" * 64 * 1024] * 1000)  # 62.5 MB

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/plain"}, stream=body)

    message = await fetch_error(handler, limits=FetchLimits(max_bytes=1024 * 1024))
    assert message == "page larger than 1 MB"
    assert body.served <= 17


async def test_content_length_over_the_cap_is_refused_before_reading() -> None:
    body = CountingStream([b"a" * 1024])

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/html", "content-length": str(16 * 1024 * 1024)}
        return httpx.Response(200, headers=headers, stream=body)

    assert await fetch_error(handler) == "page larger than 15 MB"
    assert body.served == 0


async def test_gzip_bomb_stops_at_the_decoded_cap() -> None:
    body = CountingStream(chunked(gzip_bomb(), 1024))

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/html", "content-encoding": "gzip"}
        return httpx.Response(200, headers=headers, stream=body)

    assert await fetch_error(handler) == "page larger than 15 MB"
    assert body.served < len(body.chunks) // 2


async def test_gzip_bomb_in_one_chunk_never_inflates_past_the_cap() -> None:
    bomb = gzip_bomb()
    cap = 2 * 1024 * 1024

    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/html", "content-encoding": "gzip"}
        return streamed(bomb, headers)

    tracemalloc.start()
    try:
        message = await fetch_error(handler, limits=FetchLimits(max_bytes=cap))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message == "page larger than 2 MB"
    assert peak < 4 * cap


async def test_stacked_encodings_are_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/html", "content-encoding": "gzip, gzip"}
        return streamed(gzip.compress(gzip.compress(HTML)), headers)

    assert await fetch_error(handler) == "unsupported content encoding: gzip, gzip"


async def test_corrupt_gzip_is_a_fetch_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "text/html", "content-encoding": "gzip"}
        return streamed(b"\x1f\x8bnot really gzip", headers)

    assert await fetch_error(handler) == "corrupt gzip data in the page"


# --- time ---------------------------------------------------------------------------------


async def test_slow_body_hits_the_overall_deadline() -> None:
    trickle = CountingStream((b"<p>" for _ in range(1000)), pause=0.05)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, stream=trickle)

    started = time.monotonic()
    message = await fetch_error(handler, limits=FetchLimits(timeout=0.3))
    assert message == "timed out after 0.3 s"
    assert time.monotonic() - started < 1.0
    assert 0 < trickle.served < 1000


async def test_deadline_spans_all_redirect_hops() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.1)  # each hop well inside any per-wait timeout
        return httpx.Response(302, headers={"location": "/next"})

    started = time.monotonic()
    message = await fetch_error(handler, limits=FetchLimits(timeout=0.3))
    assert message == "timed out after 0.3 s"
    assert time.monotonic() - started < 1.0


async def test_server_that_never_answers_hits_the_deadline() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200)

    started = time.monotonic()
    message = await fetch_error(handler, limits=FetchLimits(timeout=0.3))
    assert message == "timed out after 0.3 s"
    assert time.monotonic() - started < 1.0


# --- content types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["application/pdf", "image/png", "application/json; charset=utf-8"]
)
async def test_other_content_types_are_named_and_not_downloaded(content_type: str) -> None:
    body = CountingStream([b"{}"])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": content_type}, stream=body)

    message = await fetch_error(handler)
    assert message == f"not an article: {content_type.split(';')[0]}"
    assert body.served == 0


async def test_missing_content_type_is_sniffed_as_html_or_text() -> None:
    html = await fetch_from(bare(b"\n  <!DOCTYPE HTML><html><body>Hi</body></html>"))
    assert html.content_type == "text/html"
    text = await fetch_from(bare(b"A plain note about the harbour."))
    assert text.content_type == "text/plain"


async def test_missing_content_type_with_binary_body_is_refused() -> None:
    pdf = await fetch_error(bare(b"%PDF-1.7\n..."))
    assert pdf == "not an article: a PDF document"
    blob = await fetch_error(bare(bytes(range(256)) * 4))
    assert blob == "not an article: binary data"


async def test_empty_page_is_an_error() -> None:
    assert await fetch_error(page(b"")) == "empty page from news.test"


# --- charsets -----------------------------------------------------------------------------


async def test_charset_from_header_wins_over_meta() -> None:
    body = b'<html><head><meta charset="utf-8"></head><body>caf\xe9</body></html>'
    fetched = await fetch_from(page(body, "text/html; charset=ISO-8859-1"))
    assert fetched.charset == "cp1252"
    assert "café" in fetched.text()


@pytest.mark.parametrize(
    "meta",
    [
        b'<meta charset="windows-1251">',
        b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    ],
)
async def test_charset_from_meta_when_header_has_none(meta: bytes) -> None:
    body = b"<html><head>" + meta + b"</head><body><p>" + CYRILLIC.encode("cp1251") + b"</p>"
    fetched = await fetch_from(page(body, "text/html"))
    assert fetched.charset == "cp1251"
    assert CYRILLIC in fetched.text()


async def test_meta_charset_is_ignored_for_plain_text() -> None:
    body = '<meta charset="cp1251"> naïve'.encode()
    fetched = await fetch_from(page(body, "text/plain"))
    assert fetched.charset == "utf-8"


async def test_bogus_declared_charset_falls_through_to_detection() -> None:
    fetched = await fetch_from(page("Zoë".encode(), "text/html; charset=no-such-codec"))
    assert fetched.charset == "utf-8"
    assert fetched.text() == "Zoë"


async def test_undeclared_cyrillic_is_detected() -> None:
    body = CYRILLIC.encode("cp1251")
    fetched = await fetch_from(bare(body))
    assert fetched.charset == "cp1251"
    assert fetched.text() == CYRILLIC


async def test_byte_order_mark_decides_the_charset() -> None:
    body = codecs.BOM_UTF8 + "Zoë".encode()
    fetched = await fetch_from(page(body, "text/plain; charset=cp1252"))
    assert fetched.charset == "utf-8-sig"
    assert fetched.text() == "Zoë"


# --- bad URLs, HTTP errors, network errors ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("ftp://files.test/a", "ftp"),
        ("file:///etc/passwd", "file"),
        ("javascript:alert(1)", "javascript"),
    ],
)
async def test_non_web_schemes_are_refused_before_any_request(url: str, scheme: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    assert await fetch_error(handler, url) == f"unsupported URL scheme: {scheme}"


async def test_unsupported_scheme_needs_no_client() -> None:
    with pytest.raises(FetchError, match="unsupported URL scheme: ftp"):
        await fetch("ftp://files.test/a")


@pytest.mark.parametrize("address", ["news.test/a", "localhost:8080/a", "//news.test/a"])
async def test_address_without_scheme_says_what_is_missing(address: str) -> None:
    message = await fetch_error(page(), address)
    assert message == f"not a web address: {address} (it needs http:// or https://)"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("  ", "no URL given"),
        ("https:///path", "invalid URL: no host in https:///path"),
        ("https://news.test/\nnext", "invalid URL: Invalid non-printable ASCII character in URL"),
    ],
)
async def test_malformed_urls_are_refused_in_one_line(url: str, expected: str) -> None:
    message = await fetch_error(page(), url)
    assert message.startswith(expected)


async def test_long_addresses_are_clipped_in_messages() -> None:
    message = await fetch_error(page(), "x" * 500)
    assert len(message) <= 130
    assert "…" in message


@pytest.mark.parametrize(
    ("status", "expected"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
async def test_http_errors_read_like_the_status_line(status: int, expected: str) -> None:
    assert await fetch_error(lambda request: httpx.Response(status, text="oops")) == expected


async def test_connection_error_is_one_clean_line() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused\nmore detail", request=request)

    message = await fetch_error(handler, "https://example.com/story")
    assert message == "could not connect to example.com: Connection refused"


def untrusted_certificate() -> ssl.SSLCertVerificationError:
    """Shaped like the error the ssl module raises (it sets these attributes itself)."""
    error = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] (_ssl.c:1006)")
    error.reason = "CERTIFICATE_VERIFY_FAILED"
    error.verify_message = "self-signed certificate"
    return error


@pytest.mark.parametrize(
    ("os_error", "reason"),
    [
        (
            ConnectionRefusedError(111, "Connect call failed ('192.0.2.1', 443)"),
            "Connection refused",
        ),
        (socket.gaierror(-2, "Name or service not known"), "Name or service not known"),
        (untrusted_certificate(), "TLS error: self-signed certificate"),
    ],
)
async def test_connection_error_reason_comes_from_the_os_error_beneath(
    os_error: OSError, reason: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("All connection attempts failed", request=request) from os_error

    message = await fetch_error(handler, "https://example.com/story")
    assert message == f"could not connect to example.com: {reason}"


async def test_connect_timeout_names_the_host() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("", request=request)

    message = await fetch_error(handler, "https://example.com/story")
    assert message == "could not connect to example.com: timed out after 10 s"


async def test_broken_connection_mid_body_is_a_fetch_error() -> None:
    class BrokenStream(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b"<html>"
            raise httpx.RemoteProtocolError("peer closed connection")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, stream=BrokenStream())

    message = await fetch_error(handler)
    assert message == "could not fetch news.test: peer closed connection"


# --- helpers ------------------------------------------------------------------------------


def test_human_size() -> None:
    assert human_size(15 * 1024 * 1024) == "15 MB"
    assert human_size(1536) == "1.5 KB"
    assert human_size(100) == "100 bytes"
    assert human_size(3 * 1024**3) == "3 GB"


# --- conditional requests (feeds use the same fetch) ---------------------------------------


async def test_a_conditional_request_sends_validators_and_reads_304_as_not_modified() -> None:
    sent: list[httpx.Headers] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers)
        return httpx.Response(304, headers={"etag": '"v2"', "last-modified": "Mon, 1 Jun"})

    async with client_for(handler) as client:
        fetched = await fetch("https://news.test/feed", client=client, etag='"v1"',
                              last_modified="Sun, 31 May")
    assert fetched.not_modified and fetched.content == b""
    assert fetched.etag == '"v2"' and fetched.last_modified == "Mon, 1 Jun"
    assert sent[0]["if-none-match"] == '"v1"'
    assert sent[0]["if-modified-since"] == "Sun, 31 May"


@pytest.mark.parametrize("status", [304, 302, 301])
async def test_a_3xx_without_location_or_validators_is_one_line_error(status: int) -> None:
    message = await fetch_error(lambda request: httpx.Response(status))
    assert message.startswith(f"HTTP {status}")


async def test_a_port_out_of_range_is_refused_before_connecting() -> None:
    assert await fetch_error(page(), url="http://news.test:70000/a") == \
        "invalid URL: port 70000 is out of range"
