"""Where a webhook post connects: the host's name is resolved once, every address is checked,
and the post goes to exactly that checked address (no second DNS answer can differ), with TLS
still verified for the name; proxy environment variables are ignored unless
SOIHTU_WEBHOOK_PROXY names a proxy."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from pytest_django.fixtures import Settings
from urllib3 import HTTPSConnectionPool

from soihtu.notifications import sending
from soihtu.notifications.models import Problem
from soihtu.notifications.tests.receiver import Receiver, closed_port_url

NAME = "hooks.example.test"
PUBLIC = "93.184.215.14"
real_getaddrinfo = socket.getaddrinfo


class Resolver:
    """Answers `first` for NAME the first time and `later` every time after; counts asks.
    `first` may be several addresses (comma-separated)."""

    def __init__(self, first: str, later: str) -> None:
        self.answers = [first, later]
        self.asked = 0

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return real_getaddrinfo(host, port, *args, **kwargs)
        answer = self.answers[min(self.asked, 1)]
        self.asked += 1
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 0)))
            for address in answer.split(",")
        ]


def _post(url: str) -> sending.Outcome:
    return sending.post(url=url, payload={"event": "test"}, headers={})


def _port(receiver: Receiver) -> int:
    return int(receiver.server.server_address[1])


def test_the_post_goes_to_the_checked_address_even_if_the_name_changes_later(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Resolver(first="127.0.0.1", later="127.0.0.2")  # nothing listens on .2
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    url = f"http://{NAME}:{_port(receiver)}/hook/abcd"

    outcome = _post(url)

    assert outcome.ok, outcome
    assert resolver.asked == 1
    [request] = receiver.requests
    assert request.path == "/hook/abcd"
    assert request.headers["Host"] == f"{NAME}:{_port(receiver)}"


def test_the_next_checked_address_is_tried_when_one_cannot_be_connected_to(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Resolver(first="127.0.0.2,127.0.0.1", later="127.0.0.2")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)

    outcome = _post(f"http://{NAME}:{_port(receiver)}/hook/abcd")

    assert outcome.ok, outcome
    assert len(receiver.requests) == 1
    assert resolver.asked == 1


def test_a_public_answer_at_check_time_is_the_only_address_connected_to(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE = False
    resolver = Resolver(first=PUBLIC, later="127.0.0.1")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    connected: list[tuple[str, int]] = []

    def connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        connected.append(address)
        raise ConnectionRefusedError  # the test has no network: nothing is sent anywhere

    monkeypatch.setattr("urllib3.util.connection.create_connection", connect)

    outcome = _post(f"https://{NAME}/hook/abcd")

    assert outcome.problem == Problem.CONNECTION
    assert connected == [(PUBLIC, 443)]
    assert resolver.asked == 1


def test_an_internal_answer_is_refused_without_connecting(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE = False
    monkeypatch.setattr(socket, "getaddrinfo", Resolver(first="10.0.0.5", later=PUBLIC))
    assert _post(f"https://{NAME}/hook").problem == Problem.ADDRESS


def test_https_verifies_the_certificate_for_the_name_and_sends_it_in_sni() -> None:
    adapter = sending.PinnedAdapter(PUBLIC)
    prepared = requests.Request("POST", f"https://{NAME}/hook", data=b"{}").prepare()
    pool = adapter.get_connection_with_tls_context(prepared, verify=True)
    assert isinstance(pool, HTTPSConnectionPool)
    assert (pool.host, pool.port) == (PUBLIC, 443)
    assert pool.conn_kw["server_hostname"] == NAME
    assert pool.assert_hostname == NAME
    assert pool.cert_reqs == "CERT_REQUIRED"


def test_proxy_environment_variables_are_ignored(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = closed_port_url().rsplit("/hook", 1)[0]
    for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"]:
        monkeypatch.setenv(name, dead)
    for name in ["NO_PROXY", "no_proxy"]:
        monkeypatch.delenv(name, raising=False)

    outcome = _post(receiver.url)

    assert outcome.ok, outcome
    assert len(receiver.requests) == 1


def test_the_configured_proxy_is_used_and_resolves_the_name(
    receiver: Receiver, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Resolver(first="127.0.0.2", later="127.0.0.2")
    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    settings.SOIHTU_WEBHOOK_PROXY = f"http://127.0.0.1:{_port(receiver)}"

    outcome = _post(f"http://{NAME}/hook/abcd")

    assert outcome.ok, outcome
    [request] = receiver.requests  # the receiver played the proxy: it got the full address
    assert urlsplit(request.path)[:3] == ("http", NAME, "/hook/abcd")
    assert resolver.asked == 0
