"""Writes of the accessibility statement (audited) and of the feedback given on it (stored,
then emailed to the OKR office)."""

from __future__ import annotations

import datetime
import logging
import math
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record, snapshot
from soihtu.core.models import AccessibilityFeedback, AccessibilityStatement
from soihtu.core.selectors import accessibility_statement, feedback_recipients

logger = logging.getLogger(__name__)

STATEMENT_FIELDS = [
    "organization_name",
    "conformance",
    "assessed_on",
    "assessment_fi",
    "assessment_sv",
    "assessment_en",
    "non_conforming_fi",
    "non_conforming_sv",
    "non_conforming_en",
    "feedback_email",
    "authority_fi",
    "authority_sv",
    "authority_en",
]
FEEDBACK_WINDOW = datetime.timedelta(hours=1)


@transaction.atomic
def accessibility_statement_update(
    *, actor: User, values: dict[str, Any]
) -> AccessibilityStatement:
    """Save the statement with `values` (every name in STATEMENT_FIELDS). The first save makes
    the one row from the defaults and is recorded as a creation with every field; later saves
    record only the fields that changed, and a save that changes nothing writes nothing."""
    statement, created = AccessibilityStatement.objects.select_for_update().get_or_create(
        pk=AccessibilityStatement.SINGLE_ID
    )
    changed = [name for name in STATEMENT_FIELDS if getattr(statement, name) != values[name]]
    if not changed and not created:
        return statement
    before = None if created else snapshot(statement, changed)
    for name in changed:
        setattr(statement, name, values[name])
    statement.updated_at = timezone.now()
    statement.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        instance=statement,
        before=before,
        after=snapshot(statement, STATEMENT_FIELDS if created else changed),
    )
    return statement


class FeedbackLimitReachedError(Exception):
    """Too much feedback from one client address, or from everyone, within the hour."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes

    def message(self) -> str:
        """What the page says, in the person's language."""
        return ngettext(
            "Too many messages have been sent in a short time. Your message was not sent: "
            "try again in %(minutes)d minute.",
            "Too many messages have been sent in a short time. Your message was not sent: "
            "try again in %(minutes)d minutes.",
            self.minutes,
        ) % {"minutes": self.minutes}


def _sender_key(address: str | None) -> str:
    """A keyed hash of the client address: it counts one sender's messages, and the address
    itself is not kept. Unknown addresses share one key."""
    key = "soihtu.core.accessibility-feedback"
    return salted_hmac(key, address or "", algorithm="sha256").hexdigest()


def _wait_minutes(sent: list[datetime.datetime], limit: int, now: datetime.datetime) -> int:
    """Minutes until fewer than `limit` of the `sent` times (newest first) are in the window."""
    if len(sent) < limit:
        return 0
    frees_at = sent[limit - 1] + FEEDBACK_WINDOW
    return max(1, math.ceil((frees_at - now).total_seconds() / 60))


def _refuse_over_limit(sender_key: str, now: datetime.datetime) -> None:
    """Raise FeedbackLimitReachedError when the sender has sent
    SOIHTU_ACCESSIBILITY_FEEDBACK_PER_ADDRESS messages within the hour, or everyone together
    SOIHTU_ACCESSIBILITY_FEEDBACK_PER_HOUR: the OKR office's inbox cannot be flooded."""
    recent = AccessibilityFeedback.objects.filter(created_at__gt=now - FEEDBACK_WINDOW)
    per_address = int(settings.SOIHTU_ACCESSIBILITY_FEEDBACK_PER_ADDRESS)
    per_hour = int(settings.SOIHTU_ACCESSIBILITY_FEEDBACK_PER_HOUR)
    mine = recent.filter(sender_key=sender_key).order_by("-created_at")
    everyone = recent.order_by("-created_at")
    wait = max(
        _wait_minutes(
            list(mine.values_list("created_at", flat=True)[:per_address]), per_address, now
        ),
        _wait_minutes(
            list(everyone.values_list("created_at", flat=True)[:per_hour]), per_hour, now
        ),
    )
    if wait:
        raise FeedbackLimitReachedError(wait)


def accessibility_feedback_submit(
    *,
    message: str,
    page_address: str,
    name: str,
    email: str,
    language: str,
    client_address: str | None,
    now: datetime.datetime,
) -> AccessibilityFeedback:
    """Store feedback on accessibility and email it to the OKR office (the statement's feedback
    address, else the org admins). Raises FeedbackLimitReachedError, storing nothing, when its
    sender or everyone has sent too much within the hour. A failed email is logged and leaves
    `emailed_at` empty: the feedback stays in the admin site."""
    sender_key = _sender_key(client_address)
    with transaction.atomic():
        _refuse_over_limit(sender_key, now)
        feedback = AccessibilityFeedback.objects.create(
            created_at=now,
            message=message,
            page_address=page_address,
            name=name,
            email=email,
            language=language,
            sender_key=sender_key,
        )
    if _feedback_email(feedback):
        feedback.emailed_at = timezone.now()
        AccessibilityFeedback.objects.filter(pk=feedback.pk).update(emailed_at=feedback.emailed_at)
    return feedback


def _feedback_email(feedback: AccessibilityFeedback) -> bool:
    """Email the feedback to its recipients; whether it was sent."""
    recipients = feedback_recipients(accessibility_statement())
    if not recipients:
        logger.warning("Accessibility feedback %s: nobody to email it to", feedback.pk)
        return False
    # In the organization's language: the address may be a shared inbox.
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=_("Feedback on accessibility"),
            body=_feedback_body(feedback),
            to=recipients,
            reply_to=[feedback.email] if feedback.email else None,
        )
    try:
        message.send()
    except OSError:  # smtplib's errors included
        logger.exception("Accessibility feedback %s could not be emailed", feedback.pk)
        return False
    return True


def _feedback_body(feedback: AccessibilityFeedback) -> str:
    admin_url = settings.SOIHTU_BASE_URL.rstrip("/") + reverse(
        "admin:core_accessibilityfeedback_change", args=[feedback.pk]
    )
    lines = [
        _("Feedback on accessibility was sent through the accessibility statement."),
        _("Answer within 14 days if the sender gave an email address."),
        "",
        feedback.message,
        "",
        _("Page or feature: %(page)s") % {"page": feedback.page_address or "—"},
        _("Name: %(name)s") % {"name": feedback.name or "—"},
        _("Email address: %(email)s") % {"email": feedback.email or "—"},
        _("Language: %(language)s") % {"language": feedback.language},
        _("In the admin site: %(url)s") % {"url": admin_url},
    ]
    return "\n".join(lines)
