from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.hrimport.parse import MAX_BYTES, too_large_message


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("HR file (CSV)"),
        help_text=_("UTF-8 text, columns separated by commas or semicolons; at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload


class ConfirmForm(forms.Form):
    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
