from decimal import Decimal

import pytest
from django.utils import translation

from soihtu.core.templatetags.soihtu import number


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("fi", Decimal("4.0600"), "4,06"),
        ("sv", Decimal("4.0600"), "4,06"),
        ("en", Decimal("4.0600"), "4.06"),
        ("fi", Decimal("100.0000"), "100"),
        ("fi", Decimal("0E-4"), "0"),
        ("fi", None, ""),
    ],
)
def test_numbers_show_without_trailing_zeros_in_the_users_language(
    language: str, value: Decimal | None, shown: str
) -> None:
    with translation.override(language):
        assert number(value) == shown
