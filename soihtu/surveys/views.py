from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soihtu.audit.models import AccessRecord
from soihtu.audit.services import access_record
from soihtu.core.spreadsheet import csv_writer
from soihtu.core.uploads import upload_limit
from soihtu.organization.roles import actor_for
from soihtu.surveys import access, selectors, services
from soihtu.surveys.exports import results_rows
from soihtu.surveys.forms import ImportForm, QuestionForm, RoundForm, answer_form, answer_values
from soihtu.surveys.imports import answers_import
from soihtu.surveys.models import Question, Respondent, SurveyRound


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    if not access.can_list_rounds(actor):
        raise PermissionDenied
    rounds = SurveyRound.objects.all()
    return render(
        request, "surveys/rounds.html", {"rounds": rounds, "is_admin": actor.is_org_admin}
    )


@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    access.require_admin(actor)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        survey = services.round_create_from_template(
            actor=actor.user,
            title=form.cleaned_data["title"],
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
            breakdown_depth=form.cleaned_data["breakdown_depth"],
            audience=list(form.cleaned_data["audience"]),
        )
        return redirect("surveys:edit", survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/round_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request)
    survey = access.get_round_for_admin(actor, round_id)
    form = RoundForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in RoundForm.Meta.fields}
        data["audience"] = list(data["audience"])
        survey.refresh_from_db()
        services.round_update(actor=actor.user, survey=survey, data=data)
        messages.success(request, _("Saved."))
        return redirect("surveys:edit", survey.pk)
    context = {
        "form": form,
        "survey": survey,
        "questions": list(survey.questions.all()),
        "has_answers": survey.responses.exists(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/round_edit.html", context, status=status)


@require_POST
def round_state(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request)
    survey = access.get_round_for_admin(actor, round_id)
    state = request.POST.get("state", "")
    if state not in {SurveyRound.State.OPEN, SurveyRound.State.CLOSED}:
        return HttpResponse(_("Unknown state."), status=400)
    services.round_set_state(actor=actor.user, survey=survey, state=state)
    return redirect("surveys:edit", survey.pk)


@require_POST
def round_publish(request: HttpRequest, round_id: int) -> HttpResponse:
    """Publish a closed round's organization-level results to everyone signed in, or take them
    back (`published` is "1" or "0")."""
    actor = actor_for(request)
    survey = access.get_round_for_publish(actor, round_id)
    published = request.POST.get("published", "")
    if published not in {"0", "1"}:
        return HttpResponse(_("Choose whether to publish."), status=400)
    try:
        services.round_results_publish(actor=actor.user, survey=survey, published=published == "1")
    except services.SurveyError as error:
        # 409: the round's state, not the person, is why it cannot be published now.
        return HttpResponse(str(error), status=409)
    if published == "1":
        messages.success(request, _("The results are published to everyone signed in."))
    else:
        messages.success(request, _("The results are no longer published."))
    return redirect("surveys:edit", survey.pk)


@require_GET
def published_results(request: HttpRequest) -> HttpResponse:
    """The published rounds' organization-level results, for everyone signed in: the latest
    round's, or the one chosen with ?round=<id> (404 unless it is closed and published).
    Not in the access log: published results are meant for everyone."""
    raw = request.GET.get("round", "")
    survey = None
    if raw:
        if not raw.isdigit() or len(raw) > 11:
            raise Http404
        survey = access.get_round_for_published_results(int(raw))
    page = selectors.published_results(survey)
    return render(request, "surveys/published.html", {"page": page})


@require_http_methods(["GET", "POST"])
def question_edit(
    request: HttpRequest, round_id: int, question_id: int | None = None
) -> HttpResponse:
    actor = actor_for(request)
    survey = access.get_round_for_admin(actor, round_id)
    question = (
        get_object_or_404(Question, pk=question_id, round=survey)
        if question_id
        else Question(round=survey, order=survey.questions.count())
    )
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in QuestionForm.Meta.fields}
        fresh = Question.objects.get(pk=question.pk) if question.pk else Question(round=survey)
        try:
            services.question_save(actor=actor.user, question=fresh, data=data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect("surveys:edit", survey.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "survey": survey, "question": question}
    return render(request, "surveys/question_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request)
    survey = access.get_round_for_answer(round_id)
    questions = list(survey.questions.all())
    context: dict[str, object] = {"survey": survey}
    if Respondent.objects.filter(round=survey, user=actor.user).exists():
        return render(request, "surveys/answer_refused.html", {**context, "answered": True})
    if not survey.is_answerable() or not services.may_answer(actor.user, survey):
        status = 403 if request.method == "POST" else 200
        return render(request, "surveys/answer_refused.html", context, status=status)
    form = answer_form(questions, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                user=actor.user, survey=survey, values=answer_values(questions, form.cleaned_data)
            )
        except services.SurveyError as error:
            messages.error(request, str(error))
            return redirect("surveys:answer", survey.pk)
        messages.success(request, _("Thank you! Your answers were saved anonymously."))
        return redirect("okrs:my_okrs")
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/answer.html", {**context, "form": form}, status=status)


@require_GET
def results(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request)
    survey, paths = access.get_round_for_results(actor, round_id)
    page = selectors.results_page(survey, paths)
    _results_read(request, page)
    return render(request, "surveys/results.html", {"page": page, "limited": paths is not None})


def _results_read(request: HttpRequest, page: selectors.ResultsPage) -> None:
    """The access log (docs/privacy.md): who read a round's results, when any were shown (not
    the count of answers alone)."""
    if page.shown:
        survey = page.survey
        kind = AccessRecord.Kind.SURVEY_RESULTS
        access_record(request=request, kind=kind, objects=[(survey.pk, survey.title)])


@require_GET
def results_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request)
    survey, paths = access.get_round_for_results(actor, round_id)
    if not access.results_available(survey):
        # 409: the round's state, not the person, is why there is nothing to download yet.
        context = {"survey": survey}
        return render(request, "surveys/results_not_available.html", context, status=409)
    page = selectors.results_page(survey, paths)
    _results_read(request, page)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-results.csv"'
    csv_writer(response).writerows(results_rows(page))
    return response


@upload_limit("SOIHTU_SURVEY_IMPORT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def import_answers(request: HttpRequest, round_id: int) -> HttpResponse:
    actor = actor_for(request)
    survey = access.get_round_for_admin(actor, round_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            content = form.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            errors = [_("The file is not UTF-8 text.")]
        else:
            result = answers_import(
                actor=actor.user, survey=survey, content=content, submitted_on=timezone.localdate()
            )
            errors = result.errors
            if not errors:
                messages.success(request, _("Imported %(n)s responses.") % {"n": result.responses})
                return redirect("surveys:results", survey.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "survey": survey, "errors": errors}
    return render(request, "surveys/import.html", context, status=status)
