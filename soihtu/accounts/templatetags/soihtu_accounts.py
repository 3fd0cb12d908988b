"""Template filters for the page header's person menu."""

from __future__ import annotations

from typing import Any

from django import template

from soihtu.accounts.access import password_change_allowed

register = template.Library()


@register.filter
def may_change_password(user: Any) -> bool:
    """`{% if user|may_change_password %}`: see access.password_change_allowed."""
    return password_change_allowed(user)
