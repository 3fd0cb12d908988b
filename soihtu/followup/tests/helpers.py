from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.checkins.models import CheckIn
from soihtu.checkins.services import checkin_create
from soihtu.okrs.models import KeyResult


def check_in(
    author: User, key_result: KeyResult, value: str = "8", confidence: int = 7, note: str = ""
) -> CheckIn:
    """A check-in measured today, at the current (simulated) time."""
    return checkin_create(
        author=author,
        key_result=key_result,
        value=Decimal(value),
        confidence=confidence,
        note=note,
        measured_on=timezone.localdate(),
    )


def fresh(key_result: KeyResult) -> KeyResult:
    return KeyResult.objects.select_related(
        "objective__owner_unit", "objective__cycle", "objective__year", "owner"
    ).get(pk=key_result.pk)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class _MeetingForm(HTMLParser):
    """The fields of the meeting table's form as a browser submits them without changes:
    inputs (checked radios only), the selected option of each select, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "input" and name and a.get("type") != "submit":
            if a.get("type") == "radio" and "checked" not in a:
                return
            self.data[name] = a.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.data[self._textarea] += data.removeprefix("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def meeting_form(html: str) -> dict[str, str]:
    """The meeting table's form in a page, as the browser would submit it unchanged."""
    start = html.index('class="meeting-form"')
    parser = _MeetingForm()
    parser.feed(html[start : html.index("</form>", start)])
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data
