"""Score quotes, speakers, people and organisations on the hand-annotated CNN/DM dev set.

Run from the worktree:

    python tests/benchmarks/score_quotes_dev.py [--errors N] [--json out.json]

The gold file ``tests/benchmarks/devsets/quotes_dev.json`` holds annotations only (article
id, each quote named by its first words, names); the article texts are read at run time
from ``../shared/eval/keyfacts/cnndm_frank_test250.jsonl`` (``--texts`` to change).

How the articles are built
    The CNN/DM texts are one blob without a headline, so each becomes
    ``article_from_text(text, title="")``: an explicit empty title keeps the first line out
    of the title and skips the "By …" header parsing, so the whole text is the body that
    ``reader.annotate`` reads.

Annotation conventions (what the gold says)
    * A quote is every span in quotation marks that reports someone's words (speech,
      writing, statements, posts, chants, quoted documents), including fragments of two or
      more words woven into a sentence. Each opening mark starts a new gold quote, so the
      paragraphs of a multi-paragraph statement are separate quotes, the later ones with
      ``via: continuation``. Titles of works, nicknames, one-word scare quotes, names
      coined with "dubbed/called" and quotes nested inside another quote are listed under
      ``ignored_quotes``: a system quote there counts neither for nor against.
    * ``speaker``: a person's full canonical name as the article gives it anywhere (even
      where the cue says "Locke", "he" or "the 39-year-old"); an organisation by the name
      the article uses; for an unnamed source, the head noun of its description
      ("spokesman", "protesters"); ``null`` only when nobody can be determined.
      ``speaker_type`` is named | organisation | unnamed | none; ``via`` says how the
      article attributes the quote: name (full name at the cue) | surname | pronoun |
      description ("the 30-year-old", "the agency", "a spokesman") | continuation (no cue
      of its own: the next paragraph of a statement, or a quote that follows the
      speaker's indirect speech) | none. "surname" covers any partial name ("Locke",
      "Jamie"). Quoted documents (a law, a memo) have the document's head noun as an
      unnamed speaker; a statement known to be an organisation's is the organisation's.
    * ``people``: every real person the article names, one entry per person, fullest
      name; ``organisations``: companies, clubs and teams, agencies, parties, courts,
      newspapers and broadcasters, government departments, universities, bands (not
      places, events or competitions). ``aliases`` list other forms the article itself
      uses for the same body ("Lib Dems", "Saints" for Northampton). ``ignored_names``
      are names where either answer is defensible: legislatures and chambers
      (Parliament, Congress, House of Lords), hospitals, stadiums, competitions, events,
      products, works, species, fictional or mythical figures, adjectives like "Tory";
      a system entity with such a name is not counted either way.

How the scorer compares
    * Text is folded for matching: Unicode compatibility form without accents, lower
      case, curly quotes made straight, then split into words (letters and digits, with
      inner apostrophes); punctuation, quotation marks and spacing do not matter.
    * Each gold quote is found in the article by its first words, in order (the search
      starts after the previous gold quote, so repeated words find the right place).
      A system quote *starts at* a gold quote when its first word is within
      ``SLACK_WORDS`` words of the gold quote's first word and it covers one of the gold
      first words. A gold quote is *detected* when a system quote starts at it, or lies
      inside a longer system quote (a system that keeps a multi-paragraph statement as
      one quote is credited for each paragraph; a wrong merge shows as wrong speakers).
      A system quote is right when it starts at or contains a gold quote; one that starts
      at an ignored quote is left out; every other one is a false quote.
    * Speakers: named = the system speaker equals the gold full name or an alias after
      folding and dropping honorifics (Mr, Mrs, Ms, Miss, Dr, Sir, Dame…), letters after
      the name (QC, MP, OBE…), possessive 's and full stops, but not job titles
      ("Judge", "Fusilier", "Gov."); organisation = the same name comparison
      against the organisation's name and aliases (a leading "the" is ignored);
      unnamed = the gold head noun (or its plural/singular) is one of the words of the
      system speaker; none = the system gives no speaker. Speaker accuracy is reported
      over detected quotes and end to end (right speaker / all gold quotes).
    * Calibration: among system quotes with ``speaker_confidence >= 0.5`` (ignored
      quotes left out), the share whose speaker is right; a false quote counts as wrong.
    * Entities (PERSON and ORG of ``Annotated.entities``): a system entity *refers to* a
      gold entity when its folded name equals the gold name or an alias, or is a proper
      contiguous part of exactly one gold name of that kind ("Locke" for "Gary Locke",
      "Planned Parenthood" for a longer name). Precision = system entities that refer to
      a gold entity of the same kind / all system entities of that label (ignored names
      left out): it answers "is this person a person of the article". Recall = gold
      entities found by their full name or an alias / all gold entities. Partial-only
      finds and several system entities for one gold entity are counted separately
      (name-form and merging errors), as are entities given the other label.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOLD = Path(__file__).resolve().parent / "devsets" / "quotes_dev.json"
TEXTS = ROOT.parent / "shared" / "eval" / "keyfacts" / "cnndm_frank_test250.jsonl"

SLACK_WORDS = 3
"""How far (in words) a system quote may start before or after the gold quote's start."""
FIRST_WORDS = 8
"""Gold quotes are named by at most this many first words."""
CONFIDENT = 0.5

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "prof",
                        "professor", "rev", "lady", "lord"})
POST_NOMINALS = frozenset({"qc", "kc", "mp", "mep", "msp", "obe", "mbe", "cbe", "kbe", "dbe"})


# --- normalisation -----------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case, without accents, with straight quotes; one output char per input char."""
    out: list[str] = []
    for char in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", char)
                       if not unicodedata.combining(c))
        out.append((base[:1] or char).translate(_APOSTROPHES).lower())
    return "".join(out)


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of ``text`` (folded), with their offsets in ``text``."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(fold(text))]


def word_texts(text: str) -> list[str]:
    return [w.text for w in words(text)]


def name_key(name: str, *, organisation: bool = False) -> tuple[str, ...]:
    """A name as compared: folded words, no possessive, no honorifics or full stops."""
    spaced = re.sub(r"[-.]", " ", fold(name))
    tokens = [re.sub(r"'s$", "", w.text) for w in words(spaced)]
    if organisation:
        while tokens and tokens[0] == "the":
            tokens.pop(0)
    else:
        while len(tokens) > 1 and tokens[0] in HONORIFICS:
            tokens.pop(0)
        while len(tokens) > 1 and tokens[-1] in POST_NOMINALS:
            tokens.pop()
    return tuple(t for t in tokens if t)


def head_matches(head: str, speaker: str) -> bool:
    """Whether an unnamed gold head noun is one of the words of the system speaker."""
    noun = fold(head).strip()
    forms = {noun, noun + "s", noun + "es"}
    if noun.endswith("s"):
        forms.add(noun[:-1])
    if noun.endswith("es"):
        forms.add(noun[:-2])
    if noun.endswith("men"):
        forms.add(noun[:-3] + "man")
    if noun.endswith("man"):
        forms.add(noun[:-3] + "men")
    return any(w in forms for w in word_texts(speaker))


def find_words(haystack: Sequence[str], needle: Sequence[str], start: int = 0) -> int:
    """Index of the first occurrence of ``needle`` in ``haystack`` at or after ``start``."""
    n = len(needle)
    if n == 0:
        return -1
    for i in range(max(start, 0), len(haystack) - n + 1):
        if list(haystack[i:i + n]) == list(needle):
            return i
    return -1


def locate_all(article_words: Sequence[str], starts: Iterable[str]) -> list[int]:
    """Word index of each quote start, in order; -1 for one not found in the text."""
    found: list[int] = []
    cursor = 0
    for start in starts:
        needle = word_texts(start)[:FIRST_WORDS]
        index = find_words(article_words, needle, cursor)
        if index < 0:
            index = find_words(article_words, needle, 0)
        else:
            cursor = index + 1
        found.append(index)
    return found


# --- gold --------------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldName:
    name: str
    aliases: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class GoldQuote:
    start: str
    speaker: str | None
    speaker_type: str
    via: str


@dataclass(frozen=True)
class GoldArticle:
    id: str
    topic: str
    quotes: tuple[GoldQuote, ...]
    ignored_quotes: tuple[str, ...]
    people: tuple[GoldName, ...]
    organisations: tuple[GoldName, ...]
    ignored_names: tuple[str, ...]


def _names(items: Sequence[Any]) -> tuple[GoldName, ...]:
    out: list[GoldName] = []
    for item in items:
        if isinstance(item, str):
            out.append(GoldName(item))
        else:
            out.append(GoldName(str(item["name"]), tuple(str(a) for a in item.get("aliases", ()))))
    return tuple(out)


def load_gold(path: Path) -> list[GoldArticle]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        GoldArticle(
            id=str(a["id"]), topic=str(a.get("topic", "")),
            quotes=tuple(GoldQuote(str(q["start"]), q["speaker"], str(q["speaker_type"]),
                                   str(q["via"])) for q in a["quotes"]),
            ignored_quotes=tuple(str(s) for s in a.get("ignored_quotes", ())),
            people=_names(a.get("people", ())),
            organisations=_names(a.get("organisations", ())),
            ignored_names=tuple(str(s) for s in a.get("ignored_names", ())),
        )
        for a in data["articles"]
    ]


def load_texts(path: Path, wanted: set[str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in wanted:
                texts[row["id"]] = str(row["text"])
    return texts


# --- quotes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SystemQuote:
    """A system quote reduced to what is scored: its word span and its speaker."""

    first: int
    last: int
    text: str
    speaker: str | None
    confidence: float


def word_span(article_words: Sequence[Word], start: int, end: int) -> tuple[int, int]:
    """First and last word index inside the character range ``[start, end)``."""
    inside = [i for i, w in enumerate(article_words) if w.start >= start and w.end <= end]
    if not inside:
        return -1, -1
    return inside[0], inside[-1]


def starts_at(quote: SystemQuote, gold_index: int, gold_length: int) -> bool:
    """The system quote begins at the gold quote: near its first word and covering it."""
    if quote.first < 0 or gold_index < 0:
        return False
    covers = quote.first <= gold_index + gold_length - 1 and quote.last >= gold_index
    return abs(quote.first - gold_index) <= SLACK_WORDS and covers


def contains(quote: SystemQuote, gold_index: int) -> bool:
    return gold_index >= 0 and quote.first >= 0 and quote.first < gold_index <= quote.last


def speaker_right(gold: GoldQuote, system: str | None, article: GoldArticle) -> bool:
    """Whether the system speaker is the gold one under the rules of the module doc."""
    if gold.speaker_type == "none" or gold.speaker is None:
        return not system
    if not system:
        return False
    if gold.speaker_type == "unnamed":
        return head_matches(gold.speaker, system)
    organisation = gold.speaker_type == "organisation"
    pool = article.organisations if organisation else article.people
    forms = next((g.forms() for g in pool if gold.speaker in g.forms()), (gold.speaker,))
    return name_key(system, organisation=organisation) in {
        name_key(f, organisation=organisation) for f in forms}


@dataclass
class QuoteResult:
    article: str
    gold: GoldQuote
    located: bool
    system: SystemQuote | None
    how: str  # "start" | "inside" | "missed"
    right: bool


@dataclass
class ArticleQuotes:
    article: str
    results: list[QuoteResult] = field(default_factory=list)
    false_quotes: list[SystemQuote] = field(default_factory=list)
    ignored: int = 0
    system_right: int = 0
    system_total: int = 0
    confident: int = 0
    confident_right: int = 0


def match_quotes(article: GoldArticle, article_words: Sequence[Word],
                 system: Sequence[SystemQuote]) -> ArticleQuotes:
    """Pair gold and system quotes of one article (see the module doc for the rules)."""
    texts = [w.text for w in article_words]
    gold_at = locate_all(texts, (q.start for q in article.quotes))
    ignored_at = locate_all(texts, article.ignored_quotes)
    lengths = [min(len(word_texts(q.start)), FIRST_WORDS) for q in article.quotes]
    ignored_lengths = [min(len(word_texts(s)), FIRST_WORDS) for s in article.ignored_quotes]
    out = ArticleQuotes(article.id)
    used: set[int] = set()
    for gold, index, length in zip(article.quotes, gold_at, lengths, strict=True):
        candidates = sorted((abs(q.first - index), k) for k, q in enumerate(system)
                            if k not in used and starts_at(q, index, length))
        chosen: SystemQuote | None = None
        how = "missed"
        if candidates:
            k = candidates[0][1]
            used.add(k)
            chosen, how = system[k], "start"
        else:
            inside = [q for q in system if contains(q, index)]
            if inside:
                chosen, how = inside[0], "inside"
        right = chosen is not None and speaker_right(gold, chosen.speaker, article)
        out.results.append(QuoteResult(article.id, gold, index >= 0, chosen, how, right))
    rights: dict[int, bool] = {}
    for result in out.results:
        if result.system is not None:
            key = id(result.system)
            rights[key] = rights.get(key, True) and result.right
    for quote in system:
        starts_ignored = any(starts_at(quote, i, n)
                             for i, n in zip(ignored_at, ignored_lengths, strict=True))
        if id(quote) not in rights and starts_ignored:
            out.ignored += 1
            continue
        out.system_total += 1
        right = rights.get(id(quote), False)
        if id(quote) in rights:
            out.system_right += 1
        else:
            out.false_quotes.append(quote)
        if quote.confidence >= CONFIDENT:
            out.confident += 1
            out.confident_right += int(right)
    return out


# --- entities ----------------------------------------------------------------------------

@dataclass
class EntityScore:
    label: str
    system: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0
    partial_only: int = 0
    duplicates: int = 0
    other_label: int = 0
    false_names: list[tuple[str, str]] = field(default_factory=list)
    missed_names: list[tuple[str, str]] = field(default_factory=list)


def refers_to(system: tuple[str, ...], golds: Sequence[GoldName], organisation: bool) -> tuple[
        int, bool]:
    """(index of the gold entity the system name refers to or -1, whether exactly)."""
    for i, gold in enumerate(golds):
        if system in {name_key(f, organisation=organisation) for f in gold.forms()}:
            return i, True
    partial = [i for i, gold in enumerate(golds)
               if any(_proper_part(system, name_key(f, organisation=organisation))
                      for f in gold.forms())]
    if len(partial) == 1:
        return partial[0], False
    return -1, False


def _proper_part(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    return 0 < len(part) < len(whole) and find_words(whole, part) >= 0


def score_entities(article: GoldArticle, system: Sequence[tuple[str, str]],
                   scores: dict[str, EntityScore]) -> None:
    """Add one article's PERSON and ORG figures to ``scores`` (keys "PERSON", "ORG")."""
    kinds = {"PERSON": (article.people, False), "ORG": (article.organisations, True)}
    for label, (golds, organisation) in kinds.items():
        score = scores[label]
        other_golds, other_org = kinds["ORG" if label == "PERSON" else "PERSON"]
        ignored = {name_key(n, organisation=organisation) for n in article.ignored_names}
        exact_hits: Counter[int] = Counter()
        any_hits: Counter[int] = Counter()
        for name, sys_label in system:
            if sys_label != label:
                continue
            key = name_key(name, organisation=organisation)
            if not key or key in ignored:
                continue
            score.system += 1
            index, exact = refers_to(key, golds, organisation)
            if index >= 0:
                score.correct += 1
                any_hits[index] += 1
                if exact:
                    exact_hits[index] += 1
                continue
            score.false_names.append((article.id, name))
            if refers_to(name_key(name, organisation=other_org), other_golds, other_org)[0] >= 0:
                score.other_label += 1
        score.gold += len(golds)
        for i, gold in enumerate(golds):
            if exact_hits[i]:
                score.found += 1
            else:
                score.missed_names.append((article.id, gold.name))
                if any_hits[i]:
                    score.partial_only += 1
            score.duplicates += max(any_hits[i] - 1, 0)


# --- running -----------------------------------------------------------------------------

def analyse(text: str) -> tuple[list[Word], list[SystemQuote], list[tuple[str, str]]]:
    """Annotate one CNN/DM text with the reader; the whole text is the body."""
    from reader import annotate, article_from_text

    annotated = annotate(article_from_text(text, title=""))
    body = annotated.article.text
    article_words = words(body)
    quotes = []
    for q in annotated.quotes:
        first, last = word_span(article_words, q.start, q.end)
        quotes.append(SystemQuote(first, last, q.text, q.speaker, q.speaker_confidence))
    entities = [(e.name, e.label) for e in annotated.entities]
    return article_words, quotes, entities


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    articles: int = 0
    quotes: list[QuoteResult] = field(default_factory=list)
    per_article: list[ArticleQuotes] = field(default_factory=list)
    entities: dict[str, EntityScore] = field(default_factory=lambda: {
        "PERSON": EntityScore("PERSON"), "ORG": EntityScore("ORG")})
    unlocated: list[tuple[str, str]] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        gold = len(self.quotes)
        detected = sum(r.system is not None for r in self.quotes)
        right = sum(r.right for r in self.quotes)
        sys_total = sum(a.system_total for a in self.per_article)
        sys_right = sum(a.system_right for a in self.per_article)
        confident = sum(a.confident for a in self.per_article)
        confident_right = sum(a.confident_right for a in self.per_article)
        p, r = ratio(sys_right, sys_total), ratio(detected, gold)
        out: dict[str, Any] = {
            "articles": self.articles, "gold_quotes": gold, "system_quotes": sys_total,
            "ignored_system_quotes": sum(a.ignored for a in self.per_article),
            "quote_precision": p, "quote_recall": r, "quote_f1": f1(p, r),
            "speaker_accuracy_detected": ratio(right, detected),
            "speaker_accuracy_end_to_end": ratio(right, gold),
            "confident_quotes": confident, "confident_right": confident_right,
            "confident_precision": ratio(confident_right, confident),
            "by_via": self._groups(lambda q: q.gold.via),
            "by_speaker_type": self._groups(lambda q: q.gold.speaker_type),
            "unlocated_gold_quotes": len(self.unlocated),
        }
        for label, score in self.entities.items():
            ep, er = ratio(score.correct, score.system), ratio(score.found, score.gold)
            out[label] = {"system": score.system, "gold": score.gold, "precision": ep,
                          "recall": er, "f1": f1(ep, er), "partial_only": score.partial_only,
                          "duplicates": score.duplicates, "other_label": score.other_label}
        return out

    def _groups(self, key: Callable[[QuoteResult], str]) -> dict[str, dict[str, float]]:
        groups: dict[str, list[QuoteResult]] = {}
        for result in self.quotes:
            groups.setdefault(key(result), []).append(result)
        out: dict[str, dict[str, float]] = {}
        for name, items in sorted(groups.items()):
            detected = sum(r.system is not None for r in items)
            right = sum(r.right for r in items)
            out[name] = {"gold": len(items), "detected": detected, "right": right,
                         "accuracy_detected": ratio(right, detected),
                         "end_to_end": ratio(right, len(items))}
        return out


def run(gold_path: Path, texts_path: Path) -> Report:
    gold = load_gold(gold_path)
    texts = load_texts(texts_path, {a.id for a in gold})
    report = Report()
    for article in gold:
        if article.id not in texts:
            raise SystemExit(f"{article.id}: not in {texts_path}")
        article_words, quotes, entities = analyse(texts[article.id])
        matched = match_quotes(article, article_words, quotes)
        report.articles += 1
        report.quotes += matched.results
        report.per_article.append(matched)
        report.unlocated += [(article.id, r.gold.start) for r in matched.results if not r.located]
        score_entities(article, entities, report.entities)
    return report


def check_gold(gold: Sequence[GoldArticle], texts: dict[str, str]) -> list[str]:
    """Annotation slips, found without running the analysis: quote starts missing from
    their text and names none of whose forms appears in it."""
    from reader import article_from_text

    problems: list[str] = []
    for article in gold:
        body = article_from_text(texts[article.id], title="").text
        texts_words = word_texts(body)
        for start, index in zip(article.quotes, locate_all(texts_words, (
                q.start for q in article.quotes)), strict=True):
            if index < 0:
                problems.append(f"{article.id[:14]} quote not found: {start.start}")
        for ignored, index in zip(article.ignored_quotes,
                                  locate_all(texts_words, article.ignored_quotes), strict=True):
            if index < 0:
                problems.append(f"{article.id[:14]} ignored quote not found: {ignored}")
        bare = [re.sub(r"'s$", "", w) for w in texts_words]
        for name in (*article.people, *article.organisations):
            if all(find_words(bare, [re.sub(r"'s$", "", w) for w in word_texts(f)]) < 0
                   for f in name.forms()):
                problems.append(f"{article.id[:14]} name not in text as written: {name.name}")
        if len(set(article.people) | set(article.organisations)) < len(article.people) + len(
                article.organisations):
            problems.append(f"{article.id[:14]} a name is listed twice")
    return problems


def print_table(figures: dict[str, Any]) -> None:
    f = figures
    print(f"articles {f['articles']}  gold quotes {f['gold_quotes']}  system quotes "
          f"{f['system_quotes']} (+{f['ignored_system_quotes']} on ignored spans)")
    print(f"quotes     P {f['quote_precision']:.3f}  R {f['quote_recall']:.3f}  "
          f"F1 {f['quote_f1']:.3f}")
    print(f"speakers   over detected {f['speaker_accuracy_detected']:.3f}  "
          f"end-to-end {f['speaker_accuracy_end_to_end']:.3f}")
    print(f"confident  (>= {CONFIDENT}) {f['confident_quotes']} quotes, right "
          f"{f['confident_precision']:.3f}")
    for group in ("by_via", "by_speaker_type"):
        print(f"{group:<16}{'gold':>6}{'det':>6}{'right':>7}{'acc|det':>9}{'e2e':>7}")
        for name, g in f[group].items():
            print(f"  {name:<14}{g['gold']:>6}{g['detected']:>6}{g['right']:>7}"
                  f"{g['accuracy_detected']:>9.3f}{g['end_to_end']:>7.3f}")
    print(f"{'entities':<10}{'sys':>5}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}"
          f"{'partial':>9}{'dupl':>6}{'other':>7}")
    for label in ("PERSON", "ORG"):
        e = f[label]
        print(f"  {label:<8}{e['system']:>5}{e['gold']:>6}{e['precision']:>7.3f}"
              f"{e['recall']:>7.3f}{e['f1']:>7.3f}{e['partial_only']:>9}{e['duplicates']:>6}"
              f"{e['other_label']:>7}")
    if f["unlocated_gold_quotes"]:
        print(f"WARNING: {f['unlocated_gold_quotes']} gold quotes not found in their text")


def _clip(text: str | None, n: int = 50) -> str:
    if text is None:
        return "-"
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def print_errors(report: Report, n: int) -> None:
    def show(title: str, rows: list[str]) -> None:
        print(f"\n{title} ({len(rows)})")
        for row in rows[:n]:
            print("  " + row)

    show("missed quotes: gold start | gold speaker | via", [
        f"{r.article[:14]} {_clip(r.gold.start)} | {r.gold.speaker} | {r.gold.via}"
        for r in report.quotes if r.system is None])
    show("wrong speakers: quote | gold | system | confidence | via", [
        f"{r.article[:14]} {_clip(r.gold.start, 40)} | {r.gold.speaker} | "
        f"{r.system.speaker} | {r.system.confidence:.2f} | {r.gold.via}"
        for r in report.quotes if r.system is not None and not r.right])
    false_rows: list[str] = []
    for matched in report.per_article:
        false_rows += [f"{matched.article[:14]} {_clip(q.text)} | {q.speaker} | "
                       f"{q.confidence:.2f}" for q in matched.false_quotes]
    show("false quotes: system text | system speaker | confidence", false_rows)
    show("confident but wrong: quote | gold | system | confidence", [
        f"{r.article[:14]} {_clip(r.gold.start, 40)} | {r.gold.speaker} | "
        f"{r.system.speaker} | {r.system.confidence:.2f}"
        for r in report.quotes
        if r.system is not None and not r.right and r.system.confidence >= CONFIDENT])
    for label, score in report.entities.items():
        show(f"{label} false (not a gold {label})",
             [f"{a[:14]} {name}" for a, name in score.false_names])
        show(f"{label} missed (full name not found)",
             [f"{a[:14]} {name}" for a, name in score.missed_names])
    if report.unlocated:
        show("gold quotes not found in the text", [f"{a} {s}" for a, s in report.unlocated])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print N sample errors of each kind")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--texts", type=Path, default=TEXTS)
    parser.add_argument("--check-gold", action="store_true",
                        help="only check that the annotations fit their texts (no analysis)")
    args = parser.parse_args(argv)
    if args.check_gold:
        gold = load_gold(args.gold)
        problems = check_gold(gold, load_texts(args.texts, {a.id for a in gold}))
        print("\n".join(problems) or "gold ok")
        return 0
    report = run(args.gold, args.texts)
    figures = report.figures()
    print_table(figures)
    if args.errors:
        print_errors(report, args.errors)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
