from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle
from soihtu.organization.models import StrategyTheme


class LibraryFilterForm(forms.Form):
    """The library's search and short filter lists; the unit is chosen with the unit picker
    (soihtu.organization.picker), rendered beside these fields."""

    q = forms.CharField(label=_("Search learnings"), max_length=200, required=False)
    theme = forms.ModelChoiceField(
        label=_("Strategy theme"),
        queryset=StrategyTheme.objects.none(),
        required=False,
        empty_label=_("All themes"),
    )
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.none(), required=False, empty_label=_("All cycles")
    )

    def __init__(
        self,
        *args: Any,
        themes: list[StrategyTheme],
        cycles: list[Cycle],
        **kwargs: Any,
    ) -> None:
        """The choices come from lists already fetched, so that rendering does not query."""
        super().__init__(*args, **kwargs)
        self._choices(self.fields["theme"], StrategyTheme, themes, _("All themes"))
        self._choices(self.fields["cycle"], Cycle, cycles, _("All cycles"))

    @staticmethod
    def _choices(field: forms.Field, model: Any, rows: list[Any], empty: Any) -> None:
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = model.objects.all()
        field.widget.choices = [("", empty)] + [(str(r.pk), str(r)) for r in rows]
