from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.checkins.services import checkin_window
from soihtu.okrs.forms import VALUE_LIMIT
from soihtu.okrs.models import TEXT_MAX, KeyResult

CONFIDENCE_CHOICES = [(i, str(i)) for i in range(11)]


class CheckInForm(forms.Form):
    value = forms.DecimalField(
        label=_("New value"),
        max_digits=16,
        decimal_places=4,
        localize=True,
        max_value=VALUE_LIMIT,
        min_value=-VALUE_LIMIT,
    )
    confidence = forms.TypedChoiceField(
        label=_("Confidence (0–10)"),
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        help_text=_("How sure is the team that the key result will be reached?"),
    )
    note = forms.CharField(
        label=_("Note: what moved, what blocks"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    measured_on = forms.DateField(
        label=_("Date"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, key_result: KeyResult, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_result = key_result
        first, last = checkin_window(key_result)
        self.fields["measured_on"].widget.attrs.update(
            {"min": first.isoformat(), "max": last.isoformat()}
        )
        self.initial.setdefault("measured_on", min(timezone.localdate(), last))
        if key_result.confidence is not None:
            self.initial.setdefault("confidence", key_result.confidence)
        else:
            self.initial.setdefault("confidence", 5)
        if key_result.is_milestone:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Milestone"),
                choices=[("0", _("not done")), ("1", _("done"))],
                coerce=Decimal,
                widget=forms.RadioSelect,
            )
        elif key_result.current_value is not None:
            self.initial.setdefault("value", key_result.current_value.normalize())

    def clean_measured_on(self) -> Any:
        value = self.cleaned_data["measured_on"]
        first, last = checkin_window(self.key_result)
        if not first <= value <= last:
            raise forms.ValidationError(
                _("The date must be between %(first)s and %(last)s."),
                params={"first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")},
            )
        return value
