"""Finding the person a privacy command is about."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from soihtu.accounts.models import User


def find_person(identifier: str) -> User:
    """The one person with this id, username, email address or employee id."""
    condition = Q(username=identifier) | Q(email__iexact=identifier)
    condition |= Q(employee_id=identifier)
    if identifier.isdigit() and len(identifier) < 12:
        condition |= Q(pk=int(identifier))
    people = list(User.objects.filter(condition)[:2])
    if not people:
        raise CommandError(f"No person with the id, username, email or employee id {identifier!r}.")
    if len(people) > 1:
        raise CommandError(f"{identifier!r} matches more than one person: use their id.")
    return people[0]
