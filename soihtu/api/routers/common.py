"""What the routers share: the answers each kind of operation may give, for the OpenAPI
document (every error has the one error format)."""

from __future__ import annotations

from typing import Any

from soihtu.api.schemas import ErrorOut

LIST_ERRORS = (401, 422, 429)
DETAIL_ERRORS = (401, 404, 422, 429)
WRITE_ERRORS = (400, 401, 403, 404, 413, 415, 422, 429)
EDIT_ERRORS = (*WRITE_ERRORS, 412, 428)


def answers(status: int, schema: Any, errors: tuple[int, ...]) -> dict[int, Any]:
    """The success answer and the errors an operation may give."""
    return {status: schema} | dict.fromkeys(errors, ErrorOut)
