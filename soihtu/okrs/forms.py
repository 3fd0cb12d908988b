from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.accounts.models import User
from soihtu.cycles.models import Cycle, Year
from soihtu.okrs.models import (
    MILESTONE_NO_VALUES,
    MILESTONE_START,
    MILESTONE_TARGET,
    TEXT_MAX,
    TITLE_MAX,
    KeyResult,
    Objective,
)
from soihtu.organization.models import StrategyTheme, Unit
from soihtu.organization.roles import Actor

VALUE_LIMIT = Decimal("999999999999")


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    period = forms.ChoiceField(label=_("Period"))
    themes = forms.ModelMultipleChoiceField(
        label=_("Strategy themes"),
        queryset=StrategyTheme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Objective.Kind.choices, widget=forms.RadioSelect
    )
    status = forms.ChoiceField(label=_("Status"), choices=Objective.Status.choices)
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Objective.Visibility.choices, widget=forms.RadioSelect
    )
    contributes_to = forms.ModelMultipleChoiceField(
        label=_("Contributes to"),
        queryset=Objective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Objectives above this one, also in other units, that this one supports."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        actor: Actor,
        unit: Unit,
        current: Objective | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        cycles = list(Cycle.objects.exclude(state=Cycle.State.CLOSED).select_related("year"))
        if current is not None and current.cycle is not None and current.cycle not in cycles:
            cycles.insert(0, current.cycle)
        self.periods: dict[str, tuple[Year, Cycle | None]] = {}
        if not unit.is_team:
            years = {c.year.pk: c.year for c in cycles}
            years.update({y.pk: y for y in Year.objects.filter(number__gte=_this_year())})
            if current is not None:
                years[current.year.pk] = current.year
            for year in sorted(years.values(), key=lambda y: y.number):
                self.periods[f"year:{year.pk}"] = (year, None)
        for cycle in cycles:
            self.periods[f"cycle:{cycle.pk}"] = (cycle.year, cycle)
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            (key, str(cycle) if cycle else _("Year %(year)s") % {"year": year.number})
            for key, (year, cycle) in self.periods.items()
        ]
        visible = Q(visibility=Objective.Visibility.OPEN) | Q(
            owner_unit_id__in=list(actor.unit_ids)
        )
        if actor.is_org_admin:
            visible = Q()
        cast(
            "forms.ModelMultipleChoiceField[Objective]", self.fields["contributes_to"]
        ).queryset = (
            Objective.objects.filter(visible, owner_unit__depth__lt=unit.depth)
            .exclude(status=Objective.Status.CANCELLED)
            .filter(year__number__gte=_this_year() - 1)
            .select_related("owner_unit", "year", "cycle")
            .order_by("-year__number", "owner_unit__path", "title")
        )
        self.fields["contributes_to"].label_from_instance = (  # type: ignore[attr-defined]
            lambda o: f"{o.title} — {o.owner_unit.name}, {o.cycle or o.year}"
        )

    def start_in(self, *cycles: Cycle | None) -> None:
        """Start the period at the first of `cycles` that is offered: the cycle itself for a
        team, its year for a higher unit (closed cycles are not offered)."""
        for cycle in cycles:
            if cycle is None:
                continue
            key = f"cycle:{cycle.pk}" if self.unit.is_team else f"year:{cycle.year_id}"
            if key in self.periods:
                self.initial["period"] = key
                return

    def values(self) -> dict[str, Any]:
        """The cleaned values as objective_create and objective_update take them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "year": data["year"],
            "cycle": data["cycle"],
            "kind": data["kind"],
            "status": data["status"],
            "visibility": data["visibility"],
            "themes": list(data["themes"]),
            "contributes_to": list(data["contributes_to"]),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period = data.get("period")
        if period in self.periods:
            data["year"], data["cycle"] = self.periods[period]
            wrong = [o for o in data.get("contributes_to", []) if o.year_id != data["year"].pk]
            if wrong:
                self.add_error(
                    "contributes_to",
                    _("An objective can only contribute to objectives of the same year."),
                )
        return data


def _this_year() -> int:
    return timezone.localdate().year


class KeyResultForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=KeyResult.Kind.choices)
    start_value = forms.DecimalField(
        label=_("Start value"),
        max_digits=16,
        decimal_places=4,
        localize=True,
        required=False,
        max_value=VALUE_LIMIT,
        min_value=-VALUE_LIMIT,
    )
    target_value = forms.DecimalField(
        label=_("Target value or threshold"),
        max_digits=16,
        decimal_places=4,
        localize=True,
        required=False,
        max_value=VALUE_LIMIT,
        min_value=-VALUE_LIMIT,
        help_text=_("For a milestone, leave both values empty."),
    )
    unit_of_measure = forms.CharField(label=_("Unit of measure"), max_length=30, required=False)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, initial=1)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[User]", self.fields["owner"]).queryset = User.objects.filter(
            memberships__unit=unit
        ).order_by("last_name", "first_name")

    def values(self) -> dict[str, Any]:
        """The cleaned values as key_result_create and key_result_update take them."""
        data = self.cleaned_data
        names = ["title", "kind", "start_value", "target_value", "unit_of_measure", "owner"]
        return {name: data[name] for name in [*names, "weight"]}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        start, target = data.get("start_value"), data.get("target_value")
        if kind == KeyResult.Kind.MILESTONE:
            return self._clean_milestone(data)
        if target is None and "target_value" not in self.errors:
            self.add_error("target_value", _("Enter the target value."))
            return data
        if kind in {KeyResult.Kind.STAY_ABOVE, KeyResult.Kind.STAY_BELOW}:
            data["start_value"] = start if start is not None else target
            return data
        if start is None:
            if "start_value" not in self.errors:
                self.add_error("start_value", _("Enter the start value."))
        elif start == target:
            self.add_error("target_value", _("The target must differ from the start value."))
        elif kind == KeyResult.Kind.INCREASE and target is not None and target < start:
            self.add_error(
                "target_value", _("To increase, the target must be greater than the start value.")
            )
        elif kind == KeyResult.Kind.DECREASE and target is not None and target > start:
            self.add_error(
                "target_value", _("To decrease, the target must be smaller than the start value.")
            )
        return data

    def _clean_milestone(self, data: dict[str, Any]) -> dict[str, Any]:
        """A milestone is done or not done: it has no start or target (stored as 0 and 1)."""
        for name in ("start_value", "target_value"):
            if data.get(name) is not None:
                self.add_error(name, MILESTONE_NO_VALUES)
        data["start_value"], data["target_value"] = MILESTONE_START, MILESTONE_TARGET
        return data
