"""Posting one message to a webhook over HTTP: which addresses are allowed, the signature, and
the short timeouts that keep a slow endpoint from holding up the worker.

The host's name is resolved once, every address it gives is checked, and the post connects to a
checked address itself (PinnedAdapter), so a second DNS answer cannot send it elsewhere (DNS
rebinding); TLS still verifies the certificate for the name and sends the name in SNI. Proxy
environment variables (HTTPS_PROXY, NO_PROXY…) are ignored: only SOIHTU_WEBHOOK_PROXY names a
proxy, and then the proxy resolves the name and connects.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

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


@dataclass(frozen=True)
class Target:
    """Where a post may go: the problem ("" when none) and the checked addresses of the host,
    in the resolver's order (none when a proxy connects instead)."""

    problem: str
    addresses: tuple[str, ...] = ()


def _proxy() -> str:
    return str(settings.SOIHTU_WEBHOOK_PROXY)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def resolved_target(url: str) -> Target:
    """Resolve the host once, just before posting, and check every address it gives."""
    if url_problem(url):
        return Target(Problem.ADDRESS)
    if _proxy():
        return Target("")  # the proxy resolves the name: it must refuse internal addresses
    parts = urlsplit(url)
    try:
        port = parts.port or _default_port(parts.scheme)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError):
        return Target(Problem.HOST_NOT_FOUND)
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not _private_allowed() and any(_is_internal(address) for address in addresses):
        return Target(Problem.ADDRESS)
    return Target("", addresses)


class PinnedAdapter(HTTPAdapter):
    """Connects to one checked address, whatever the name would resolve to now. The Host
    header, TLS certificate verification and SNI all still use the URL's host name."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str | None,
        proxies: Mapping[str, str] | None = None,
        cert: tuple[str, str] | str | None = None,
    ) -> HTTPConnectionPool:
        checked = True if verify is None else verify
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, checked, cert)
        name = host_params["host"]
        tls: dict[str, Any] = dict(pool_kwargs)
        if host_params["scheme"] == "https":
            tls.update(server_hostname=name, assert_hostname=name)
        pool: HTTPConnectionPool = self.poolmanager.connection_from_host(
            host=self.address,
            port=host_params["port"],
            scheme=host_params["scheme"],
            pool_kwargs=tls,
        )
        return pool


def _session(address: str = "") -> requests.Session:
    """A session that reads nothing from the environment (proxies, .netrc, CA bundles)."""
    session = requests.Session()
    session.trust_env = False
    if _proxy():
        session.proxies = {"http": _proxy(), "https": _proxy()}
    elif address:
        for prefix in ("http://", "https://"):
            session.mount(prefix, PinnedAdapter(address))
    return session


def _not_connected(error: requests.ConnectionError) -> bool:
    """True when no connection was made at all, so nothing was sent."""
    reason = (
        error.args[0].reason if error.args and isinstance(error.args[0], MaxRetryError) else None
    )
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


def _attempt(session: requests.Session, url: str, body: bytes, headers: dict[str, str]) -> int:
    with (
        session,
        session.post(
            url,
            data=body,
            headers=headers,
            timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            allow_redirects=False,
            stream=True,
        ) as response,
    ):
        return response.status_code


def _send(url: str, target: Target, body: bytes, headers: dict[str, str]) -> int:
    """Post and answer the status (requests' exceptions pass). Without a proxy, the checked
    addresses are tried in turn while none could be connected to (so nothing was sent)."""
    if not target.addresses:
        return _attempt(_session(), url, body, headers)
    pinned = {**headers, "Host": urlsplit(url).netloc}
    *others, last = target.addresses
    for address in others:
        try:
            return _attempt(_session(address), url, body, pinned)
        except requests.ConnectionError as error:
            if not _not_connected(error):
                raise
    return _attempt(_session(last), url, body, pinned)


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
    target = resolved_target(url)
    if target.problem:
        return Outcome(ok=False, problem=target.problem)
    body = body_of(payload)
    sent_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Soihtu-webhook/1",
        **headers,
    }
    if secret:
        sent_headers[SIGNATURE_HEADER] = signature(secret, body)
    try:
        status = _send(url, target, body, sent_headers)
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
