from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.okrs.models import TEXT_MAX, TITLE_MAX, KeyResult, Objective
from soihtu.planning.models import MEASURE_MAX, Proposal

VALUE_LIMIT = Decimal("999999999999")


def _objective_choices(objectives: list[Objective]) -> list[tuple[str, object]]:
    return [("", _("(not chosen yet)"))] + [(str(o.pk), o.title) for o in objectives]


def _objective(objectives: list[Objective], raw: str) -> Objective | None:
    return next((o for o in objectives if str(o.pk) == raw), None)


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I propose"),
        choices=Proposal.Kind.choices,
        widget=forms.RadioSelect,
        initial=Proposal.Kind.OBJECTIVE,
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Why this matters"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    target_objective = forms.ChoiceField(
        label=_("For objective (key results only)"), required=False
    )
    measure = forms.CharField(
        label=_("How to measure (key results only)"), max_length=MEASURE_MAX, required=False
    )

    def __init__(self, *args: Any, objectives: list[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        cast(forms.ChoiceField, self.fields["target_objective"]).choices = _objective_choices(
            objectives
        )
        self.fields["description"].widget.attrs["rows"] = 3

    def chosen_objective(self) -> Objective | None:
        return _objective(self.objectives, self.cleaned_data["target_objective"])


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=TEXT_MAX)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX)


class AcceptForm(forms.Form):
    objective = forms.ChoiceField(label=_("Objective"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=KeyResult.Kind.choices, initial=KeyResult.Kind.MILESTONE
    )
    start_value = forms.DecimalField(
        label=_("Start value"), required=False, max_value=VALUE_LIMIT, min_value=-VALUE_LIMIT
    )
    target_value = forms.DecimalField(
        label=_("Target value"), required=False, max_value=VALUE_LIMIT, min_value=-VALUE_LIMIT
    )
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=30, required=False)

    def __init__(self, *args: Any, objectives: list[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        cast(forms.ChoiceField, self.fields["objective"]).choices = _objective_choices(objectives)

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        milestone = data["kind"] == KeyResult.Kind.MILESTONE
        start = data["start_value"]
        target = data["target_value"]
        return {
            "objective": _objective(self.objectives, data["objective"]),
            "kind": data["kind"],
            "start_value": Decimal(0) if milestone or start is None else start,
            "target_value": Decimal(1) if milestone or target is None else target,
            "unit_of_measure": data["unit_of_measure"],
        }


class MergeForm(forms.Form):
    proposals = forms.TypedMultipleChoiceField(label=_("Proposals"), coerce=int)

    def __init__(self, *args: Any, candidates: list[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        cast(forms.ChoiceField, self.fields["proposals"]).choices = [
            (p.pk, p.title) for p in candidates
        ]

    def chosen(self) -> list[Proposal]:
        ids = set(self.cleaned_data["proposals"])
        return [p for p in self.candidates if p.pk in ids]
