"""Who may use the pages about a person's own sign-in."""

from __future__ import annotations

from typing import Any

from soihtu.accounts.backends import password_login_enabled


def password_change_allowed(user: Any) -> bool:
    """Whether `user` may change their password here: password sign-in is on, and they are
    signed in with a password of their own (not someone who signs in only through single
    sign-on, nor an anonymized person)."""
    return bool(password_login_enabled() and user.is_authenticated and user.has_usable_password())
