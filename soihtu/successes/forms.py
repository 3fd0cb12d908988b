from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import Unit


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        objective = cast(Objective, obj)
        period = objective.cycle if objective.cycle is not None else objective.year
        return f"{objective.title} ({period})"


class SuccessForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    story = forms.CharField(
        label=_("Story"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What did the team achieve, how, and who helped? A few sentences are enough."),
    )
    objectives = ObjectiveChoiceField(
        label=_("Objectives"),
        queryset=Objective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The team's objectives the success serves."),
    )
    key_result = forms.ModelChoiceField(
        queryset=KeyResult.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, team: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.team = team
        cast(ObjectiveChoiceField, self.fields["objectives"]).queryset = (
            Objective.objects.filter(owner_unit=team)
            .select_related("cycle__year", "year")
            .order_by("-year__number", "-cycle__starts_on", "id")
        )
        cast(forms.ModelChoiceField, self.fields["key_result"]).queryset = (  # type: ignore[type-arg]
            KeyResult.objects.filter(objective__owner_unit=team).select_related("objective")
        )
