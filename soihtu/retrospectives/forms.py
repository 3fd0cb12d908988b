from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership
from soihtu.retrospectives.models import REASON_MAX, TEXT_MAX, ObjectiveReview


def _text(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _score(label: Any, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(1),
        max_digits=2,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "1"}),
    )


class ScoreReasonMixin(forms.Form):
    score_field = "adjusted_score"
    reason_field = "adjust_reason"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get(self.score_field) is not None
            and not (data.get(self.reason_field) or "").strip()
        ):
            self.add_error(self.reason_field, _("Give a reason when you adjust a score."))
        return data


class ObjectiveReviewForm(ScoreReasonMixin):
    outcome = forms.ChoiceField(
        label=_("Was the objective reached?"),
        choices=ObjectiveReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    why = _text(_("Why?"))
    learned = _text(_("What we learned"))
    try_next = _text(_("What we will try next"))
    internal = forms.BooleanField(
        label=_("Keep this learning inside the team (not published to the library)"),
        required=False,
    )
    adjusted_score = _score(_("Our score (leave empty to keep the proposed score)"))
    adjust_reason = forms.CharField(
        label=_("Reason for our score"), max_length=REASON_MAX, required=False
    )

    def __init__(self, *args: Any, restricted: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if restricted:
            self.fields["internal"].help_text = _(
                "This is a restricted objective, so its learning stays inside the team unless "
                "you untick this."
            )


class KeyResultScoreForm(ScoreReasonMixin):
    reason_field = "reason"
    adjusted_score = _score(_("Our score (leave empty to keep the proposed score)"))
    reason = forms.CharField(label=_("Reason for our score"), max_length=REASON_MAX, required=False)


class TeamNotesForm(forms.Form):
    what_worked = _text(_("What worked in our way of working"))
    what_we_change = _text(_("What we change"))


class ParticipantsForm(forms.Form):
    participants = forms.MultipleChoiceField(
        label=_("Who took part"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(m.user_id), m.user.display_name) for m in members]


class CompleteForm(forms.Form):
    carry_over = forms.MultipleChoiceField(
        label=_("Carry these unfinished objectives over to the next cycle as drafts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, unfinished: list[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["carry_over"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(o.pk), o.title) for o in unfinished]
