"""Analysis in one worker process, for the interactive reader.

Loading the spaCy model deserialises its vocabulary in compiled code that holds the GIL
for 80–100 ms at a time; in a thread of the TUI process that freezes the screen. So the
reader analyses in one worker process that loads the model once. A long article is still
parsed on both cores: the worker forks a short-lived copy of itself, which shares the
loaded model copy-on-write, to parse the second half while it parses the first. There is
never a second cold copy of the model (a second spawned worker cost ~120 MB and competed
with the first for the same cores while both loaded). The headless CLI analyses
in-process.

The worker is forked when the calling process has a single thread (``reader`` starts it
this way before importing Textual, so it shares the interpreter's pages and does not
import Python again) and spawned otherwise: forking a process with other threads could
copy a lock one of them holds.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import redirect_stderr
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.errors import AnalysisError, ReaderError
from reader.models import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from reader.models import Annotated

WORKER_NICENESS = 10
_lock = threading.Lock()
_worker: ProcessPoolExecutor | None = None
_warm: list[Future[None]] = []

# ----- what runs in the worker process -----------------------------------------------------


def _prepare_worker() -> None:
    """The worker shares the terminal and the cores with the TUI: nothing it prints may
    reach the screen, and the scheduler serves the interface first (nice 10), so loading
    the model while the first frame is drawn costs the frame little on a busy machine."""
    gc.enable()  # forked from a reader starting up with collection off
    try:
        os.nice(WORKER_NICENESS)
    except OSError:  # not allowed here: run at the same priority
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _ready() -> None:
    """A first task, which makes the executor start its process now."""


WARM_UP_TEXT = ("Talks resumed\n\nMaria Lopez, chief executive of Nimbus Systems Inc. in "
                "Paris, France, said on Tuesday that sales rose 12% to $4.2 million. "
                "\"We are pleased,\" she said.\n")
"""A short article with a person, a company, places, figures and a quote."""


def _load_model() -> None:
    from reader.analysis import nlp

    nlp.load()
    warm_extractors()
    _give_back_memory()


def warm_extractors() -> None:
    """Analyse a short article once, right after the model loads: the extractors load
    their tables on first use (40,000 given names, 25,000 places, the dictionary), which
    took ~0.6 s inside the first real article's analysis."""
    from reader.analysis import annotate
    from reader.plaintext import article_from_text

    try:
        annotate(article_from_text(WARM_UP_TEXT))
    except Exception:  # the real analysis reports any failure; this one only prepares
        pass


def _annotate(article: Article) -> Annotated:
    """What ``reader.analysis.annotate`` computes, with a long text parsed in halves."""
    from reader.analysis import annotate_doc, nlp

    text = nlp.analysable_text(article.text)
    cut = nlp.split_point(text)
    doc = nlp.parse_text(text) if cut is None else _parse_in_halves(text, cut)
    annotated = annotate_doc(article, doc)
    del doc
    _give_back_memory()
    return annotated


def _parse_in_halves(text: str, cut: int) -> Doc:
    """Parse ``text[:cut]`` here while a fork of this process parses ``text[cut:]``.

    The fork shares the loaded model with this process (copy-on-write), sends its half
    back serialised through a pipe and exits; if it fails, the second half is parsed
    here, so the result never depends on the fork.
    """
    from reader.analysis import nlp

    if not sys.platform.startswith("linux"):  # fork is unsafe on macOS, absent on Windows
        return nlp.join_halves(nlp.parse_text(text[:cut]), nlp.parse_bytes(text[cut:]))
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the fork, which never returns
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(nlp.parse_bytes(text[cut:]))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        first = nlp.parse_text(text[:cut])
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            second = pipe.read()
        _, status = os.waitpid(child, 0)
    if status != 0 or not second:
        second = nlp.parse_bytes(text[cut:])
    return nlp.join_halves(first, second)


def _give_back_memory() -> None:
    """Return the parse's freed heap to the system (glibc keeps it otherwise): ~8 MB."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


# ----- the parent's side -------------------------------------------------------------------


def _single_threaded() -> bool:
    """Whether this process has one thread, native ones included (Linux), so it may fork."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1 and sys.platform != "darwin"


def _context() -> BaseContext:
    if _single_threaded() and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _pool(*, load_model: bool = True) -> ProcessPoolExecutor:
    """The worker, started on first use and loading the model at once unless told not to
    (then the next call that may load it does).

    Textual replaces ``sys.stderr`` with an object whose ``fileno()`` is not a real
    descriptor, which multiprocessing would hand to a spawned child; so the process is
    started with the interpreter's own stderr in place.
    """
    global _worker
    with _lock:
        if _worker is None:
            with redirect_stderr(sys.__stderr__ or sys.stderr):
                _worker = ProcessPoolExecutor(max_workers=1, mp_context=_context(),
                                              initializer=_prepare_worker)
                _worker.submit(_ready)
        if load_model and not _warm:
            _warm.append(_worker.submit(_load_model))
        return _worker


LOADAVG = Path("/proc/loadavg")
"""Linux's count of the tasks running right now (its fourth field, "running/total")."""


def spare_core() -> bool:
    """A core is idle beside the one the caller runs on, so the model can load there
    without slowing the caller. Linux's count of the tasks running right now says so, or
    else the 1-minute load average does: the count alone caught passing tasks (the
    previous program still exiting, a shell prompt) and sent the load behind the first
    frame in most runs on an idle machine, ~0.5 s later to the first analysis; a machine
    that is really busy shows it in both."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return False
    try:
        running = int(LOADAVG.read_text().split()[3].split("/")[0])
        if running - 1 <= cores - 2:  # not counting the caller itself
            return True
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.getloadavg()[0] < cores - 0.5
    except OSError:
        return False


def start(*, load_model: bool = True) -> None:
    """Start the worker now, and its model load unless ``load_model`` is false, without
    waiting for either."""
    _pool(load_model=load_model)


def _reset(*, stop_worker: bool = False) -> None:
    global _worker
    with _lock:
        if _worker is not None:
            if stop_worker:
                # Otherwise the interpreter's exit waits for the task in hand: a reader
                # quit during start-up would hang until the model had loaded.
                for process in list(_worker._processes.values()):
                    process.terminate()
            _worker.shutdown(wait=False, cancel_futures=True)
        _worker = None
        _warm.clear()


def _result(future: Future[Any]) -> Any:
    try:
        return future.result()
    except BrokenProcessPool:
        _reset()
        raise AnalysisError("the analysis process stopped unexpectedly") from None
    except ReaderError:
        raise
    except Exception as exc:  # a bug in an analyser must not take the reader down
        raise AnalysisError(f"analysis failed: {type(exc).__name__}: {exc}") from exc


def warm_up(stop: threading.Event | None = None) -> None:
    """Wait until the worker has loaded the model; blocks the calling thread only, and
    returns early once ``stop`` is set (an app that quits must not wait for the load)."""
    _pool()
    for future in list(_warm):
        while stop is not None and not future.done():
            if stop.wait(0.1):
                return
        _result(future)


def annotate_isolated(article: Article) -> Annotated:
    """``annotate(article)`` computed in the worker (a long article in two halves)."""
    result = _result(_pool().submit(_annotate, article))
    from reader.annotation_models import Annotated  # (unpickling the result imported it)

    assert isinstance(result, Annotated)
    return result


def shutdown() -> None:
    """Stop the worker at once, without waiting for a load or an analysis nobody will
    read."""
    _reset(stop_worker=True)
