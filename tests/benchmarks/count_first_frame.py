"""Instructions the UI process executes until its first frame: the reader against a bare
Textual app, counted by valgrind (callgrind), so the processor's clock does not move them.

Wall-clock start-up rows (``run_all.py``) swing by a third on this machine between runs of
the same code, more than most changes move them; an instruction count repeats within
0.1% (with the hash seed fixed), so it can tell whether a change made the first frame
cheaper. The program runs in a pseudo-terminal (``script``) of 160×45 with a fresh
``READER_HOME`` and stops itself as soon as it has written its first frame; the count is
the UI process's (the analysis worker it forks is counted apart and left out). Needs
valgrind; bytecode is written first, as an installed app has it. ``--library`` saves the
article in that home's library first, as a reader who keeps one has (the article's saved
copy is then there to be found).

    python tests/benchmarks/count_first_frame.py [--upto frame|run] [--library] [SOURCE]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "reader" / "demo" / "harbour-strike.txt"

STOPPER = '''
import os, sys
UPTO = os.environ["COUNT_UPTO"]
import textual.app
import textual.drivers.linux_driver as linux_driver
if UPTO == "run":
    textual.app.App.run = lambda self, *a, **k: os._exit(0)
write = linux_driver.LinuxDriver.write
def first_frame(self, data):
    result = write(self, data)
    if len(data) > 1000:  # the first full frame, not a cursor or mode switch
        os._exit(0)
    return result
linux_driver.LinuxDriver.write = first_frame
if sys.argv[1] == "peer":
    from textual.app import App
    from textual.widgets import Footer, Header, Static
    class Peer(App[None]):
        def compose(self):
            yield Header()
            yield Static("Dockworkers strike shuts Calder Bay port")
            yield Footer()
    Peer().run()
else:
    sys.argv = ["reader", *sys.argv[2:]]
    from reader.cli import main
    main()
'''
_COLLECTED = re.compile(r"==(\d+)== Collected : (\d+)")


def count(which: str, source: Path, upto: str, work: Path, library: bool = False) -> int:
    """Instructions of the UI process (the lowest pid valgrind reports: the analysis
    worker is forked from it later)."""
    stopper = work / "stopper.py"
    stopper.write_text(STOPPER, encoding="utf-8")
    home = Path(tempfile.mkdtemp(dir=work))
    if library:
        subprocess.run([sys.executable, "-m", "reader", "save", str(source)], check=True,
                       capture_output=True, env=dict(os.environ, READER_HOME=str(home),
                                                     PYTHONPATH=str(ROOT)), timeout=300)
    inner = " ".join(shlex.quote(part) for part in (
        "valgrind", "--tool=callgrind", f"--callgrind-out-file={work}/cg.%p",
        sys.executable, str(stopper), which, str(source)))
    env = dict(os.environ, READER_HOME=str(home), PYTHONHASHSEED="0", COUNT_UPTO=upto,
               TERM="xterm-256color", PYTHONPATH=str(ROOT))  # this checkout's reader
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(["script", "-qc", f"stty cols 160 rows 45; {inner}", "/dev/null"],
                            capture_output=True, text=True, errors="replace", env=env,
                            cwd=ROOT, timeout=600)
    found = sorted((int(pid), int(n)) for pid, n in _COLLECTED.findall(result.stdout))
    if not found:
        raise RuntimeError(f"no count from valgrind for {which}: {result.stdout[-300:]!r}")
    return found[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEMO)
    parser.add_argument("--upto", choices=("frame", "run"), default="frame",
                        help="stop at the first frame (default) or where App.run starts")
    parser.add_argument("--library", action="store_true",
                        help="with the article saved in the library first")
    args = parser.parse_args()
    for tool in ("valgrind", "script"):
        if shutil.which(tool) is None:
            sys.exit(f"count_first_frame: {tool} is not installed")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "reader")],
                   check=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours = count("reader", args.source.resolve(), args.upto, work, args.library)
        peer = count("peer", args.source.resolve(), args.upto, work)
    print(f"instructions to the {args.upto}: reader {ours / 1e6:.1f} M, bare Textual app "
          f"{peer / 1e6:.1f} M, ratio {ours / peer:.2f}×")


if __name__ == "__main__":
    main()
