from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.comments.models import BODY_MAX


class CommentForm(forms.Form):
    """A new comment, or a reply to the comment `parent` of the same thread."""

    body = forms.CharField(
        label=_("Your comment"),
        max_length=BODY_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mention someone with @firstname.lastname."),
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class EditForm(forms.Form):
    """A changed text, with the moment of the last edit the editor saw ("" if none)."""

    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mention someone with @firstname.lastname."),
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_seen(self) -> datetime.datetime | None:
        raw = self.cleaned_data["seen"]
        if not raw:
            return None
        try:
            moment = datetime.datetime.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(_("The form was changed; reload the page.")) from None
        if moment.tzinfo is None:
            raise forms.ValidationError(_("The form was changed; reload the page."))
        return moment
