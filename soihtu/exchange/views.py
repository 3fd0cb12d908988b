from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soihtu.audit.services import audit_export
from soihtu.core.spreadsheet import Writable
from soihtu.core.uploads import upload_limit
from soihtu.cycles.models import Cycle
from soihtu.exchange import csv_export
from soihtu.exchange.access import require_exchange
from soihtu.exchange.export import export_document, iter_json
from soihtu.exchange.forms import CsvForm, ImportForm
from soihtu.exchange.importer import file_import, installation_is_empty
from soihtu.exchange.schema import LISTS
from soihtu.organization.models import OrganizationSettings
from soihtu.organization.roles import actor_for


def _page(
    request: HttpRequest,
    *,
    import_form: ImportForm | None = None,
    csv_form: CsvForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "import_form": import_form or ImportForm(),
        "csv_form": csv_form or CsvForm(),
        "empty": installation_is_empty(),
        "errors": errors or [],
    }
    return render(request, "exchange/index.html", context, status=status)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require_exchange(actor_for(request))
    return _page(request)


@require_GET
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    actor = actor_for(request)
    require_exchange(actor)
    document = export_document()
    organization = OrganizationSettings.objects.first()
    if organization is not None:
        audit_export(actor=actor.user, instance=organization, what="OKR data (JSON)")
    chunks = (chunk.encode() for chunk in iter_json(document))
    response = StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
    name = f"soihtu-okr-export-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _summary(counts: dict[str, int]) -> str:
    names = {spec.key: spec.model._meta.verbose_name_plural for spec in LISTS}
    return ", ".join(f"{names[key]} {count}" for key, count in counts.items() if count)


@upload_limit("SOIHTU_EXCHANGE_IMPORT_MAX_BYTES", form_page="exchange:index")
@require_POST
def import_json(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    require_exchange(actor)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, import_form=form, status=400)
    result = file_import(actor=actor.user, raw=form.cleaned_data["file"].read())
    if not result.ok:
        return _page(request, import_form=form, errors=result.errors, status=400)
    message = _("The OKR data was imported: %(counts)s.") % {"counts": _summary(result.counts)}
    messages.success(request, message)
    return redirect("exchange:index")


def _csv(
    request: HttpRequest,
    name: str,
    write: Callable[..., None],
) -> HttpResponse:
    require_exchange(actor_for(request))
    form = CsvForm(request.GET)
    if not form.is_valid():
        return _page(request, csv_form=form, status=400)
    cycle: Cycle | None = form.cleaned_data["cycle"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = slugify(f"{cycle.year.number}-{cycle.name}") if cycle else "all"
    response["Content-Disposition"] = f'attachment; filename="{name}-{suffix}.csv"'
    out: Writable = response
    write(out, cycle=cycle, dialect=form.dialect())
    return response


@require_GET
def objectives_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request, "objectives", csv_export.objectives_csv)


@require_GET
def key_results_csv(request: HttpRequest) -> HttpResponse:
    return _csv(request, "key-results", csv_export.key_results_csv)
