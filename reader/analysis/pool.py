"""Analysis in separate processes, for the interactive reader.

Loading the spaCy model deserialises its vocabulary in compiled code that holds the GIL
for 80–100 ms at a time; in a thread of the TUI process that freezes the screen. So the
reader analyses in worker processes that load the model once: the main worker parses
and annotates, and a helper parses the second half of each long article at the same
time, so both cores share the parse. The headless CLI keeps analysing in-process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import redirect_stderr
from typing import TYPE_CHECKING, Any

from reader.errors import AnalysisError, ReaderError
from reader.models import Annotated, Article

if TYPE_CHECKING:
    from spacy.tokens import Doc

_lock = threading.Lock()
_main: ProcessPoolExecutor | None = None
_helper: ProcessPoolExecutor | None = None
_warm: list[Future[None]] = []
_tokens = itertools.count()

# ----- what runs in the worker processes -------------------------------------------------

_first_halves: dict[int, Doc] = {}
"""In the main worker: first halves parsed and waiting for their second half."""


def _quiet_child() -> None:
    """The workers share the terminal with the TUI: nothing they print may reach it."""
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


def _parse_first(token: int, text: str) -> None:
    from reader.analysis import nlp

    _first_halves[token] = nlp.parse_text(text)


def _parse_second(text: str) -> bytes:
    from reader.analysis import nlp

    return nlp.parse_bytes(text)


def _join_and_annotate(token: int, article: Article, second: bytes) -> Annotated:
    from reader.analysis import annotate_doc, nlp

    doc = nlp.join_halves(_first_halves.pop(token), second)
    return annotate_doc(article, doc)


# ----- the parent's side -------------------------------------------------------------------

def _new_pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_quiet_child)


def _pools() -> tuple[ProcessPoolExecutor, ProcessPoolExecutor]:
    """Both workers, started on first use and loading the model at once.

    Textual replaces ``sys.stderr`` with an object whose ``fileno()`` is not a real
    descriptor, which multiprocessing would hand to the children; so the processes are
    started with the interpreter's own stderr in place. The TUI starts them from a thread
    after its first frame, so the model load does not compete with drawing it.
    """
    global _main, _helper
    with _lock:
        if _main is None or _helper is None:
            with redirect_stderr(sys.__stderr__ or sys.stderr):
                _main, _helper = _new_pool(), _new_pool()
                _warm[:] = [_main.submit(_load_model), _helper.submit(_load_model)]
        return _main, _helper


def start() -> None:
    """Start the workers and their model loads now, without waiting for either."""
    _pools()


def _reset() -> None:
    global _main, _helper
    with _lock:
        for pool in (_main, _helper):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        _main = _helper = None
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


def warm_up() -> None:
    """Wait until the workers have loaded the model; blocks the calling thread only."""
    _pools()
    for future in list(_warm):
        _result(future)


def annotate_isolated(article: Article) -> Annotated:
    """``annotate(article)`` computed in the workers, a long article in two halves."""
    from reader.analysis.nlp import analysable_text, split_point

    main, helper = _pools()
    text = analysable_text(article.text)
    cut = split_point(text)
    if cut is None:
        result = _result(main.submit(_annotate, article))
    else:
        token = next(_tokens)
        first = main.submit(_parse_first, token, text[:cut])
        second = helper.submit(_parse_second, text[cut:])
        _result(first)
        result = _result(main.submit(_join_and_annotate, token, article, _result(second)))
    assert isinstance(result, Annotated)
    return result


def shutdown() -> None:
    """Stop the workers without waiting for an analysis nobody will read."""
    _reset()
