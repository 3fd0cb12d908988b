from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soihtu.accounts.models import User
from soihtu.core.uploads import upload_limit
from soihtu.hrimport import access, services
from soihtu.hrimport.diff import Diff, count_rows
from soihtu.hrimport.forms import ConfirmForm, UploadForm
from soihtu.hrimport.models import HrImport
from soihtu.hrimport.parse import HrFileError
from soihtu.hrimport.plan import Plan
from soihtu.organization.roles import actor_for

LISTED = 100  # rows shown per kind of change; the rest are counted


@upload_limit("SOIHTU_HR_IMPORT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    access.require_importer(actor)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            staged, _plan = services.hr_import_stage(
                actor=actor.user, file_name=uploaded.name or "", data=uploaded.read()
            )
        except HrFileError as error:
            context["problems"] = error
        else:
            if staged is not None:
                return redirect("hrimport:preview", import_id=staged.pk)
            context["unchanged"] = True
    status = 400 if request.method == "POST" and "unchanged" not in context else 200
    return render(request, "hrimport/upload.html", context, status=status)


@require_GET
def preview(request: HttpRequest, import_id: int) -> HttpResponse:
    actor = actor_for(request)
    hr_import = access.get_import_for_importer(actor, import_id)
    if hr_import.is_applied:
        return _render_preview(request, hr_import)
    try:
        plan = services.hr_import_preview(hr_import=hr_import, actor=actor.user)
    except HrFileError as error:
        return _render_preview(request, hr_import, problems=error)
    return _render_preview(request, hr_import, plan=plan)


@require_POST
def confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    actor = actor_for(request)
    hr_import = access.get_import_for_importer(actor, import_id)
    form = ConfirmForm(request.POST)
    if hr_import.is_applied:
        messages.info(request, _("This HR import has already been applied."))
        return redirect("hrimport:preview", import_id=hr_import.pk)
    if not form.is_valid():
        return _show_again(request, hr_import, actor.user)
    try:
        services.hr_import_apply(
            actor=actor.user, hr_import=hr_import, fingerprint=form.cleaned_data["fingerprint"]
        )
    except services.AlreadyApplied:
        messages.info(request, _("This HR import has already been applied."))
    except services.StalePreview as stale:
        return _render_preview(request, hr_import, plan=stale.plan, stale=True, status=409)
    except HrFileError as error:
        return _render_preview(request, hr_import, problems=error, stale=True, status=409)
    else:
        messages.success(request, _("The HR import was applied."))
    return redirect("hrimport:preview", import_id=hr_import.pk)


def _show_again(request: HttpRequest, hr_import: HrImport, user: User) -> HttpResponse:
    """A confirmation without the preview's fingerprint: show the preview again."""
    try:
        plan = services.hr_import_preview(hr_import=hr_import, actor=user)
    except HrFileError as error:
        return _render_preview(request, hr_import, problems=error, status=400)
    return _render_preview(request, hr_import, plan=plan, status=400)


def _render_preview(
    request: HttpRequest,
    hr_import: HrImport,
    *,
    plan: Plan | None = None,
    problems: HrFileError | None = None,
    stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"hr_import": hr_import, "problems": problems, "stale": stale}
    if hr_import.is_applied:
        context["counts"] = count_rows(hr_import.summary)
    if plan is not None:
        context.update(_diff_context(plan.diff))
    return render(request, "hrimport/preview.html", context, status=status)


def _diff_context(diff: Diff) -> dict[str, Any]:
    counts = diff.counts()
    return {
        "diff": diff,
        "counts": count_rows(counts),
        "shown": {name: getattr(diff, name)[:LISTED] for name in counts},
        "more": {name: max(0, count - LISTED) for name, count in counts.items()},
        "confirm_form": ConfirmForm(initial={"fingerprint": diff.fingerprint}),
    }
