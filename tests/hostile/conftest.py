"""Hostile-input harness: the real ``reader`` command in a subprocess, crafted servers.

Every case runs ``python -m reader`` with its own ``READER_HOME``, standard input from
/dev/null and a timeout, against servers on 127.0.0.1 that this file starts. A clean
outcome is either a correct result or one line ``reader: error: ...`` with a non-zero
exit; never a traceback, and never a terminal control character on stdout or stderr.
"""

from __future__ import annotations

import json
import os
import re
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[2]
# C0 controls except newline and tab, DEL and the C1 block: what a terminal may obey.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
CASE_TIMEOUT = 40.0

ESC_TITLE = "\x1b]2;pwned\x1b\\"
ESC_RED = "\x1b[41m"
C1_CSI = "\x9b31m"
HOSTILE = f"Calm{ESC_TITLE}{ESC_RED}red{C1_CSI}\x07bell\x00nul\x7fdel"
# The same without NUL, which no command-line argument or file name can hold.
HOSTILE_ARG = HOSTILE.replace("\x00", "")


@dataclass
class Result:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run_reader(*args: str, home: Path, timeout: float = CASE_TIMEOUT,
               stdin_path: str = os.devnull, env: dict[str, str] | None = None,
               preexec: Callable[[], None] | None = None) -> Result:
    """``python -m reader ARGS`` isolated in ``home``; a hang fails the case."""
    environment = {**os.environ, "READER_HOME": str(home), "PYTHONUTF8": "1",
                   "NO_COLOR": "1", **(env or {})}
    start = time.monotonic()
    with open(stdin_path, "rb") as stdin:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "reader", *args], stdin=stdin,
                capture_output=True, timeout=timeout, env=environment, cwd=home,
                preexec_fn=preexec, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"reader {' '.join(args)!r} did not finish in {timeout} s")
    return Result(tuple(args), done.returncode, done.stdout.decode("utf-8", "replace"),
                  done.stderr.decode("utf-8", "replace"), time.monotonic() - start)


def assert_no_controls(result: Result) -> None:
    for name in ("stdout", "stderr"):
        found = CONTROL.search(getattr(result, name))
        assert found is None, f"control character {found.group()!r} on {name}"


def assert_clean(result: Result) -> None:
    """A correct result or a one-line error; no traceback, no control characters."""
    assert_no_controls(result)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        assert lines, "failed without saying why"
        assert lines[-1].startswith("reader: error: "), result.stderr[-2000:]
        assert len([x for x in lines if x.startswith("reader: error")]) == 1


def assert_error(result: Result, *words: str) -> None:
    """A clean failure whose message mentions each of ``words``."""
    assert_clean(result)
    assert result.returncode != 0, result.stdout[-500:]
    message = result.stderr.strip().splitlines()[-1].lower()
    for word in words:
        assert word.lower() in message, message


def assert_ok(result: Result) -> None:
    assert_clean(result)
    assert result.returncode == 0, result.stderr[-2000:]


# ------------------------------------------------------------------------ servers

Route = Callable[[socket.socket, str], None] | bytes


def http_response(status: str = "200 OK", body: bytes = b"",
                  headers: dict[str, str] | None = None, length: int | None = None) -> bytes:
    """Raw response bytes; ``length`` may lie about the body."""
    lines = [f"HTTP/1.1 {status}"]
    head = {"Content-Type": "text/html; charset=utf-8", "Connection": "close",
            **(headers or {})}
    if "Content-Length" not in head:
        head["Content-Length"] = str(len(body) if length is None else length)
    lines += [f"{k}: {v}" for k, v in head.items() if v is not None]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class RawServer:
    """A threaded TCP server on 127.0.0.1 answering each path with crafted bytes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(30)
                data = b""
                try:
                    while b"\r\n\r\n" not in data and len(data) < 65536:
                        chunk = sock.recv(4096)
                        if not chunk:
                            return
                        data += chunk
                    request_line = data.split(b"\r\n", 1)[0].decode("latin-1")
                    path = request_line.split(" ")[1] if " " in request_line else "/"
                    outer.hits.append(path)
                    route = outer.routes.get(path, http_response("404 Not Found", b"gone"))
                    if callable(route):
                        route(sock, data.decode("latin-1"))
                    else:
                        sock.sendall(route)
                except OSError:
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server() -> Iterator[RawServer]:
    running = RawServer()
    yield running
    running.close()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


# ---------------------------------------------------------------------- documents

PARAGRAPH = ("The harbour authority of Westport approved a new ferry route on Tuesday after "
             "a long debate in which twelve members voted in favour and three against it. ")


def article_html(title: str = "Ferry route approved", body: str = "",
                 extra_head: str = "") -> bytes:
    text = body or "".join(f"<p>{PARAGRAPH}</p>" for _ in range(4))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            f"{extra_head}</head><body><article><h1>{title}</h1>{text}</article>"
            f"</body></html>").encode()


def export_document(*, title: str = "Ferry route approved", text: str | None = None,
                    **article: Any) -> dict[str, Any]:
    """An export in the documented schema, as ``reader export --format json`` writes it."""
    body = text if text is not None else PARAGRAPH.strip()
    return {
        "schema": "reader.annotated/1",
        "article": {"url": "https://news.example/ferry", "title": title, "byline": None,
                    "published": "2026-03-03", "site": "Westport News", "text": body,
                    "word_count": len(body.split()) if isinstance(body, str) else 0,
                    "blocks": [{"kind": "paragraph", "start": 0,
                                "end": len(body) if isinstance(body, str) else 0}],
                    **article},
        "entities": [], "quotes": [], "facts": [], "highlights": [],
    }


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def imported_library(home: Path, document: dict[str, Any] | None = None) -> str:
    """Import one article into ``home``'s library and return its id."""
    path = write_json(home / "article.json", document or export_document())
    result = run_reader("import", str(path), home=home)
    assert_ok(result)
    return result.stdout.split()[0]


# ------------------------------------------------------------- known failures

# Cases that fail on this branch today, as strict xfails: each entry is removed by the
# commit that fixes it (a case that starts passing while listed fails the run).
KNOWN_FAILURES: dict[str, str] = {
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        reason = KNOWN_FAILURES.get(item.nodeid.removeprefix("tests/hostile/"))
        if reason is not None:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
