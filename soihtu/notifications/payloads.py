"""The messages posted to webhooks, in the webhook's language.

A message is built once as a `Message` (title, text, sections of facts, a link and the event's
data), then shaped for its webhook:

- Microsoft Teams: an Adaptive Card 1.4 in the `{"type": "message", "attachments": [...]}`
  envelope that Teams incoming webhooks and Power Automate's "When a Teams webhook request is
  received" workflows accept.
- Generic: plain JSON, `{"event", "language", "title", "text", "url", "team", ...}` with the
  event's own fields (see docs/notifications.md).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from soihtu.notifications.models import Delivery, TeamWebhook
from soihtu.notifications.selectors import TeamSummary
from soihtu.okrs.models import KeyResult
from soihtu.organization.models import Unit
from soihtu.successes.models import Success

STORY_EXCERPT = 300  # characters
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


@dataclass
class Section:
    heading: str
    facts: list[tuple[str, str]]
    empty: str = ""


@dataclass
class Message:
    event: str
    title: str
    text: str
    url: str
    url_label: str
    team: Unit
    sections: list[Section] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


def absolute(path: str) -> str:
    """A link that works outside Soihtu: SOIHTU_BASE_URL in front of the path."""
    return str(getattr(settings, "SOIHTU_BASE_URL", "")).rstrip("/") + path


def _percent(value: int) -> str:
    return _("%(percent)d %%") % {"percent": value}


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _team_data(team: Unit) -> dict[str, Any]:
    return {"id": team.pk, "name": team.name, "url": absolute(reverse("okrs:unit", args=[team.pk]))}


# Teams renders a Markdown subset in TextBlock texts and facts (bold, italic, links, lists)
# and {{DATE(…)}} functions: a backslash makes each of these characters plain text.
_INLINE_MARKUP = re.compile(r"([\\`*_~\[\]{}])")
# At the start of a line these make a list, a heading, a table or a heading underline (a
# quote's ">" is already "&gt;" by then).
_LINE_MARKUP = re.compile(r"^([ \t]*)([-+#=|])", re.MULTILINE)
_NUMBERED = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
# Teams makes links of addresses even without Markdown (https://…, www.…, a name like
# evil.example, an e-mail address). A backslash does not stop that, so the text is changed
# where nobody sees it: a zero-width space splits every "//", and a dot between a word and a
# letter becomes the one-dot leader (U+2024), which looks the same but is no domain dot.
_DOMAIN_DOT = re.compile(r"(?<=\w)\.(?=[^\W\d_])")


def teams_text(value: str) -> str:
    """Text for a Teams card that shows as written: never a link, formatting, a list or HTML.

    Every text of a card goes through this; generic webhooks get the plain text instead."""
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_MARKUP.sub(r"\\\1", text)
    text = _LINE_MARKUP.sub(r"\1\\\2", text)
    text = _NUMBERED.sub(r"\1\\\2", text)
    return _DOMAIN_DOT.sub("\u2024", text.replace("//", "/\u200b/"))


def teams_card(message: Message) -> dict[str, Any]:
    """The message as an Adaptive Card in the envelope Teams webhooks take; every text in it
    is plain text (`teams_text`)."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": teams_text(message.title),
            "weight": "Bolder",
            "size": "Medium",
        },
    ]
    if message.text:
        body.append({"type": "TextBlock", "text": teams_text(message.text)})
    for section in message.sections:
        body.append(
            {
                "type": "TextBlock",
                "text": teams_text(section.heading),
                "weight": "Bolder",
                "spacing": "Medium",
            }
        )
        if section.facts:
            facts = [
                {"title": teams_text(title), "value": teams_text(value)}
                for title, value in section.facts
            ]
            body.append({"type": "FactSet", "facts": facts})
        else:
            body.append({"type": "TextBlock", "text": teams_text(section.empty), "isSubtle": True})
    for block in body:
        if block["type"] == "TextBlock":
            block["wrap"] = True
    content = {
        "$schema": CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": message.url_label, "url": message.url}],
    }
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": content}],
    }


def generic_json(message: Message, language: str) -> dict[str, Any]:
    """The message as documented plain JSON."""
    return {
        "event": message.event,
        "language": language,
        "title": message.title,
        "text": message.text,
        "url": message.url,
        "team": _team_data(message.team),
        **message.data,
    }


def shape(webhook: TeamWebhook, message: Message) -> dict[str, Any]:
    if webhook.kind == TeamWebhook.Kind.TEAMS:
        return teams_card(message)
    return generic_json(message, webhook.language)


def success_message(success: Success) -> Message:
    """A success the team shared: its title, the team, the start of the story and a link."""
    url = absolute(reverse("successes:detail", args=[success.pk]))
    excerpt = Truncator(success.story).chars(STORY_EXCERPT)
    return Message(
        event=Delivery.Event.SUCCESS,
        title=_("Success: %(title)s") % {"title": success.title},
        text=_("Team %(team)s shared a success.") % {"team": success.team.name} + "\n\n" + excerpt,
        url=url,
        url_label=_("Read it and thank the team"),
        team=success.team,
        data={
            "success": {
                "id": success.pk,
                "title": success.title,
                "story": excerpt,
                "url": url,
                "shared_at": success.created_at.isoformat(),
            }
        },
    )


def _kr_data(kr: KeyResult) -> dict[str, Any]:
    return {
        "id": kr.pk,
        "title": kr.title,
        "objective_id": kr.objective_id,
        "progress_percent": kr.percent,
        "last_checkin_at": kr.last_checkin_at.isoformat() if kr.last_checkin_at else None,
    }


def _last_checkin(kr: KeyResult) -> str:
    if kr.last_checkin_at is None:
        return _("no check-in yet")
    return _("last check-in %(date)s") % {"date": _date(timezone.localdate(kr.last_checkin_at))}


def _summary_sections(summary: TeamSummary) -> list[Section]:
    checked = [
        (
            c.key_result.title,
            _("%(progress)s, confidence %(confidence)d/10")
            % {"progress": _percent(c.key_result.percent), "confidence": c.latest.confidence},
        )
        for c in summary.checked_in
    ]
    return [
        Section(
            _("Objectives"),
            [(o.title, _percent(o.progress_percent)) for o in summary.objectives],
        ),
        Section(_("Checked in during the period"), checked, _("No check-ins during the period.")),
        Section(
            _("Waiting for a check-in"),
            [(kr.title, _last_checkin(kr)) for kr in summary.due],
            _("None."),
        ),
        Section(
            _("Stale key results"),
            [(kr.title, _last_checkin(kr)) for kr in summary.stale],
            _("None."),
        ),
    ]


def summary_message(summary: TeamSummary) -> Message:
    """The team's check-in summary of one cadence period."""
    period = summary.period
    first = timezone.localdate(period.starts_at)
    last = timezone.localdate(period.ends_at) - datetime.timedelta(days=1)
    team = summary.team
    return Message(
        event=Delivery.Event.CHECKIN_SUMMARY,
        title=_("Check-in summary: %(team)s") % {"team": team.name},
        text=_("%(cycle)s, %(first)s–%(last)s")
        % {"cycle": period.cycle, "first": _date(first), "last": _date(last)},
        url=absolute(reverse("followup:meeting", args=[team.pk])),
        url_label=_("Open the follow-up meeting page"),
        team=team,
        sections=_summary_sections(summary),
        data={
            "cycle": {"id": period.cycle.pk, "name": str(period.cycle)},
            "period": {"starts_on": first.isoformat(), "ends_on": last.isoformat()},
            "objectives": [
                {
                    "id": o.pk,
                    "title": o.title,
                    "progress_percent": o.progress_percent,
                    "url": absolute(reverse("okrs:objective", args=[o.pk])),
                }
                for o in summary.objectives
            ],
            "checked_in": [
                {**_kr_data(c.key_result), "confidence": c.latest.confidence, "checkins": c.count}
                for c in summary.checked_in
            ],
            "due": [_kr_data(kr) for kr in summary.due],
            "stale": [_kr_data(kr) for kr in summary.stale],
        },
    )


def ping_message(team: Unit) -> Message:
    """A message that only says the webhook works."""
    return Message(
        event=Delivery.Event.TEST,
        title=_("Test message from Soihtu"),
        text=_("The webhook works: messages about team %(team)s come here.") % {"team": team.name},
        url=absolute(reverse("okrs:unit", args=[team.pk])),
        url_label=_("Open the team's page"),
        team=team,
    )


def render(webhook: TeamWebhook, build: Callable[[], Message]) -> dict[str, Any]:
    """The message `build` makes, in the webhook's language, shaped for the webhook."""
    with translation.override(webhook.language):
        return shape(webhook, build())
