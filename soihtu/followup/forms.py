from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.organization.models import Cadence


class CadenceForm(forms.Form):
    cadence = forms.TypedChoiceField(
        label=_("Check-in cadence"),
        choices=Cadence.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_(
            "A key result is waiting for a check-in when its last check-in is older than "
            "this, and stale after two cadences without one."
        ),
    )


class RemindersForm(forms.Form):
    reminders_enabled = forms.BooleanField(
        label=_("Send me email reminders"),
        required=False,
        help_text=_(
            "A reminder when a key result I own is waiting for a check-in (at most three a "
            "week), and, for torchbearers, a summary of the team's stale key results."
        ),
    )
