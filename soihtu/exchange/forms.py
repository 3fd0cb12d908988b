from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from soihtu.cycles.models import Cycle
from soihtu.exchange.csv_export import Dialect
from soihtu.exchange.importer import UPLOAD_MAX_BYTES

MEGABYTE = 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Export file (JSON)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A file exported from Soihtu, at most %(max)s MB."
        ) % {"max": UPLOAD_MAX_BYTES // MEGABYTE}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is %(size)s MB, and the largest accepted here is %(max)s MB. "
                    "Nothing was imported: import larger files with the import_okrs command."
                ),
                params={
                    "size": -(-(upload.size or 0) // MEGABYTE),
                    "max": UPLOAD_MAX_BYTES // MEGABYTE,
                },
            )
        return upload


class CsvForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.select_related("year").order_by("-starts_on"),
        required=False,
        empty_label=_("All cycles"),
        help_text=_("A cycle's objectives, and its year's objectives set for the whole year."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (Dialect.EXCEL.value, _("Excel: semicolons and decimal commas")),
            (Dialect.STANDARD.value, _("Standard CSV: commas and decimal points")),
        ],
        initial=Dialect.EXCEL.value,
        required=False,
        widget=forms.RadioSelect,
    )

    def dialect(self) -> Dialect:
        data: dict[str, Any] = self.cleaned_data
        return Dialect(data.get("format") or Dialect.EXCEL.value)
