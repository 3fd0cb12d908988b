"""What a browser sends back from a form: the check-in form of the load test, read from the page
as the person saw it (bench/locustfile.py). No locust here, so that the tests can use it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser would send from the form whose action is `action`."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self.radios: set[str] = set()  # names of radio button groups
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attr.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "option" and self._select is not None:
            if "selected" in attr or self._select not in self.fields:
                self.fields[self._select] = attr.get("value", "")
        elif tag == "input" and "name" in attr:
            self._input(attr)
        elif tag == "textarea" and "name" in attr:
            self._textarea = attr["name"]
            self.fields[self._textarea] = ""
        elif tag == "select" and "name" in attr:
            self._select = attr["name"]

    def _input(self, attr: dict[str, str]) -> None:
        kind = attr.get("type", "text")
        if kind == "radio":
            self.radios.add(attr["name"])
        if kind in {"submit", "button", "reset", "file"}:
            return
        if kind in {"radio", "checkbox"} and "checked" not in attr:
            return
        self.fields[attr["name"]] = attr.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str, action: str) -> FormFields:
    parser = FormFields(action)
    parser.feed(html)
    return parser


def next_value(shown: str, milestone: bool) -> str:
    """A new value for the check-in: a milestone done, a number moved by one (the form shows
    and reads numbers with a decimal comma in Finnish)."""
    if milestone:
        return "1"
    try:
        current = Decimal(shown.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        current = Decimal(0)
    return str(current + 1).replace(".", ",")


def check_in_data(html: str, action: str) -> dict[str, str] | None:
    """The check-in form of the page `html` filled in with a new value, as a person would send
    it; None if the page has no such form (with its CSRF token)."""
    form = form_fields(html, action)
    if "csrfmiddlewaretoken" not in form.fields:
        return None
    data = dict(form.fields)
    data["value"] = next_value(data.get("value", ""), milestone="value" in form.radios)
    data["note"] = "Bench check-in."
    return data
