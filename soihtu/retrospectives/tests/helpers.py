"""Shared set-ups for the retrospective tests."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse

from soihtu.conftest import World
from soihtu.cycles.models import Cycle, Year


def open_review(world: World) -> None:
    """Put the active cycle T3 into review for every team."""
    Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.REVIEW)
    world.cycle.refresh_from_db()


def add_next_year(world: World) -> Cycle:
    year = Year.objects.create(
        number=2027, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )
    return Cycle.objects.create(
        year=year,
        name="T1",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 4, 30),
    )


class _FormFields(HTMLParser):
    """The fields of the retrospective page's form as a browser would submit them, without
    pressing a button: text inputs, textareas, ticked boxes and radios, hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, [""])
        elif tag == "input" and name and a.get("type") != "submit":
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            default = "on" if a.get("type") == "checkbox" else ""  # as browsers send it
            self.data.setdefault(name, []).append(a.get("value") or default)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.data[self._textarea][-1] += data.removeprefix("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


def page_form(client: Client, world: World) -> dict[str, list[str] | str]:
    """What the retrospective page's form submits as the person got it: start from this and
    change what the person types."""
    url = reverse("retrospectives:team", args=[world.team_a.pk, world.cycle.pk])
    return form_in(client.get(url).content.decode())


def form_in(html: str) -> dict[str, list[str] | str]:
    """The retrospective form's fields in a page, as a browser would submit them."""
    start = html.index('id="retrospective-form"')
    parser = _FormFields()
    parser.feed(html[start : html.index("</form>", start)])
    parser.data.pop("csrfmiddlewaretoken", None)
    return dict(parser.data)


def save_url(world: World) -> str:
    return reverse("retrospectives:save", args=[world.team_a.pk, world.cycle.pk])
