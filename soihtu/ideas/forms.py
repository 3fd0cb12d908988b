from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.checkins.models import CheckIn
from soihtu.ideas.models import NOTE_MAX, Idea
from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.organization.models import Unit


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would you try, and what could it change?"),
    )
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectives"),
        queryset=Objective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    key_results = forms.ModelMultipleChoiceField(
        label=_("Key results"),
        queryset=KeyResult.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    source = forms.ChoiceField(choices=Idea.Source.choices, widget=forms.HiddenInput)
    checkin = forms.ModelChoiceField(
        queryset=CheckIn.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, team: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objectives = Objective.objects.filter(owner_unit=team).exclude(cycle__state="closed")
        cast(forms.ModelMultipleChoiceField, self.fields["objectives"]).queryset = (  # type: ignore[type-arg]
            objectives.order_by("id")
        )
        cast(forms.ModelMultipleChoiceField, self.fields["key_results"]).queryset = (  # type: ignore[type-arg]
            KeyResult.objects.filter(objective__in=objectives).order_by("objective_id", "id")
        )
        cast(forms.ModelChoiceField, self.fields["checkin"]).queryset = (  # type: ignore[type-arg]
            CheckIn.objects.filter(key_result__objective__owner_unit=team).select_related(
                "key_result"
            )
        )


class MoveForm(forms.Form):
    to_state = forms.ChoiceField(choices=Idea.State.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class BrowseForm(forms.Form):
    """The search and the state filter of the ideas of every team; the unit is chosen with the
    unit picker (soihtu.organization.picker), rendered beside these fields."""

    q = forms.CharField(label=_("Search ideas"), max_length=200, required=False)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All states")), *Idea.State.choices],
        required=False,
    )
