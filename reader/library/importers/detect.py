"""Which export a file is, told by its content (never its name), and its items.

Checked in order: a zip (Pocket's CSV parts, or Omnivore's metadata files), JSON (the
reader's own export, wallabag, a lone Omnivore metadata file), HTML (a browser's
bookmark file, Pocket's older list) and CSV (Pocket, Instapaper, by their header).
"""

from __future__ import annotations

import codecs
from typing import Literal

from reader import sniff
from reader.errors import ReaderError
from reader.library.importers import instapaper, netscape, omnivore, pocket, wallabag
from reader.library.importers.csvrows import decode_csv
from reader.library.importers.items import Parsed
from reader.library.importers.jsondata import load_json
from reader.library.importers.safezip import DEFAULT_LIMITS, SafeZip, ZipLimits, is_zip

Kind = Literal["reader", "pocket", "pocket-zip", "pocket-html", "omnivore", "wallabag",
               "instapaper", "bookmarks"]
HEAD = 8192

FORMAT_NAMES: dict[str, str] = {
    "reader": "reader JSON export", "pocket": "Pocket CSV", "pocket-zip": "Pocket export (zip)",
    "pocket-html": "Pocket HTML export", "omnivore": "Omnivore export",
    "wallabag": "wallabag JSON export", "instapaper": "Instapaper CSV",
    "bookmarks": "browser bookmarks (HTML)",
}


def detect(data: bytes, what: str = "the file", limits: ZipLimits = DEFAULT_LIMITS) -> Kind:
    """The kind of export ``data`` is, or a one-line ReaderError saying it is none."""
    if is_zip(data):
        archive = SafeZip(data, what, limits)
        if omnivore.is_omnivore_zip(archive):
            return "omnivore"
        if any(n.lower().endswith(".csv") for n in archive.names):
            return "pocket-zip"
        raise ReaderError(f"{what} is a zip archive but not a Pocket or Omnivore export")
    if sniff.looks_like_reader_export(data):
        return "reader"
    head = data[:HEAD].lstrip(codecs.BOM_UTF8).lstrip()
    if head[:1] in (b"[", b"{"):
        value = load_json(data, what)
        if wallabag.looks_like_wallabag(value):
            return "wallabag"
        if omnivore.looks_like_omnivore(value):
            return "omnivore"
        raise ReaderError(f"{what} is JSON but not an export this reader knows "
                          "(reader, wallabag, Omnivore)")
    text_head = sniff.decode(head, None, markup=False)
    if text_head[:1] == "<" or sniff.looks_like_html(head):
        if netscape.looks_like_netscape(text_head):
            return "bookmarks"
        if pocket.looks_like_pocket_html(text_head):
            return "pocket-html"
        raise ReaderError(f"{what} is HTML but not a bookmark file or Pocket export")
    csv_head = decode_csv(head)
    if pocket.looks_like_pocket_csv(csv_head):
        return "pocket"
    if instapaper.looks_like_instapaper(csv_head):
        return "instapaper"
    raise ReaderError(f"{what} is not an export this reader knows (Pocket, Omnivore, "
                      "wallabag, Instapaper, browser bookmarks or reader JSON)")


def read_export(data: bytes, what: str = "the file", kind: Kind | None = None,
                limits: ZipLimits = DEFAULT_LIMITS) -> Parsed:
    """The items of any known export but the reader's own JSON (see ``imports``)."""
    kind = kind or detect(data, what, limits)
    if kind == "pocket":
        return pocket.read_csv(data)
    if kind == "pocket-zip":
        return pocket.read_zip(SafeZip(data, what, limits))
    if kind == "pocket-html":
        return pocket.read_html(data)
    if kind == "instapaper":
        return instapaper.read_csv(data)
    if kind == "bookmarks":
        return netscape.read_html(data)
    if kind == "wallabag":
        value = load_json(data, what)
        return wallabag.read_entries(value if isinstance(value, list) else [])
    if kind == "omnivore":
        if is_zip(data):
            return omnivore.read_zip(SafeZip(data, what, limits))
        value = load_json(data, what)
        return omnivore.read_metadata(value if isinstance(value, list) else [])
    raise ReaderError(f"{what}: the reader's own JSON is read by reader.library.imports")
