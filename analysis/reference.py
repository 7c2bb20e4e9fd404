"""Reference data: ISO countries and languages (pycountry), NUTS 2021 codes (shipped boundaries)."""

from __future__ import annotations

from functools import cache

import pycountry

from analysis import i18n

# Spelled in geography, which the boundaries need first; used from here with the rest of the reference data.
from analysis.geography import NUTS_TO_ISO as NUTS_TO_ISO
from analysis.geography import nuts2_country as nuts2_country
from analysis.geography import nuts2_shapes

ISO_TO_NUTS = {iso: nuts for nuts, iso in NUTS_TO_ISO.items()}

# Valid NUTS 2021 level-2 regions that the 1:60M boundary files leave out (outside their window).
NUTS2_WITHOUT_BOUNDARY = {
    "ES70": "Canarias",
    "FRY1": "Guadeloupe",
    "FRY2": "Martinique",
    "FRY3": "Guyane",
    "FRY4": "La Réunion",
    "FRY5": "Mayotte",
}


def is_country(code: str) -> bool:
    # pycountry matches case-insensitively; the contract asks for upper case.
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def country_name(code: str) -> str:
    """Short name of an ISO alpha-2 code in the language spoken (analysis.i18n), or the code itself when unknown."""
    return i18n.country_name(code)


def is_language(code: str) -> bool:
    return len(code) == 2 and pycountry.languages.get(alpha_2=code.lower()) is not None


@cache
def nuts2_names() -> dict[str, str]:
    """Every NUTS 2021 level-2 code known here, with its name."""
    names = {code: name for code, (name, _) in nuts2_shapes().items()}
    names.update(NUTS2_WITHOUT_BOUNDARY)
    return names
