"""Posting one message to a webhook over HTTP: which addresses are allowed, the signature, and
the short timeouts that keep a slow endpoint from holding up the worker."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from soihtu.notifications.models import Problem

CONNECT_TIMEOUT = 3.0  # seconds
READ_TIMEOUT = 5.0  # seconds, for the status line and headers; the body is never read
SIGNATURE_HEADER = "X-Soihtu-Signature"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one attempt gave: success on 2xx, else the status (if any) and the problem."""

    ok: bool
    status: int | None = None
    problem: str = ""


def _private_allowed() -> bool:
    """Development and tests post to receivers on this machine; production refuses internal
    addresses so that a webhook cannot be pointed at the organization's own services."""
    return bool(settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE)


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return not ip.is_global


def url_problem(url: str) -> str | None:
    """Why this address cannot be a webhook, or None: only http(s), no credentials in it,
    and (unless allowed) no host on a loopback or private network."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return _("Use an address that begins with https:// (or http://).")
    if parts.username or parts.password:
        return _("Leave the user name and password out of the address.")
    if _private_allowed():
        return None
    host = parts.hostname
    try:
        internal = _is_internal(host)
    except ValueError:  # a name, not an address: checked again when it is resolved
        internal = host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    if internal:
        return _("Use an address on the public internet, not one inside this network.")
    return None


def _resolved_problem(url: str) -> str:
    """The Problem of the address, with the host's name resolved, just before posting; "" when
    it may be posted to. (A name could be made to resolve differently a moment later; the
    check keeps honest mistakes and casual probing out, not a determined DNS attacker.)"""
    if url_problem(url):
        return Problem.ADDRESS
    if _private_allowed():
        return ""
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except OSError:
        return Problem.HOST_NOT_FOUND
    if any(_is_internal(str(info[4][0])) for info in infos):
        return Problem.ADDRESS
    return ""


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes posted (and signed)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of the body with the secret>`, the X-Soihtu-Signature value."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post(
    *, url: str, payload: dict[str, Any], headers: dict[str, str], secret: str = ""
) -> Outcome:
    """Post the payload as JSON. Never raises for a network or HTTP problem: it is the Outcome.

    Redirects are not followed (a 3xx is a failure) and the response body is never read, so
    neither a redirect to an internal address nor a huge answer can do harm.
    """
    problem = _resolved_problem(url)
    if problem:
        return Outcome(ok=False, problem=problem)
    body = body_of(payload)
    sent_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Soihtu-webhook/1",
        **headers,
    }
    if secret:
        sent_headers[SIGNATURE_HEADER] = signature(secret, body)
    try:
        with requests.post(
            url,
            data=body,
            headers=sent_headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            allow_redirects=False,
            stream=True,
        ) as response:
            status = response.status_code
    except requests.Timeout:
        return Outcome(ok=False, problem=Problem.TIMEOUT)
    except requests.ConnectionError:
        return Outcome(ok=False, problem=Problem.CONNECTION)
    except requests.RequestException as error:
        # The error's text may hold the URL, which is a secret: log only its type.
        logger.warning("Webhook post failed: %s", type(error).__name__)
        return Outcome(ok=False, problem=Problem.OTHER)
    if 200 <= status < 300:
        return Outcome(ok=True, status=status)
    return Outcome(ok=False, status=status, problem=Problem.HTTP_STATUS)
