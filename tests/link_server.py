"""A small web server on 127.0.0.1 for the import tests: it serves one article page per
path, counts every request by path (so a test can prove no link was fetched twice), and
answers 404 for paths it was not given."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


def article_page(title: str, sentences: int = 8) -> bytes:
    """An article of invented sentences, long enough not to be taken for a teaser."""
    body = "".join(
        f"<p>{title} was the subject of paragraph {n}, which tells the reader about the "
        f"harbour, the weather and the people of the town in plain words.</p>"
        for n in range(1, sentences + 1))
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>").encode()


class LinkServer:
    """``with LinkServer({"/a": page_bytes}) as server: server.url("/a")``."""

    def __init__(self, pages: dict[str, bytes], delay: float = 0.0) -> None:
        self.pages = pages
        self.delay = delay
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with owner._lock:
                    owner.hits[self.path] += 1
                if owner.delay:
                    time.sleep(owner.delay)
                page = owner.pages.get(self.path)
                if page is None:
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "9")
                    self.end_headers()
                    self.wfile.write(b"not found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def __enter__(self) -> LinkServer:
        self.thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
