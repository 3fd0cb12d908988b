from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def administration(request: HttpRequest) -> HttpResponse:
    """The OKR office's starting point: every administrative page in one list."""
    if not getattr(request.user, "is_org_admin", False):
        raise PermissionDenied
    return render(request, "core/administration.html")
