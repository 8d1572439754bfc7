"""Imports from other read-it-later services: one module per export format, a detector
that tells them apart by content (:mod:`.detect`), and the items they all produce
(:mod:`.items`). Storing the items is :mod:`reader.library.importing`'s job.

    from reader.library.importers import detect, read_export
    kind = detect(data, "pocket.zip")        # "pocket-zip", "wallabag", ...
    parsed = read_export(data, "pocket.zip") # Parsed(format, items, problems)
"""

from reader.library.importers.detect import FORMAT_NAMES, Kind, detect, read_export
from reader.library.importers.items import ImportedNote, ImportItem, Parsed

__all__ = ["FORMAT_NAMES", "ImportItem", "ImportedNote", "Kind", "Parsed", "detect",
           "read_export"]
