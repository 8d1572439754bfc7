"""Links numbered in the article (U, then a number and enter), and handing the article
to other programs (| pipe, m copy or mail), asserted on what is drawn and on what the
commands received. The commands are this Python, run through the shell: harmless."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import httpx
import pytest

from reader.config import Settings
from reader.sources import Source, demo_sources
from reader.tui.app import ReaderApp, make_app
from reader.tui.handoff import mail_command
from reader.tui.screens.dialogs import LineEditor
from reader.tui.widgets.article_view import LINK_NUMBER
from tests.tui.helpers import wait_analysed, wait_drawn, wait_until

LINKED_PAGE = b"""<!doctype html><html><head><title>First data release</title></head><body>
<article><h1>First data release</h1><p>The river office published its first readings of
nitrate and temperature, station by station, with notes on how the sensors work.</p>
</article></body></html>"""


def serve_links() -> tuple[httpx.MockTransport, list[str]]:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, headers={"content-type": "text/html"}, content=LINKED_PAGE)

    return httpx.MockTransport(handler), asked


def html_app(settings: Settings | None = None,
             transport: httpx.AsyncBaseTransport | None = None) -> ReaderApp:
    html = [s for s in demo_sources() if s.location.endswith(".html")]
    return make_app(html, settings=settings or Settings(), transport=transport)


def writer(target: Path, what: str = "sys.stdin.read()") -> str:
    """A shell command that writes ``what`` (Python) into ``target``."""
    code = f"import sys; open({str(target)!r}, 'w', encoding='utf-8').write({what})"
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


async def test_capital_u_numbers_links_in_the_text_and_digits_enter_open_one() -> None:
    transport, asked = serve_links()
    app = html_app(transport=transport)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_analysed(pilot)
        frame = await wait_drawn(pilot, "first public data")
        assert "[1]" not in frame
        await pilot.press("U")
        frame = await wait_drawn(pilot, "release[1]")
        view = app.reader.article_view
        strip = next(s for s in app.screen._compositor.render_strips() if "[1]" in s.text)
        number = [seg for seg in strip if seg.text == "[1]"]
        assert number and number[0].style and number[0].style.color == LINK_NUMBER.color
        # Offsets still map to the lines drawn: a find lands on the right line.
        at = app.reader.article.text.index("annual report")  # type: ignore[union-attr]
        assert "annual report" in view._line(view.line_of(at)).text
        await pilot.press("1")
        await wait_drawn(pilot, "link 1: enter opens it")
        assert app.reader.query_one("#article").has_focus
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.reader.current_source == Source(
            "url", "https://example.org/river-data/2026-first-release"))
        await wait_drawn(pilot, "First data release")
        assert asked == ["https://example.org/river-data/2026-first-release"]


async def test_digits_choose_panes_while_link_numbers_are_off_and_bad_numbers_say_so() -> None:
    app = html_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_analysed(pilot)
        await pilot.press("3")  # no numbers shown: the Entities pane (panel 2), as before
        await wait_until(pilot, lambda: app.reader.current_pane() == 2)
        await pilot.press("1", "U", "9", "enter")
        await wait_drawn(pilot, "no link 9 (this article has 2)")
        await pilot.press("U", "2")  # numbers off again: 2 is the Quotes pane (panel 1)
        await wait_until(pilot, lambda: app.reader.current_pane() == 1)


async def test_pipe_sends_the_markdown_with_its_address_to_the_configured_command(
        tmp_path: Path) -> None:
    out = tmp_path / "piped.md"
    app = html_app(Settings(pipe=writer(out)))
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("vertical_line")
        await wait_until(pilot, out.exists)
        piped = out.read_text(encoding="utf-8")
        article = app.reader.article
        assert article is not None and article.url
        assert f"url: {article.url}" in piped or f'url: "{article.url}"' in piped
        assert f"# {article.title}" in piped
        assert "first public data release" in piped


async def test_pipe_asks_for_a_command_when_none_is_set_and_reports_a_failure(
        tmp_path: Path) -> None:
    out = tmp_path / "asked.md"
    app = html_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_analysed(pilot)
        await pilot.press("vertical_line")
        await wait_drawn(pilot, "Pipe the article (Markdown) to a command")
        assert isinstance(app.screen, LineEditor)
        await pilot.click("#line-input")
        app.screen.query_one("#line-input").value = writer(out)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_until(pilot, out.exists)
        assert "river" in out.read_text(encoding="utf-8").lower()
        failing = f"{shlex.quote(sys.executable)} -c 'import sys; sys.exit(\"no pager\")'"
        app.settings = Settings(pipe=failing)
        await pilot.press("vertical_line")
        frame = await wait_drawn(pilot, "failed (exit status 1): no pager")
        assert "Traceback" not in frame


async def test_m_copies_the_link_or_hands_it_to_the_mail_command(tmp_path: Path) -> None:
    app = html_app()
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_analysed(pilot)
        url = app.reader.article.url  # type: ignore[union-attr]
        await pilot.press("m")
        await wait_drawn(pilot, "copied", "https://example.org/news/")  # the toast wraps
        assert app.clipboard == url
        out = tmp_path / "mail.txt"
        app.settings = Settings(mail=writer(out, "' '.join(sys.argv[1:])") + " {url} {title}")
        await pilot.press("m")
        await wait_until(pilot, out.exists)
        assert out.read_text(encoding="utf-8") == (
            f"{url} {app.reader.article.title}")  # type: ignore[union-attr]


@pytest.mark.parametrize("title", ["a; rm -rf ~", "$(touch pwned)", "it's"])
def test_mail_command_quotes_what_it_fills_in(title: str) -> None:
    command = mail_command("mail -s {title} me <<< {url}", "https://x.example/?a=1&b=2", title)
    words = shlex.split(command.split("<<<")[0])
    assert words == ["mail", "-s", title, "me"]
    assert shlex.split(command.split("<<<")[1]) == ["https://x.example/?a=1&b=2"]


async def test_help_lists_link_numbers_pipe_and_mail() -> None:
    app = html_app()
    async with app.run_test(size=(140, 60)) as pilot:
        await wait_analysed(pilot)
        await pilot.press("question_mark")
        await wait_drawn(pilot, "Link numbers", "Pipe to command", "Copy/mail link")
