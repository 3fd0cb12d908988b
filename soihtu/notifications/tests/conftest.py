from __future__ import annotations

from collections.abc import Iterator

import pytest

from soihtu.notifications.tests.receiver import Receiver


@pytest.fixture(autouse=True)
def _webhooks_on_this_machine(settings: object) -> None:
    """The receiver listens on 127.0.0.1, which production refuses (see sending.py)."""
    settings.SOIHTU_WEBHOOK_ALLOW_PRIVATE = True  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _base_url(settings: object) -> None:
    settings.SOIHTU_BASE_URL = "https://okr.example.fi"  # type: ignore[attr-defined]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver().start()
    yield started
    started.close()
