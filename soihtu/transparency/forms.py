from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Year
from soihtu.okrs.models import Objective
from soihtu.transparency.selectors import publishable_candidates


class CandidateField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        objective = cast(Objective, obj)
        if objective.status == Objective.Status.DRAFT:
            return gettext("%(title)s (draft: shown once active)") % {"title": objective.title}
        return objective.title


class TransparencyForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("Publish the transparency page"),
        required=False,
        help_text=_(
            "Anyone may then open the page without signing in, and download its open data."
        ),
    )
    public_objectives = CandidateField(
        label=_("Public organization objectives"),
        queryset=Objective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Shown with their strategy themes, progress and key results. Restricted objectives "
            "and the objectives of units and teams are never shown."
        ),
    )

    def __init__(self, *args: Any, year: Year, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CandidateField, self.fields["public_objectives"]).queryset = publishable_candidates(
            year
        )
