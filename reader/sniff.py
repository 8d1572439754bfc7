"""What a run of bytes is, and how to turn it into text: the one place that decides.

Servers mislabel content, files have no type at all, and pages declare charsets they do
not use. The fetcher, the extractor, the plain-text reader and the feed reader all ask
here, so a page decodes the same whichever way it arrived:

- :func:`binary_kind` names binary data ("a PDF document") so it is refused clearly;
- :func:`looks_like_html` / :func:`looks_like_feed` tell markup apart when no type is given;
- :func:`parse_content_type` reads a Content-Type header;
- :func:`charset` picks the encoding: byte-order mark, then a UTF-16/32 declaration, then
  UTF-8 when the bytes are valid UTF-8 with non-ASCII text (a page that says Latin-1 but
  is UTF-8 is common; the reverse cannot be valid UTF-8), then the header, then
  ``<meta charset>`` or ``<?xml encoding>`` (markup only), then detection;
- :func:`decode` applies it, never failing: bad bytes become U+FFFD.
"""

from __future__ import annotations

import codecs
import re

SNIFF_WINDOW = 4096
DECLARATION_WINDOW = 16384
DETECTION_WINDOW = 200_000

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"OggS", "an Ogg audio/video file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes text never holds many of: C0 controls other than tab, newlines, form feed, escape.
_TEXT_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\x0c\x1b")
_WIDE_BOMS = tuple(bom for bom, name in _BOMS if name != "utf-8-sig")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta",
                 b"<p>", b"<div")
_FEED_STARTS = (b"<?xml", b"<rss", b"<feed", b"<rdf", b"{")
_DECLARED = (
    re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I),
    re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I),
)
# What browsers actually use for these labels (WHATWG Encoding Standard).
_LABEL_FIXES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                "us-ascii": "cp1252", "ascii": "cp1252", "win-1251": "cp1251",
                "win1251": "cp1251", "x-cp1251": "cp1251",
                "gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs",
                "x-sjis": "shift_jis", "shift-jis": "shift_jis",
                "x-mac-cyrillic": "mac_cyrillic", "maccyrillic": "mac_cyrillic",
                "unicode": "utf-8", "utf8": "utf-8"}
_SINGLE_BYTE_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii"})


# ------------------------------------------------------------------------- content type


def binary_kind(data: bytes) -> str | None:
    """What binary content looks like ("a PDF document"), or None for text."""
    head = data[:SNIFF_WINDOW]
    stripped = head.lstrip(b" \t\r\n")
    for magic, name in _MAGIC:
        if stripped.startswith(magic) and not (magic == b"MZ" and b"<" in head[:64]):
            return name
    if head[4:8] == b"ftyp":
        return "an MP4 video or image file"
    if head.startswith(b"RIFF"):
        return "a WebP image" if head[8:12] == b"WEBP" else "a RIFF audio/video file"
    if head.startswith(_WIDE_BOMS) or _looks_like_utf16_markup(head):
        return None
    if head and head.count(b"\x00") > max(2, len(head) // 100):
        return "binary data"
    if head and len(head.translate(None, _TEXT_BYTES)) > len(head) // 10:
        return "binary data"
    return None


def _looks_like_utf16_markup(head: bytes) -> bool:
    for codec in ("utf-16-le", "utf-16-be"):
        text = head[:512].decode(codec, errors="ignore").lower()
        if "<html" in text or "<!doctype" in text or "<head" in text:
            return True
    return False


def looks_like_html(data: bytes) -> bool:
    """Markup of a web page, for bytes that came without a usable type."""
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return head.startswith(b"<!--") or any(marker in head for marker in _HTML_MARKERS)


def looks_like_feed(data: bytes) -> bool:
    """XML or JSON rather than a web page (feeds are often served as text/html too)."""
    head = data[:1024].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return head.startswith(_FEED_STARTS)


def looks_like_reader_export(data: bytes) -> bool:
    """The reader's own JSON (``reader export --format json``, ``reader annotate``)."""
    head = data[:SNIFF_WINDOW].lstrip(codecs.BOM_UTF8).lstrip()
    return head[:1] in (b"{", b"[") and b'"reader.annotated/' in head


def parse_content_type(header: str | None) -> tuple[str, str | None]:
    """Media type (lower-case, "" when absent) and its charset parameter, if any."""
    if not header:
        return "", None
    media_type, _, params = header.partition(";")
    value: str | None = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            value = raw.strip().strip("\"'") or None
    return media_type.strip().lower(), value


# ------------------------------------------------------------------------------ charset


def codec_name(label: str) -> str | None:
    """Python's codec for a charset label as browsers read it; None for unknown labels."""
    cleaned = label.strip().lower()
    cleaned = _LABEL_FIXES.get(cleaned, cleaned)
    try:
        name = codecs.lookup(cleaned).name
    except LookupError:
        return None
    return "cp1252" if name in _SINGLE_BYTE_AS_CP1252 else name


def _is_wide(codec: str) -> bool:
    return codec.startswith(("utf-16", "utf-32"))


def charset(content: bytes, declared: str | None = None, *, markup: bool = True) -> str:
    """The encoding to decode ``content`` with (see the module docstring for the order).

    ``declared`` is the Content-Type header's charset; ``markup`` allows the document's
    own ``<meta charset>``/``<?xml encoding>`` to count (not for plain text).
    """
    for bom, name in _BOMS:
        if content.startswith(bom):
            return name
    header = codec_name(declared) if declared else None
    if header and _is_wide(header):
        return header
    if _is_utf8_beyond_ascii(content):
        return "utf-8"
    if header:
        return header
    if markup:
        inline = _declared_in_document(content)
        if inline and not _is_wide(inline):
            return inline
    if _is_utf8(content):
        return "utf-8"
    return _detected(content) or "cp1252"


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8_beyond_ascii(content: bytes) -> bool:
    return not content.isascii() and _is_utf8(content)


def _declared_in_document(content: bytes) -> str | None:
    """The first declared charset that Python knows; bogus labels are skipped, not fatal."""
    head = content[:DECLARATION_WINDOW]
    for pattern in _DECLARED:
        for match in pattern.finditer(head):
            known = codec_name(match.group(1).decode("ascii", "replace"))
            if known:
                return known
    return None


def _detected(content: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(content[:DETECTION_WINDOW]).best()
    return codec_name(str(best.encoding)) if best is not None else None


def decode(content: bytes, declared: str | None = None, *, markup: bool = True) -> str:
    """``content`` as text in :func:`charset`'s encoding; bad bytes become U+FFFD."""
    return content.decode(charset(content, declared, markup=markup), errors="replace")
