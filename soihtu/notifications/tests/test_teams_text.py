"""Text people wrote reaches a Teams card as text: no links, no formatting, no lists, no HTML.
Generic webhooks get the same text unchanged (plain JSON strings)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from soihtu.conftest import World
from soihtu.notifications import services
from soihtu.notifications.models import TeamWebhook
from soihtu.notifications.payloads import teams_text
from soihtu.notifications.tests.helpers import add_webhook, now
from soihtu.notifications.tests.receiver import Receiver
from soihtu.okrs.models import Objective
from soihtu.organization.roles import build_actor
from soihtu.successes.services import success_share

EVIL_TITLE = "[click](https://evil.example) **bold** <b>x</b>"
EVIL_STORY = (
    "Read more at www.evil.example or mail boss@evil.example.\n"
    "- not a list\n# not a heading\n1. not numbered\n> not a quote\n"
    "_italic_ ~~gone~~ `code` {{DATE(2017-02-14T06:08:39Z, SHORT)}} \\"
)
# A Markdown character without a backslash before it would format or link.
UNESCAPED = re.compile(r"(?<!\\)[\[\]*_`~{}]")
LINE_MARKUP = re.compile(r"^\s*(?:[-+#>=|]|\d+[.)])", re.MULTILINE)


def readable(text: str) -> str:
    """What a person sees once Teams has rendered the text."""
    unescaped = re.sub(r"\\(.)", r"\1", text)
    return html.unescape(unescaped).replace("\u2024", ".").replace("\u200b", "")


def assert_inert(text: str) -> None:
    assert not UNESCAPED.search(text), text
    assert not LINE_MARKUP.search(text), text
    assert "<" not in text, text
    assert ">" not in text, text
    assert "//" not in text, text
    assert not re.search(r"\w\.[^\W\d_]", text), text  # no domain Teams could link


@pytest.mark.parametrize("text", [EVIL_TITLE, EVIL_STORY, "Tavoite 1.5 – 27.11.2026 klo 10.00"])
def test_teams_text_is_inert_and_reads_as_written(text: str) -> None:
    shown = teams_text(text)
    assert_inert(shown)
    assert readable(shown) == text


def test_numbers_and_dates_are_left_alone() -> None:
    assert teams_text("Edistyminen 45 %, 27.11.2026, 1.5") == "Edistyminen 45 %, 27.11.2026, 1.5"


def _card(request: Any) -> dict[str, Any]:
    content: dict[str, Any] = request.json()["attachments"][0]["content"]
    return content


def _card_texts(card: dict[str, Any]) -> list[str]:
    texts = []
    for block in card["body"]:
        if block["type"] == "TextBlock":
            texts.append(block["text"])
        else:
            texts.extend(text for fact in block["facts"] for text in fact.values())
    return texts


def test_a_success_with_markup_reaches_teams_as_text_and_generic_json_unchanged(
    world: World, receiver: Receiver
) -> None:
    add_webhook(world, receiver.url, kind=TeamWebhook.Kind.TEAMS)
    add_webhook(world, receiver.url + "/generic")
    success_share(
        actor=build_actor(world.member),
        team=world.team_a,
        title=EVIL_TITLE,
        story=EVIL_STORY,
        objectives=[world.objective_a],
    )
    assert services.deliveries_send(now()) == 2
    teams, generic = sorted(receiver.requests, key=lambda r: r.path.endswith("/generic"))

    texts = _card_texts(_card(teams))
    for text in texts:
        assert_inert(text)
    assert readable(texts[0]) == f"Success: {EVIL_TITLE}"
    assert EVIL_STORY.strip() in readable(texts[1])
    body = generic.json()
    assert body["success"]["title"] == EVIL_TITLE
    assert body["title"] == f"Success: {EVIL_TITLE}"


def test_summary_facts_with_markup_reach_teams_as_text(world: World, receiver: Receiver) -> None:
    Objective.objects.filter(pk=world.objective_a.pk).update(title="- [x](http://evil.example)")
    add_webhook(world, receiver.url, kind=TeamWebhook.Kind.TEAMS, send_successes=False)
    services.notify(now())
    texts = _card_texts(_card(receiver.requests[0]))
    assert "- [x](http://evil.example)" in [readable(text) for text in texts]
    for text in texts:
        assert_inert(text)
