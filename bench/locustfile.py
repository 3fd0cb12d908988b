"""The Monday-morning peak of issue 10, for locust: signed-in people who open My OKRs, their
team page, objectives, the strategy and the organization, search it, check in and read the API,
with about ten seconds between clicks. Run by bench/run.py, which prepares the people
(`manage.py bench_sessions`) and names their JSON file in BENCH_SESSIONS.

The session cookies are `__Host-` and Secure, which a client sends only over HTTPS; the server
is reached over plain HTTP as behind a TLS-terminating proxy (X-Forwarded-Proto: https), so the
Cookie header is set by hand. Every page is asked for without following redirects: a 302 to the
sign-in page would otherwise count as a fast 200.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

from bench.forms import check_in_data

PEOPLE: list[dict[str, Any]] = json.loads(
    Path(os.environ.get("BENCH_SESSIONS", "bench-sessions.json")).read_text(encoding="utf-8")
)["people"]
_next_person = itertools.count()
PROXY_HEADERS = {
    "X-Forwarded-Proto": "https",  # SECURE_PROXY_SSL_HEADER: the proxy terminated TLS
    "X-Forwarded-For": "127.0.0.1",  # SOIHTU_PROXY_HOPS=1 reads the client from here
    "User-Agent": "soihtu-bench",
}


class PeakUser(FastHttpUser):
    wait_time = between(5, 15)
    network_timeout = 30.0  # no one waits longer for a page: slower counts as an error
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.person = PEOPLE[next(_next_person) % len(PEOPLE)]
        self.urls: dict[str, Any] = self.person["urls"]
        origin = "https://" + (self.host or "").split("://", 1)[-1].rstrip("/")
        self.page_headers = {**PROXY_HEADERS, "Cookie": self.person["cookie"]}
        self.post_headers = {**self.page_headers, "Origin": origin}
        self.api_headers = {**PROXY_HEADERS, "Authorization": f"Bearer {self.person['api_token']}"}

    def _page(self, name: str, url: str, headers: dict[str, str] | None = None) -> str:
        with self.client.get(
            url,
            name=name,
            headers=headers or self.page_headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                where = response.headers.get("Location", "") if response.headers else ""
                response.failure(f"{response.status_code} {where}".strip())
                return ""
            return response.text or ""

    @task(25)
    def my_okrs(self) -> None:
        self._page("My OKRs", self.urls["my_okrs"])

    @task(25)
    def team_page(self) -> None:
        self._page("team page", self.urls["team"])

    @task(15)
    def objective(self) -> None:
        if self.urls["objectives"]:
            self._page("objective page", random.choice(self.urls["objectives"]))  # noqa: S311

    @task(10)
    def strategy(self) -> None:
        self._page("strategy", self.urls["strategy"])

    @task(5)
    def organization(self) -> None:
        self._page("organization", self.urls["organization"])

    @task(5)
    def search(self) -> None:
        self._page("organization search", self.urls["search"])

    @task(5)
    def api_list(self) -> None:
        self._page("API list", self.urls["api_list"], self.api_headers)

    @task(10)
    def check_in(self) -> None:
        """Open the check-in form, send it back with a new value: a redirect is success, the
        form again (400) or anything else is a failure."""
        if not self.urls["checkins"]:
            return
        url = random.choice(self.urls["checkins"])  # noqa: S311
        with self.client.get(
            url,
            name="check-in form",
            headers=self.page_headers,
            allow_redirects=False,
            catch_response=True,
        ) as form:
            fields = check_in_data(form.text or "", url) if form.status_code == 200 else None
            if fields is None:
                form.failure(f"{form.status_code}: no check-in form")
                return
        with self.client.post(
            url,
            name="check-in POST",
            data=fields,
            headers=self.post_headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "/accounts/login" in location:
                response.failure(f"{response.status_code} {location}".strip())
