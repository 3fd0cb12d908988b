"""Reads of restricted objectives and of their key results go to the access log
(docs/privacy.md).

Views call these with what the page shows, after the access functions have let the person see
it: one insert per page, and no query at all when nothing shown is restricted. Open objectives
are public inside the organization and are not logged.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from soihtu.accounts.models import User
from soihtu.audit.models import AccessRecord
from soihtu.audit.services import access_record
from soihtu.okrs.models import KeyResult, Objective


def objectives_read(
    request: HttpRequest,
    objectives: Iterable[Objective],
    *,
    kind: str = AccessRecord.Kind.OBJECTIVE,
    user: User | None = None,
) -> int:
    """Log the restricted objectives among `objectives` (each once) as read by this request
    (by `user`, else its signed-in person); `kind` is RETROSPECTIVE when the page shows their
    retrospective. Never raises."""
    shown = {o.pk: o.title for o in objectives if o.is_restricted}
    return access_record(request=request, kind=kind, objects=shown.items(), user=user)


def key_results_read(
    request: HttpRequest, key_results: Iterable[KeyResult], *, user: User | None = None
) -> int:
    """Log the key results of restricted objectives among `key_results` (their objective must
    be loaded) as read by this request (by `user`, else its signed-in person). Never raises."""
    shown = {kr.pk: kr.title for kr in key_results if kr.objective.is_restricted}
    kind = AccessRecord.Kind.KEY_RESULT
    return access_record(request=request, kind=kind, objects=shown.items(), user=user)
