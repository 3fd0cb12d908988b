import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_htmx(request: HttpRequest) -> bool:
    """A request made by htmx (which then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def has_session_cookie(request: HttpRequest) -> bool:
    """Whether the request could come from a signed-in person. Asking `request.user` without a
    session cookie would read the session and make public pages vary by cookie, so that no
    cache could share them."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The `next` parameter if it points into this site, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def client_address(request: HttpRequest) -> str | None:
    """The address of the person's device, for throttling and the security log.

    Behind SOIHTU_PROXY_HOPS trusted reverse proxies, each of which appends the address it got
    the request from to X-Forwarded-For, the client is that many entries from the right; a
    client cannot forge it by sending its own header, which stays further left. None when the
    address is not a valid IP address.
    """
    hops = int(settings.SOIHTU_PROXY_HOPS)
    candidate = request.META.get("REMOTE_ADDR", "")
    if hops > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
