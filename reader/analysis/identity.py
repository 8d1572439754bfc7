"""Who a name refers to: the forms under which one person or organisation is found.

An article merges "Commissioner Laura Benz", "Laura Benz" and "Benz" into one person,
and "Nimbus Orbital Systems Inc." with "Nimbus"; the library must find that entity again
by any of those forms, in any saved article, whichever form that article happened to
use. Both sides use the rules here: the entity merger to join mentions, the library to
index a saved entity under every key it can be looked up by (``lookup_keys``) and to
read a user's query the same way (``query_keys``).

Pure string work: no spaCy, so the library can use it without loading the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from reader.analysis.names import company_base, has_company_suffix

HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof sir dame lord lady sen rep gov gen lt col capt sgt adm maj "
    "rev fr president senator governor mayor minister secretary judge justice commissioner "
    "ambassador chancellor premier coach captain chairman chairwoman chief inspector "
    "detective officer sergeant colonel general lieutenant professor doctor pope king queen "
    "prince princess sheikh fusilier private corporal sheriff constable mp qc".split()
)
"""Words before a name that are a title, not part of it ("Commissioner Laura Benz")."""

NAME_PARTICLES = frozenset("de da di del della van von der den ter ten le la du dos das al el "
                           "bin ben ibn st".split())

COMPANY_HEADS = frozenset(
    "systems labs laboratories pictures studios technologies technology industries "
    "holdings group corporation company partners ventures robotics aerospace dynamics "
    "electronics networks media entertainment games software solutions services airlines "
    "airways motors foods pharmaceuticals therapeutics energy capital bank".split()
)
"""Last words of a company's name whose first word is used alone for it
("Nimbus Orbital Systems" ... "Nimbus said")."""

GOVERNMENT_HEADS = frozenset("department ministry office bureau agency council commission "
                             "university".split())
"""Heads written either way round: "State Department" and "Department of State"."""

_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "de", "du", "des", "la",
                           "le", "&", "to", "at", "a", "an"})
_POSSESSIVE = re.compile(r"['’]s?$")


def name_key(name: str) -> str:
    """How names are compared: case-folded, spaces collapsed, no possessive."""
    words = name.casefold().split()
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    return " ".join(words)


def without_titles(name: str) -> str:
    """The name with leading titles dropped ("Commissioner Laura Benz" -> "Laura Benz");
    a name that is only a title is kept as it is."""
    words = name.split()
    while len(words) > 1 and words[0].casefold().rstrip(".") in HONORIFICS:
        words.pop(0)
    return " ".join(words)


def acronym_of(name: str) -> str:
    """Initials of the capitalised words: "North Atlantic Treaty Organization" -> "NATO"."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _ACRONYM_SKIP]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


def head_first_form(name: str) -> str:
    """"Department of State" <-> "State Department": the other order of a government
    body's name, or "" when the name has no such head."""
    words = name.split()
    if len(words) >= 3 and words[0].casefold() in GOVERNMENT_HEADS and \
            words[1].casefold() == "of":
        return " ".join([*words[2:], words[0]])
    if len(words) >= 2 and words[-1].casefold() in GOVERNMENT_HEADS:
        return " ".join([words[-1], "of", *words[:-1]])
    return ""


def person_short_forms(name: str) -> list[str]:
    """The forms a person's full name is shortened to: the surname, with its particles
    ("de Jong") or both parts of a double surname ("Ruiz Calderon")."""
    words = without_titles(name).split()
    if len(words) < 2:
        return []
    forms = [words[-1]]
    if len(words) >= 3:
        forms.append(" ".join(words[-2:]))
        if words[-2].casefold() in NAME_PARTICLES and len(words) >= 4:
            forms.append(" ".join(words[-3:]))
    return forms


def organisation_short_forms(name: str) -> list[str]:
    """The forms an organisation's name is shortened to: without its legal form, the
    other order of a government body, and a company's first word ("Nimbus")."""
    forms = []
    base = company_base(name) if has_company_suffix(name) else name
    if base != name:
        forms.append(base)
    swapped = head_first_form(base)
    if swapped:
        forms.append(swapped)
    words = base.split()
    if len(words) >= 2 and (base != name or words[-1].casefold() in COMPANY_HEADS) and \
            words[0][:1].isupper() and words[0].casefold() not in _ACRONYM_SKIP:
        forms.append(words[0])
    acronym = acronym_of(base)
    if len(acronym) >= 2:
        forms.append(acronym)
    return forms


def lookup_keys(name: str, label: str, forms: Iterable[str] = ()) -> set[str]:
    """Every key under which the library finds a saved entity."""
    keys = set()
    for form in (name, *forms):
        keys.add(name_key(form))
        keys.add(name_key(without_titles(form)))
    short = person_short_forms(name) if label == "PERSON" else \
        organisation_short_forms(name) if label == "ORG" else []
    keys.update(name_key(form) for form in short)
    keys.discard("")
    return keys


def query_keys(query: str) -> set[str]:
    """The keys a user's query is looked up by: as typed, and without titles or legal
    form ("Commissioner Benz" finds "Laura Benz" saved under "benz")."""
    keys = {name_key(query), name_key(without_titles(query))}
    if has_company_suffix(query):
        keys.add(name_key(company_base(query)))
    swapped = head_first_form(query)
    if swapped:
        keys.add(name_key(swapped))
    keys.discard("")
    return keys
