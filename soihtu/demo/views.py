"""The demo's one-click sign-in as a persona. It exists only when SOIHTU_DEMO is on, and never
under production settings (not even routed there: soihtu/urls.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from soihtu.accounts.models import User
from soihtu.demo.access import demo_sign_in_enabled


@login_not_required
@require_http_methods(["GET", "POST"])
def personas(request: HttpRequest) -> HttpResponse:
    if not demo_sign_in_enabled():
        raise Http404
    from soihtu.demo.generate import PERSONAS

    users = {
        u.username: u
        for u in User.objects.filter(username__in=[p for p, _r in PERSONAS]).prefetch_related(
            "memberships__unit"
        )
    }
    if request.method == "POST":
        user = users.get(request.POST.get("username", ""))
        if user is None:
            raise Http404
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return redirect("okrs:my_okrs")
    rows = [(users[name], role) for name, role in PERSONAS if name in users]
    return render(request, "demo/personas.html", {"rows": rows})
