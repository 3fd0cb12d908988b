from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from soihtu.checkins.forms import CheckInForm
from soihtu.followup.models import NOTES_MAX
from soihtu.followup.selectors import MeetingRow
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


class MeetingRecordForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes from the meeting"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was agreed, and what to pick up next time. Shown at the next meeting."),
    )


BULK_FIELDS = ("value", "confidence", "note")


def row_checkin_form(row: MeetingRow, data: QueryDict | None = None) -> CheckInForm:
    """The check-in form of one row of the meeting table, prefixed by the key result.

    It is the check-in's own form (so its validation is the same): the date is today, hidden;
    value, confidence and note carry their shown values in hidden inputs, so that
    `row_changed` tells the rows the person changed from the rest.
    """
    kr = row.key_result
    form = CheckInForm(data, key_result=kr, prefix=f"kr-{kr.pk}")
    if kr.is_milestone and kr.current_value is not None:
        form.initial.setdefault("value", "1" if kr.current_value >= 1 else "0")
    form.fields["measured_on"].widget = forms.HiddenInput()
    form.fields["note"].widget.attrs["rows"] = 2
    form.fields["confidence"].help_text = ""  # the table's introduction says it once
    for name in BULK_FIELDS:
        form.fields[name].show_hidden_initial = True
    return form


def row_changed(form: CheckInForm) -> bool:
    """Whether the person changed the value, the confidence or the note of the row."""
    return bool(set(form.changed_data) & set(BULK_FIELDS))


def fingerprint_name(row: MeetingRow) -> str:
    """The hidden input carrying the row's fingerprint from the page shown."""
    return f"kr-{row.key_result.pk}-version"
