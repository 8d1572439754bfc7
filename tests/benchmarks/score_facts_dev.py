"""Score the Numbers and Timeline of the Key facts panel against the hand-annotated dev set.

    python tests/benchmarks/score_facts_dev.py            # dev set: figures and timeline
    python tests/benchmarks/score_facts_dev.py --errors   # ... and print every miss
    python tests/benchmarks/score_facts_dev.py --dangling # top-3 key points, all 250 articles

The annotations (``devsets/facts_dev.json``) were made by reading the articles; the
article texts are read at run time from ``../shared/eval/keyfacts`` and never copied.

Figures: the panel's numbers (at most 8 per article) against the annotated ones. A
figure is right when its value matches (digits, scale words and currency signs
normalised), its unit class matches (count and people are one class; money must be the
same currency) and its subject shares a head noun with the annotation. Each annotated
figure is matched once: the same figure shown twice counts once right and once wrong.
Optional annotations (ages, scores, ordinals, durations) may be shown without being
wrong and are not needed for recall. Precision = right / shown (less optional ones),
recall = right / required.

Timeline: each dated entry shown is right when its date phrase (or resolved ISO date)
names an annotated date of that article and its shown clause (``subject``, else the
sentence) keeps the annotated polarity: a clause with a negator (not, n't, never, no,
neither, nor, cannot; "No 1" as in a ranking is not one) for a negated event and
without one otherwise. A right date with the wrong polarity is a polarity flip. When
several events share a date, the one whose words the shown clause shares most is the
one compared.

Dangling key points: a top-3 key point dangles when its first word is a personal or
possessive pronoun or a demonstrative ("He", "Its", "This", "Those"), or it opens with
"The" and an anaphoric noun ("The move", "The decision", ...), and neither a ``referent``
is given nor its text opens with a bracketed referent ("[NATO] ...").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader.analysis import nlp  # noqa: E402
from reader.analysis.entities import extract_entities  # noqa: E402
from reader.analysis.facts import extract_facts  # noqa: E402
from reader.models import Fact  # noqa: E402
from reader.plaintext import article_from_text  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "keyfacts" / "cnndm_frank_test250.jsonl"
DEV = Path(__file__).resolve().parent / "devsets" / "facts_dev.json"
SHOWN_FIGURES = 8
TOP_KEY_POINTS = 3

NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "cannot"})
DANGLING_WORDS = frozenset({
    "he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "hers",
    "theirs", "this", "that", "these", "those",
})
ANAPHORIC_NOUNS = frozenset({
    "move", "decision", "incident", "deal", "announcement", "comments", "remarks", "plan",
    "change", "changes", "claim", "claims", "findings", "news", "step", "ruling", "verdict",
    "attack", "case", "report", "statement", "measure", "proposal", "agreement", "episode",
    "latter", "former", "same", "pair", "couple", "duo", "trio", "row", "scandal",
    "development", "revelation", "discovery", "result", "outcome", "policy", "law", "bill",
})
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_HEDGES = frozenset({"and", "of", "more", "than", "over", "about", "nearly", "almost",
                     "some", "around", "just", "up"})
_CURRENCY = {"$": "$", "us$": "$", "dollar": "$", "dollars": "$", "£": "£", "pound": "£",
             "pounds": "£", "€": "€", "euro": "€", "euros": "€", "¥": "¥", "yen": "¥"}


# --------------------------------------------------------------------------- normalising

def _number(text: str) -> float | None:
    """12 / 12.5 / 1,200 / twelve / two million / half a dozen -> a float, else None."""
    text = re.sub(r"\bhalf an? dozen\b", "6", text.lower().replace(",", ""))
    words = [w for w in re.split(r"[\s-]+", text) if w and w not in _HEDGES]
    if words[:1] in (["a"], ["an"]):
        words[0] = "one"
    total, current, seen = 0.0, 0.0, False
    for word in words:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]*)", word)
        if match and (not match[2] or match[2] in _SCALES):
            current += float(match[1]) * _SCALES.get(match[2], 1.0)
        elif word in _SCALES:
            total, current = total + max(current, 1.0) * _SCALES[word], 0.0
        elif word in ("hundred", "dozen"):
            current = max(current, 1.0) * _NUMBER_WORDS[word]
        elif word in _NUMBER_WORDS:
            current += _NUMBER_WORDS[word]
        else:
            return None
        seen = True
    return total + current if seen else None


def normal_value(value: str) -> str:
    """A figure's value reduced to what must match: '£40million' and '40m' -> '40000000'."""
    text = value.strip().lower()
    if re.fullmatch(r"\d+\s*[-–]\s*\d+(?:\s+\d+\s*[-–]\s*\d+)*", text):
        return re.sub(r"\s*[-–]\s*", "-", text)  # a score
    text = re.sub(r"\s+(?:a|an|per)\s+[a-z]+$", "", text)  # a rate: "$6.99 a month"
    text = re.sub(r"(?:%|per\s*cent|percent)$", "", text).strip()
    for sign in sorted(_CURRENCY, key=len, reverse=True):
        if not sign.isalpha():
            text = text.replace(sign, " ")
    text = re.sub(r"\b(?:dollars?|pounds?|euros?|yen)\b", " ", text).strip()
    number = _number(text)
    if number is None:
        return " ".join(text.split())
    return f"{number:.10g}"


def unit_class(value: str, unit: str | None) -> str:
    """The class a shown figure belongs to, in the annotation's vocabulary."""
    lowered = value.lower()
    unit = (unit or "").lower()
    if unit in ("%", "percent") or "%" in lowered or "per cent" in lowered:
        return "percent"
    if unit.startswith("money") or unit in _CURRENCY or any(s in lowered for s in "$£€¥"):
        sign = next((s for s in "$£€¥" if s in lowered or s in unit), None)
        if sign is None:
            sign = next((c for w, c in _CURRENCY.items() if w.isalpha() and w in lowered), "?")
        return f"money:{sign}"
    if unit in ("", "count", "people"):
        return "count"
    return unit


def _singular(word: str) -> str:
    word = word.lower().strip("'’\"“”.,;:()")
    word = re.sub(r"['’]s$", "", word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> set[str]:
    return {_singular(w) for w in re.findall(r"[\w'’-]+", text.lower())}


def negated(text: str) -> bool:
    """A negator word in the clause; "No 1" / "No. 4" (number) is not one."""
    lowered = re.sub(r"\bno\.?\s*(?=\d)", " ", text.lower().replace("’", "'"))
    tokens = set(re.findall(r"n't|[a-z]+", lowered))
    return bool(tokens & NEGATORS)


def normal_date(phrase: str) -> str:
    text = phrase.lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"\b(?:on|the|of|in|at|since|from|until|by)\b", " ", text)
    return " ".join(text.split())


# --------------------------------------------------------------------------- scoring

@dataclass
class Tally:
    figures_right: int = 0
    figures_wrong: int = 0
    figures_optional: int = 0
    figures_required: int = 0
    dates_right: int = 0
    dates_wrong: int = 0
    flips: int = 0
    modal_events: int = 0
    modal_kept: int = 0
    errors: list[str] = field(default_factory=list)


def _figure_matches(fact: Fact, note: dict[str, Any], *, check_unit: bool) -> bool:
    if normal_value(fact.value or "") != normal_value(note["value"]):
        return False
    if check_unit and unit_class(fact.value or "", fact.unit) != unit_class(
            note["value"], note["unit"]):
        return False
    heads = {_singular(h) for h in note["head"]}
    return bool(heads & _words(fact.subject or ""))


def score_figures(article_id: str, facts: Sequence[Fact], notes: Sequence[dict[str, Any]],
                  tally: Tally) -> None:
    shown = [f for f in facts if f.kind == "number"][:SHOWN_FIGURES]
    used: set[int] = set()
    tally.figures_required += sum(1 for n in notes if not n.get("optional"))
    for fact in shown:
        hit = next((i for i, n in enumerate(notes) if i not in used and not n.get("optional")
                    and _figure_matches(fact, n, check_unit=True)), None)
        if hit is not None:
            used.add(hit)
            tally.figures_right += 1
            continue
        hit = next((i for i, n in enumerate(notes) if i not in used and n.get("optional")
                    and _figure_matches(fact, n, check_unit=False)), None)
        if hit is not None:
            used.add(hit)
            tally.figures_optional += 1
            continue
        tally.figures_wrong += 1
        tally.errors.append(f"{article_id[:16]} figure WRONG  {fact.value!r} [{fact.unit}] "
                            f"— {fact.subject!r}")
    for i, note in enumerate(notes):
        if i not in used and not note.get("optional"):
            tally.errors.append(f"{article_id[:16]} figure MISSED {note['value']!r} "
                                f"[{note['unit']}] — {note['subject']}")


def _date_candidates(fact: Fact, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    shown = normal_date(fact.value or "")
    exact = [e for e in events if normal_date(e["date"]) == shown
             or (fact.when and e.get("when") == fact.when)]
    if exact or not shown:
        return exact
    return [e for e in events if normal_date(e["date"]) in shown or shown in normal_date(e["date"])]


def score_timeline(article_id: str, facts: Sequence[Fact], events: Sequence[dict[str, Any]],
                   tally: Tally) -> None:
    for fact in (f for f in facts if f.kind == "date"):
        clause = fact.subject or fact.text
        candidates = _date_candidates(fact, events)
        if not candidates:
            tally.dates_wrong += 1
            tally.errors.append(f"{article_id[:16]} date WRONG   {fact.value!r} — {clause!r}")
            continue
        words = _words(clause)
        event = max(candidates, key=lambda e: len(words & _words(e["event"])))
        if negated(clause) != bool(event["negated"]):
            tally.dates_wrong += 1
            tally.flips += 1
            tally.errors.append(f"{article_id[:16]} date FLIP    {fact.value!r} — {clause!r} "
                                f"(annotated: {event['event']!r})")
            continue
        tally.dates_right += 1
        modality = event.get("modality")
        if modality and modality not in ("future", "alleged", "aim"):
            tally.modal_events += 1
            if modality.split()[0] in clause.lower():
                tally.modal_kept += 1


def dangles(fact: Fact) -> bool:
    """The rule of the module docstring, for one key point."""
    if fact.referent or fact.text.lstrip().startswith("["):
        return False
    words = re.findall(r"[A-Za-z']+", fact.text.lstrip(" \"'“‘(-—–"))
    if not words:
        return False
    first = words[0].lower()
    if first in DANGLING_WORDS:
        return True
    return first == "the" and len(words) > 1 and words[1].lower() in ANAPHORIC_NOUNS


# --------------------------------------------------------------------------- running

def _analyse(text: str) -> list[Fact]:
    article = article_from_text(text, title="")
    doc = nlp.parse(article)
    return extract_facts(doc, article, extract_entities(doc, article))


def _rows(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def run_dev(data: Path, dev: Path, show_errors: bool) -> Tally:
    notes = json.loads(dev.read_text(encoding="utf-8"))["articles"]
    tally = Tally()
    for row in _rows(data):
        if row["id"] not in notes:
            continue
        facts = _analyse(row["text"])
        score_figures(row["id"], facts, notes[row["id"]]["figures"], tally)
        score_timeline(row["id"], facts, notes[row["id"]]["events"], tally)
    shown = tally.figures_right + tally.figures_wrong
    dates = tally.dates_right + tally.dates_wrong
    print(f"dev set: {len(notes)} articles")
    print(f"figures:  precision {tally.figures_right / max(shown, 1):.3f} "
          f"({tally.figures_right}/{shown}, {tally.figures_optional} optional not counted)  "
          f"recall {tally.figures_right / max(tally.figures_required, 1):.3f} "
          f"({tally.figures_right}/{tally.figures_required})")
    print(f"timeline: precision {tally.dates_right / max(dates, 1):.3f} "
          f"({tally.dates_right}/{dates})  polarity flips {tally.flips}  "
          f"modal verb kept {tally.modal_kept}/{tally.modal_events}")
    if show_errors:
        print("\n".join(tally.errors))
    return tally


def run_dangling(data: Path, show_errors: bool) -> tuple[int, int]:
    total = hanging = 0
    started = time.perf_counter()
    for row in _rows(data):
        points = [f for f in _analyse(row["text"]) if f.kind == "key_point"][:TOP_KEY_POINTS]
        for fact in points:
            total += 1
            if dangles(fact):
                hanging += 1
                if show_errors:
                    print(f"{row['id'][:16]} {fact.text[:100]!r}")
    print(f"dangling top-{TOP_KEY_POINTS} key points: {hanging}/{total} = "
          f"{100 * hanging / max(total, 1):.1f}%  ({time.perf_counter() - started:.0f} s)")
    return hanging, total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--errors", action="store_true", help="print every miss")
    parser.add_argument("--dangling", action="store_true",
                        help="also count dangling top-3 key points over every article")
    args = parser.parse_args(argv)
    nlp.load()
    run_dev(args.data, args.dev, args.errors)
    if args.dangling:
        run_dangling(args.data, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
