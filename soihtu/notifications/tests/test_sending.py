"""Which addresses a webhook may have, how they are masked, and the signature."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from soihtu.notifications.models import mask_url
from soihtu.notifications.sending import body_of, signature, url_problem


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.org/",
        "https://user:secret@example.org/hook",
        "https:///no-host",
    ],
)
def test_only_plain_http_and_https_addresses(url: str) -> None:
    assert url_problem(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost:8000/x",
        "http://10.0.0.5/x",
        "http://192.168.1.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://intranet.local/x",
    ],
)
def test_internal_addresses_are_refused_unless_allowed(url: str, settings: object) -> None:
    assert url_problem(url) is None  # the tests allow them (the receiver is on 127.0.0.1)
    settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE = False  # type: ignore[attr-defined]
    assert url_problem(url) is not None


def test_public_addresses_are_fine(settings: object) -> None:
    settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE = False  # type: ignore[attr-defined]
    assert url_problem("https://example.webhook.office.com/webhookb2/abc") is None
    assert url_problem("https://93.184.215.14/hook") is None


def test_masked_address_keeps_the_host_and_four_last_characters() -> None:
    url = "https://example.webhook.office.com/webhookb2/1234-abcd/IncomingWebhook/99/KEYZ"
    assert mask_url(url) == "https://example.webhook.office.com/…KEYZ"
    assert mask_url("https://example.org/short") == "https://example.org/…"


def test_signature_is_the_hmac_sha256_of_the_exact_body() -> None:
    body = body_of({"event": "test", "title": "Hyvä päivä"})
    assert body == '{"event":"test","title":"Hyvä päivä"}'.encode()
    expected = hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert signature("k", body) == f"sha256={expected}"
    assert signature("other", body) != signature("k", body)
