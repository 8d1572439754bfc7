"""The headless commands and the error contract: exit 1, one line on stderr, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.sources import demo_sources, read_demo

STORY = """Council approves new tram line
- The line will cost $310 million.

The city council of Westport approved a new tram line on Tuesday.

"This is a good day for the city," said Mayor Lena Ortiz.
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True,
                          input=stdin.decode() if stdin is not None else None, text=True,
                          timeout=120)


def test_extract_text(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(story)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Council approves new tram line\n")
    assert "The city council of Westport approved" in out


def test_extract_text_shows_the_date_in_words(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dated.txt"
    path.write_text("Port reopens\nBy Ana Lindqvist\nPublished: 2026-03-04\n\n"
                    "The port reopened on Wednesday.", encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    head = capsys.readouterr().out.split("\n\n")[1]
    assert "Wed 4 Mar 2026" in head and "2026-03-04" not in head


def test_extract_json_is_the_article_object(story: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "json", str(story)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Council approves new tram line"
    assert data["blocks"][0]["kind"] == "list_item"
    for block in data["blocks"]:
        assert data["text"][block["start"]:block["end"]].strip()


def test_extract_html_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = next(s for s in demo_sources() if s.location.endswith(".html"))
    path = tmp_path / "page.html"
    path.write_bytes(read_demo(html.location))
    assert main(["extract", "--format", "json", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] and data["word_count"] > 300
    assert {b["kind"] for b in data["blocks"]} >= {"paragraph", "list_item"}


def test_extract_from_stdin(story: Path) -> None:
    result = run_cli("extract", "-", stdin=story.read_bytes())
    assert result.returncode == 0, result.stderr
    assert "Westport" in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"", "empty"),
    ],
)
def test_bad_files_fail_with_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.bin"
    path.write_bytes(content)
    result = run_cli("extract", str(path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_file_and_bad_scheme(tmp_path: Path) -> None:
    result = run_cli("extract", str(tmp_path / "nope.html"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"reader: error: no such file: {tmp_path / 'nope.html'}"
    result = run_cli("extract", "ftp://example.com/x")
    assert result.returncode == 1
    assert "unsupported URL scheme: ftp" in result.stderr


def test_annotate_json_schema(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotate", str(story)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "reader.annotated/1"
    text = data["article"]["text"]
    names = {e["name"] for e in data["entities"]}
    assert "Westport" in names
    for entity in data["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]


def test_annotate_jsonl_several_sources(story: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Second story\n\nBerlin hosted the summit.", encoding="utf-8")
    assert main(["annotate", "--format", "jsonl", str(story), str(other)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [json.loads(x)["article"]["title"] for x in lines] == [
        "Council approves new tram line", "Second story"]


def test_annotate_markdown(story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["annotate", "--format", "markdown", str(story)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("---\ntitle: \"Council approves new tram line\"\n")
    assert "# Council approves new tram line" in out


def test_home_screen_refuses_a_foreign_library_before_starting(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.txt"
    foreign.write_bytes(b"my precious notes\n" * 10)
    result = run_cli("--library", str(foreign))
    assert result.returncode == 1
    assert "not a reader library" in result.stderr
    assert foreign.read_bytes() == b"my precious notes\n" * 10


def test_feeds_subcommand_is_wired(isolated_home: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    opml = isolated_home / "subs.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                    '<outline type="rss" text="Local" xmlUrl="http://127.0.0.1:9/feed.xml"/>'
                    "</body></opml>", encoding="utf-8")
    assert main(["feeds", "import", str(opml)]) == 0
    capsys.readouterr()
    assert main(["feeds", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [f["url"] for f in listed] == ["http://127.0.0.1:9/feed.xml"]


def test_save_list_search_export_through_main(story: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    library = str(tmp_path / "lib.sqlite3")
    assert main(["save", "--library", library, str(story)]) == 0
    saved_id = capsys.readouterr().out.split()[0]
    assert main(["library", "--library", library, "search", "Westport",
                 "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [str(r["id"]) for r in found] == [saved_id]
    out = tmp_path / "story.md"
    assert main(["export", "--library", library, saved_id, "--format", "md",
                 "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("---\n")


# ------------------------------------------------ bugs found trying it as a new user (#17)


def _exported_json(story: Path, tmp_path: Path) -> Path:
    """A file as ``reader export --format json`` writes it (no spaCy: a bare Annotated)."""
    from reader.library.export import ExportMeta, render
    from reader.models import Annotated
    from reader.sources import load

    exported = tmp_path / "exported.json"
    annotated = Annotated(load(str(story)).article)
    exported.write_text(render(annotated, "json", ExportMeta(tags=("tram",))),
                        encoding="utf-8")
    return exported


@pytest.mark.parametrize("form", ["separate", "equals"])
def test_global_library_option_before_a_command(story: Path, tmp_path: Path, form: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    lib = tmp_path / "elsewhere.sqlite3"
    option = ["--library", str(lib)] if form == "separate" else [f"--library={lib}"]
    assert main([*option, "import", str(_exported_json(story, tmp_path))]) == 0
    (article_id,) = capsys.readouterr().out.split()
    assert lib.exists()
    assert main([*option, "library", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in listed["articles"]] == [int(article_id)]
    assert main([*option, "feeds", "list"]) == 0


def test_no_terminal_at_all_is_one_line_error_not_a_hang(story: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "reader", str(story)],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("reader: error: no terminal")
    assert result.stderr.count("\n") == 1


def test_a_screen_but_no_keyboard_is_one_line_error(story: Path) -> None:
    """stdout is a terminal, stdin is not, and the process has no controlling terminal
    (/dev/tty cannot be opened): the reader could never get a key."""
    import os
    import pty

    main_fd, screen_fd = pty.openpty()
    try:
        result = subprocess.run([sys.executable, "-m", "reader", str(story)],
                                stdin=subprocess.DEVNULL, stdout=screen_fd,
                                stderr=subprocess.PIPE, text=True, timeout=60,
                                start_new_session=True)
    finally:
        os.close(screen_fd)
        os.close(main_fd)
    assert result.returncode == 1
    assert result.stderr.startswith("reader: error: no terminal to read keys from")


def test_extract_recognises_the_readers_own_export(story: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(_exported_json(story, tmp_path))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Council approves new tram line\n")
    assert "{" not in out.splitlines()[0]
    assert '"schema"' not in out


def test_export_format_from_the_file_name(story: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "lib.sqlite3")
    assert main(["--library", lib, "import", str(_exported_json(story, tmp_path))]) == 0
    (article_id,) = capsys.readouterr().out.split()

    notes = tmp_path / "notes.txt"
    assert main(["--library", lib, "export", article_id, "-o", str(notes)]) == 1
    err = capsys.readouterr().err
    assert "'.txt'" in err and ".md" in err and ".json" in err and ".html" in err
    assert not notes.exists()

    page = tmp_path / "tram.html"
    assert main(["--library", lib, "export", article_id, "-o", str(page)]) == 0
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")

    assert main(["--library", lib, "export", article_id, "--format", "md", "-o",
                 str(notes)]) == 0
    assert notes.read_text(encoding="utf-8").startswith("---\n")


def test_export_does_not_overwrite_unless_forced(story: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(tmp_path / "lib.sqlite3")
    assert main(["--library", lib, "import", str(_exported_json(story, tmp_path))]) == 0
    (article_id,) = capsys.readouterr().out.split()
    target = tmp_path / "mine.md"
    target.write_text("my own notes\n", encoding="utf-8")
    assert main(["--library", lib, "export", article_id, "-o", str(target)]) == 1
    assert "exists; use --force" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    assert main(["--library", lib, "export", article_id, "-o", str(target), "--force"]) == 0
    assert "Council approves new tram line" in target.read_text(encoding="utf-8")
