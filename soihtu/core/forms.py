from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from soihtu.core.models import AccessibilityFeedback, AccessibilityStatement
from soihtu.core.services import STATEMENT_FIELDS

LINES_HELP = _("One item a line: what does not conform, why, and the WCAG criterion.")


class AccessibilityStatementForm(forms.ModelForm):  # type: ignore[type-arg]
    """The OKR office's details of the statement; saved by accessibility_statement_update."""

    class Meta:
        model = AccessibilityStatement
        fields = STATEMENT_FIELDS
        widgets: ClassVar[dict[str, Any]] = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "assessment_fi": forms.Textarea(attrs={"rows": 3}),
            "assessment_sv": forms.Textarea(attrs={"rows": 3}),
            "assessment_en": forms.Textarea(attrs={"rows": 3}),
            "authority_fi": forms.Textarea(attrs={"rows": 5}),
            "authority_sv": forms.Textarea(attrs={"rows": 5}),
            "authority_en": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts: ClassVar[dict[str, Any]] = {
            "non_conforming_fi": LINES_HELP,
            "non_conforming_sv": LINES_HELP,
            "non_conforming_en": LINES_HELP,
            "authority_fi": _("Shown line by line: its name, unit, website, email and phone."),
        }

    def clean_assessed_on(self) -> Any:
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on and assessed_on > timezone.localdate():
            raise forms.ValidationError(_("The date of the assessment cannot be in the future."))
        return assessed_on


class AccessibilityFeedbackForm(forms.Form):
    """Feedback from anyone on the statement page."""

    message = forms.CharField(
        label=_("Your feedback"),
        max_length=AccessibilityFeedback._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What did not work for you, or which content you need in another form. Do not "
            "write anything confidential here."
        ),
    )
    page_address = forms.CharField(
        label=_("Page or feature"),
        required=False,
        max_length=AccessibilityFeedback._meta.get_field("page_address").max_length,
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=AccessibilityFeedback._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Give it if you want an answer. You may also give feedback anonymously."),
    )
