from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from soihtu.organization.picker import suggest_units


@require_GET
def unit_suggestions(request: HttpRequest) -> HttpResponse:
    """The unit picker's suggestions for the text typed so far, as links to the page the picker
    is on (htmx swaps them under the field): one query. Unit names are open to everyone
    signed in, as on the organization page."""
    pick = suggest_units(request.GET)
    return render(request, "organization/_unit_suggestions.html", {"pick": pick})
