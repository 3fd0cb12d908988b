from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle, Year
from soihtu.organization.models import Unit
from soihtu.vivagoals import parse
from soihtu.vivagoals.parse import Field
from soihtu.vivagoals.planned import period_label

REQUIRED_FIELDS = {
    Field.TITLE: _("Choose the column that holds the titles."),
    Field.TYPE: _("Choose the column that tells objectives from key results (the type)."),
}
SAMPLES = 3


@dataclass(frozen=True)
class ReadFile:
    name: str
    text: str
    delimiter: str


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "The CSV file Viva Goals exported from an Explorer view: UTF-8 or UTF-16, "
            "separated by commas, semicolons or tabs; at most 5 MB and 10 000 rows."
        ),
    )

    def clean_file(self) -> ReadFile:
        """The file's text, if it can be read as CSV at all (see parse.decode)."""
        upload = cast("UploadedFile[bytes]", self.cleaned_data["file"])
        if (upload.size or 0) > parse.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB. Export a smaller view, for example one year.")
            )
        try:
            text = parse.decode(upload.read(parse.MAX_BYTES + 1))
            delimiter = parse.detect_delimiter(text)
            parse.read_table(text, delimiter)
        except parse.ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return ReadFile(name=upload.name or "viva-goals.csv", text=text, delimiter=delimiter)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        unit = cast(Unit, obj)
        return "— " * unit.depth + unit.name


@dataclass(frozen=True)
class ColumnRow:
    """One column of the file on the mapping page: its select and a few of its values."""

    field: forms.BoundField
    samples: list[str]


class MappingForm(forms.Form):
    """A Soihtu field for each column of the file, and where unmatched rows go."""

    unit = UnitChoiceField(
        label=_("Unit for objectives without a matching team"),
        queryset=Unit.objects.order_by("path"),
        empty_label=_("Choose a unit"),
        help_text=_(
            "Objectives go to the unit named in the Team column when there is one with that "
            "name; otherwise to this unit."
        ),
    )
    period = forms.ChoiceField(
        label=_("Period for rows without a matching time period"),
        help_text=_(
            "A time period such as Q1 2026 goes to the cycle covering most of it; a whole year "
            "to the year. Teams' objectives always belong to a cycle."
        ),
    )

    def __init__(
        self, *args: Any, headers: tuple[str, ...], samples: list[list[str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.samples = samples
        for i, header in enumerate(headers):
            self.fields[f"column_{i}"] = forms.ChoiceField(
                label=header or _("Column %(n)s") % {"n": i + 1}, choices=Field.choices
            )
        self.periods: dict[str, tuple[Year, Cycle | None]] = {}
        for year in Year.objects.order_by("-number"):
            self.periods[f"year:{year.pk}"] = (year, None)
        for cycle in Cycle.objects.select_related("year").order_by("-starts_on"):
            self.periods[f"cycle:{cycle.pk}"] = (cycle.year, cycle)
        cast(forms.ChoiceField, self.fields["period"]).choices = [
            ("", _("Choose a period")),
            *((key, period_label(*value)) for key, value in self.periods.items()),
        ]

    def column_rows(self) -> list[ColumnRow]:
        return [
            ColumnRow(self[f"column_{i}"], self.samples[i] if i < len(self.samples) else [])
            for i in range(len(self.headers))
        ]

    def setting_fields(self) -> list[forms.BoundField]:
        return [self["unit"], self["period"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, str] = {}
        for i in range(len(self.headers)):
            name = f"column_{i}"
            value = data.get(name)
            if value is None or value == Field.IGNORE:
                continue
            if value in chosen:
                self.add_error(
                    name,
                    _("%(field)s is already chosen for the column “%(column)s”.")
                    % {"field": Field(value).label, "column": chosen[value]},
                )
            else:
                chosen[value] = str(self.fields[name].label or "")
        for field, message in REQUIRED_FIELDS.items():
            if field not in chosen:
                self.add_error(None, message)
        period = data.get("period")
        if period in self.periods:
            data["year"], data["cycle"] = self.periods[period]
        return data

    @property
    def columns(self) -> list[str]:
        return [self.cleaned_data[f"column_{i}"] for i in range(len(self.headers))]


def mapping_initial(
    columns: list[str], unit: Unit | None, year: Year | None, cycle: Cycle | None
) -> dict[str, Any]:
    """The mapping form's values from what is stored on the upload."""
    initial: dict[str, Any] = {f"column_{i}": name for i, name in enumerate(columns)}
    initial["unit"] = unit
    if cycle is not None:
        initial["period"] = f"cycle:{cycle.pk}"
    elif year is not None:
        initial["period"] = f"year:{year.pk}"
    return initial


def column_samples(table: parse.Table) -> list[list[str]]:
    """The first few non-empty values of each column, to show what it holds."""
    samples: list[list[str]] = [[] for _header in table.headers]
    for row in table.rows:
        for i, value in enumerate(row.cells):
            if value and len(samples[i]) < SAMPLES and value not in samples[i]:
                samples[i].append(value[:60])
        if all(len(s) == SAMPLES for s in samples):
            break
    return samples
