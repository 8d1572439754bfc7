"""CSV exports read row by row, each row a dict keyed by the lower-cased header.

The csv module's own field limit (128 KiB a field) stays in force: a field past it is
reported as one bad row and reading goes on. Rows are numbered from 1 after the header,
so ``row 113`` is the 113th link of the export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from reader import sniff
from reader.library.importers.items import ImportItem, Parsed, add_records

MAX_COLUMNS = 64


def decode_csv(data: bytes) -> str:
    text = sniff.decode(data, None, markup=False)
    return text.removeprefix("\ufeff")


def header_of(text: str) -> list[str]:
    """The lower-cased names of the first line's columns ([] when it is not CSV)."""
    first = text.split("\n", 1)[0]
    try:
        row = next(csv.reader([first]), [])
    except csv.Error:
        return []
    return [name.strip().lower() for name in row]


def rows(text: str, problems: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: value}) for every data row; broken rows go to ``problems``."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except (StopIteration, csv.Error):
        return
    if len(header) > MAX_COLUMNS:
        problems.append(f"the header has {len(header)} columns; not an export")
        return
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(f"row {number}: unreadable ({error})")
            continue
        if not any(cell.strip() for cell in row):
            number -= 1  # a blank line is not a row
            continue
        if len(row) > len(header) + 1:
            problems.append(f"row {number}: {len(row)} fields, the header has {len(header)}")
            continue
        yield number, dict(zip(header, row, strict=False))


def read_items(data: bytes, parsed: Parsed,
               to_item: Callable[[dict[str, str], str, str], ImportItem], *,
               prefix: str = "") -> Parsed:
    """Every row of a CSV export as an item (:func:`add_records`); a row the csv module
    cannot read is a problem line too, and ``prefix`` names a zip member in them."""
    problems: list[str] = []
    numbered = rows(decode_csv(data), problems)
    add_records(parsed, ((f"{prefix}row {number}", row) for number, row in numbered),
                to_item)
    parsed.problems.extend(f"{prefix}{p}" for p in problems)
    return parsed
