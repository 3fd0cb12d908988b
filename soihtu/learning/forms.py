from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle
from soihtu.organization.models import StrategyTheme, Unit


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search learnings"), max_length=200, required=False)
    theme = forms.ModelChoiceField(
        label=_("Strategy theme"),
        queryset=StrategyTheme.objects.none(),
        required=False,
        empty_label=_("All themes"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), required=False, empty_label=_("All cycles")
    )

    def __init__(
        self,
        *args: Any,
        themes: list[StrategyTheme],
        units: list[Unit],
        cycles: list[Cycle],
        **kwargs: Any,
    ) -> None:
        """The choices come from lists already fetched, so that rendering does not query."""
        super().__init__(*args, **kwargs)
        self._choices(self.fields["theme"], StrategyTheme, themes, str, _("All themes"))
        self._choices(
            self.fields["unit"],
            Unit,
            units,
            lambda u: "\u2003" * max(u.depth - 1, 0) + u.name,
            _("All units"),
        )
        self._choices(self.fields["cycle"], Cycle, cycles, str, _("All cycles"))

    @staticmethod
    def _choices(field: forms.Field, model: Any, rows: list[Any], label: Any, empty: Any) -> None:
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = model.objects.all()
        field.widget.choices = [("", empty)] + [(str(r.pk), label(r)) for r in rows]
