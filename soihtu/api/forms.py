from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from soihtu.api.models import ApiToken, service_token_last_day
from soihtu.organization.models import Unit

MAX_VALIDITY = datetime.timedelta(days=2 * 365)
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


def _service_token_default_day() -> datetime.date:
    return service_token_last_day(timezone.localdate())


class UnitChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        unit = cast(Unit, obj)
        return f"{unit.name} ({unit.get_kind_display()})"


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Customer service figures to Soihtu”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    valid_through = forms.DateField(
        label=_("Valid until"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The last day the token works. Leave empty for a token that works until it is revoked."
        ),
    )

    def clean_valid_through(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data["valid_through"]
        today = timezone.localdate()
        if day is not None and not today <= day <= today + MAX_VALIDITY:
            raise forms.ValidationError(_("Choose a day between today and two years from now."))
        return day


class ServiceTokenForm(TokenForm):
    valid_through = forms.DateField(  # required here, unlike a personal token's
        label=_("Valid until"),
        initial=_service_token_default_day,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _(
                "Choose the last day the token works: a service token works for a year at most."
            )
        },
        help_text=_(
            "The last day the token works, at most a year from today. Before it ends, create a "
            "new token for the system and revoke this one."
        ),
    )
    units = UnitChoiceField(
        label=_("Units"),
        queryset=Unit.objects.order_by("path"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The token acts in these units and in every unit below them, and nowhere else."
        ),
    )

    def clean_valid_through(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["valid_through"]
        today = timezone.localdate()
        last = service_token_last_day(today)
        if not today <= day <= last:
            raise forms.ValidationError(
                _("Choose a day from today to %(last)s: a service token works for a year at most.")
                % {"last": formats.date_format(last, "SHORT_DATE_FORMAT")}
            )
        return day
