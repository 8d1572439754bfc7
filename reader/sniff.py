"""Recognise bytes that are not a web page or text, so the user is told what they are.

Showing a PDF or a PNG decoded as Latin-1 is the worst outcome for a reader: the screen
fills with garbage and control characters. Magic numbers catch the common formats; a
high share of NUL and control bytes catches the rest.
"""

from __future__ import annotations

MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image or audio)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"ID3", "an MP3 audio file"),
    (b"OggS", "an Ogg audio/video file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)

_TEXT_CONTROLS = {9, 10, 12, 13, 27}


def sniff_binary(data: bytes) -> str | None:
    """Describe ``data`` if it is a known binary format or clearly not text, else None."""
    head = data[:4096]
    for magic, name in MAGIC:
        if head.startswith(magic):
            if magic == b"MZ" and len(head) > 2 and head[2:3].isalpha():
                continue  # "MZ" can begin an ordinary text file
            return name
    if head[4:8] == b"ftyp":
        return "an MP4/QuickTime video"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text with a byte order mark
    if not head:
        return None
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    if head.count(0) > len(head) // 100 + 1 or controls > len(head) // 20 + 2:
        return "binary data"
    return None
