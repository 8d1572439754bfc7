"""What a name is evidence of: a given name (and its usual gender), or a company form.

Deciding whether "Jordan Lee" is a person, or whether "she" can point back to "Maria
Lopez", needs lists of given names and of corporate suffixes that no hand list keeps up
with. Both come from small, well-kept packages whose data ships inside them:
gender-guesser (about 40,000 given names with their usual gender, by country) and
cleanco (legal-form suffixes such as Inc, GmbH, Ltd in many languages). Each is loaded
once, on first use, inside the analysis worker.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gender_guesser.detector import Detector

Gender = Literal["female", "male", "either"]

# gender-guesser answers with degrees of certainty; a reader only needs which pronoun
# can refer to a bearer of the name.
_GENDERS: dict[str, Gender] = {
    "female": "female", "mostly_female": "female",
    "male": "male", "mostly_male": "male",
    "andy": "either",
}


@cache
def _detector() -> Detector:
    from gender_guesser.detector import Detector

    return Detector(case_sensitive=False)


def given_name_gender(word: str) -> Gender | None:
    """The usual gender of a given name; ``None`` when the word is not a known given name.

    A hyphenated name ("Jean-Luc") is looked up whole first, then by its first part.
    """
    word = word.strip(".")
    if not word.isalpha() and "-" not in word:
        return None
    for candidate in (word, word.split("-", 1)[0]):
        found = _GENDERS.get(_detector().get_gender(candidate))
        if found is not None:
            return found
    return None


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
