"""Single sign-on with OpenID Connect: which person the identity provider's claims are.

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE, the token request,
the signature of the ID token). This module adds what the library leaves to its users: the
audience and issuer of the ID token, matching people by employee id and then by email,
refusing people who may not sign in, creating and updating people from the claims, and
keeping the OKR office role in step with a group claim. See docs/single-sign-on.md.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import checks
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import (  # type: ignore[import-untyped]  # the library ships no types
    OIDCAuthenticationBackend,
)

from soihtu.accounts.backends import password_login_enabled
from soihtu.accounts.models import User
from soihtu.audit.services import audited_save, snapshot

LOGGER = logging.getLogger(__name__)

# What a sign-in may change on a person, and so what the audit trail records.
PERSON_FIELDS = ["username", "first_name", "last_name", "email", "employee_id", "is_org_admin"]
ENDPOINT_SETTINGS = [
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
]
USERNAME_UNSAFE = re.compile(r"[^a-z0-9.@+_-]")
USERNAME_MAX = 140  # leaves room for a "-NN" suffix within Django's 150 characters


def sso_enabled() -> bool:
    """Single sign-on is on when a client id for the identity provider is configured."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def provider_name() -> str:
    """The identity provider's name for the sign-in button ("" when not configured)."""
    return str(settings.SOIHTU_OIDC_PROVIDER_NAME)


def missing_sso_settings() -> list[str]:
    """The settings single sign-on needs but lacks (none when it is off)."""
    if not sso_enabled():
        return []
    needed = list(ENDPOINT_SETTINGS)
    if str(settings.OIDC_RP_SIGN_ALGO).startswith(("RS", "ES")):
        needed.append("OIDC_OP_JWKS_ENDPOINT")
    return [name for name in needed if not getattr(settings, name, "")]


@checks.register(checks.Tags.security)
def check_sign_in_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Half-configured single sign-on, or no way to sign in at all, fails `manage.py check`."""
    problems: list[checks.CheckMessage] = []
    missing = missing_sso_settings()
    if missing:
        problems.append(
            checks.Error(
                "Single sign-on is on (OIDC_RP_CLIENT_ID is set) but these settings are "
                f"empty: {', '.join(missing)}.",
                hint="See docs/single-sign-on.md.",
                id="soihtu.accounts.E001",
            )
        )
    if not sso_enabled() and not password_login_enabled():
        problems.append(
            checks.Error(
                "Nobody can sign in: SOIHTU_PASSWORD_LOGIN is off and single sign-on is not "
                "configured.",
                hint="Set OIDC_RP_CLIENT_ID and the endpoints, or turn password sign-in on.",
                id="soihtu.accounts.E002",
            )
        )
    return problems


class Refusal(StrEnum):
    """Why the identity provider's person may not sign in to Soihtu."""

    NOT_IN_SOIHTU = "not_in_soihtu"
    DEACTIVATED = "deactivated"
    ANONYMIZED = "anonymized"
    AMBIGUOUS = "ambiguous"
    NO_IDENTITY = "no_identity"


class SignInRefusedError(Exception):
    """The provider vouched for someone who may not sign in; `reason` says why."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class PersonClaims:
    """What Soihtu reads from the provider's claims about the person signing in."""

    employee_id: str
    email: str
    email_verified: bool
    first_name: str
    last_name: str
    groups: frozenset[str]


def _text(raw: Mapping[str, Any], name: str) -> str:
    value = raw.get(name)
    if isinstance(value, bool):
        return ""
    if isinstance(value, str | int):
        return str(value).strip()
    return ""


def _groups(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, list | tuple):
        return frozenset(item for item in value if isinstance(item, str))
    return frozenset()


def person_claims(raw: Mapping[str, Any]) -> PersonClaims:
    """Read the claims (ID token and userinfo together) with the configured claim names."""
    email = _text(raw, "email")
    return PersonClaims(
        employee_id=_text(raw, settings.SOIHTU_OIDC_EMPLOYEE_ID_CLAIM),
        email=User.objects.normalize_email(email) if len(email) <= 254 else "",
        # Some providers let people type any address: never match on one marked unverified.
        email_verified=raw.get("email_verified") not in (False, "false"),
        first_name=_text(raw, "given_name")[:150],
        last_name=_text(raw, "family_name")[:150],
        groups=_groups(raw.get(settings.SOIHTU_OIDC_GROUPS_CLAIM)),
    )


def _matching_person(claims: PersonClaims) -> User | None:
    """The person the claims are: by employee id, else by a unique email address."""
    people = User.objects.select_for_update()
    if claims.employee_id:
        by_id = people.filter(employee_id=claims.employee_id).first()
        if by_id is not None:
            return by_id
    if not claims.email or not claims.email_verified:
        return None
    by_email = people.filter(email__iexact=claims.email)
    if claims.employee_id:
        # Someone with another employee id is another person who once had this address.
        by_email = by_email.filter(employee_id="")
    found = list(by_email[:2])
    if len(found) > 1:
        raise SignInRefusedError(Refusal.AMBIGUOUS)
    return found[0] if found else None


def _free_username(claims: PersonClaims) -> str:
    seed = claims.email.partition("@")[0] or claims.employee_id
    ascii_seed = unicodedata.normalize("NFKD", seed).encode("ascii", "ignore").decode()
    base = USERNAME_UNSAFE.sub("", ascii_seed.lower())[:USERNAME_MAX] or "person"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _apply_claims(person: User, claims: PersonClaims) -> None:
    """Copy what the provider knows onto `person`, never blanking a field it left out."""
    person.first_name = claims.first_name or person.first_name
    person.last_name = claims.last_name or person.last_name
    person.email = claims.email or person.email
    person.employee_id = claims.employee_id or person.employee_id
    admin_group = settings.SOIHTU_OIDC_ADMIN_GROUP
    if admin_group:
        # A missing groups claim removes the role: the provider decides, failing closed.
        person.is_org_admin = admin_group in claims.groups


def _person_create(claims: PersonClaims) -> User:
    if not settings.SOIHTU_OIDC_CREATE_USERS:
        raise SignInRefusedError(Refusal.NOT_IN_SOIHTU)
    person = User(username=_free_username(claims))
    person.set_unusable_password()
    _apply_claims(person, claims)
    audited_save(actor=None, instance=person, fields=PERSON_FIELDS, before=None)
    return person


def person_sign_in(*, claims: PersonClaims) -> User:
    """The person who may sign in with `claims`, created or updated from them (audited).

    Matches by employee id, then by email (case-insensitive, only when exactly one person
    has it). Refuses, raising SignInRefusedError, people who are anonymized or deactivated, an
    email shared by several people, and unknown people unless SOIHTU_OIDC_CREATE_USERS.
    Changes are recorded without an actor: they come from the identity provider.
    """
    try:
        return _person_sign_in_once(claims)
    except IntegrityError:
        # Two first sign-ins of the same new person at once (two browser tabs): the other one
        # created them, so matching again finds that person.
        return _person_sign_in_once(claims)


@transaction.atomic
def _person_sign_in_once(claims: PersonClaims) -> User:
    if len(claims.employee_id) > 64 or not (claims.employee_id or claims.email):
        raise SignInRefusedError(Refusal.NO_IDENTITY)
    person = _matching_person(claims)
    if person is None:
        return _person_create(claims)
    if person.is_anonymized:
        raise SignInRefusedError(Refusal.ANONYMIZED)
    if not person.is_active:
        raise SignInRefusedError(Refusal.DEACTIVATED)
    before = snapshot(person, PERSON_FIELDS)
    _apply_claims(person, claims)
    if snapshot(person, PERSON_FIELDS) != before:
        audited_save(actor=None, instance=person, fields=PERSON_FIELDS, before=before)
    return person


def check_id_token(payload: Mapping[str, Any]) -> None:
    """The checks of an ID token the library leaves out: subject, expiry, audience, issuer.

    The library has verified the signature, the expiry when given, and the nonce.
    """
    client_id = settings.OIDC_RP_CLIENT_ID
    audience = payload.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or client_id not in audiences:
        raise SuspiciousOperation("The ID token is not meant for this client (aud).")
    if len(audiences) > 1 and payload.get("azp") != client_id:
        raise SuspiciousOperation("The ID token names another authorized party (azp).")
    if not payload.get("sub") or "exp" not in payload:
        raise SuspiciousOperation("The ID token lacks its subject or expiry.")
    issuer = settings.SOIHTU_OIDC_ISSUER
    if issuer and payload.get("iss") != issuer:
        raise SuspiciousOperation("The ID token comes from another issuer (iss).")


class SoihtuOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]  # untyped library
    """Signs people in with the identity provider's authorization code flow."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for each authenticate() and permission check; the
        # library's constructor insists on endpoints that exist only when SSO is on.
        if sso_enabled():
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = User

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> User | None:
        # Only the callback view passes a nonce; a password form never starts a code exchange.
        if request is None or "nonce" not in credentials or not sso_enabled():
            return None
        user: User | None = super().authenticate(request, **credentials)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        check_id_token(payload)
        return payload

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The userinfo claims over the ID token's: providers put groups in either."""
        userinfo: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about another subject than the ID token.")
        return {**payload, **userinfo}

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        return person_sign_in(claims=person_claims(claims))

    def get_user(self, user_id: int) -> User | None:
        # The library's version would restore sessions of deactivated people.
        user = ModelBackend.get_user(self, user_id)
        if isinstance(user, User) and not user.is_anonymized:
            return user
        return None
