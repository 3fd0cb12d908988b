"""Single sign-on with OpenID Connect: which person the identity provider's claims are.

mozilla-django-oidc runs the authorization code flow (state, nonce, PKCE, the token request,
the signature of the ID token). This module adds what the library leaves to its users: the
audience and issuer of the ID token, binding each person to the provider's (issuer, subject) at
their first sign-in and finding them by it from then on (by employee id or a verified email
only until then, and never taking over someone else's account), refusing people who may not
sign in, creating and updating people from the claims, and keeping the OKR office role in step
with a group claim. See docs/single-sign-on.md.
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
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import (  # type: ignore[import-untyped]  # the library ships no types
    OIDCAuthenticationBackend,
)

from soihtu.accounts.backends import password_login_enabled
from soihtu.accounts.models import User
from soihtu.accounts.role_removal import RemovedBy, org_admin_removed
from soihtu.audit.services import audited_save, snapshot

LOGGER = logging.getLogger(__name__)

# What a sign-in may change on a person, and so what the audit trail records.
PERSON_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "employee_id",
    "is_org_admin",
    "oidc_issuer",
    "oidc_subject",
]
ENDPOINT_SETTINGS = [
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
]
USERNAME_UNSAFE = re.compile(r"[^a-z0-9.@+_-]")
USERNAME_MAX = 140  # leaves room for a "-NN" suffix within Django's 150 characters
SUBJECT_MAX = 255  # OpenID Connect Core 1.0, 2: "MUST NOT exceed 255 ASCII characters"


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
    if sso_enabled() and not settings.SOIHTU_OIDC_ISSUER:
        problems.append(
            checks.Error(
                "Single sign-on is on (OIDC_RP_CLIENT_ID is set) but SOIHTU_OIDC_ISSUER is "
                "empty: people are bound to the provider's issuer and subject, and ID tokens "
                "from any other issuer must be refused.",
                hint="Set it to the issuer in the provider's discovery document. "
                "See docs/single-sign-on.md.",
                id="soihtu.accounts.E003",
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
    # The employee id is on an account bound to another subject of the provider, or (for a
    # bound person) on someone else's account.
    IDENTITY_CONFLICT = "identity_conflict"
    # The verified email is on an account an email may not link: bound to a provider identity,
    # with an employee id the claims lack, or an org admin's.
    EMAIL_NOT_LINKED = "email_not_linked"


class SignInRefusedError(Exception):
    """The provider vouched for someone who may not sign in; `reason` says why, `attempted`
    (employee id, else email) and `subject` whom the provider vouched for."""

    def __init__(self, reason: Refusal, claims: PersonClaims | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.attempted = (claims.employee_id or claims.email) if claims else ""
        self.subject = claims.subject if claims else ""


@dataclass(frozen=True)
class PersonClaims:
    """What Soihtu reads from the provider's claims about the person signing in."""

    issuer: str
    subject: str
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
    subject = raw.get("sub")
    return PersonClaims(
        # check_id_token has made sure the ID token comes from the configured issuer.
        issuer=str(settings.SOIHTU_OIDC_ISSUER),
        subject=subject if isinstance(subject, str) else "",
        employee_id=_text(raw, settings.SOIHTU_OIDC_EMPLOYEE_ID_CLAIM),
        email=User.objects.normalize_email(email) if len(email) <= 254 else "",
        # Some providers let people type any address: only the JSON true vouches for it (a
        # missing claim, "true", "false" or 0 do not).
        email_verified=raw.get("email_verified") is True,
        first_name=_text(raw, "given_name")[:150],
        last_name=_text(raw, "family_name")[:150],
        groups=_groups(raw.get(settings.SOIHTU_OIDC_GROUPS_CLAIM)),
    )


def _matching_person(claims: PersonClaims) -> User | None:
    """The person the claims are: the one bound to the provider's (issuer, subject); else, by
    employee id or a verified email, someone who may be bound to it now. Refuses to hand over
    an account bound to another subject of the same provider."""
    people = User.objects.select_for_update()
    bound = people.filter(oidc_issuer=claims.issuer, oidc_subject=claims.subject).first()
    if bound is not None:
        return bound
    by_id = people.filter(employee_id=claims.employee_id).first() if claims.employee_id else None
    if by_id is None:
        return _by_email(people, claims)
    if by_id.oidc_issuer == claims.issuer and by_id.oidc_subject:
        raise SignInRefusedError(Refusal.IDENTITY_CONFLICT, claims)
    return by_id  # unbound, or bound at a previous provider: the employee id carries them over


def _by_email(people: QuerySet[User], claims: PersonClaims) -> User | None:
    """The one person with the claims' verified email, when the email may link them: they
    have never signed in with single sign-on, have no employee id (the claims' own would have
    matched them) and are not an org admin. Refuses when the email is on an account it may
    not link, rather than making a second account beside it."""
    if not claims.email or not claims.email_verified:
        return None
    by_email = people.filter(email__iexact=claims.email)
    if claims.employee_id:
        # Someone with another employee id is another person who once had this address.
        by_email = by_email.filter(employee_id="")
    found = list(by_email[:2])
    if len(found) > 1:
        raise SignInRefusedError(Refusal.AMBIGUOUS, claims)
    if not found:
        return None
    person = found[0]
    if person.oidc_subject or person.employee_id or person.is_org_admin:
        raise SignInRefusedError(Refusal.EMAIL_NOT_LINKED, claims)
    return person


def _employee_id_taken(person: User, claims: PersonClaims) -> bool:
    """Whether the claims would give `person` an employee id someone else has."""
    if not claims.employee_id or claims.employee_id == person.employee_id:
        return False
    return User.objects.filter(employee_id=claims.employee_id).exclude(pk=person.pk).exists()


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
    person.oidc_issuer, person.oidc_subject = claims.issuer, claims.subject
    admin_group = settings.SOIHTU_OIDC_ADMIN_GROUP
    if admin_group:
        # A missing groups claim removes the role: the provider decides, failing closed.
        person.is_org_admin = admin_group in claims.groups


def _person_create(claims: PersonClaims) -> User:
    if not settings.SOIHTU_OIDC_CREATE_USERS:
        raise SignInRefusedError(Refusal.NOT_IN_SOIHTU, claims)
    person = User(username=_free_username(claims))
    person.set_unusable_password()
    _apply_claims(person, claims)
    audited_save(actor=None, instance=person, fields=PERSON_FIELDS, before=None)
    return person


def person_sign_in(*, claims: PersonClaims, request: HttpRequest | None = None) -> User:
    """The person who may sign in with `claims`, created or updated from them (audited).

    Matches by the provider's (issuer, subject); until a person is bound to it, by employee id
    (not someone bound to another subject of the same provider), then by a verified email
    (case-insensitive, only when exactly one person has it, and only someone never bound, with
    no employee id and not an org admin). The match is bound to the (issuer, subject). Refuses,
    raising SignInRefusedError, people who are anonymized or deactivated, the conflicts above,
    an email shared by several people, and unknown people unless SOIHTU_OIDC_CREATE_USERS.
    Changes are recorded without an actor: they come from the identity provider. A role the
    group claim removes takes its powers along (role_removal), in the same transaction.
    """
    try:
        return _person_sign_in_once(claims, request)
    except IntegrityError:
        # Two first sign-ins of the same new person at once (two browser tabs): the other one
        # created them, so matching again finds that person.
        return _person_sign_in_once(claims, request)


def _identifies(claims: PersonClaims) -> bool:
    return (
        bool(claims.issuer)
        and 0 < len(claims.subject) <= SUBJECT_MAX
        and len(claims.employee_id) <= 64
        and bool(claims.employee_id or claims.email)
    )


@transaction.atomic
def _person_sign_in_once(claims: PersonClaims, request: HttpRequest | None) -> User:
    if not _identifies(claims):
        raise SignInRefusedError(Refusal.NO_IDENTITY, claims)
    person = _matching_person(claims)
    if person is None:
        return _person_create(claims)
    if person.is_anonymized:
        raise SignInRefusedError(Refusal.ANONYMIZED, claims)
    if not person.is_active:
        raise SignInRefusedError(Refusal.DEACTIVATED, claims)
    if _employee_id_taken(person, claims):
        raise SignInRefusedError(Refusal.IDENTITY_CONFLICT, claims)
    _person_update(person, claims, request)
    return person


def _person_update(person: User, claims: PersonClaims, request: HttpRequest | None) -> None:
    before = snapshot(person, PERSON_FIELDS)
    _apply_claims(person, claims)
    if snapshot(person, PERSON_FIELDS) == before:
        return
    audited_save(actor=None, instance=person, fields=PERSON_FIELDS, before=before)
    if before["is_org_admin"] and not person.is_org_admin:
        org_admin_removed(user=person, actor=None, request=request, reason=RemovedBy.SINGLE_SIGN_ON)


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
    if not issuer:  # the settings check says so too (soihtu.accounts.E003)
        raise SuspiciousOperation("SOIHTU_OIDC_ISSUER is not set: no ID token is accepted.")
    if payload.get("iss") != issuer:
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
        return person_sign_in(claims=person_claims(claims), request=self.request)

    def get_user(self, user_id: int) -> User | None:
        # The library's version would restore sessions of deactivated people.
        user = ModelBackend.get_user(self, user_id)
        if isinstance(user, User) and not user.is_anonymized:
            return user
        return None
