"""A figure as written ("seven", "£3.2m", "more than 10,000", "15 per cent") as a number
range, so that figures from different outlets can be checked against each other.

Why ranges: outlets round and hedge. "£3m" and "£3.2m" are the same sum told with less
precision, "more than 10,000" agrees with "12,000", "about 40" with "42". Each amount
becomes an interval — a plain figure spans half a unit of its last written digit, a
hedge widens it — and two figures disagree only when their intervals do not meet: 8
officers and "seven officers" disagree, "$3 million" and "3,000,000 dollars" do not.

The value texts come from :mod:`reader.analysis.figures`, which already turns a plain
number word into digits ("seven" -> "7") and gives the unit (a currency sign, "%",
"people", a measure); this module reads what is left (hedges, scales, ranges, changes).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from reader.analysis.figures import (
    CURRENCY_MARKS,
    CURRENCY_WORDS,
    QUANTITY_UNITS,
    words_to_number,
)

Shape = Literal["exact", "about", "at_least", "at_most", "range", "change"]

SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9,
          "bn": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12}
# Longest first, so "more than" wins over "more".
HEDGES: tuple[tuple[str, Shape], ...] = (
    ("more than", "at_least"), ("greater than", "at_least"), ("at least", "at_least"),
    ("upwards of", "at_least"), ("in excess of", "at_least"), ("over", "at_least"),
    ("fewer than", "at_most"), ("less than", "at_most"), ("up to", "at_most"),
    ("at most", "at_most"), ("under", "at_most"), ("no more than", "at_most"),
    ("about", "about"), ("around", "about"), ("nearly", "about"), ("almost", "about"),
    ("roughly", "about"), ("approximately", "about"), ("some", "about"),
    ("an estimated", "about"), ("estimated", "about"), ("close to", "about"),
    ("just over", "about"), ("just under", "about"), ("just", "exact"),
)
ABOUT_SHARE = 0.1
"""How far "about 40" may be from 40 (a share of the value) and still agree."""
SIGNS = {"US$": "$", "$": "$", "£": "£", "€": "€", "¥": "¥", "₹": "₹", "A$": "A$",
         "C$": "C$", "HK$": "HK$"}
_NUMBER = re.compile(r"^(?P<digits>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<scale>[a-z]+)?$")
_SHARE = re.compile(r"^(?P<part>.+?)\s+(?:in|out of)\s+(?P<whole>.+)$")


@dataclass(frozen=True)
class Amount:
    """A figure as the interval of values it can stand for, in its unit."""

    low: float
    high: float
    unit: str
    """"%", a currency sign ("$", "£"), a measure ("km"), or "" for a count."""
    shape: Shape
    shown: float
    """The value itself (the middle of a range, the end of a change), for display."""
    before: Amount | None = None
    """For a change ("20 → 10"): the amount it started from; ``low``/``high`` are the end."""

    def agrees(self, other: Amount) -> bool:
        """Whether both can be true at once (a change agrees through either end)."""
        if self.unit != other.unit:
            return False
        if self.before is not None and other.before is not None:
            return _meets(self, other) and _meets(self.before, other.before)
        ends = [self] + ([self.before] if self.before else [])
        others = [other] + ([other.before] if other.before else [])
        return any(_meets(a, b) for a in ends for b in others)


def _meets(a: Amount, b: Amount) -> bool:
    """The intervals overlap (touching is not enough: [7.5, 8.5] and [6.5, 7.5] are
    "8" and "7", which disagree)."""
    slack = 1e-9 * max(abs(a.shown), abs(b.shown), 1.0)
    if a.low == a.high and b.low == b.high:
        return abs(a.low - b.low) <= slack
    return (a.low < b.high - slack and b.low < a.high - slack) or \
        (a.low == a.high and b.low - slack <= a.low <= b.high + slack) or \
        (b.low == b.high and a.low - slack <= b.low <= a.high + slack)


def unit_class(unit: str | None, value: str) -> str:
    """One name per kind of quantity: a count of people and a plain count are both
    counts ("eight officers" may come with or without "people")."""
    if unit in (None, "", "people"):
        sign = _sign_in(value)
        if sign:
            return sign
        if "%" in value or re.search(r"per\s*cent", value, re.I):
            return "%"
        words = re.findall(r"[a-z°/]+", value.lower())
        last = words[-1] if words else ""
        if last in CURRENCY_WORDS:
            return SIGNS.get(CURRENCY_WORDS[last], CURRENCY_WORDS[last])
        for candidate in (last, last.rstrip("s"), last[:-2] if last.endswith("es") else ""):
            if candidate in QUANTITY_UNITS:
                return QUANTITY_UNITS[candidate]
        return ""
    if unit in SIGNS:
        return SIGNS[unit]
    return unit


def _sign_in(text: str) -> str | None:
    for mark in sorted(CURRENCY_MARKS, key=len, reverse=True):
        if mark in text:
            return SIGNS.get(mark, mark)
    return None


def parse_amount(value: str, unit: str | None = None) -> Amount | None:
    """The amount a fact's value text stands for, or None when it is not a number we
    can read (then it is not compared)."""
    text = " ".join(value.replace("\u2009", " ").replace("\xa0", " ").split())
    cls = unit_class(unit, text)
    if unit in (None, "", "people"):
        unit = cls or unit  # the measure read from the value ("2.5 kilometres": km)
    if "→" in text:
        first, _, last = text.partition("→")
        start, end = parse_amount(first, unit), parse_amount(last, unit)
        if start is None or end is None:
            return None
        return Amount(end.low, end.high, cls, "change", end.shown, before=start)
    parts = _split_range(text)
    if parts is not None:
        low, high = (_single(p, cls, unit) for p in parts)
        if low is None or high is None:
            return None
        return Amount(min(low.low, high.low), max(low.high, high.high), cls, "range",
                      (low.shown + high.shown) / 2)
    share = _SHARE.match(text.lower())
    if share is not None:
        part, whole = _number(share["part"]), _number(share["whole"])
        if part is None or whole is None or whole[0] == 0:
            return None
        percent = 100 * part[0] / whole[0]
        return Amount(percent - 0.5, percent + 0.5, "%", "about", percent)
    return _single(text, cls, unit)


def _split_range(text: str) -> tuple[str, str] | None:
    """"20–30" (as the figures module writes a range) or "20 to 30", "20-30"."""
    for pattern in (r"^(.+?\d\S*)\s*–\s*(.+)$", r"^(.+?\d\S*)\s+(?:to|and)\s+(.+\d.*)$",
                    r"^(\D{0,3}\d[\d,.]*\w*)-(\D{0,3}\d[\d,.]*\w*)$"):
        match = re.match(pattern, text)
        if match:
            return match[1], match[2]
    return None


def _single(text: str, cls: str, unit: str | None) -> Amount | None:
    lowered = text.lower().strip()
    shape: Shape = "exact"
    for hedge, kind in HEDGES:
        if lowered.startswith(hedge + " "):
            lowered, shape = lowered[len(hedge) + 1:].strip(), kind
            break
    lowered = _strip_units(lowered, unit)
    read = _number(lowered)
    if read is None:
        return None
    number, precision = read
    return _interval(number, precision, cls, shape)


def _strip_units(text: str, unit: str | None) -> str:
    """The number alone: without currency signs, "%", "per cent", currency words and the
    measure the unit names ("2.5 km" -> "2.5")."""
    for mark in sorted(CURRENCY_MARKS, key=len, reverse=True):
        text = text.replace(mark.lower(), " ")
    text = re.sub(r"%|\bper\s*cent\b|\bpercent\b|\bpc\b", " ", text)
    words = text.split()
    while words and (words[-1] in CURRENCY_WORDS or
                     (unit is not None and words[-1].rstrip("s") in
                      (unit.lower(), unit.lower().rstrip("s")))):
        words.pop()
    if len(words) > 1 and unit is not None and unit not in ("people",) \
            and not _is_number_word(words[-1]):
        words.pop()  # "2.5 kilometres" with unit "km"
    return " ".join(words)


def _is_number_word(word: str) -> bool:
    return word in SCALES or words_to_number(word) != word or bool(re.match(r"\d", word))


def _number(text: str) -> tuple[float, float] | None:
    """(value, precision): "3.2m" -> (3200000, 100000); "seven" -> (7, 1);
    "two million" -> (2000000, 1000000)."""
    text = words_to_number(text.strip().lower())
    match = _NUMBER.match(text)
    if match is None:
        return None
    scale_word = match["scale"] or ""
    if scale_word and scale_word not in SCALES:
        return None
    digits = match["digits"].replace(",", "")
    number = float(digits)
    decimals = len(digits.partition(".")[2])
    scale = SCALES.get(scale_word, 1.0)
    return number * scale, 10.0 ** -decimals * scale


def _interval(number: float, precision: float, cls: str, shape: Shape) -> Amount:
    half = precision / 2
    if shape == "at_least":
        return Amount(number, math.inf, cls, shape, number)
    if shape == "at_most":
        return Amount(-math.inf, number, cls, shape, number)
    if shape == "about":
        spread = max(half, abs(number) * ABOUT_SHARE)
        return Amount(number - spread, number + spread, cls, shape, number)
    return Amount(number - half, number + half, cls, shape, number)
