"""Mentions in a comment's plain text: `@firstname.lastname` or `@username`.

A person's name handle is their first name, a dot and their last name, lowercased, with the
spaces inside a name written as hyphens: Anna-Liisa Mäki-Petäjä is `@anna-liisa.mäki-petäjä`,
Mari Anne von Wright `@mari-anne.von-wright`. Their username works too, in any case. A name
handle shared by several people mentions each of them (the username tells them apart). Only
people who may see what the comment is on are ever mentioned (comments/services.py); the others
are left as plain text, so that the text says nothing about who exists.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from soihtu.accounts.models import User

# After a space, a line start or punctuation (not inside an email address); a handle ends on a
# letter or a digit, so the full stop of a sentence is not part of it.
MENTION = re.compile(r"(?<![\w@.+-])@(\w(?:[\w.+-]*\w)?)")
MAX_MENTIONS = 20  # handles read from one comment
MAX_VARIANTS = 8  # spellings of one name tried in the database ("mari-anne": "mari anne")


def handles_in(text: str) -> list[str]:
    """The handles written in the text, lowercased, each once, in order (at most MAX_MENTIONS)."""
    found = dict.fromkeys(match.group(1).lower() for match in MENTION.finditer(text))
    return list(found)[:MAX_MENTIONS]


def _part(name: str) -> str:
    return "-".join(name.lower().split())


def name_handle(user: User) -> str:
    """The person's `firstname.lastname` handle, or "" without both names."""
    if not user.first_name.strip() or not user.last_name.strip():
        return ""
    return f"{_part(user.first_name)}.{_part(user.last_name)}"


def handles_of(user: User) -> set[str]:
    """Every handle that mentions the person."""
    return {h for h in (name_handle(user), user.username.lower()) if h}


def spellings(part: str) -> list[str]:
    """A name part as it may be stored: each hyphen either a hyphen or a space."""
    pieces = part.split("-")
    joins = itertools.product("- ", repeat=len(pieces) - 1)
    found = ["".join(p + j for p, j in zip(pieces, (*js, ""), strict=True)) for js in joins]
    return found[:MAX_VARIANTS]


def handles_q(handles: Iterable[str]) -> Q:
    """People any of the handles may mean (confirm with `handles_of`): by username, or by first
    and last name in each spelling. Never matches when there are no handles."""
    condition = Q(pk__in=[])
    for handle in handles:
        condition |= Q(username__iexact=handle)
        first, dot, last = handle.partition(".")
        if dot and first and last:
            for f, s in itertools.product(spellings(first), spellings(last)):
                condition |= Q(first_name__iexact=f, last_name__iexact=s)
    return condition


def matching(people: Iterable[User], handles: Iterable[str]) -> list[User]:
    """Those of `people` whom one of the handles names."""
    wanted = set(handles)
    return [person for person in people if handles_of(person) & wanted]


def render_body(body: str, mentioned: Iterable[User]) -> SafeString:
    """The comment's text as HTML: escaped, line breaks kept, and each handle of a mentioned
    person shown as their name (linked nowhere). Other handles stay as written."""
    names: dict[str, str] = {}
    for person in mentioned:
        for handle in handles_of(person):
            names.setdefault(handle, person.display_name)
    parts: list[str] = []
    position = 0
    for match in MENTION.finditer(body):
        name = names.get(match.group(1).lower())
        if name is None:
            continue
        parts.append(escape(body[position : match.start()]))
        parts.append(f'<strong class="mention">@{escape(name)}</strong>')
        position = match.end()
    parts.append(escape(body[position:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 - every piece of text above is escaped


def anonymize_handles(body: str, person: User, label: str) -> str:
    """The text with every handle of the person replaced by `label` (for anonymizing)."""
    handles = handles_of(person)

    def replace(match: re.Match[str]) -> str:
        return label if match.group(1).lower() in handles else match.group(0)

    return MENTION.sub(replace, body)
