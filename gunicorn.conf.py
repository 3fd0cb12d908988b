"""gunicorn's configuration for Soihtu: `.venv/bin/gunicorn -c gunicorn.conf.py soihtu.wsgi`.

Every value below can be changed by an environment variable named beside it, so that one file
serves a laptop, a small virtual machine and a large one. The defaults are the ones measured
with `make bench` (docs/benchmarks.md) on two cores shared by the application, PostgreSQL and
the load generator.
"""

from __future__ import annotations

import os
import sys
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={value!r}: use 1/true/yes/on or 0/false/no/off")


def _cores() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS has no affinity
        return os.cpu_count() or 1


# Where to listen: the reverse proxy's upstream. Several addresses: separate with commas.
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]

# Worker processes: gunicorn's classic 2 × cores + 1, at least 2 so that one slow request
# never holds up everything. WEB_CONCURRENCY is the name platforms (and gunicorn) use.
workers = _int("WEB_CONCURRENCY", max(2, 2 * _cores() + 1))

# Sync workers, one request at a time each: on two cores shared with PostgreSQL they served the
# peak mix with a lower p95 than gthread workers of two threads (docs/benchmarks.md, "Choosing
# gunicorn's settings"): the pages are CPU work, so more threads than cores only queue, and a
# sync worker takes a request only when it is free, while a gthread worker accepts connections
# ahead and makes them wait behind its own. GUNICORN_WORKER_CLASS=gthread (two threads each by
# default) where requests wait on other services or must outlast the timeout below.
# (gunicorn turns a sync worker with more than one thread into gthread, hence one for sync.)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 2 if worker_class == "gthread" else 1)

# A worker that has not reported to the master for this long (seconds) is killed and replaced.
# A sync worker reports between requests, so this is also the longest a request may take: the
# whole organization's JSON export (/exchange/export.json) took 14 s at 10,000 people on an idle
# machine, so twice that under load still fits. (A gthread worker keeps reporting while its
# threads serve.) On a restart or a stop, workers get graceful_timeout seconds to finish.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Seconds an idle keep-alive connection stays open (gthread workers; sync workers close each
# connection after its response, which the proxy's upstream connections expect by default).
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Load Django once in the master and fork the workers from it, instead of each worker importing
# the application (seconds of CPU each, all at once at start and whenever max_requests replaces
# one): docs/benchmarks.md has the start times. Connections opened while loading are closed
# before the fork (when_ready below). Turn off to reload code with a HUP signal without
# restarting the master.
preload_app = _bool("GUNICORN_PRELOAD", True)

# Replace each worker after this many requests (the jitter spreads the restarts, so the workers
# do not all restart at once): memory that a long-lived process slowly gathers is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# One line per request on standard output: client, request line, status, bytes, milliseconds.
# The client is the proxy's address unless the proxy is in forwarded_allow_ips; Soihtu reads the
# person's address itself (SOIHTU_PROXY_HOPS, docs/security.md). "-" is standard output; set
# GUNICORN_ACCESS_LOG to a path, or to an empty value to log no requests.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = os.environ.get(
    "GUNICORN_ACCESS_LOG_FORMAT", '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
)
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The proxies whose X-Forwarded-Proto (https) gunicorn believes: comma-separated addresses or
# networks, "*" for any (only when nothing but the proxy can reach gunicorn). Django's
# SECURE_PROXY_SSL_HEADER reads the same header in production.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


# gunicorn's control socket (gunicornc, since gunicorn 25.1) only where given a path of its own:
# its default path is shared by every gunicorn the same user runs on the machine.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not _control_socket
if _control_socket:
    control_socket = _control_socket


def when_ready(server: Any) -> None:
    """In the master, after the preload and before the first fork: import every view once here
    (each worker would otherwise do it on its first request), and close the database
    connections that loading may have opened, which the workers' processes would share."""
    if "django.db" not in sys.modules:
        return  # not preloaded: the master never loaded Django
    from django.apps import apps
    from django.db import connections
    from django.urls import get_resolver

    if apps.ready:
        len(get_resolver().url_patterns)
        connections.close_all()
