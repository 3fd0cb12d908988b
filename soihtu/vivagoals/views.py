"""Importing a Viva Goals export: upload → mapping → preview → import (org admins only)."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from soihtu.core.uploads import upload_limit
from soihtu.organization.roles import actor_for
from soihtu.vivagoals import access, parse, services
from soihtu.vivagoals.forms import MappingForm, UploadForm, column_samples, mapping_initial
from soihtu.vivagoals.models import VivaUpload
from soihtu.vivagoals.plan import build_plan


@upload_limit("SOIHTU_VIVA_GOALS_IMPORT_MAX_BYTES")
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    access.require_importer(actor)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        read = form.cleaned_data["file"]
        created = services.upload_create(
            actor=actor.user, filename=read.name, text=read.text, delimiter=read.delimiter
        )
        return redirect("vivagoals:mapping", upload_id=created.pk)
    waiting = VivaUpload.objects.fresh().filter(owner=actor.user).only("filename", "created_at")
    context = {"form": form, "waiting": list(waiting)}
    return render(request, "vivagoals/upload.html", context, status=400 if posted else 200)


@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = actor_for(request)
    upload = access.get_upload_for_importer(actor, upload_id)
    table = parse.read_table(upload.content, upload.delimiter)
    posted = request.method == "POST"
    form = MappingForm(
        request.POST if posted else None,
        headers=table.headers,
        samples=column_samples(table),
        initial=mapping_initial(upload.columns, upload.unit, upload.year, upload.cycle),
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        services.upload_map(
            upload=upload,
            columns=form.columns,
            unit=data["unit"],
            year=data["year"],
            cycle=data["cycle"],
        )
        return redirect("vivagoals:preview", upload_id=upload.pk)
    matched = sum(1 for name in upload.columns if name != parse.Field.IGNORE)
    context = {"form": form, "upload": upload, "matched": matched, "rows": len(table.rows)}
    return render(request, "vivagoals/mapping.html", context, status=400 if posted else 200)


def _is_mapped(upload: VivaUpload) -> bool:
    return upload.mapped_at is not None and upload.unit is not None and upload.year is not None


@require_GET
def preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = actor_for(request)
    upload = access.get_upload_for_importer(actor, upload_id)
    if not _is_mapped(upload):
        return redirect("vivagoals:mapping", upload_id=upload.pk)
    plan = build_plan(upload)
    return render(request, "vivagoals/preview.html", {"upload": upload, "plan": plan})


@require_POST
def confirm(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = actor_for(request)
    upload = access.get_upload_for_importer(actor, upload_id)
    if not _is_mapped(upload):
        return redirect("vivagoals:mapping", upload_id=upload.pk)
    try:
        result = services.upload_import(
            actor=actor.user, upload=upload, fingerprint=request.POST.get("fingerprint", "")
        )
    except services.UploadGoneError:
        raise Http404 from None
    except services.PlanChangedError:
        messages.error(
            request,
            _(
                "Nothing was imported: objectives or people changed in Soihtu since the "
                "preview was shown. Check the preview again."
            ),
        )
        return redirect("vivagoals:preview", upload_id=upload.pk)
    except services.NothingToImportError:
        messages.error(request, _("Nothing was imported: the file has nothing new to import."))
        return redirect("vivagoals:preview", upload_id=upload.pk)
    messages.success(
        request,
        _(
            "Imported from Viva Goals. Objectives: %(objectives)s, key results: "
            "%(key_results)s, contribution links: %(links)s, check-ins: %(checkins)s."
        )
        % asdict(result),
    )
    return redirect("vivagoals:upload")


@require_POST
def discard(request: HttpRequest, upload_id: int) -> HttpResponse:
    actor = actor_for(request)
    upload = access.get_upload_for_importer(actor, upload_id)
    services.upload_discard(upload=upload)
    messages.success(request, _("The upload was discarded; nothing was imported."))
    return redirect("vivagoals:upload")
