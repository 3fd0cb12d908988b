"""The OpenAPI document is built once per process and language, not on every load."""

from __future__ import annotations

from unittest import mock

import ninja.main
from django.test import Client
from ninja.openapi.schema import get_schema

from soihtu.api.api import SoihtuAPI


def test_the_openapi_document_is_built_once_per_language() -> None:
    SoihtuAPI._schemas.clear()
    client = Client()
    with mock.patch.object(ninja.main, "get_schema", wraps=get_schema) as built:
        first = client.get("/api/v1/openapi.json", headers={"accept-language": "en"})
        again = client.get("/api/v1/openapi.json", headers={"accept-language": "en"})
        assert built.call_count == 1
        client.get("/api/v1/openapi.json", headers={"accept-language": "fi"})
        assert built.call_count == 2
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["info"]["title"] == "Soihtu API"
