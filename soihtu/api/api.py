"""The REST API, version 1: one NinjaAPI with a router per part of the product.

Every operation needs a token (TokenAuth); the OpenAPI document (/api/v1/openapi.json) and its
docs page (/api/v1/docs) are public, as they hold no data.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import get_language
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from soihtu.api.errors import register_handlers
from soihtu.api.gate import DecimalJsonParser, TokenAuth
from soihtu.api.routers import okrs, organization, rituals, surveys

DESCRIPTION = """
Soihtu's objectives and key results for programs: read what the pages show, feed key results
with check-ins, and edit objectives and key results.

**Tokens.** Send `Authorization: Bearer <token>`. Create a token on the *API tokens* page
(`/api/tokens/`): a personal token acts with your own permissions; a service token, created by
the OKR office, acts inside the units it is given. A read-only token refuses writes (403).

**Errors** all look like `{"error": {"code": "…", "message": "…", "details": [{"field": "…",
"message": "…"}]}}`; `message` is in the language of `Accept-Language` (fi, sv, en).

**Lists** are paged with `limit` (1–200, default 50) and `offset`; the answer gives `count`.

**Check-ins** accept an `Idempotency-Key` header: a retry with the same key and body gets the
first answer again and records nothing new. **Edits** need `If-Match` with the ETag you read
(412 when it is no longer current, 428 when it is missing).

**Decimals** are strings in answers ("12.5"); requests may send strings or numbers.

**Rate limit:** per token per minute (429 with `Retry-After`).
"""


class SoihtuAPI(NinjaAPI):
    """The OpenAPI document is built once per process and language (it changes only with a
    deployment): building it takes ~200 ms, so the docs page and client generators would
    otherwise pay that on every load."""

    _schemas: ClassVar[dict[tuple[str, str], OpenAPISchema]] = {}

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        key = (path_prefix or self.get_root_path(path_params or {}), get_language() or "")
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=key[0])
        return self._schemas[key]


api = SoihtuAPI(
    title="Soihtu API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=TokenAuth(),
    parser=DecimalJsonParser(),
)
register_handlers(api)
api.add_router("", organization.router)
api.add_router("", okrs.router)
api.add_router("", rituals.router)
api.add_router("", surveys.router)
