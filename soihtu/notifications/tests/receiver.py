"""A small HTTP receiver on 127.0.0.1 for the tests: records every request, answers with the
status it is told, can hang until released, and checks X-Soihtu-Signature with its secret."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import socket
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG_LIMIT = 5.0  # seconds a hanging answer waits for `release` at most


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool | None

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """Start with `start()`, stop with `close()`. `status` is the answer; `hang` makes answers
    wait until `release` is set; `redirect_to` answers 302 to that location."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.status = 200
        self.hang = False
        self.redirect_to = ""
        self.secret = ""
        self.release = threading.Event()
        self.received = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook/abcd1234efgh5678"

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=HANG_LIMIT)

    def check(self, headers: dict[str, str], body: bytes) -> bool | None:
        if not self.secret:
            return None
        expected = "sha256=" + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, headers.get("X-Soihtu-Signature", ""))


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = dict(self.headers.items())
            receiver.requests.append(
                Received(self.path, headers, body, receiver.check(headers, body))
            )
            receiver.received.set()
            if receiver.hang:
                receiver.release.wait(HANG_LIMIT)
            if receiver.redirect_to:
                self.send_response(302)
                self.send_header("Location", receiver.redirect_to)
            else:
                self.send_response(receiver.status)
            answer = b"1" if receiver.status < 300 else b"no"
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up waiting (timeout test)
                self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook/dead"
