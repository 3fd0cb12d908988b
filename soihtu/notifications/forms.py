from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from soihtu.notifications.models import (
    DEFAULT_CHANNEL,
    KIND_CHANNELS,
    URL_MAX,
    Notification,
    NotificationPreference,
    TeamWebhook,
)
from soihtu.notifications.sending import url_problem

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class WebhookForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TeamWebhook.Kind.choices,
        initial=TeamWebhook.Kind.TEAMS,
        widget=forms.RadioSelect,
    )
    url = forms.URLField(
        label=_("Webhook address"),
        max_length=URL_MAX,
        assume_scheme="https",
        help_text=_(
            "For Microsoft Teams, the address of the channel's incoming webhook or of a "
            "Workflows webhook. It is shown masked after saving."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        strip=False,
        help_text=_(
            "Generic webhooks only, optional: each message is signed with it in the "
            "X-Soihtu-Signature header. It is not shown again."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"), choices=settings.LANGUAGES, initial="fi"
    )
    send_checkin_summary = forms.BooleanField(
        label=_("Post the check-in summary once every check-in cadence"),
        required=False,
        initial=True,
    )
    send_successes = forms.BooleanField(
        label=_("Post the team's successes when they are shared"), required=False, initial=True
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("secret") and data.get("kind") == TeamWebhook.Kind.TEAMS:
            self.add_error(
                "secret",
                _("Microsoft Teams does not check signatures: leave the secret empty."),
            )
        if not data.get("send_checkin_summary") and not data.get("send_successes"):
            self.add_error(None, _("Choose at least one thing to post."))
        return data


class PreferencesForm(forms.Form):
    """One radio group per kind of notification: where it reaches the person."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            channels = KIND_CHANNELS[kind]
            default = NotificationPreference.Channel(DEFAULT_CHANNEL[kind]).label
            help_text: str | StrPromise = _("Default: %(channel)s.") % {"channel": default}
            if kind == Notification.Kind.KEY_RESULT:
                help_text = _(
                    "“By email” means the check-in reminder emails, which are on by default; "
                    "choosing anything else turns them off."
                )
            elif kind == Notification.Kind.SURVEY:
                help_text = _(
                    "Default: %(channel)s. The invitation to answer comes by email from the "
                    "survey itself."
                ) % {"channel": default}
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=[(c, NotificationPreference.Channel(c).label) for c in channels],
                widget=forms.RadioSelect,
                help_text=help_text,
            )
