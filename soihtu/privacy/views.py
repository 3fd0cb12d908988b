from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from soihtu.accounts.models import User
from soihtu.audit.models import AccessRecord
from soihtu.audit.services import access_record, audit_export
from soihtu.organization.roles import Actor, actor_for
from soihtu.privacy import access, selectors, services
from soihtu.privacy.forms import AnonymizeForm, SearchForm


def _private(response: HttpResponse) -> HttpResponse:
    """Personal data is kept in no cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
def people(request: HttpRequest) -> HttpResponse:
    access.require_org_admin(actor_for(request))
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = selectors.search_people(query, request.GET.get("page"))
    context = {"form": form, "query": query, "page": page}
    return _private(render(request, "privacy/people.html", context))


def _person_page(
    request: HttpRequest, actor: Actor, person: User, form: AnonymizeForm, status: int = 200
) -> HttpResponse:
    # The access log (docs/privacy.md): who looked at this person's data, and when.
    access_record(
        request=request, kind=AccessRecord.Kind.PERSON, objects=[(person.pk, str(person))]
    )
    context = {
        "person": person,
        "holdings": selectors.holdings(person),
        "refusal": services.refusal(actor=actor.user, person=person),
        "form": form,
    }
    return _private(render(request, "privacy/person.html", context, status=status))


@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_for(request)
    found = access.get_person_for_admin(actor, person_id)
    return _person_page(request, actor, found, AnonymizeForm())


@require_GET
def export(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_for(request)
    found = access.get_person_for_admin(actor, person_id)
    data = selectors.person_export(found)
    audit_export(actor=actor.user, instance=found, what="personal data")
    access_record(
        request=request, kind=AccessRecord.Kind.PERSON_EXPORT, objects=[(found.pk, str(found))]
    )
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="soihtu-person-{found.pk}.json"'
    return _private(response)


@require_POST
def anonymize(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_for(request)
    found = access.get_person_for_admin(actor, person_id)
    form = AnonymizeForm(request.POST)
    if not form.is_valid():
        return _person_page(request, actor, found, form, status=400)
    try:
        services.person_anonymize(actor=actor.user, person=found)
    except ValidationError as error:
        form.add_error(None, error)
        return _person_page(request, actor, found, form, status=400)
    messages.success(
        request, _("The person was anonymized. Their history now shows “former employee”.")
    )
    return redirect("privacy:person", person_id=found.pk)
