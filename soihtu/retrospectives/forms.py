from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from soihtu.okrs.models import Objective
from soihtu.organization.models import Membership
from soihtu.retrospectives.models import REASON_MAX, TEXT_MAX, ObjectiveReview
from soihtu.retrospectives.selectors import RetroPage
from soihtu.retrospectives.services import (
    Conflicts,
    Edit,
    ParticipantsEdit,
    fingerprint,
    notes_values,
    review_values,
    score_values,
)


def _text(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _score(label: Any, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(1),
        max_digits=2,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "1"}),
    )


class BlockForm(forms.Form):
    """One block of the retrospective page. `seen` carries the fingerprint of the values the
    person saw (`services.fingerprint`), so a save writes only what they changed and notices
    when someone else saved the block meanwhile."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    # What is saved now, as (label, value) pairs, when someone else saved the block meanwhile.
    conflict: list[tuple[str, Any]] | None = None

    def values(self) -> dict[str, Any]:
        """The cleaned values of the block, without `seen`."""
        return {k: v for k, v in self.cleaned_data.items() if k != "seen"}

    def present(self) -> bool:
        """The block was on the page that was submitted (a partial POST leaves others be)."""
        return self.add_prefix("seen") in self.data

    def mark_conflict(self, saved: dict[str, Any]) -> None:
        """Show that someone else saved the block meanwhile, and what is saved now: the
        texts, the outcome and the score (not the internal flag, which a person sees ticked)."""
        shown: list[tuple[str, Any]] = []
        for name, value in saved.items():
            field = self.fields[name]
            if value in ("", None) or isinstance(value, bool):
                continue
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            shown.append((str(field.label), value))
        self.conflict = shown


class ScoreReasonMixin(BlockForm):
    score_field = "adjusted_score"
    reason_field = "adjust_reason"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get(self.score_field) is not None
            and not (data.get(self.reason_field) or "").strip()
        ):
            self.add_error(self.reason_field, _("Give a reason when you adjust a score."))
        return data


class ObjectiveReviewForm(ScoreReasonMixin):
    outcome = forms.ChoiceField(
        label=_("Was the objective reached?"),
        choices=ObjectiveReview.Outcome.choices,
        widget=forms.RadioSelect,
        required=False,  # a review may be written before the outcome is agreed
    )
    why = _text(_("Why?"))
    learned = _text(_("What we learned"))
    try_next = _text(_("What we will try next"))
    internal = forms.BooleanField(
        label=_("Keep this learning inside the team (not published to the library)"),
        required=False,
    )
    adjusted_score = _score(_("Our score (leave empty to keep the proposed score)"))
    adjust_reason = forms.CharField(
        label=_("Reason for our score"), max_length=REASON_MAX, required=False
    )

    def __init__(self, *args: Any, restricted: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if restricted:
            self.fields["internal"].help_text = _(
                "This is a restricted objective, so its learning stays inside the team unless "
                "you untick this."
            )


class KeyResultScoreForm(ScoreReasonMixin):
    reason_field = "reason"
    adjusted_score = _score(_("Our score (leave empty to keep the proposed score)"))
    reason = forms.CharField(label=_("Reason for our score"), max_length=REASON_MAX, required=False)


class TeamNotesForm(BlockForm):
    what_worked = _text(_("What worked in our way of working"))
    what_we_change = _text(_("What we change"))


class ParticipantsForm(forms.Form):
    participants = forms.MultipleChoiceField(
        label=_("Who took part"), required=False, widget=forms.CheckboxSelectMultiple
    )
    # The ids ticked when the page was opened, comma-separated: the save applies only the
    # leader's own ticks and unticks, keeping whoever took part meanwhile.
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(m.user_id), m.user.display_name) for m in members]

    def ticked(self) -> frozenset[int]:
        return frozenset(int(u) for u in self.cleaned_data["participants"])

    def seen_ids(self) -> frozenset[int]:
        raw = self.cleaned_data["seen"].split(",")
        return frozenset(int(u) for u in raw if u.strip().isdigit())


class CompleteForm(forms.Form):
    carry_over = forms.MultipleChoiceField(
        label=_("Carry these unfinished objectives over to the next cycle as drafts"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complete_anyway = forms.BooleanField(
        label=_("Complete anyway, without reviews of these objectives"), required=False
    )

    def __init__(self, *args: Any, unfinished: list[Objective], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["carry_over"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(o.pk), o.title) for o in unfinished]

    def carry_over_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["carry_over"]]


def _with_seen(values: dict[str, Any]) -> dict[str, Any]:
    return values | {"seen": fingerprint(values)}


@dataclass
class PageForms:
    """Every block of the retrospective page as one form: each objective's review and each
    key result's score (by id), the team notes, the participants and the completion (these two
    for leaders only). Unbound, each block starts from what is saved, with its fingerprint."""

    reviews: dict[int, ObjectiveReviewForm]
    scores: dict[int, KeyResultScoreForm]
    notes: TeamNotesForm
    participants: ParticipantsForm | None
    complete: CompleteForm | None

    @classmethod
    def build(cls, page: RetroPage, data: QueryDict | None = None) -> PageForms:
        """The page's forms, bound to `data` if given; attached to the page's objectives
        (`review_form`) and key results (`score_form`) for the template."""
        reviews: dict[int, ObjectiveReviewForm] = {}
        scores: dict[int, KeyResultScoreForm] = {}
        for o in page.objectives:
            initial = _with_seen(review_values(o.review, o))  # type: ignore[attr-defined]
            reviews[o.pk] = o.review_form = ObjectiveReviewForm(  # type: ignore[attr-defined]
                data, prefix=f"review-{o.pk}", initial=initial, restricted=o.is_restricted
            )
            for kr in o.key_results.all():
                initial = _with_seen(score_values(kr.adjustment))  # type: ignore[attr-defined]
                scores[kr.pk] = kr.score_form = KeyResultScoreForm(  # type: ignore[attr-defined]
                    data, prefix=f"kr-{kr.pk}", initial=initial
                )
        notes_initial = _with_seen(notes_values(page.context.retrospective))
        leading = page.context.can_lead
        return cls(
            reviews=reviews,
            scores=scores,
            notes=TeamNotesForm(data, prefix="notes", initial=notes_initial),
            participants=_participants_form(page, data) if leading else None,
            complete=CompleteForm(data, prefix="complete", unfinished=page.unfinished)
            if leading
            else None,
        )

    def blocks(self) -> list[forms.Form]:
        """The forms that a save writes (not the completion)."""
        found: list[forms.Form] = [*self.reviews.values(), *self.scores.values(), self.notes]
        return found + ([self.participants] if self.participants is not None else [])

    def is_valid(self, *, completing: bool = False) -> bool:
        """Every block is valid (and the completion, when completing): each is checked, so
        that each shows its own errors."""
        checked = self.blocks() + ([self.complete] if completing and self.complete else [])
        valid = [form.is_valid() for form in checked]  # every form, not up to the first error
        return all(valid)

    def edits(self, page: RetroPage) -> dict[str, Any]:
        """The valid blocks as `services.retrospective_save` takes them."""
        key_results = {kr.pk: kr for o in page.objectives for kr in o.key_results.all()}
        return {
            "reviews": [
                Edit(o, self.reviews[o.pk].values(), self.reviews[o.pk].cleaned_data["seen"])
                for o in page.objectives
                if self.reviews[o.pk].present()
            ],
            "scores": [
                Edit(key_results[pk], form.values(), form.cleaned_data["seen"])
                for pk, form in self.scores.items()
                if form.present()
            ],
            "notes": Edit(None, self.notes.values(), self.notes.cleaned_data["seen"])
            if self.notes.present()
            else None,
            "participants": ParticipantsEdit(
                self.participants.ticked(), self.participants.seen_ids()
            )
            if self.participants is not None and "participants-seen" in self.participants.data
            else None,
        }

    def mark_conflicts(self, page: RetroPage, conflicts: Conflicts) -> None:
        """Tell each block that someone else saved meanwhile, with what is saved now."""
        for o in page.objectives:
            if o.pk in conflicts.reviews:
                self.reviews[o.pk].mark_conflict(review_values(o.review, o))  # type: ignore[attr-defined]
            for kr in o.key_results.all():
                if kr.pk in conflicts.scores:
                    self.scores[kr.pk].mark_conflict(score_values(kr.adjustment))  # type: ignore[attr-defined]
        if conflicts.notes is not None:
            self.notes.mark_conflict(notes_values(page.context.retrospective))


def _participants_form(page: RetroPage, data: QueryDict | None) -> ParticipantsForm:
    ids = [str(p.user_id) for p in page.participants]
    initial = {"participants": ids, "seen": ",".join(ids)}
    return ParticipantsForm(data, prefix="participants", members=page.members, initial=initial)


def with_saved_fingerprints(data: QueryDict, conflicts: Conflicts) -> QueryDict:
    """The submitted data with the conflicting blocks' `seen` set to what is saved now, so
    that saving again replaces the other person's text with this person's, knowingly."""
    data = data.copy()
    for objective_id, now in conflicts.reviews.items():
        data[f"review-{objective_id}-seen"] = now
    for key_result_id, now in conflicts.scores.items():
        data[f"kr-{key_result_id}-seen"] = now
    if conflicts.notes is not None:
        data["notes-seen"] = conflicts.notes
    return data
