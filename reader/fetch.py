"""Fetch a web page's bytes with hard limits on time, redirects, size and content type.

A news reader opens whatever URL it is given, so the fetch must stay bounded against any
server: one deadline covers the whole fetch (httpx timeouts bound each wait, not the whole
download), redirects are followed by hand so no redirect body is ever read, and the body
is decoded here, never more than the byte cap, because httpx's own decoder turns a
483-byte ``gzip, gzip`` body into 200 MB in a single chunk before anyone can count it.

Every failure leaves as a :class:`reader.errors.FetchError` with a one-line message.
"""

from __future__ import annotations

import contextvars
import ipaddress
import os
import re
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader import sniff
from reader.errors import FetchError, HTTPStatusError
from reader.fetch_control import Cancel as Cancel
from reader.fetch_control import FetchLimits as FetchLimits

if TYPE_CHECKING:
    # httpx (with its command-line module: click and rich) costs ~60 ms to import;
    # it is imported where a request is made, so commands that fetch nothing skip it;
    # so is asyncio (~25 ms).
    import httpx

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) reader/0.1 (+terminal news reader)"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"
# Only the codings this module can decode under the cap; anything else is refused.
ACCEPT_ENCODING = "gzip, deflate"

ARTICLE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
ALLOWED_SCHEMES = frozenset({"http", "https"})

GZIP_MAGIC = b"\x1f\x8b"

# "localhost:8080/a" parses as scheme "localhost"; it is an address without a scheme.
_HOST_AND_PORT = re.compile(r"^[a-z0-9.-]+:\d", re.IGNORECASE)


@dataclass(frozen=True)
class Wanted:
    """What a fetch is for: the types it takes, the Accept header, how a refusal reads."""

    types: frozenset[str]
    accept: str
    noun: str
    sniff_type: bool = True
    """Name a missing Content-Type from the bytes (articles); feeds leave it to the parser."""

    def accepts(self, content_type: str) -> bool:
        """``image/*`` in ``types`` takes every image type; other entries match exactly."""
        family = content_type.split("/", 1)[0]
        return content_type in self.types or f"{family}/*" in self.types


ARTICLE = Wanted(ARTICLE_TYPES, ACCEPT, "article")


@dataclass(frozen=True)
class Fetched:
    """The page as it arrived: raw bytes (readability reads ``<meta charset>`` itself)."""

    url: str
    content: bytes = field(repr=False)
    content_type: str
    charset: str | None
    headers: dict[str, str] = field(repr=False)
    not_modified: bool = False
    """The server answered 304 to a conditional request: ``content`` is empty."""

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    def text(self) -> str:
        """Decoded text; bad bytes become U+FFFD rather than failing a whole article."""
        return self.content.decode(self.charset or "utf-8", errors="replace")

    @property
    def is_html(self) -> bool:
        return self.content_type in HTML_TYPES


def human_size(n: int) -> str:
    """Sizes for messages in binary units, so the default cap reads "15 MB"."""
    if n < 1024:
        return f"{n} bytes"
    size = n / 1024
    unit = "KB"
    for bigger in ("MB", "GB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:.0f} {unit}" if size == round(size) else f"{size:.1f} {unit}"


def make_client(
    transport: httpx.AsyncBaseTransport | None = None, limits: FetchLimits = FetchLimits(),
    wanted: Wanted = ARTICLE,
) -> httpx.AsyncClient:
    """A client set up for :func:`fetch`: browser-like headers, no automatic redirects.

    Without a transport of the caller's, connections go through
    :class:`reader.pinning.PinnedBackend`, which connects to the address :func:`fetch`
    resolved and checked for each host.
    """
    import httpx

    from reader.pinning import pinned_transport

    return httpx.AsyncClient(
        transport=transport or pinned_transport(),
        follow_redirects=False,
        timeout=httpx.Timeout(limits.timeout, connect=limits.connect_timeout),
        headers={"User-Agent": USER_AGENT, "Accept": wanted.accept,
                 "Accept-Encoding": ACCEPT_ENCODING},
    )


async def fetch(
    url: str, *, client: httpx.AsyncClient | None = None, limits: FetchLimits = FetchLimits(),
    deadline: float | None = None, wanted: Wanted = ARTICLE,
    etag: str | None = None, last_modified: str | None = None,
    followed_from: str | None = None,
) -> Fetched:
    """Fetch ``url`` within ``limits``; a client of our own is made (and closed) if none given.

    ``deadline`` (a ``time.monotonic()`` instant) lets several fetches for one article
    (the page, then its AMP version) share one time budget instead of one each.
    ``etag``/``last_modified`` make the request conditional (feeds): a 304 answer comes
    back as ``Fetched(not_modified=True)`` with no content.
    ``followed_from`` is the page or feed a link was found on (an AMP link, a feed item);
    None means the user typed the URL. See :func:`checked_address` for what that changes.
    """
    import asyncio

    start = checked_url(url)
    conditional = {"Accept": wanted.accept}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    request = _Request(limits, wanted, conditional, followed_from)
    if deadline is None:
        deadline = time.monotonic() + limits.timeout
    try:
        async with asyncio.timeout_at(deadline):
            if client is not None:
                return await _fetch_with(client, start, request)
            async with make_client(limits=limits, wanted=wanted) as own_client:
                return await _fetch_with(own_client, start, request)
    except TimeoutError:
        raise FetchError(f"timed out after {_seconds(limits.timeout)} s") from None


@dataclass(frozen=True)
class _Request:
    limits: FetchLimits
    wanted: Wanted
    headers: dict[str, str]
    followed_from: str | None = None

    @property
    def conditional(self) -> bool:
        return "If-None-Match" in self.headers or "If-Modified-Since" in self.headers


async def _fetch_with(client: httpx.AsyncClient, url: httpx.URL, request: _Request) -> Fetched:
    """Follow redirects by hand: each redirect is closed unread, only the last body is read."""
    limits = request.limits
    pins: dict[str, str] = {}
    token = PINS.set(pins)
    try:
        from_public = None if request.followed_from is None else \
            await _is_public(request.followed_from)
        for hop in range(limits.max_redirects + 1):
            typed = hop == 0 and request.followed_from is None
            address = await checked_address(url, typed=typed, from_public=from_public,
                                            resolved=pins)
            from_public = address.is_global
            response = await _one_hop(client, url, request)
            if isinstance(response, Fetched):
                return response
            url = response
    finally:
        PINS.reset(token)
    raise FetchError(f"too many redirects (more than {limits.max_redirects})")


async def _one_hop(client: httpx.AsyncClient, url: httpx.URL,
                   request: _Request) -> Fetched | httpx.URL:
    """One request: the page, or the URL a redirect points to (its body left unread)."""
    async with _open(client, url, request) as response:
        if response.status_code == 304 and request.conditional:
            return _not_modified(response)
        if not response.is_redirect or "location" not in response.headers:
            return await _accept(response, request)
        return redirect_target(response)


@asynccontextmanager
async def _open(
    client: httpx.AsyncClient, url: httpx.URL, request: _Request
) -> AsyncIterator[httpx.Response]:
    """A streamed response whose body is untouched until asked for, always closed after."""
    built = client.build_request("GET", url, headers={**request.headers,
                                                       "Accept-Encoding": ACCEPT_ENCODING})
    with httpx_errors(url, request.limits):
        response = await client.send(built, stream=True)
    try:
        yield response
    finally:
        with httpx_errors(url, request.limits):
            await response.aclose()


def _headers(response: httpx.Response) -> dict[str, str]:
    return {key.lower(): value for key, value in response.headers.items()}


def _not_modified(response: httpx.Response) -> Fetched:
    return Fetched(url=str(response.url), content=b"", content_type="", charset=None,
                   headers=_headers(response), not_modified=True)


async def _accept(response: httpx.Response, request: _Request) -> Fetched:
    """Check status, declared type and size before reading, then read under the cap."""
    limits, wanted = request.limits, request.wanted
    _check_status(response)
    declared_type, declared_charset = sniff.parse_content_type(
        response.headers.get("content-type"))
    if declared_type and not wanted.accepts(declared_type):
        raise FetchError(f"not {_article(wanted.noun)}: {declared_type}")
    check_content_length(response, limits)
    with httpx_errors(response.url, limits):
        content = await read_capped(response, limits)
    if not content.strip():
        raise FetchError(f"empty {'page' if wanted is ARTICLE else 'response'} "
                         f"from {_host(response.url)}")
    content_type = declared_type
    if not content_type and wanted.sniff_type:
        content_type = _sniffed_type(content)
    return Fetched(
        url=str(response.url),
        content=content,
        content_type=content_type,
        charset=sniff.charset(content, declared_charset, markup=content_type in HTML_TYPES),
        headers=_headers(response),
    )


def _article(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _sniffed_type(content: bytes) -> str:
    """For a page sent without Content-Type: HTML, plain text, or a named refusal."""
    kind = sniff.binary_kind(content)
    if kind is not None:
        raise FetchError(f"not an article: {kind}")
    return "text/html" if sniff.looks_like_html(content) else "text/plain"


def checked_url(url: str) -> httpx.URL:
    """Only web pages: ``file:`` or ``javascript:`` must never be opened by a pasted link."""
    import httpx

    text = url.strip()
    if not text:
        raise FetchError("no URL given")
    try:
        parsed = httpx.URL(text)
    except httpx.InvalidURL as error:
        raise FetchError(f"invalid URL: {_short_reason(error)}") from None
    scheme = parsed.scheme.lower()
    if not scheme or _HOST_AND_PORT.match(text):
        raise FetchError(f"not a web address: {_clipped(text)} (it needs http:// or https://)")
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(f"unsupported URL scheme: {_clipped(scheme)}")
    if not parsed.host:
        raise FetchError(f"invalid URL: no host in {_clipped(text)}")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise FetchError(f"invalid URL: port {parsed.port} is out of range")
    return parsed


def _clipped(text: str, limit: int = 80) -> str:
    """User text quoted in a message, short enough for one line of a terminal."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def redirect_target(response: httpx.Response) -> httpx.URL:
    """The Location, resolved against the URL that sent it and held to the same rules."""
    import httpx

    location = response.headers["location"]
    try:
        target = response.url.join(location)
    except httpx.InvalidURL:
        raise FetchError(f"bad redirect from {_host(response.url)}") from None
    return checked_url(str(target))


def _check_status(response: httpx.Response) -> None:
    if not response.is_success:
        reason = response.reason_phrase or "error"
        raise HTTPStatusError(f"HTTP {response.status_code} {reason}",
                              status=response.status_code,
                              retry_after=response.headers.get("retry-after"))


def check_content_length(response: httpx.Response, limits: FetchLimits) -> None:
    """Refuse a declared oversize body without downloading any of it."""
    try:
        declared = int(response.headers.get("content-length", ""))
    except ValueError:
        return
    if declared > limits.max_bytes:
        raise _too_large(limits)


async def read_capped(response: httpx.Response, limits: FetchLimits) -> bytes:
    if response.is_stream_consumed:
        return _preloaded(response, limits)
    decoder = _BodyDecoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    async for raw in response.aiter_raw():
        body += decoder.decode(raw, room=limits.max_bytes - len(body))
        if len(body) > limits.max_bytes:
            raise _too_large(limits)
    body += decoder.flush()
    if len(body) > limits.max_bytes:
        raise _too_large(limits)
    return bytes(body)


def _preloaded(response: httpx.Response, limits: FetchLimits) -> bytes:
    """A custom transport may hand back a response already read (and decoded) in memory."""
    if len(response.content) > limits.max_bytes:
        raise _too_large(limits)
    return response.content


def _too_large(limits: FetchLimits) -> FetchError:
    return FetchError(f"page larger than {human_size(limits.max_bytes)}")


class _BodyDecoder:
    """Undoes Content-Encoding yet never yields more than one byte past the room left.

    ``zlib``'s ``max_length`` stops inflating as soon as the cap is crossed, so a bomb costs
    at most the cap in memory, whatever its compression ratio.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in {"gzip", "x-gzip", "deflate"}):
            raise FetchError(f"unsupported content encoding: {content_encoding.strip()}")
        self._coding = codings[0] if codings else None
        self._inflater: Any = None
        self._finished = False

    def decode(self, data: bytes, room: int) -> bytes:
        if self._coding is None:
            return data
        out = bytearray()
        try:
            while data and not self._finished and len(out) <= room:
                inflater = self._inflater_for(data)
                out += inflater.decompress(data, room + 1 - len(out))
                data = inflater.unconsumed_tail
                if inflater.eof:
                    data = self._after_end_of_stream(inflater.unused_data)
        except zlib.error:
            raise FetchError(f"corrupt {self._coding} data in the page") from None
        return bytes(out)

    def _after_end_of_stream(self, rest: bytes) -> bytes:
        """Another gzip member is inflated too; trailing junk is ignored, as browsers do."""
        self._inflater = None
        if self._coding != "deflate" and rest.startswith(GZIP_MAGIC):
            return rest
        self._finished = True
        return b""

    def flush(self) -> bytes:
        if self._inflater is None:
            return b""
        try:
            return bytes(self._inflater.flush())
        except zlib.error:
            raise FetchError(f"corrupt {self._coding} data in the page") from None

    def _inflater_for(self, first_bytes: bytes) -> Any:
        if self._inflater is None:
            self._inflater = zlib.decompressobj(_window_bits(self._coding, first_bytes))
        return self._inflater


def _window_bits(coding: str | None, first_bytes: bytes) -> int:
    """gzip framing, zlib framing, or the raw deflate some servers send as "deflate"."""
    if coding in {"gzip", "x-gzip"}:
        return 16 + zlib.MAX_WBITS
    has_zlib_header = (
        len(first_bytes) >= 2
        and first_bytes[0] & 0x0F == 8
        and (first_bytes[0] << 8 | first_bytes[1]) % 31 == 0
    )
    return zlib.MAX_WBITS if has_zlib_header else -zlib.MAX_WBITS


@contextmanager
def httpx_errors(url: httpx.URL, limits: FetchLimits) -> Iterator[None]:
    """Turn httpx's exceptions into one human line that names the host."""
    import httpx

    host = _host(url)
    try:
        yield
    except httpx.ConnectTimeout:
        raise FetchError(
            f"could not connect to {host}: timed out after {_seconds(limits.connect_timeout)} s"
        ) from None
    except httpx.TimeoutException:
        raise FetchError(f"timed out: {host} stopped responding") from None
    except httpx.ConnectError as error:
        raise FetchError(f"could not connect to {host}: {_short_reason(error)}") from None
    except httpx.UnsupportedProtocol:
        raise FetchError(f"unsupported URL scheme: {url.scheme}") from None
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as error:
        raise FetchError(f"could not fetch {host}: {_short_reason(error)}") from None


def _short_reason(error: BaseException) -> str:
    """The most telling one-liner: the OS's reason if one is chained, else the first line.

    httpx says "All connection attempts failed" where the chained OS error says
    "Connection refused"; asyncio's own wording even carries the raw address tuple.
    """
    os_reason = _os_reason(error)
    if os_reason:
        return os_reason
    lines = str(error).strip().splitlines()
    reason = re.sub(r"^\[Errno [^\]]*\]\s*", "", lines[0]) if lines else ""
    return reason or type(error).__name__


def _os_reason(error: BaseException) -> str | None:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            detail = getattr(cause, "verify_message", None) or getattr(cause, "reason", None)
            return f"TLS error: {detail}" if detail else "TLS error"
        if isinstance(cause, socket.gaierror) and cause.strerror:
            return cause.strerror
        if isinstance(cause, OSError) and cause.errno and cause.errno > 0:
            return os.strerror(cause.errno)
        cause = cause.__cause__ or cause.__context__
    return None


def _host(url: httpx.URL) -> str:
    return url.host or str(url)


def _seconds(value: float) -> str:
    return f"{value:g}"


# ------------------------------------------------------------------ address rules
#
# A page, a redirect or a feed can point anywhere, including at the machine's own
# services: cloud metadata on 169.254.169.254, a router's admin page. So every hop's host
# is resolved once, checked, and the connection made to that checked address (a second
# lookup could answer differently: DNS rebinding). What the user typed is theirs to open,
# loopback and private hosts included; what a page or feed led to is held to the rules.

_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
PINS: contextvars.ContextVar[dict[str, str]] = contextvars.ContextVar("reader_fetch_pins")
"""Host → the address :func:`checked_address` settled on, for the fetch running now."""


def _forbidden_kind(address: _Address) -> str | None:
    """Addresses no link from a page may lead to, whoever typed the first URL."""
    if address.is_unspecified:
        return "an unspecified"
    if address.is_link_local:
        return "a link-local"
    if address.is_multicast:
        return "a multicast"
    return None


def _address_of(host: str) -> _Address | None:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped if mapped is not None else address


async def _resolve(host: str, port: int) -> _Address:
    import asyncio

    literal = _address_of(host)
    if literal is not None:
        return literal
    try:
        infos = await asyncio.to_thread(socket.getaddrinfo, host, port,
                                        type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"could not connect to {host}: {error.strerror or error}") from None
    addresses = [a for a in (_address_of(str(info[4][0])) for info in infos) if a]
    if not addresses:
        raise FetchError(f"could not connect to {host}: no address found")
    # Every answer must pass, not just the first: the client might use any of them.
    bad = next((a for a in addresses if _forbidden_kind(a)), None)
    return bad or addresses[0]


async def _is_public(url: str) -> bool:
    """Whether the page a link was found on is on the public internet (if unsure: yes).

    A ``file:`` URL is a local file the user chose (an imported export): its links may
    lead to the user's own network, but never to link-local or multicast addresses."""
    import httpx

    if url.lower().startswith("file:"):
        return False
    try:
        parsed = httpx.URL(url)
        return (await _resolve(parsed.host, parsed.port or 443)).is_global
    except (FetchError, httpx.InvalidURL):
        return True


async def checked_address(url: httpx.URL, *, typed: bool, from_public: bool | None,
                          resolved: dict[str, str]) -> _Address:
    """The address to connect to for ``url``, or FetchError("refused: ...").

    A URL the user ``typed`` may go anywhere. A redirect, AMP link or feed item link
    may not lead to a link-local, unspecified or multicast address, nor from a public
    host to a private or loopback one. ``resolved`` maps host to address for this fetch:
    a host is looked up once, and the connection goes to that address.
    """
    host = url.host
    known = resolved.get(host)
    address = _address_of(known) if known else await _resolve(host, url.port or 443)
    assert address is not None
    if not typed:
        kind = _forbidden_kind(address)
        if kind is None and from_public and not address.is_global and (
                address.is_private or address.is_loopback):
            kind = "a private or loopback"
        if kind is not None:
            raise FetchError(f"refused: a link to {_clipped(host)} leads to {kind} "
                             f"address ({address})")
    resolved[host] = str(address)
    return address
