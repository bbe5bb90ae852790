"""Country codes and names: what counts as a code, and the English name a code stands for.

The records, the people and places data and the site all ask these two questions; they get
one answer each, from pycountry. The press's short forms for titles ("U.S.") are curated in
``places.yaml`` and come from ``Gazetteer.short_name`` instead.
"""

from __future__ import annotations

from collections.abc import Collection

import pycountry

# ISO 3166-1 "exceptionally reserved" or user-assigned codes in common diplomatic use.
EXTRA_COUNTRIES = frozenset({"EU", "UN", "XK"})


def is_country_code(value: str, extra: Collection[str] = EXTRA_COUNTRIES) -> bool:
    """True for an ISO 3166-1 alpha-2 code (two capitals that name a country).

    Args:
        value: the text to check.
        extra: codes accepted besides the ISO ones (the data's own, such as ``EU``).
    """
    if value in extra:
        return True
    if len(value) != 2 or not value.isascii() or not value.isupper():
        return False
    return pycountry.countries.get(alpha_2=value) is not None


def english_name(code: str | None) -> str:
    """The English short name of an ISO 3166-1 alpha-2 code ("Japan", "United States"):
    the common name where pycountry has one, the code itself when unknown, "" for none."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    return str(getattr(country, "common_name", None) or getattr(country, "name", None) or code)
