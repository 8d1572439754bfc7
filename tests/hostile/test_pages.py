"""Pages from a hostile server, read with ``reader extract`` (issue 12: causes 1-4,
and the degraded fetch and extraction cases)."""

from __future__ import annotations

import gzip
import socket
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import (
    ESC_RED,
    HOSTILE,
    PARAGRAPH,
    RawServer,
    Result,
    article_html,
    assert_clean,
    assert_error,
    assert_ok,
    http_response,
    run_reader,
)


def extract(server: RawServer, path: str, home: Path, *more: str) -> Result:
    return run_reader("extract", server.url(path), *more, home=home)


# ---------------------------------------------------------- 1. escapes from a page

def test_escape_sequences_in_page_title_and_text_are_shown_not_obeyed(
        server: RawServer, home: Path) -> None:
    body = "".join(f"<p>{PARAGRAPH}{HOSTILE}</p>" for _ in range(3))
    server.routes["/a"] = http_response(body=article_html(title=HOSTILE, body=body))
    result = run_reader("extract", server.url("/a"), home=home)
    assert_ok(result)
    assert "Calm" in result.stdout and "harbour" in result.stdout


def test_escape_sequences_stay_out_of_json_output(server: RawServer, home: Path) -> None:
    body = "".join(f"<p>{PARAGRAPH}{HOSTILE}</p>" for _ in range(3))
    server.routes["/a"] = http_response(body=article_html(title=HOSTILE, body=body,
                                        extra_head=f"<meta name='author' content='{HOSTILE}'>"))
    result = run_reader("extract", server.url("/a"), "--format", "json", home=home)
    assert_ok(result)
    assert "\\u001b" not in result.stdout


def test_escape_in_http_reason_phrase(server: RawServer, home: Path) -> None:
    server.routes["/a"] = http_response(f"500 {ESC_RED}Broken\x9b2J", b"no")
    assert_error(run_reader("extract", server.url("/a"), home=home), "500")


def test_escape_in_url_typed_by_the_user(server: RawServer, home: Path) -> None:
    result = run_reader("extract", server.url("/\x1b[41mx\x9b"), home=home)
    assert_clean(result)
    assert result.returncode != 0


def test_escape_in_redirect_location(server: RawServer, home: Path) -> None:
    server.routes["/a"] = http_response("302 Found", headers={"Location": "/\x1b[41m\x9bz"})
    assert_error(run_reader("extract", server.url("/a"), home=home))


# ------------------------------------------------------ 2. no body, truncated HTML

@pytest.mark.parametrize("page", [
    b"<html><head><title>Cou",
    b"<html><head><title>Only a head</title></head></html>",
    b"<html><head><title>A</title></head><body></body><body><p>two</p></body></html>",
    b"<html><frameset><frame src='a'></frameset></html>",
    b"<!doctype html><p>" + b"<b>" * 40,
], ids=["truncated", "head-only", "two-bodies", "frameset", "tags-only"])
def test_pages_without_a_usable_body(server: RawServer, home: Path, page: bytes) -> None:
    server.routes["/a"] = http_response(body=page)
    assert_clean(extract(server, "/a", home))


def test_body_longer_than_content_length(server: RawServer, home: Path) -> None:
    page = article_html()
    server.routes["/a"] = http_response(body=page, length=len(page) // 3)
    assert_clean(extract(server, "/a", home))


def test_body_shorter_than_content_length(server: RawServer, home: Path) -> None:
    page = article_html()
    server.routes["/a"] = http_response(body=page, length=len(page) + 5000)
    assert_clean(extract(server, "/a", home))


def test_truncated_local_file(home: Path) -> None:
    (home / "cut.html").write_bytes(b"<html><head><title>Cou")
    assert_clean(run_reader("extract", str(home / "cut.html"), home=home))


# ------------------------------------------------------------ 3. 3xx without Location

@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "303 See Other",
                                    "307 Temporary Redirect", "308 Permanent Redirect",
                                    "304 Not Modified"])
def test_redirect_status_without_location(server: RawServer, home: Path, status: str) -> None:
    server.routes["/a"] = http_response(status, b"")
    assert_error(extract(server, "/a", home), status.split()[0])


def test_redirect_loop_stops(server: RawServer, home: Path) -> None:
    server.routes["/a"] = http_response("302 Found", headers={"Location": "/b"})
    server.routes["/b"] = http_response("302 Found", headers={"Location": "/a"})
    assert_error(extract(server, "/a", home), "redirect")


def test_redirect_to_a_file_url_is_refused(server: RawServer, home: Path) -> None:
    server.routes["/a"] = http_response("302 Found", headers={"Location": "file:///etc/passwd"})
    assert_error(extract(server, "/a", home), "scheme")


# ----------------------------------------------------------------- 4. bad ports

@pytest.mark.parametrize("port", ["99999", "65536", "4294967297", "-1"])
def test_port_out_of_range(home: Path, port: str) -> None:
    result = run_reader("extract", f"http://127.0.0.1:{port}/a", home=home)
    assert_error(result)


# ------------------------------------------------------- bombs, slow, wrong sizes

def test_gzip_bomb_stops_at_the_cap(server: RawServer, home: Path) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * (40 * 1024 * 1024))
    server.routes["/a"] = http_response(body=bomb, headers={"Content-Encoding": "gzip"})
    assert_error(extract(server, "/a", home), "larger")


def test_slowloris_is_bounded_by_the_deadline(server: RawServer, home: Path) -> None:
    def drip(sock: socket.socket, _request: str) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>")
        for _ in range(600):
            time.sleep(0.5)
            sock.sendall(b"a ")

    server.routes["/a"] = drip
    (home / "config.toml").write_text("[reader]\ntimeout = 3\n")
    result = run_reader("extract", server.url("/a"), home=home, timeout=60)
    assert_error(result, "timed out")
    assert result.seconds < 30


def test_binary_served_as_html_gives_one_line(server: RawServer, home: Path) -> None:
    blob = bytes(range(256)) * 64
    server.routes["/a"] = http_response(body=blob, headers={"Content-Type": "text/html"})
    result = extract(server, "/a", home)
    assert_error(result)
    assert len(result.stderr.strip().splitlines()) == 1


def test_png_served_as_html(server: RawServer, home: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00IHDR" + bytes(range(200)) * 20
    server.routes["/a"] = http_response(body=png, headers={"Content-Type": "text/html"})
    result = extract(server, "/a", home)
    assert_error(result)
    assert len(result.stderr.strip().splitlines()) == 1


def test_utf16_charset_header_without_bom(server: RawServer, home: Path) -> None:
    page = article_html(title="Fähre genehmigt").decode().replace("<meta charset='utf-8'>", "")
    server.routes["/a"] = http_response(body=page.encode("utf-16-le"),
                                        headers={"Content-Type": "text/html; charset=utf-16le"})
    result = extract(server, "/a", home)
    assert_ok(result)
    assert "Fähre genehmigt" in result.stdout
    assert "harbour authority" in result.stdout


def test_utf16_charset_name_without_endianness(server: RawServer, home: Path) -> None:
    page = article_html().decode().replace("<meta charset='utf-8'>", "")
    server.routes["/a"] = http_response(body=page.encode("utf-16-le"),
                                        headers={"Content-Type": "text/html; charset=utf-16"})
    result = extract(server, "/a", home)
    assert_ok(result)
    assert "harbour authority" in result.stdout


def test_bogus_charset_header(server: RawServer, home: Path) -> None:
    server.routes["/a"] = http_response(
        body=article_html(), headers={"Content-Type": "text/html; charset=x-no-such-thing"})
    result = extract(server, "/a", home)
    assert_ok(result)
    assert "harbour authority" in result.stdout


@pytest.mark.parametrize("depth", [400, 1500])
def test_text_nested_deeper_than_256_elements_is_kept(server: RawServer, home: Path,
                                                      depth: int) -> None:
    deep = "<div>" * depth + f"<p>{PARAGRAPH * 3}</p>" + "</div>" * depth
    server.routes["/a"] = http_response(body=article_html(body=deep))
    result = extract(server, "/a", home)
    assert_ok(result)
    assert "harbour authority" in result.stdout


def test_text_inside_unclosed_inline_tags_is_kept(server: RawServer, home: Path) -> None:
    page = (f"<html><head><title>Ferry</title></head><body><p><b><i>{PARAGRAPH * 3}"
            f"<p>{PARAGRAPH}").encode()
    server.routes["/a"] = http_response(body=page)
    result = extract(server, "/a", home)
    assert_ok(result)
    assert "harbour authority" in result.stdout


def test_paywall_teaser_says_so(server: RawServer, home: Path) -> None:
    page = (b"<html><head><title>Big story</title></head><body><article>"
            b"<p>The council met on Tuesday.</p>"
            b"<div class='paywall'>Subscribe to continue reading.</div></article></body></html>")
    server.routes["/a"] = http_response(body=page)
    result = extract(server, "/a", home)
    assert_clean(result)
    notice = result.stderr.lower()
    assert "words" in notice and ("teaser" in notice or "paywall" in notice)


def test_amp_fallback_shares_the_deadline(server: RawServer, home: Path) -> None:
    def slow_amp(sock: socket.socket, _request: str) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>")
        for _ in range(100):
            time.sleep(0.5)
            sock.sendall(b"word ")

    def slow_page(sock: socket.socket, _request: str) -> None:
        time.sleep(2.0)
        sock.sendall(http_response(body=(
            f"<html><head><title>Shell</title><link rel='amphtml' href='{server.url('/amp')}'>"
            f"</head><body><div id='app'>Loading</div></body></html>").encode()))

    server.routes["/a"] = slow_page
    server.routes["/amp"] = slow_amp
    (home / "config.toml").write_text("[reader]\ntimeout = 4\n")
    result = run_reader("extract", server.url("/a"), home=home, timeout=60)
    assert_clean(result)
    assert result.seconds < 4 + 6, f"took {result.seconds:.1f} s for a 4 s deadline"
