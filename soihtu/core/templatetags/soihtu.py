from decimal import Decimal

from django import template

from soihtu.core import formatting

register = template.Library()


@register.filter
def number(value: Decimal | float | int | None) -> str:
    """A measured value in the user's language without trailing zeros: 4,06 not 4,0600."""
    return formatting.number(value)
