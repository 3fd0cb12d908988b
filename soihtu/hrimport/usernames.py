"""Usernames for people the HR import adds: they sign in with SSO, so the username only has to
be unique and recognizable."""

from __future__ import annotations

import re

from soihtu.accounts.models import User

USERNAME_MAX = 150  # AbstractUser.username's max_length
NOT_ALLOWED = re.compile(r"[^\w.@+-]")  # what Django's username validator refuses


class UsernameAllocator:
    """Hands out unused usernames: the email address, else `hr-<employee id>` (one query)."""

    def __init__(self) -> None:
        self.taken = {name.lower() for name in User.objects.values_list("username", flat=True)}

    def allocate(self, email: str, employee_id: str) -> str:
        base = f"hr-{NOT_ALLOWED.sub('-', employee_id)}"[:140]
        candidates = [email.lower(), base] if len(email) <= USERNAME_MAX else [base]
        for candidate in candidates:
            if candidate.lower() not in self.taken and not NOT_ALLOWED.search(candidate):
                return self._take(candidate)
        number = 2
        while f"{base}-{number}".lower() in self.taken:
            number += 1
        return self._take(f"{base}-{number}")

    def _take(self, username: str) -> str:
        self.taken.add(username.lower())
        return username
