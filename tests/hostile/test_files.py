"""Local files that are not what they seem: FIFOs, devices, huge or malformed imports,
and export targets that are not regular files (issue 12: causes 5, 6, 7, 12)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.conftest import (
    HOSTILE_ARG,
    assert_error,
    assert_ok,
    export_document,
    imported_library,
    run_reader,
    write_json,
)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.html"
    os.mkfifo(path)
    return path


# ------------------------------------------------------------ 5. non-regular files

def test_fifo_as_source_is_refused(home: Path, fifo: Path) -> None:
    assert_error(run_reader("extract", str(fifo), home=home, timeout=20), "regular file")


def test_device_as_source_is_refused(home: Path) -> None:
    assert_error(run_reader("extract", "/dev/zero", home=home, timeout=20), "regular file")


def test_directory_as_source_is_refused(home: Path) -> None:
    assert_error(run_reader("extract", str(home), home=home), "directory")


def test_fifo_as_import_file_is_refused(home: Path, fifo: Path) -> None:
    assert_error(run_reader("import", str(fifo), home=home, timeout=20), "regular file")


def test_fifo_as_opml_is_refused(home: Path, fifo: Path) -> None:
    assert_error(run_reader("feeds", "import", str(fifo), home=home, timeout=20),
                 "regular file")


def test_file_name_with_escapes_in_error(home: Path) -> None:
    result = run_reader("extract", str(home / f"no{HOSTILE_ARG}.html"), home=home)
    assert_error(result, "no such file")


def test_file_name_with_escapes_in_output(home: Path) -> None:
    path = home / f"story{HOSTILE_ARG}.txt"
    path.write_text("The harbour authority approved a ferry route on Tuesday. " * 5)
    result = run_reader("extract", str(path), "--format", "json", home=home)
    assert_ok(result)
    assert "harbour" in result.stdout


# ---------------------------------------------------------------- 7. import size

def test_import_from_dev_zero_is_refused(home: Path) -> None:
    assert_error(run_reader("import", "/dev/zero", home=home, timeout=20), "regular file")


def test_import_larger_than_50_mb_is_refused(home: Path) -> None:
    big = home / "big.json"
    with big.open("wb") as handle:
        handle.truncate(51 * 1024 * 1024)
    assert_error(run_reader("import", str(big), home=home, timeout=20), "50 MB")


# ------------------------------------------------------------ 6. import validation

def library_is_empty(home: Path) -> bool:
    result = run_reader("library", "list", "--format", "json", home=home)
    if result.returncode != 0:
        return "no library" in result.stderr or "not found" in result.stderr
    return bool(json.loads(result.stdout)["total"] == 0)


BAD_ARTICLES: dict[str, dict[str, Any]] = {
    "url-number": {"url": 123},
    "title-list": {"title": ["a"]},
    "published-number": {"published": 20260101},
    "text-number": {"text": 5},
    "blocks-past-text": {"blocks": [{"kind": "paragraph", "start": 0, "end": 10**6}]},
    "block-kind-unknown": {"blocks": [{"kind": "<script>", "start": 0, "end": 3}]},
    "start-as-string": {"blocks": [{"kind": "paragraph", "start": "0", "end": 3}]},
    "huge-offset": {"blocks": [{"kind": "paragraph", "start": 0, "end": 10**30}]},
    "published-not-a-date": {"published": "yesterday-ish\x1b[41m"},
}


@pytest.mark.parametrize("change", BAD_ARTICLES.values(), ids=BAD_ARTICLES.keys())
def test_import_rejects_wrong_field_types(home: Path, change: dict[str, Any]) -> None:
    document = export_document(**change)
    result = run_reader("import", str(write_json(home / "bad.json", document)), home=home)
    assert_error(result)
    assert library_is_empty(home)


def test_import_rejects_a_bad_quote(home: Path) -> None:
    document = export_document()
    document["quotes"] = [{"text": "x", "start": 0, "end": "far", "speaker": 7}]
    assert_error(run_reader("import", str(write_json(home / "q.json", document)), home=home))
    assert library_is_empty(home)


def test_import_rejects_a_lone_surrogate(home: Path) -> None:
    path = home / "surrogate.json"
    text = json.dumps(export_document()).replace("Ferry route", "Ferry \\ud800 route")
    path.write_text(text)
    assert_error(run_reader("import", str(path), home=home))
    assert library_is_empty(home)


def test_import_rejects_deep_nesting(home: Path) -> None:
    path = home / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert_error(run_reader("import", str(path), home=home))


def test_import_rejects_deep_nesting_inside_an_article(home: Path) -> None:
    text = json.dumps(export_document())
    path = home / "deep2.json"
    path.write_text(text[:-1] + ', "tags": ' + "[" * 5000 + "]" * 5000 + "}")
    assert_error(run_reader("import", str(path), home=home))
    assert library_is_empty(home)


def test_import_writes_nothing_when_a_later_article_is_bad(home: Path) -> None:
    good = export_document()
    bad = export_document(url=123)
    path = write_json(home / "two.json", [good, bad])
    assert_error(run_reader("import", str(path), home=home))
    assert library_is_empty(home)


def test_import_not_json(home: Path) -> None:
    path = home / "x.json"
    path.write_bytes(b"\x1b[41m\x9b not json")
    assert_error(run_reader("import", str(path), home=home), "json")


def test_imported_published_number_never_poisons_the_library(home: Path) -> None:
    article_id = imported_library(home)
    bad = export_document(published=20260101, url="https://news.example/other")
    run_reader("import", str(write_json(home / "b.json", bad)), home=home)
    assert_ok(run_reader("library", "show", article_id, home=home))
    assert_ok(run_reader("export", "--all", "-o", str(home / "out"), home=home))


# -------------------------------------------------------------- 12. export targets

def test_export_to_a_fifo_is_refused(home: Path, fifo: Path) -> None:
    article_id = imported_library(home)
    result = run_reader("export", article_id, "-o", str(fifo), home=home, timeout=20)
    assert_error(result, "regular file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_through_a_symlink_to_a_fifo_is_refused(home: Path, fifo: Path) -> None:
    article_id = imported_library(home)
    link = home / "link.md"
    link.symlink_to(fifo)
    result = run_reader("export", article_id, "-o", str(link), home=home, timeout=20)
    assert_error(result, "regular file")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_to_a_directory_is_refused(home: Path) -> None:
    article_id = imported_library(home)
    (home / "folder").mkdir()
    assert_error(run_reader("export", article_id, "-o", str(home / "folder"), home=home))
    assert (home / "folder").is_dir()


def test_export_to_a_regular_file_works(home: Path) -> None:
    article_id = imported_library(home)
    target = home / "out.md"
    assert_ok(run_reader("export", article_id, "-o", str(target), home=home))
    assert "harbour authority" in target.read_text()
