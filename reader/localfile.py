"""Reading and writing the user's local files without being fooled by what they are.

A path on the command line may name a FIFO (opening it blocks until a writer comes, which
may be never), a device (``/dev/zero`` never ends) or a directory. Only regular files are
read, the open itself never blocks, and a read never takes more than its cap. Writes go
only to regular files (or new ones), so ``-o /dev/null`` or a FIFO is never replaced.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reader.errors import ReaderError


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path | str, cap: int, what: str | None = None) -> bytes:
    """All of a regular file, refusing anything else and anything over ``cap`` bytes."""
    name = what or str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ReaderError(f"no such file: {name}") from None
    except IsADirectoryError:
        raise ReaderError(f"{name} is a directory, not a regular file") from None
    except PermissionError:
        raise ReaderError(f"permission denied: {name}") from None
    except OSError as error:
        raise ReaderError(f"cannot read {name}: {error.strerror or error}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise ReaderError(f"{name} is {_kind(mode)}, not a regular file")
    os.set_blocking(descriptor, True)
    with os.fdopen(descriptor, "rb") as handle:
        try:
            data = handle.read(cap + 1)
        except OSError as error:
            raise ReaderError(f"cannot read {name}: {error.strerror or error}") from None
    if len(data) > cap:
        from reader.fetch import human_size

        raise ReaderError(f"{name} is larger than {human_size(cap)}")
    return data


def check_writable_target(path: Path | str) -> None:
    """Refuse to replace anything but a regular file (following symlinks, as a write would)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise ReaderError(f"cannot write {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(mode):
        raise ReaderError(f"cannot write {path}: it is {_kind(mode)}, not a regular file")
