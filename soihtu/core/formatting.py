"""Numbers shown to people, in their language."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats


def number(value: Decimal | float | int | None) -> str:
    """A measured value in the active language without trailing zeros: 4,06 not 4,0600."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value.as_tuple().exponent > 0:  # type: ignore[operator]
            value = value.quantize(Decimal(1))
    return formats.number_format(value, use_l10n=True)
