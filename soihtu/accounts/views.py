"""Signing in: the sign-in page, and the round trip through the identity provider."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language as django_set_language
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]  # the library ships no types
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from soihtu.accounts.backends import password_login_enabled
from soihtu.accounts.models import User
from soihtu.accounts.oidc import (
    Refusal,
    SignInRefusedError,
    missing_sso_settings,
    provider_name,
    sso_enabled,
)
from soihtu.accounts.services import user_language_set

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
}
SSO_FAILED = _(
    "Signing in did not succeed. Please try again. If it keeps failing, ask the OKR office "
    "for help."
)
PASSWORD_OFF = _("Signing in with a password is turned off. Use the sign-in button instead.")


class SignInView(LoginView):
    """The sign-in page: the identity provider's button, the password form, or both."""

    template_name = "accounts/login.html"

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
