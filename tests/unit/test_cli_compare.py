"""``reader compare``: three invented reports of one bridge closure, as local files (two
plain text, one HTML), compared in text, JSON and Markdown; and the error contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from tests.conftest import FIXTURES

STORY = FIXTURES / "compare"
HERALD, POST, WIRE = (str(STORY / name) for name in
                      ("northgate-herald.txt", "valley-post.txt", "city-wire.html"))


_CACHE: dict[str, dict[str, object]] = {}


@pytest.fixture
def as_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """The three compared once (the analysis is the slow part), inside the first test's
    isolated home."""
    if "json" not in _CACHE:
        assert main(["compare", HERALD, POST, WIRE, "--format", "json"]) == 0
        _CACHE["json"] = json.loads(capsys.readouterr().out)
    return _CACHE["json"]


def test_json_outlets(as_json: dict[str, object]) -> None:
    assert as_json["schema"] == "reader.coverage/1"
    outlets = as_json["outlets"]
    assert isinstance(outlets, list)
    assert [o["outlet"] for o in outlets] == ["Northgate Herald", "Valley Post", "City Wire"]
    assert outlets[1]["title"] == "Cracked Millbrook bridge closed for months"
    assert outlets[0]["words"] > outlets[1]["words"] > 50
    quoted = {q["speaker"] for q in outlets[0]["quoted"]}
    assert {"Elena Varga", "Ruth Abernathy"} <= quoted
    assert outlets[2]["sources"]["unnamed"] == 1  # "a council official"


def test_json_figures_that_disagree(as_json: dict[str, object]) -> None:
    """Eight inspectors in two reports, "seven" in the third; 6,500 or 9,000 walkers."""
    disagree = as_json["figures_disagree"]
    assert isinstance(disagree, list)
    told = [{(c["outlet"], c["value"]) for c in d["claims"]} for d in disagree]
    assert {(0, "8"), (1, "7"), (2, "8")} in told
    assert any({(0, "6,500"), (1, "9,000")} <= claims for claims in told)
    # £3.2m and £3m are one sum rounded: not a disagreement
    assert not any(c["value"].startswith("£") for d in disagree for c in d["claims"])


def test_json_only_some_and_lone_quotes(as_json: dict[str, object]) -> None:
    only_some = {e["name"]: e["outlets"] for e in as_json["only_some"]}  # type: ignore[attr-defined]
    assert only_some["Tomas Brenner"] == [1]
    assert only_some["Ruth Abernathy"] == [0]
    assert "Elena Varga" not in only_some  # every outlet quotes the mayor
    lone = {(q["outlet"], q["speaker"]) for q in as_json["unique_quotes"]}  # type: ignore[attr-defined]
    assert (1, "Tomas Brenner") in lone
    assert not any(speaker == "Elena Varga" and outlet != 2 for outlet, speaker in lone)


def test_text_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", HERALD, POST]) == 0
    text = capsys.readouterr().out
    assert text.startswith("2 outlets\n\n1. Northgate Herald — Northgate footbridge shut")
    assert "Figures that disagree\n  inspectors found: Northgate Herald: 8 · Valley Post: 7" \
        in text
    assert "Tomas Brenner (PERSON): Valley Post" in text
    assert main(["compare", HERALD, POST, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Coverage compared\n")
    assert "| Valley Post | Cracked Millbrook bridge closed for months |" in markdown
    assert "- inspectors found: Northgate Herald: **8**; Valley Post: **7**" in markdown


def test_one_source_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", HERALD]) == 1
    err = capsys.readouterr().err
    assert err == "reader: error: compare needs two or more sources\n"


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "gone.txt"
    assert main(["compare", HERALD, str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("reader: error: ") and str(missing) in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_tui_needs_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--tui", HERALD, POST]) == 1
    assert "no terminal" in capsys.readouterr().err


def test_a_saved_article_is_compared_with_its_stored_analysis(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``saved:N`` names a library article; its stored analysis is used as it is."""
    from reader.library import store
    from reader.models import Annotated, Article, Block, Fact

    text = "Nine inspectors found cracks in the Millbrook footbridge on Monday. " * 8
    sentence = text.split(". ")[0] + "."
    annotated = Annotated(
        Article(text=text, title="Saved bridge story", url="https://saved.example/bridge",
                site="Saved Gazette", blocks=(Block("paragraph", 0, len(text)),)),
        facts=(Fact(text=sentence, start=0, end=len(sentence), kind="number", value="9",
                    subject="inspectors found"),))
    library = tmp_path / "library.sqlite3"
    with store.opened(library) as connection:
        saved_id = store.save(connection, annotated).id
    assert main(["--library", str(library), "compare", f"saved:{saved_id}", HERALD,
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [o["outlet"] for o in data["outlets"]] == ["Saved Gazette", "Northgate Herald"]
    claims = {(c["outlet"], c["value"]) for d in data["figures_disagree"] for c in d["claims"]}
    assert {(0, "9"), (1, "8")} <= claims


def test_web_pages_are_fetched_side_by_side_and_a_failure_is_named() -> None:
    """Two pages whose server answers only once both requests are in: loaded one after
    the other they would wait for each other until the timeout."""
    import threading

    import httpx

    from reader.analysis import annotate_many
    from reader.errors import ReaderError
    from reader.fetch import FetchLimits
    from reader.stories.gather import gather

    both_in = threading.Barrier(2, timeout=10)
    pages = {"https://herald.example/bridge": Path(WIRE).read_bytes(),
             "https://post.example/bridge": Path(WIRE).read_bytes().replace(
                 b"City Wire", b"Post Online")}

    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if url not in pages:
            return httpx.Response(404, content=b"gone")
        both_in.wait()
        return httpx.Response(200, headers={"content-type": "text/html"}, content=pages[url])

    transport = httpx.MockTransport(handler)
    gathered = gather(list(pages), lambda articles: list(annotate_many(articles)),
                      transport=transport, limits=FetchLimits(timeout=20))
    assert [a.article.site for a in gathered.annotated] == ["City Wire", "Post Online"]
    with pytest.raises(ReaderError, match=r"^https://gone\.example/x: .*404"):
        gather([HERALD, "https://gone.example/x"], lambda a: list(annotate_many(a)),
               transport=transport, limits=FetchLimits(timeout=20))
