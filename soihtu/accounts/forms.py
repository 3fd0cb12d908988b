"""The password forms: Django's, with the guessing throttle (soihtu.accounts.throttle) on every
form that checks a password, and the password rules as plain text."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from soihtu.accounts import throttle
from soihtu.accounts.models import User
from soihtu.audit.models import SecurityEvent
from soihtu.audit.services import security_event_record
from soihtu.core.http import client_address

THROTTLED = "throttled"


def is_throttled(form: forms.Form | None) -> bool:
    """Whether the form was refused because its person must wait (the answer is then 429)."""
    if form is None or not form.is_bound:
        return False
    return any(
        error.code == THROTTLED for errors in form.errors.as_data().values() for error in errors
    )


def _password_rules() -> str:
    # Django's rules come as an HTML list, which cannot sit in the help paragraph.
    return " ".join(password_validation.password_validators_help_texts())


def _address(request: HttpRequest | None) -> str | None:
    return client_address(request) if request is not None else None


def _refuse_while_waiting(
    request: HttpRequest | None, username: str, now: datetime.datetime
) -> None:
    """Refuse (THROTTLED, recorded) without checking the password while the account or the
    client address must wait."""
    wait = throttle.sign_in_wait(username=username, address=_address(request), now=now)
    if wait is not None:
        throttle.sign_in_refused_record(username=username, request=request, wait=wait)
        raise ValidationError(wait.sign_in_message(), code=THROTTLED)


class SignInForm(auth_forms.AuthenticationForm):
    """Django's sign-in form, refused without checking the password while the account or the
    client address must wait; every wrong password is counted, the right one ends the count."""

    @sensitive_variables()
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        now = timezone.now()
        _refuse_while_waiting(self.request, username, now)
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.user_cache is None:  # a wrong password, not a refusal of the right one
                throttle.sign_in_failure_record(
                    username=username, address=_address(self.request), request=self.request, now=now
                )
            raise
        throttle.sign_in_succeeded(username=username)
        return cleaned


class AdminSignInForm(SignInForm):
    """The admin's sign-in form, throttled like the sign-in page's, for the people the admin
    lets in: the OKR office (the admin site's own rule), not Django's staff flag."""

    error_messages = AdminAuthenticationForm.error_messages
    required_css_class = AdminAuthenticationForm.required_css_class

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not getattr(user, "is_org_admin", False):
            raise self.get_invalid_login_error()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's password change: guessing the current password is throttled like signing in,
    since a borrowed session must not become a way to learn the password."""

    user: User

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.fields["new_password1"].help_text = _password_rules()

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        username = self.user.get_username()
        now = timezone.now()
        _refuse_while_waiting(self.request, username, now)
        try:
            old_password: str = super().clean_old_password()
        except ValidationError:
            security_event_record(
                kind=SecurityEvent.Kind.SIGN_IN_FAILED,
                request=self.request,
                user=self.user,
                detail={"password_change": True},
            )
            throttle.sign_in_failure_record(
                username=username, address=_address(self.request), request=self.request, now=now
            )
            raise
        return old_password


class SetPasswordForm(auth_forms.SetPasswordForm[User]):
    """Django's new-password form (after a reset link), with the rules as plain text."""

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].help_text = _password_rules()


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset request form, remembering to whom it sent the link (for the security
    log). Django sends it only to active people with a usable password: nobody who signs in
    only through single sign-on, and nobody anonymized."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recipients: list[User] = []

    def get_users(self, email: str) -> Any:
        self.recipients = list(super().get_users(email))
        return iter(self.recipients)
