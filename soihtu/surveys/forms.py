from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from soihtu.organization.models import Unit
from soihtu.surveys.models import Question, SurveyRound

CANT_SAY = "cant_say"


class RoundForm(forms.ModelForm[SurveyRound]):
    audience = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.exclude(kind=Unit.Kind.TEAM).order_by("path"),
        required=False,
        label=_("audience"),
        help_text=_("Leave empty to ask the whole organization."),
    )

    class Meta:
        model = SurveyRound
        fields = ["title", "opens_on", "closes_on", "breakdown_depth", "audience"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The round must close on or after the day it opens."))
        depth = data.get("breakdown_depth")
        if depth is not None and not 1 <= depth <= 6:
            self.add_error("breakdown_depth", _("Choose a level from 1 to 6."))
        return data


class QuestionForm(forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = ["order", "key", "kind", "text_fi", "text_sv", "text_en"]
        # The key is a technical name (know_strategy): the label says what it is for.
        labels = {"key": _("Trend key")}
        help_texts = {
            "key": _(
                "A short technical name, not shown to those who answer. A question with the same "
                "key in another round makes the question's trend."
            )
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma-separated."))


def answer_form(questions: list[Question], data: Any = None) -> forms.Form:
    """A form with one field per question (radio buttons for scales, a text box for text)."""
    form = forms.Form(data)
    likert = [(str(i), str(i)) for i in range(1, 6)] + [(CANT_SAY, _("can't say"))]
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == Question.Kind.LIKERT:
            form.fields[name] = forms.ChoiceField(
                label=question.text,
                choices=likert,
                widget=forms.RadioSelect,
                help_text=_("1 = strongly disagree, 5 = strongly agree"),
            )
        elif question.kind == Question.Kind.YES_NO:
            form.fields[name] = forms.ChoiceField(
                label=question.text,
                choices=[("yes", _("yes")), ("no", _("no"))],
                widget=forms.RadioSelect,
            )
        else:
            form.fields[name] = forms.CharField(
                label=question.text, required=False, max_length=2000, widget=forms.Textarea
            )
    return form


def answer_values(questions: list[Question], cleaned: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The Answer field values per question id from a valid answer form."""
    values: dict[int, dict[str, Any]] = {}
    for question in questions:
        raw = cleaned.get(f"q{question.pk}", "")
        if question.kind == Question.Kind.LIKERT:
            values[question.pk] = {"likert": None if raw == CANT_SAY else int(raw)}
        elif question.kind == Question.Kind.YES_NO:
            values[question.pk] = {"yes_no": raw == "yes"}
        else:
            values[question.pk] = {"text": raw.strip()}
    return values
