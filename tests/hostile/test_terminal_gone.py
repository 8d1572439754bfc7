"""A terminal that goes away without a hang-up signal: the reader must quit, not spin."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
import tty
from pathlib import Path

import pytest

from reader.config import Settings
from reader.sources import demo_sources
from reader.tui import app as app_module
from reader.tui.app import TERMINAL_GONE, make_app, terminal_hung_up
from tests.tui.helpers import wait_drawn, wait_until


def test_a_closed_terminal_reads_as_hung_up_and_an_open_one_does_not() -> None:
    leader, follower = os.openpty()
    tty.setraw(follower)  # keys reach a reader at once, as in Textual's raw mode
    try:
        assert not terminal_hung_up(follower)
        os.write(leader, b"q")  # a key waiting is not a hang-up, and is not taken
        assert not terminal_hung_up(follower)
        assert os.read(follower, 1) == b"q"
        os.close(leader)
        assert terminal_hung_up(follower)
    finally:
        os.close(follower)


async def test_the_app_quits_when_its_terminal_has_hung_up(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(demo_sources()[:1], settings=Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_drawn(pilot, "Dockworkers strike")
        app._quit_if_hung_up()
        assert app.is_running  # the test's own terminal is still there
        monkeypatch.setattr(app_module, "terminal_hung_up", lambda fd: True)
        app._quit_if_hung_up()
        await wait_until(pilot, lambda: not app.is_running)
    assert app.return_code == TERMINAL_GONE


@pytest.mark.skipif(sys.platform != "linux", reason="pseudo-terminals as on Linux")
def test_the_reader_exits_when_its_pseudo_terminal_closes(tmp_path: Path) -> None:
    """The real program in a pseudo-terminal whose other end is closed with no SIGHUP
    (its own session, so none is sent): it used to spin at full CPU until killed."""
    leader, follower = os.openpty()
    env = dict(os.environ, TERM="xterm-256color", READER_HOME=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--demo"],
        stdin=follower, stdout=follower, stderr=follower, env=env,
        start_new_session=True)
    os.close(follower)
    try:
        seen = b""
        deadline = time.monotonic() + 60
        while b"Dockworkers" not in seen and time.monotonic() < deadline:
            if not select.select([leader], [], [], 0.2)[0]:
                continue
            try:
                seen += os.read(leader, 65536)
            except OSError:
                break
        assert b"Dockworkers" in seen
        os.close(leader)
        assert process.wait(timeout=30) == TERMINAL_GONE
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
