"""The reader's analysis process: one copy of the model, whatever the article's length."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.analysis import annotate, nlp, pool
from reader.plaintext import article_from_text
from reader.sources import demo_sources, load


def python_prints(code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter (its own imports and model load)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, check=True)
    return done.stdout


linux_only = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads /proc")


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _with_spacy(pids: list[int]) -> list[int]:
    """The processes that have spaCy's compiled modules mapped (it is imported there)."""
    loaded = []
    for pid in pids:
        try:
            maps = Path(f"/proc/{pid}/maps").read_text()
        except OSError:
            continue
        if f"{os.sep}spacy{os.sep}" in maps:
            loaded.append(pid)
    return loaded


@linux_only
def test_one_process_holds_the_model_even_for_a_long_article() -> None:
    article = load(demo_sources()[0]).article
    assert nlp.split_point(nlp.analysable_text(article.text)) is not None  # parsed in halves
    pool.shutdown()  # a worker an earlier test started would not be counted as ours
    earlier = set(_descendants(os.getpid()))  # workers of earlier tests may still be ending
    try:
        pool.warm_up()
        ours = [p for p in _descendants(os.getpid()) if p not in earlier]
        assert len(_with_spacy(ours)) == 1
        assert pool.annotate_isolated(article) == annotate(article)
        # The fork that parsed the second half has exited; no second copy stays.
        ours = [p for p in _descendants(os.getpid()) if p not in earlier]
        assert len(_with_spacy(ours)) == 1
    finally:
        pool.shutdown()


def test_a_short_article_is_analysed_the_same_in_the_worker() -> None:
    article = article_from_text("The mayor, Ana Ruiz, said: “The port reopens Monday.”",
                                title="Port")
    assert nlp.split_point(article.text) is None
    try:
        assert pool.annotate_isolated(article) == annotate(article)
    finally:
        pool.shutdown()


SPACY_WITHOUT_CLI = """
import sys
import time
from reader.analysis import nlp
nlp.load()
print(sorted({"typer", "click", "requests", "weasel", "spacy.cli"} & set(sys.modules)))
import spacy.cli
print(callable(getattr(spacy.cli, "setup_cli", None)))
"""


def test_spacy_is_loaded_without_its_command_line_which_stays_importable() -> None:
    assert python_prints(SPACY_WITHOUT_CLI).splitlines() == ["[]", "True"]


QUIT_EARLY = """
import threading
from reader.analysis import pool
stop = threading.Event()
if {quit}:
    stop.set()
pool.warm_up(stop=stop)
pool.shutdown()
"""


def test_quitting_does_not_wait_for_the_model_to_load() -> None:
    """A reader quit during start-up ends at once: the wait for the model stops and the
    worker is stopped mid-load, rather than the exit waiting for the load to finish."""

    def seconds(quit_early: bool) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", QUIT_EARLY.format(quit=quit_early)],
                       check=True, timeout=120)
        return time.perf_counter() - started

    assert seconds(quit_early=True) < seconds(quit_early=False) / 2


def test_the_worker_loads_the_extractors_tables_with_the_model() -> None:
    """Given names and places are read when the model loads, not in the first article."""
    code = ("from reader.analysis import names, nlp, pool\n"
            "nlp.load()\n"
            "before = (names._genders.cache_info().currsize, "
            "names._places.cache_info().currsize)\n"
            "pool.warm_extractors()\n"
            "print(before, (names._genders.cache_info().currsize, "
            "names._places.cache_info().currsize))\n")
    assert python_prints(code).split("\n")[0] == "(0, 0) (1, 1)"


def test_the_worker_collects_garbage_though_the_reader_starts_with_collection_off() -> None:
    code = ("import gc\n"
            "from reader.analysis import pool\n"
            "gc.disable()\n"
            "pool.start(load_model=False)\n"
            "print(pool._pool(load_model=False).submit(gc.isenabled).result(timeout=120))\n"
            "pool.shutdown()\n")
    assert python_prints(code).strip() == "True"


def test_collection_comes_back_on_with_start_up_frozen() -> None:
    import gc

    from reader.tui.app import collect_garbage_again

    gc.disable()
    try:
        collect_garbage_again()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.parametrize(("running", "average", "cores", "spare"), [
    (1, 3.1, 2, True), (2, 3.1, 2, False), (5, 1.6, 2, False), (3, 3.1, 4, True),
    (4, 3.6, 4, False), (1, 0.0, 1, False),
    # a passing task in the count, on a machine idle on average
    (3, 0.9, 2, True), (6, 2.4, 4, True)])
def test_the_model_loads_at_once_unless_the_cores_are_busy(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, running: int, average: float,
        cores: int, spare: bool) -> None:
    loadavg = tmp_path / "loadavg"
    loadavg.write_text(f"{average} 2.50 1.90 {running}/612 4242\n")
    monkeypatch.setattr(pool, "LOADAVG", loadavg)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(os, "getloadavg", lambda: (average, 2.5, 1.9))
    assert pool.spare_core() is spare


@pytest.mark.parametrize(("load", "spare"), [(0.4, True), (1.7, False)])
def test_without_a_running_count_the_load_average_decides(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, load: float, spare: bool) -> None:
    monkeypatch.setattr(pool, "LOADAVG", tmp_path / "missing")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert pool.spare_core() is spare


def test_no_load_figures_at_all_means_no_spare_core(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def unavailable() -> tuple[float, float, float]:
        raise OSError("no load average here")

    monkeypatch.setattr(pool, "LOADAVG", tmp_path / "missing")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", unavailable)
    assert pool.spare_core() is False
