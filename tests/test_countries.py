"""Country codes and names: one check and one name for the records, the data and the site."""

from __future__ import annotations

from generator.knowledge.countries import english_name, is_country_code


def test_country_codes() -> None:
    assert is_country_code("JP") and is_country_code("EU") and is_country_code("XK")
    assert not is_country_code("jp")  # records and data spell codes in capitals
    assert not is_country_code("ZZ") and not is_country_code("JPN")
    assert not is_country_code("Japan") and not is_country_code("")
    assert not is_country_code("EU", extra=frozenset())
    assert is_country_code("eu", extra=frozenset({"eu"}))  # a data file's own codes


def test_english_names() -> None:
    assert english_name("JP") == "Japan"
    assert english_name("tw") == "Taiwan"  # the common name before the formal one
    assert english_name("ZZ") == "ZZ"  # an unknown code is shown as it is
    assert english_name(None) == english_name("") == ""
