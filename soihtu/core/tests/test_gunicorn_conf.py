"""gunicorn.conf.py: gunicorn accepts every value it sets, and each can be changed from the
environment (README's production command and docs/benchmarks.md rely on both)."""

from __future__ import annotations

import os
import runpy
from typing import Any

import pytest
from django.conf import settings
from gunicorn.config import Config

CONF = settings.BASE_DIR / "gunicorn.conf.py"
VARIABLES = [
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_WORKER_CLASS",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_PRELOAD",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_ACCESS_LOG",
    "GUNICORN_ACCESS_LOG_FORMAT",
    "FORWARDED_ALLOW_IPS",
    "GUNICORN_CONTROL_SOCKET",
]


def _loaded(monkeypatch: pytest.MonkeyPatch, **env: str) -> Config:
    """The file as gunicorn reads it (`-c`): run, then each setting it names validated."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    namespace: dict[str, Any] = runpy.run_path(str(CONF))
    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    config = _loaded(monkeypatch)
    cores = len(os.sched_getaffinity(0))
    assert config.address == [("127.0.0.1", 8000)]
    assert config.workers == max(2, 2 * cores + 1)
    assert config.worker_class_str == "sync"
    assert config.threads == 1  # more would make gunicorn switch to gthread
    assert (config.timeout, config.graceful_timeout) == (60, 30)
    assert config.keepalive == 5
    assert config.preload_app is True
    assert config.max_requests == 2000
    assert config.max_requests_jitter == 200
    assert config.accesslog == "-"
    assert "%(M)s" in config.access_log_format  # request time in milliseconds
    assert config.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert config.control_socket_disable is True
    assert callable(config.when_ready)


def test_every_value_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config = _loaded(
        monkeypatch,
        GUNICORN_BIND="10.0.0.5:8001, unix:/run/soihtu.sock",
        WEB_CONCURRENCY="3",
        GUNICORN_WORKER_CLASS="gthread",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="90",
        GUNICORN_GRACEFUL_TIMEOUT="10",
        GUNICORN_KEEPALIVE="75",
        GUNICORN_PRELOAD="off",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_MAX_REQUESTS_JITTER="0",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_ACCESS_LOG_FORMAT="%(r)s %(L)s",
        FORWARDED_ALLOW_IPS="10.0.0.0/8",
        GUNICORN_CONTROL_SOCKET="/run/soihtu/gunicorn.ctl",
    )
    assert config.address == [("10.0.0.5", 8001), "/run/soihtu.sock"]
    assert config.workers == 3
    assert config.worker_class_str == "gthread"
    assert config.threads == 4
    assert (config.timeout, config.graceful_timeout, config.keepalive) == (90, 10, 75)
    assert config.preload_app is False
    assert (config.max_requests, config.max_requests_jitter) == (0, 0)
    assert config.accesslog is None
    assert config.access_log_format == "%(r)s %(L)s"
    assert config.forwarded_allow_ips == ["10.0.0.0/8"]
    assert config.control_socket_disable is False
    assert config.control_socket == "/run/soihtu/gunicorn.ctl"


def test_gthread_workers_get_two_threads_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = _loaded(monkeypatch, GUNICORN_WORKER_CLASS="gthread")
    assert config.worker_class_str == "gthread"
    assert config.threads == 2


def test_a_preload_value_it_does_not_understand_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ValueError, match="GUNICORN_PRELOAD"):
        _loaded(monkeypatch, GUNICORN_PRELOAD="maybe")
