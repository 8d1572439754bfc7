"""The terminal is asked what it draws as the reader starts and answered later: a Sixel
terminal's device attributes choose Sixel, its cell size is read from the answer, a
terminal that never answers costs no more than the timeout, and the terminal's mode is
put back either way."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

PROBE = """
import sys, termios, time
from reader.tui import graphics
before = termios.tcgetattr(0)
questions = graphics.ask_terminal({"TERM": "xterm-256color"})
print("ASKED", flush=True)
time.sleep(0.3)  # the reader imports Textual meanwhile
start = time.monotonic()
renderer = graphics.probe_terminal(questions=questions)
waited = time.monotonic() - start
imported = "textual_image._terminal" in sys.modules  # not before the first picture
width, height = graphics.cell_size()
print("RESULT", renderer, width, height, round(waited, 3), imported,
      termios.tcgetattr(0) == before, flush=True)
"""


def run_probe(answer: bytes | None) -> list[str]:
    """Run the probe in a pseudo-terminal that answers ``answer`` to its questions."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", PROBE], stdin=follower,
                               stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        while b"RESULT" not in seen or b"\n" not in seen[seen.index(b"RESULT"):]:
            assert time.monotonic() < deadline, seen
            if select.select([leader], [], [], 0.1)[0]:
                chunk = os.read(leader, 4096)
                if b"\x1b[c" in chunk and answer is not None:
                    os.write(leader, answer)
                seen += chunk
    finally:
        process.wait(timeout=60)
        os.close(leader)
    line = seen[seen.index(b"RESULT"):].decode().split()
    return line[1:]


def test_a_sixel_terminal_is_known_by_its_answers_read_after_start_up() -> None:
    renderer, width, height, waited, imported, restored = run_probe(
        b"\x1b[6;20;9t\x1b[?62;4;22c")
    assert renderer == "sixel"
    assert imported == "False"  # the probe leaves textual-image for the first picture
    assert (width, height) == ("9", "20")  # which is then given the probed cell size
    assert float(waited) < 0.05  # answered while the program went on: nothing to wait for
    assert restored == "True"


def test_a_terminal_without_sixel_or_answers_gets_half_blocks_without_a_wait() -> None:
    assert run_probe(b"\x1b[?62;22c")[0] == "halfblock"
    renderer, _, _, waited, _, restored = run_probe(None)
    assert renderer == "halfblock"
    assert float(waited) < 0.05  # the timeout ran out while the program went on
    assert restored == "True"

