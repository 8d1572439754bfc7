"""Reading the members of an export zip without trusting the archive.

An export is a file from elsewhere: its central directory may lie about sizes, claim a
hundred thousand members, hide a gigabyte behind a few kilobytes (a zip bomb) or name
members ``../../.bashrc``. Nothing is ever extracted to disk here; members are read into
memory, each through a capped read that stops at the limit whatever the header says,
and names that climb out of the archive or are absolute are refused outright.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from reader.errors import ReaderError

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
"""Text compresses 5 to 20 times; a member inflating more than this is a bomb."""
RATIO_FLOOR = 1024 * 1024
"""Members smaller than this are read whatever their ratio (a 1 MB member is harmless)."""


@dataclass(frozen=True)
class ZipLimits:
    members: int = MAX_MEMBERS
    member_bytes: int = MAX_MEMBER_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


DEFAULT_LIMITS = ZipLimits()


class SafeZip:
    """The member names of an archive and a bounded way to read each of them."""

    def __init__(self, data: bytes, what: str, limits: ZipLimits = DEFAULT_LIMITS) -> None:
        self.what = what
        self.limits = limits
        self._read_so_far = 0
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
            raise ReaderError(f"{what} is not a readable zip archive ({error})") from None
        if len(infos) > limits.members:
            raise ReaderError(f"{what} holds {len(infos)} files; an export has at most "
                              f"{limits.members}")
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir():
                continue
            _check_name(info.filename, what)
            self._infos.setdefault(info.filename, info)

    @property
    def names(self) -> list[str]:
        return sorted(self._infos)

    def read(self, name: str) -> bytes:
        """A member's bytes, refused (one line) past the size, ratio or total limits."""
        info = self._infos[name]
        limits = self.limits
        if info.file_size > limits.member_bytes:
            raise ReaderError(f"{self.what}: {name} is too large ({info.file_size} bytes)")
        cap = min(limits.member_bytes, limits.total_bytes - self._read_so_far)
        if info.compress_type == zipfile.ZIP_STORED:
            ratio_cap = cap
        else:
            ratio_cap = max(RATIO_FLOOR, info.compress_size * limits.ratio)
        try:
            with self._zip.open(info) as member:
                data = member.read(min(cap, ratio_cap) + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError) as error:
            raise ReaderError(f"{self.what}: cannot read {name} ({error})") from None
        if len(data) > ratio_cap:
            raise ReaderError(f"{self.what}: {name} expands more than {limits.ratio} times "
                              "its packed size (a zip bomb?)")
        if len(data) > cap:
            raise ReaderError(f"{self.what}: {name} is larger than the export limits")
        self._read_so_far += len(data)
        return data


def _check_name(name: str, what: str) -> None:
    """Members only ever become keys in memory, but a name climbing out of the archive
    says the archive was made to attack an unzipper: refuse the whole file."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]) \
            or "\x00" in name:
        raise ReaderError(f"{what}: refusing a member named {name[:80]!r} (outside the "
                          "archive)")
