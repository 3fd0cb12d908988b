"""Password rules beyond Django's own: no words that anyone guessing a password here would try
first (ASVS 5.0 6.1.2 and 6.2.11; the list is in docs/security.md)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The product, and "password" in the organization's languages.
PRODUCT_WORDS = ("soihtu", "salasana", "losenord", "password")
SHORTEST = 4  # shorter words of the organization's name would refuse too much


def _plain(text: str) -> str:
    """Lower case without accents or anything but letters and digits ("Lösen-Ord" → "losenord")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def context_words() -> list[str]:
    """The words no password may contain: the product's, the organization's name (one query)
    and the extra words of SOIHTU_PASSWORD_CONTEXT_WORDS."""
    organization = apps.get_model("organization", "OrganizationSettings").objects.first()
    named = re.split(r"\W+", organization.name) if organization is not None else []
    extra = list(settings.SOIHTU_PASSWORD_CONTEXT_WORDS)
    words = {_plain(word) for word in [*PRODUCT_WORDS, *named, *extra]}
    return sorted(word for word in words if len(word) >= SHORTEST)


class ContextWordsValidator:
    """Refuses a password that contains a word of `context_words`, whatever its case, accents
    or punctuation."""

    def validate(self, password: str, user: Any = None) -> None:
        plain = _plain(password)
        found = [word for word in context_words() if word in plain]
        if found:
            raise ValidationError(
                _(
                    "This password contains “%(word)s”, a word people guess first here. "
                    "Choose a password without it."
                )
                % {"word": found[0]},
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can’t contain the name of this service or of the organization, or "
            "the word “password”."
        )
