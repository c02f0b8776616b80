"""The fast canonicaliser gives byte for byte what the RFC 8785 reference gives."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from custodia.ledger.canonical import canonical_json

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=400)
@given(json_values)
def test_matches_the_reference_for_any_json_value(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, ValueError, UnicodeEncodeError):
        with pytest.raises((rfc8785.CanonicalizationError, ValueError, UnicodeEncodeError)):
            canonical_json(value)
        return
    assert canonical_json(value) == expected


def test_keys_sort_by_utf16_code_units_beyond_the_basic_plane() -> None:
    # U+1F600 sorts before U+FB01 in UTF-16 (surrogates 0xD83D..) but after it by code point.
    value = {"\U0001f600": 1, "\ufb01": 2, "a": 3}
    assert canonical_json(value) == rfc8785.dumps(value)


def test_integers_beyond_double_precision_are_refused_like_the_reference() -> None:
    with pytest.raises(rfc8785.CanonicalizationError):
        canonical_json({"n": 2**60})
