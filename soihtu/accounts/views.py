"""Signing in: the sign-in page, and the round trip through the identity provider."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic.edit import FormView
from django.views.i18n import set_language as django_set_language
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]  # the library ships no types
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from soihtu.accounts.access import password_change_allowed
from soihtu.accounts.backends import password_login_enabled
from soihtu.accounts.forms import (
    THROTTLED,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    is_throttled,
)
from soihtu.accounts.models import User
from soihtu.accounts.oidc import (
    Refusal,
    SignInRefusedError,
    missing_sso_settings,
    provider_name,
    sso_enabled,
)
from soihtu.accounts.selectors import sessions_page
from soihtu.accounts.services import sessions_end_others, user_language_set
from soihtu.accounts.throttle import password_reset_hit, sign_in_succeeded
from soihtu.audit.models import SecurityEvent
from soihtu.audit.services import security_event_record
from soihtu.core.http import client_address

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

LOGGER = logging.getLogger(__name__)

REFUSALS: dict[Refusal, StrPromise] = {
    Refusal.NOT_IN_SOIHTU: _("You are not in Soihtu yet. Ask the OKR office to add you."),
    Refusal.DEACTIVATED: _(
        "Your Soihtu account has been deactivated. Ask the OKR office if you need it again."
    ),
    Refusal.ANONYMIZED: _(
        "Your Soihtu account was closed when you left. Ask the OKR office if you need access."
    ),
    Refusal.AMBIGUOUS: _(
        "Several people in Soihtu have your email address, so Soihtu cannot tell which one is "
        "you. Ask the OKR office to add your employee id to your details."
    ),
    Refusal.NO_IDENTITY: _(
        "The identity provider did not give Soihtu your employee id or email address. "
        "Ask the OKR office for help."
    ),
    Refusal.IDENTITY_CONFLICT: _(
        "Your employee id is on a Soihtu account that is already linked to another sign-in at "
        "the identity provider. Ask the OKR office to check your details."
    ),
    Refusal.EMAIL_NOT_LINKED: _(
        "Soihtu cannot link your sign-in to an existing account by email address alone. "
        "Ask the OKR office to add your employee id to your details."
    ),
}
SSO_FAILED = _(
    "Signing in did not succeed. Please try again. If it keeps failing, ask the OKR office "
    "for help."
)
PASSWORD_OFF = _("Signing in with a password is turned off. Use the sign-in button instead.")


class _ThrottledAnswers429(FormView):  # type: ignore[type-arg]
    """A form refused because its person must wait answers 429 Too Many Requests."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        if is_throttled(form):
            response.status_code = 429
        return response


class SignInView(_ThrottledAnswers429, LoginView):
    """The sign-in page: the identity provider's button, the password form, or both.

    Password guessing is throttled by the form (soihtu.accounts.throttle); a person who must
    wait gets 429 and the form with how long."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            sso_enabled=sso_enabled(),
            provider_name=provider_name(),
            password_login=password_login_enabled(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_login_enabled():
            context = self.get_context_data(password_refused=PASSWORD_OFF)
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class ProviderSignInView(OIDCAuthenticationRequestView):  # type: ignore[misc]  # untyped library
    """Sends the browser to the identity provider, remembering state, nonce and PKCE."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        missing = missing_sso_settings()
        if missing:
            raise ImproperlyConfigured(f"Single sign-on lacks {', '.join(missing)}.")
        response: HttpResponse = super().get(request)
        return response


@method_decorator(login_not_required, name="dispatch")
class ProviderCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]  # untyped
    """Where the identity provider sends the browser back: signs in, or says why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            response: HttpResponse = super().get(request)
        except SignInRefusedError as refusal:
            LOGGER.info("Single sign-on refused: %s", refusal.reason)
            security_event_record(
                kind=SecurityEvent.Kind.SIGN_IN_REFUSED,
                request=request,
                username=refusal.attempted,
                detail={"reason": refusal.reason.value, "subject": refusal.subject},
            )
            return self._back_to_sign_in(REFUSALS[refusal.reason])
        except (
            SuspiciousOperation,  # state, nonce, signature, audience, issuer
            requests.RequestException,  # the provider's token, keys or userinfo
            jwt.PyJWTError,  # an expired or malformed token
            KeyError,  # a key set or token header without its fields
            ValueError,  # a reply that is not JSON
        ):
            LOGGER.warning("Single sign-on failed", exc_info=True)
            return self._back_to_sign_in(SSO_FAILED)
        return response

    def login_failure(self) -> HttpResponse:
        LOGGER.info("Single sign-on failed: %s", self.request.GET.get("error", "no code"))
        return self._back_to_sign_in(SSO_FAILED)

    def _back_to_sign_in(self, message: StrPromise) -> HttpResponse:
        messages.error(self.request, message)
        return redirect("accounts:login")


@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in person's choice is also remembered for their
    emails (reminders, survey invitations)."""
    response = django_set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if isinstance(request.user, User) and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


def _person(request: HttpRequest) -> User:
    # LoginRequiredMiddleware lets only signed-in people reach the views below.
    assert isinstance(request.user, User)
    return request.user


@require_GET
@never_cache
def sessions(request: HttpRequest) -> HttpResponse:
    """The person's active sessions: where and when they signed in, and a way to end others."""
    rows = sessions_page(user=_person(request), current_key=request.session.session_key)
    others = sum(1 for row in rows if not row.is_current)
    context = {
        "sessions": rows,
        "others": others,
        "idle_minutes": settings.SOIHTU_SESSION_IDLE_MINUTES,
        "max_hours": settings.SOIHTU_SESSION_MAX_HOURS,
    }
    return render(request, "accounts/sessions.html", context)


@require_POST
def sessions_end(request: HttpRequest) -> HttpResponse:
    """End one other session of the person's (`session`: its handle), or all the others."""
    ended = sessions_end_others(
        user=_person(request),
        keep_session_key=request.session.session_key,
        handle=request.POST.get("session", ""),
        request=request,
    )
    if ended:
        text = ngettext("%(count)d other session ended.", "%(count)d other sessions ended.", ended)
        messages.success(request, text % {"count": ended})
    else:
        messages.info(request, _("No session was ended."))
    return redirect("accounts:sessions")


# Changing and resetting a password: Django's views, only while password sign-in is on.


class _PasswordSignInOnly(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not password_login_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class _OwnPasswordOnly(View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not password_change_allowed(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PasswordChangeView(_OwnPasswordOnly, _ThrottledAnswers429, auth_views.PasswordChangeView):
    """Change one's own password: the current one (throttled like signing in), then a new one.
    This session stays signed in; the others end (Django's session hash changes)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_CHANGED, request=self.request, user=form.user
        )
        _other_sessions_end(self.request, form.user)
        return response


class PasswordChangeDoneView(_OwnPasswordOnly, auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(_PasswordSignInOnly, auth_views.PasswordResetView):
    """Ask for a reset link by email. The answer is the same whether or not the address is
    anyone's; requests per email and per client address are limited (429 beyond)."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        address = client_address(self.request)
        wait = password_reset_hit(email=email, address=address, now=timezone.now())
        if wait is not None:
            security_event_record(
                kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
                request=self.request,
                status=429,
                detail={"email": email, "throttled": True},
            )
            form.add_error(None, ValidationError(wait.reset_message(), code=THROTTLED))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # Links are built on the configured address, never on the request's Host header.
        self.extra_email_context = {"base_url": settings.SOIHTU_BASE_URL.rstrip("/")}
        response = super().form_valid(form)
        _reset_requested_record(self.request, email, form.recipients)
        return response


def _reset_requested_record(request: HttpRequest, email: str, recipients: list[User]) -> None:
    for person in recipients:
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
            request=request,
            user=person,
            detail={"email": email, "sent": True},
        )
    if not recipients:
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_RESET_REQUESTED,
            request=request,
            detail={"email": email, "sent": False},
        )


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(_PasswordSignInOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(_PasswordSignInOnly, auth_views.PasswordResetConfirmView):
    """The emailed link: a new password, once. It also ends a sign-in lock on the account,
    since the person has shown they read its email."""

    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_event_record(
            kind=SecurityEvent.Kind.PASSWORD_RESET, request=self.request, user=form.user
        )
        sign_in_succeeded(username=form.user.get_username())
        _other_sessions_end(self.request, form.user)
        return response


def _other_sessions_end(request: HttpRequest, user: User) -> None:
    """After a new password, every other session of the person ends for good: Django's
    session hash already refuses them, and now they leave the person's sessions list too."""
    sessions_end_others(user=user, keep_session_key=request.session.session_key, request=request)


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(_PasswordSignInOnly, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
