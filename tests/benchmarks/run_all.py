"""Every row of issue 13's table, measured against its peer in the same run.

The machine is shared, so a load spike would favour whichever side ran later: each row
alternates reader and peer run by run and compares medians. Start-up rows run the real
``reader`` command in a pseudo-terminal (160×45) and stop the clock when the awaited
text appears in what the program wrote to the terminal; the peer is a bare Textual app
(Header + Static + Footer) written to a temporary file by this script. A row that could
not be measured says so; it never shows an estimate.

    python tests/benchmarks/run_all.py [--runs N] [--only WORD ...]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DEMO = ROOT / "reader" / "demo" / "harbour-strike.txt"
TITLE = "Dockworkers strike shuts Calder Bay port"
SIZE = (45, 160)
TIMEOUT = 30.0
T = TypeVar("T")
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]")

PEER_APP = f'''
from textual.app import App
from textual.widgets import Footer, Header, Static


class Peer(App[None]):
    def compose(self):
        yield Header()
        yield Static({TITLE!r})
        yield Footer()


Peer().run()
'''


@dataclass
class Row:
    measure: str
    goal: str
    ratio: str
    detail: str


# ----- running a program in a pseudo-terminal --------------------------------------------

def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def total_pss_kb(pid: int) -> int:
    """PSS of a process and all its descendants, from ``smaps_rollup``."""
    total = 0
    for each in _descendants(pid):
        try:
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


FIRST_FRAME = b"\x1b[1;1H"
"""Stands for "the first frame": Textual positions the cursor (``ESC[row;colH``) only to
draw, and the first frame may be a partial update that starts below the first row."""
_DRAWING = re.compile(rb"\x1b\[\d+;\d+H")


def in_pty(argv: Sequence[str], wanted: bytes,
           after: Callable[[int], float] | None = None) -> float:
    """Seconds from spawn until ``wanted`` is on screen (escape codes removed; for
    :data:`FIRST_FRAME`, the first cursor move that draws), or ``after(pid)`` evaluated
    at that moment. The program is then stopped with its process group (its workers
    included)."""
    return pty_times(argv, [wanted], after)[0]


def pty_times(argv: Sequence[str], wanted: Sequence[bytes],
              after: Callable[[int], float] | None = None) -> list[float]:
    """Like :func:`in_pty` for several texts in one run: the seconds at which each is
    first on screen (``after(pid)`` at the last); stops once all are."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[0], SIZE[1], 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(SIZE[1]), LINES=str(SIZE[0]))
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower,
                               env=env, start_new_session=True, close_fds=True)
    os.close(follower)
    seen = b""
    found: dict[int, float] = {}
    try:
        while True:
            if time.perf_counter() - start > TIMEOUT:
                missing = [w for n, w in enumerate(wanted) if n not in found]
                raise TimeoutError(f"{missing!r} not on screen after {TIMEOUT:.0f} s")
            ready, _, _ = select.select([leader], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                raise RuntimeError(f"{argv[0]} ended before {wanted!r}") from None
            seen = (seen + chunk)[-200_000:]
            now = time.perf_counter() - start
            plain = _ESCAPES.sub(b"", seen)
            for n, text in enumerate(wanted):
                if n not in found and (_DRAWING.search(seen) if text == FIRST_FRAME
                                       else text in plain):
                    found[n] = now
            if len(found) == len(wanted):
                times = [found[n] for n in range(len(wanted))]
                if after:
                    times[-1] = after(process.pid)
                return times
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        os.close(leader)


def timed(argv: Sequence[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def alternate(runs: int, ours: Callable[[], T], peer: Callable[[], T],
              ) -> tuple[list[T], list[T]]:
    """``runs`` results of ``ours`` and of ``peer``, alternating which goes first each run,
    after one untimed run of each (which writes any missing bytecode, as an installed app
    has)."""
    ours()
    peer()
    mine: list[T] = []
    theirs: list[T] = []
    for turn in range(runs):
        if turn % 2:
            theirs.append(peer())
            mine.append(ours())
        else:
            mine.append(ours())
            theirs.append(peer())
    return mine, theirs


def interleave(runs: int, ours: Callable[[], float], peer: Callable[[], float],
               ) -> tuple[float, float]:
    """Medians of ``ours`` and ``peer``, run alternately (see :func:`alternate`)."""
    mine, theirs = alternate(runs, ours, peer)
    return statistics.median(mine), statistics.median(theirs)


def ratio_row(measure: str, goal: str, ours: float, peer: float, unit: str = "ms",
              scale: float = 1000.0) -> Row:
    return Row(measure, goal, f"{ours / peer:.2f}×",
               f"{ours * scale:.1f} vs {peer * scale:.1f} {unit}")


# ----- the rows ----------------------------------------------------------------------------

@dataclass
class Context:
    runs: int
    work: Path
    reader: str
    peer_app: Path
    short: Path
    long: Path


def startup_rows(ctx: Context) -> list[Row]:
    """First paint and title from the same runs: each run times both, so the two rows
    compare the same starts, and each side starts twice ``ctx.runs`` times. (Measured in
    two loops of their own, the rows differed by up to a tenth for one and the same
    moment: the reader draws its title in its first frame.)"""
    wanted = [FIRST_FRAME, TITLE.encode()]
    peer = [sys.executable, str(ctx.peer_app)]
    mine, theirs = alternate(2 * ctx.runs, lambda: pty_times([ctx.reader, str(DEMO)], wanted),
                             lambda: pty_times(peer, wanted))
    return [ratio_row(measure, goal, statistics.median(run[n] for run in mine),
                      statistics.median(run[n] for run in theirs))
            for n, (measure, goal) in enumerate([
                ("first paint, pty", "≤ 1.3× bare Textual app"),
                ("article title on screen, pty", "≤ 1.5× bare Textual app")])]


def analysed_row(ctx: Context) -> list[Row]:
    text = ctx.short.read_text(encoding="utf-8")
    script = ctx.work / "parse.py"
    script.write_text("import sys\nfrom reader.analysis import nlp\n"
                      "nlp.load()\nnlp.parse_text(open(sys.argv[1]).read())\n")
    del text
    ours, theirs = interleave(max(3, ctx.runs // 2),
                              lambda: in_pty([ctx.reader, str(ctx.short)], b"analysed"),
                              lambda: timed([sys.executable, str(script), str(ctx.short)]))
    return [ratio_row('"analysed" in the status line, 300 words',
                      "≤ 1.2× fresh spaCy load + parse", ours, theirs)]


def memory_rows(ctx: Context) -> list[Row]:
    rows = []
    for label, path, goal_mb in (("TUI total PSS after analysis", ctx.short, 200),
                                 ("TUI total PSS after analysis, 20k words", ctx.long, 450)):
        samples = []
        for _ in range(3):
            samples.append(in_pty([ctx.reader, str(path)], b"analysed",
                                  after=lambda pid: total_pss_kb(pid) / 1024))
        mb = statistics.median(samples)
        rows.append(Row(label, f"≤ {goal_mb} MB", f"{mb / goal_mb:.2f}× goal",
                        f"{mb:.0f} MB (median of 3)"))
    return rows


def long_title_row(ctx: Context) -> list[Row]:
    ours, theirs = interleave(ctx.runs,
                              lambda: in_pty([ctx.reader, str(ctx.long)], TITLE.encode()),
                              lambda: in_pty([ctx.reader, str(ctx.short)], TITLE.encode()))
    return [ratio_row("20k-word title on screen", "≤ 1.2× the 300-word article",
                      ours, theirs)]


def cli_rows(ctx: Context) -> list[Row]:
    peer = [sys.executable, "-c", "import textual"]
    rows = []
    for label, argv in (("`reader --help`", [ctx.reader, "--help"]),
                        ("`reader library list`", [ctx.reader, "library", "list"])):
        timed(argv)
        ours, theirs = interleave(max(ctx.runs, 10), lambda a=argv: timed(a),  # type: ignore[misc]
                                  lambda: timed(peer))
        rows.append(ratio_row(label, "≤ 1.2× python -c 'import textual'", ours, theirs))
    return rows


def extraction_row(ctx: Context) -> list[Row]:
    from tests.benchmarks.bench_extraction import DEFAULT_DATA, load, plain_readability
    from tests.benchmarks.extraction_adapter import body_text

    if not DEFAULT_DATA.is_dir():
        return [Row("extraction per page", "≤ 1.3× readability", "not measured",
                    f"no data in {DEFAULT_DATA}")]
    pages = load(DEFAULT_DATA)
    plain_readability(*pages[0])
    body_text(*pages[0])
    peer: list[float] = []
    ours: list[float] = []
    for number, (html, url) in enumerate(pages):
        first, second = ((plain_readability, body_text) if number % 2
                         else (body_text, plain_readability))
        start = time.perf_counter()
        first(html, url)
        middle = time.perf_counter()
        second(html, url)
        end = time.perf_counter()
        (peer if first is plain_readability else ours).append(middle - start)
        (ours if first is plain_readability else peer).append(end - middle)
    row = ratio_row("extraction per page", "≤ 1.3× readability",
                    statistics.median(ours), statistics.median(peer))
    row.detail += f" median/page, {len(pages)} pages"
    return [row]


def extractor_row(ctx: Context) -> list[Row]:
    from reader.analysis import nlp
    from reader.analysis.entities import extract_entities
    from reader.analysis.facts import extract_facts
    from reader.analysis.quotes import extract_quotes
    from reader.plaintext import article_from_text

    def per_k_words(path: Path, runs: int) -> float:
        article = article_from_text(path.read_text(encoding="utf-8"))
        doc = nlp.parse(article)
        words = len(article.text.split())
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            entities = tuple(extract_entities(doc, article))
            tuple(extract_quotes(doc, article, entities))
            tuple(extract_facts(doc, article, entities))
            times.append(time.perf_counter() - start)
        return statistics.median(times) / words * 1000

    short = ctx.work / "1k.txt"
    short.write_text(_repeat(1000), encoding="utf-8")
    small = per_k_words(short, max(ctx.runs, 10))
    large = per_k_words(ctx.long, 5)
    return [Row("extractors per 1k words, 1k → 20k words", "≤ 1.3× change",
                f"{large / small:.2f}×",
                f"{small * 1000:.1f} → {large * 1000:.1f} ms per 1k words (20k: 5 runs)")]


def _repeat(words: int) -> str:
    """The demo article, its body repeated until it has about ``words`` words."""
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines[:5] if not line.startswith("- ")]
    body = "\n".join(lines[len(header):]).strip()
    if words < len(body.split()):
        kept = " ".join(body.split()[:words])
        return "\n".join(header) + "\n\n" + kept + "\n"
    parts = [body]
    while len(" ".join(parts).split()) < words:
        parts.append(body)
    return "\n".join(header) + "\n\n" + "\n\n".join(parts) + "\n"


ROWS: dict[str, Callable[[Context], list[Row]]] = {
    "startup": startup_rows, "analysed": analysed_row, "memory": memory_rows,
    "extraction": extraction_row, "extractors": extractor_row, "long": long_title_row,
    "cli": cli_rows,
}
NOT_MEASURED = {"startup": ["first paint, pty", "article title on screen, pty"],
                "analysed": ['"analysed" in the status line, 300 words'],
                "memory": ["TUI total PSS after analysis",
                           "TUI total PSS after analysis, 20k words"],
                "extraction": ["extraction per page"],
                "extractors": ["extractors per 1k words, 1k → 20k words"],
                "long": ["20k-word title on screen"],
                "cli": ["`reader --help`", "`reader library list`"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per side (default 10)")
    parser.add_argument("--only", nargs="*", choices=sorted(ROWS), default=sorted(ROWS))
    args = parser.parse_args()
    started_load = os.getloadavg()[0]
    reader = str(Path(sys.executable).with_name("reader"))
    # An installed reader imports from bytecode, as Textual in site-packages does; with
    # PYTHONDONTWRITEBYTECODE set, a checkout would compile its sources on every start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["READER_HOME"] = str(work / "home")
        peer_app = work / "peer.py"
        peer_app.write_text(PEER_APP, encoding="utf-8")
        short, long = work / "300.txt", work / "20k.txt"
        short.write_text(_repeat(300), encoding="utf-8")
        long.write_text(_repeat(20_000), encoding="utf-8")
        ctx = Context(args.runs, work, reader, peer_app, short, long)
        rows: list[Row] = []
        for name in ROWS:
            if name not in args.only:
                continue
            try:
                rows.extend(ROWS[name](ctx))
            except Exception as exc:  # one failed row must not hide the others
                rows.extend(Row(m, "", "not measured", f"{type(exc).__name__}: {exc}")
                            for m in NOT_MEASURED[name])
            print(f"  … {name} done", file=sys.stderr, flush=True)
    width = max(len(r.measure) for r in rows)
    print(f"{'measure':<{width}} | {'goal':<34} | {'now':<12} | detail")
    for r in rows:
        print(f"{r.measure:<{width}} | {r.goal:<34} | {r.ratio:<12} | {r.detail}")
    print(f"({args.runs} runs per side, the start-up rows {2 * args.runs} (both from the same "
          f"runs), interleaved, medians; machine load: "
          f"{started_load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end)")


if __name__ == "__main__":
    main()
