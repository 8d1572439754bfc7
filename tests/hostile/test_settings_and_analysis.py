"""A hostile config file, and text built to exhaust the analyser (issue 12, degraded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import (
    ESC_TITLE,
    RawServer,
    article_html,
    assert_clean,
    assert_error,
    assert_ok,
    http_response,
    run_reader,
)

BAD_CONFIGS = {
    "broken-toml": "[reader\ntimeout = ",
    "negative-timeout": "[reader]\ntimeout = -1\n",
    "infinite-size": "[reader]\nmax_megabytes = inf\n",
    "nan-timeout": "[reader]\ntimeout = nan\n",
    "timeout-as-text": "[reader]\ntimeout = \"soon\"\n",
    "reader-not-a-table": "reader = 3\n",
    "not-utf8": "[reader]\ntheme = \"\xff\"\n",
}


@pytest.mark.parametrize("content", BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_bad_config_is_reported_once_and_fetching_still_works(
        server: RawServer, home: Path, content: str) -> None:
    encoding = "latin-1" if "\xff" in content else "utf-8"
    (home / "config.toml").write_bytes(content.encode(encoding))
    server.routes["/a"] = http_response(body=article_html())
    result = run_reader("extract", server.url("/a"), home=home)
    assert_ok(result)
    assert "harbour authority" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "config" in line]
    assert len(warnings) == 1, result.stderr


def test_escape_in_config_value_never_reaches_the_terminal(server: RawServer,
                                                           home: Path) -> None:
    escaped = ESC_TITLE.replace("\\", "\\\\").replace("\x1b", "\\u001b")
    (home / "config.toml").write_text(
        f'[reader]\ntheme = "{escaped}"\ntimeout = "{escaped}"\n')
    server.routes["/a"] = http_response(body=article_html())
    assert_ok(run_reader("extract", server.url("/a"), home=home))


def test_bad_key_falls_back_alone(server: RawServer, home: Path) -> None:
    """``timeout = -1`` is reported and replaced; the valid size cap next to it still holds."""
    (home / "config.toml").write_text("[reader]\ntimeout = -1\nmax_megabytes = 1\n")
    server.routes["/big"] = http_response(body=article_html() * 2000)
    result = run_reader("extract", server.url("/big"), home=home)
    assert_error(result, "larger than 1 MB")
    assert "timeout" in result.stderr


def test_huge_plain_text_is_analysed_up_to_a_word_cap(home: Path) -> None:
    path = home / "huge.txt"
    path.write_text("a " * 150_000)
    result = run_reader("annotate", str(path), "--format", "jsonl", home=home, timeout=150)
    assert_clean(result)
    assert result.returncode == 0, result.stderr
    assert "analysed the first 50,000 words" in result.stderr
    assert result.seconds < 120
