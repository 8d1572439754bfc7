"""Analysis in a separate process, for the interactive reader.

Loading the spaCy model deserialises its vocabulary in compiled code that holds the GIL
for 80–100 ms at a time; in a thread of the TUI process that freezes the screen. A
single worker process loads the model once and parses articles on the second core, so
the interface never waits for the GIL. The headless CLI keeps analysing in-process.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import redirect_stderr

from reader.errors import AnalysisError, ReaderError
from reader.models import Annotated, Article

_lock = threading.Lock()
_executor: ProcessPoolExecutor | None = None
_warm: Future[None] | None = None


def _quiet_child() -> None:
    """The worker shares the terminal with the TUI: nothing it prints may reach it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _load_model() -> None:
    from reader.analysis import nlp

    nlp.load()


def _annotate(article: Article) -> Annotated:
    from reader.analysis import annotate

    return annotate(article)


def _pool() -> ProcessPoolExecutor:
    """The worker pool, started on first use.

    Textual replaces ``sys.stderr`` with an object whose ``fileno()`` is not a real
    descriptor, which multiprocessing would hand to the child; so the process is started
    with the interpreter's own stderr in place, ideally before the app runs (``start``).
    """
    global _executor, _warm
    with _lock:
        if _executor is None:
            context = multiprocessing.get_context("spawn")
            _executor = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                            initializer=_quiet_child)
            with redirect_stderr(sys.__stderr__ or sys.stderr):
                _warm = _executor.submit(_load_model)
        return _executor


def start() -> None:
    """Start the worker and its model load now, without waiting for either."""
    _pool()


def _reset() -> None:
    global _executor, _warm
    with _lock:
        if _executor is not None:
            _executor.shutdown(wait=False, cancel_futures=True)
        _executor = None
        _warm = None


def _result(future: Future[Annotated] | Future[None]) -> object:
    try:
        return future.result()
    except BrokenProcessPool:
        _reset()
        raise AnalysisError("the analysis process stopped unexpectedly") from None
    except ReaderError:
        raise
    except Exception as exc:  # a bug in an analyser must not take the reader down
        raise AnalysisError(f"analysis failed: {type(exc).__name__}: {exc}") from exc


def warm_up() -> None:
    """Wait until the worker has loaded the model; blocks the calling thread only."""
    _pool()
    if _warm is not None:
        _result(_warm)


def annotate_isolated(article: Article) -> Annotated:
    """``annotate(article)`` computed in the worker process."""
    result = _result(_pool().submit(_annotate, article))
    assert isinstance(result, Annotated)
    return result


def shutdown() -> None:
    """Stop the worker without waiting for an analysis nobody will read."""
    _reset()
