"""The API's one error format, and the handlers that turn every refusal into it.

    {"error": {"code": "not_found", "message": "…", "details": [{"field": "…", "message": "…"}]}}

`code` is stable and meant for programs; `message` is for people, in the language asked for with
Accept-Language; `details` lists the fields that were wrong (empty when there is nothing to add).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from soihtu.core.errors import EditConflictError

logger = logging.getLogger(__name__)

JSON = "application/json; charset=utf-8"


class ApiError(Exception):
    """A refusal with its status, code, message and, for bad input, the fields that were wrong."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        details: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers or {}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    response = HttpResponse(json.dumps(body), status=status, content_type=JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        _(
            "A valid API token is needed: send it in the Authorization header as "
            "“Bearer <token>”. Tokens are created on the API tokens page."
        ),
        headers={"WWW-Authenticate": 'Bearer realm="soihtu"'},
    )


def forbidden(message: str | None = None) -> ApiError:
    return ApiError(403, "forbidden", message or _("You do not have permission to do this."))


def https_required() -> ApiError:
    return ApiError(
        403,
        "https_required",
        _(
            "Use HTTPS: this API does not answer plain HTTP requests, and nothing was done. "
            "If the request carried a token, revoke it and create a new one."
        ),
    )


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("There is no such object, or you may not see it."))


def method_not_allowed(allowed: str) -> HttpResponse:
    return error_response(
        405,
        "method_not_allowed",
        _("This method is not allowed here."),
        headers={"Allow": allowed},
    )


def invalid(details: list[dict[str, str]], message: str | None = None) -> ApiError:
    return ApiError(
        422,
        "invalid",
        message or _("Some values are not valid: see the details."),
        details=details,
    )


def form_error_details(errors: ErrorDict) -> list[dict[str, str]]:
    """A Django form's errors as details; errors of the whole form have the field ""."""
    return [
        {"field": "" if field == "__all__" else field, "message": str(message)}
        for field, messages in errors.items()
        for message in messages
    ]


def _pydantic_message(error: dict[str, Any]) -> str:
    """A validation error in the request's language: Django's own wording where it has one."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    simple = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
        "date_parsing": _("Enter a valid date."),
        "date_type": _("Enter a valid date."),
        "date_from_datetime_parsing": _("Enter a valid date."),
        "list_type": _("Enter a list of values."),
        "string_pattern_mismatch": _("Enter a valid value."),
        "string_too_short": _("This field cannot be blank."),
        "string_type": _("Enter text."),
        "extra_forbidden": _("There is no such field."),
        "model_type": _("Send a JSON object."),
        "model_attributes_type": _("Send a JSON object."),
    }
    if kind in simple:
        return simple[kind]
    if kind == "decimal_max_digits":
        count = int(context.get("max_digits", 0))
        return ngettext(
            "Ensure that there are no more than %(max)s digit in total.",
            "Ensure that there are no more than %(max)s digits in total.",
            count,
        ) % {"max": count}
    if kind == "decimal_max_places":
        count = int(context.get("decimal_places", 0))
        return ngettext(
            "Ensure that there are no more than %(max)s decimal place.",
            "Ensure that there are no more than %(max)s decimal places.",
            count,
        ) % {"max": count}
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": context.get("le", "")
        }
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": context.get("ge", "")
        }
    if kind == "string_too_long":
        return _("Enter at most %(count)s characters.") % {"count": context.get("max_length", "")}
    if kind == "too_long":
        return _("Enter at most %(count)s values.") % {"count": context.get("max_length", "")}
    if kind == "literal_error":
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    return str(error.get("msg", ""))


def _pydantic_details(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    details = []
    for error in errors:
        # ninja puts the source first ("body", "query", "path", "header") and, for a body,
        # the parameter's name second: the client only needs the field's own path.
        location = [str(part) for part in error.get("loc", ())]
        if location[:1] == ["body"]:
            location = location[2:]
        elif location:
            location = location[1:]
        details.append({"field": ".".join(location), "message": _pydantic_message(error)})
    return details


def as_api_error(exc: Exception) -> ApiError | None:
    """The refusal an exception stands for; None for an unexpected one (a server error)."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, NinjaValidationError):
        return invalid(_pydantic_details(exc.errors))
    if isinstance(exc, DjangoValidationError):
        details = [{"field": "", "message": str(message)} for message in exc.messages]
        return invalid(details, message=" ".join(exc.messages))
    if isinstance(exc, AuthenticationError):
        return unauthorized()
    if isinstance(exc, Throttled):
        return too_many_requests(exc.wait or 60)
    if isinstance(exc, HttpError) and exc.status_code == 400:
        # The only 400 ninja raises itself: a body it could not parse.
        return malformed_json()
    if isinstance(exc, HttpError):
        return ApiError(exc.status_code, "error", str(exc))
    if isinstance(exc, EditConflictError):
        return stale_version()
    if isinstance(exc, Http404):
        return not_found()
    if isinstance(exc, PermissionDenied):
        return forbidden()
    return None


HANDLED: tuple[type[Exception], ...] = (
    Exception,
    ApiError,
    NinjaValidationError,
    DjangoValidationError,
    HttpError,
    EditConflictError,
    Http404,
    PermissionDenied,
)


def handle_exception(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """Every exception an operation raises, in the one format; the unexpected ones are logged
    and answer 500."""
    raised = exc if isinstance(exc, Exception) else exc()
    error = as_api_error(raised)
    if error is None:
        logger.error("API request failed: %s %s", request.method, request.path, exc_info=raised)
        error = ApiError(
            500, "server_error", _("Something went wrong on our side. Try again later.")
        )
    return error_response(
        error.status, error.code, error.message, details=error.details, headers=error.headers
    )


def register_handlers(api: NinjaAPI) -> None:
    # ninja has handlers of its own for some of these classes: each is replaced.
    for exception_class in HANDLED:
        api.add_exception_handler(exception_class, handle_exception)


def malformed_json() -> ApiError:
    return ApiError(400, "malformed_json", _("The request body is not valid JSON."))


def too_many_requests(wait_seconds: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        _("Too many requests with this token: wait a moment and try again."),
        headers={"Retry-After": str(wait_seconds)},
    )


def stale_version() -> ApiError:
    return ApiError(
        412,
        "version_mismatch",
        _(
            "The object has changed since the version given in If-Match, and nothing was "
            "saved: read it again and apply your change to the current version."
        ),
    )
