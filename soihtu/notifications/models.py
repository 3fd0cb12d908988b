"""Notifications: a team's incoming webhooks (Microsoft Teams or any endpoint that takes JSON) and
the deliveries posted to them; and each person's own notifications inside Soihtu (the bell), their
choice of channel per kind, and the daily digest log (docs/notifications.md)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from soihtu.organization.models import Unit

URL_MAX = 2000


class Problem(models.TextChoices):
    """Why an attempt failed. Stored as a code, so that each reader sees it in their language."""

    TIMEOUT = "timeout", _("The webhook did not answer in time.")
    CONNECTION = "connection", _("Could not connect to the webhook.")
    HTTP_STATUS = "http_status", _("The webhook refused the message.")
    ADDRESS = "address", _("The address points inside this network, which is not allowed.")
    HOST_NOT_FOUND = "host_not_found", _("The webhook's host name was not found.")
    DISABLED = "disabled", _("The webhook was turned off before the message went out.")
    OTHER = "other", _("Sending failed.")


def mask_url(url: str) -> str:
    """The URL with everything after the host hidden but its last four characters: Teams
    webhook URLs carry their key in the path, so the full URL is a secret."""
    parts = urlsplit(url)
    rest = url[len(f"{parts.scheme}://{parts.netloc}") :]
    tail = rest[-4:] if len(rest) > 8 else ""
    return f"{parts.scheme}://{parts.netloc}/…{tail}"


class TeamWebhook(models.Model):
    """Where a team's check-in summaries and successes are posted. The URL and the secret are
    write-only: pages and the audit trail show the URL masked and the secret never."""

    class Kind(models.TextChoices):
        TEAMS = "teams", _("Microsoft Teams")
        GENERIC = "generic", _("generic webhook (JSON)")

    unit = models.ForeignKey(
        Unit, verbose_name=_("team"), on_delete=models.CASCADE, related_name="webhooks"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAMS)
    url = models.URLField(_("webhook address"), max_length=URL_MAX)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("Generic webhooks only: signs each message (X-Soihtu-Signature)."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fi"
    )
    send_checkin_summary = models.BooleanField(_("check-in summary"), default=True)
    send_successes = models.BooleanField(_("successes"), default=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"), max_length=20, choices=Problem.choices, blank=True
    )
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)

    class Meta:
        verbose_name = _("team webhook")
        verbose_name_plural = _("team webhooks")
        ordering = ["unit_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["teams", "generic"]), name="webhook_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="webhook_url_http",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}: {self.get_kind_display()} {self.masked_url}"

    @property
    def masked_url(self) -> str:
        return mask_url(self.url)

    @property
    def is_failing(self) -> bool:
        """The last attempt failed (no success since)."""
        return self.last_failure_at is not None and (
            self.last_success_at is None or self.last_failure_at > self.last_success_at
        )


class Delivery(models.Model):
    """One message to one webhook. Created in the transaction of the event it tells about, posted
    later by a background task; retried with backoff until MAX_ATTEMPTS, then failed."""

    class Event(models.TextChoices):
        CHECKIN_SUMMARY = "checkin_summary", _("check-in summary")
        SUCCESS = "success", _("success")
        TEST = "test", _("test message")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("delivered")
        FAILED = "failed", _("failed")

    webhook = models.ForeignKey(
        TeamWebhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    # What makes the message unique for its webhook: "success:<id>", or the cadence period of a
    # check-in summary; empty for test messages, which may repeat.
    key = models.CharField(max_length=100, blank=True)
    payload = models.JSONField(_("message"))
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"), max_length=20, choices=Problem.choices, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event", "key"],
                condition=~Q(key=""),
                name="delivery_once_per_key",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sent", "failed"]), name="delivery_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} #{self.pk}"


class Notification(models.Model):
    """Something that happened that one person should know, shown under the bell in the header.

    Written by the service that causes the event, in the same transaction. It keeps the event's
    code and the name of what it is about as they were, so each reader sees it in their own
    language; it never ranks or compares people. `email_state` says whether it also goes out by
    email: at once (PENDING, sent by the scheduler within minutes) or in the person's daily
    digest (DIGEST); SENT once it has gone out.
    """

    class Kind(models.TextChoices):
        """What a person chooses a channel for (NotificationPreference)."""

        MENTION = "mention", _("Someone mentioned me")
        REPLY = "reply", _("Replies to my comments")
        PROPOSAL = "proposal", _("My proposals were decided")
        SUCCESS = "success", _("My team was thanked for a success")
        KEY_RESULT = "key_result", _("My key results are due or stale")
        RETROSPECTIVE = "retrospective", _("My team's retrospective opened")
        SURVEY = "survey", _("A survey round I may answer opened")
        IDEA = "idea", _("An idea I recorded moved")

    class Event(models.TextChoices):
        """What happened; each event belongs to one kind (EVENT_KIND)."""

        MENTIONED = "mentioned", _("mentioned you")
        REPLIED = "replied", _("replied to you")
        PROPOSAL_ACCEPTED = "proposal_accepted", _("proposal accepted")
        PROPOSAL_MERGED = "proposal_merged", _("proposal merged")
        PROPOSAL_DECLINED = "proposal_declined", _("proposal declined")
        SUCCESS_THANKED = "success_thanked", _("team thanked")
        KEY_RESULT_DUE = "key_result_due", _("key result due")
        KEY_RESULT_STALE = "key_result_stale", _("key result stale")
        RETROSPECTIVE_OPENED = "retrospective_opened", _("retrospective opened")
        SURVEY_OPENED = "survey_opened", _("survey round opened")
        IDEA_MOVED = "idea_moved", _("idea moved")

    class EmailState(models.TextChoices):
        NONE = "", _("not emailed")
        PENDING = "pending", _("to be emailed")
        DIGEST = "digest", _("in the next digest")
        SENT = "sent", _("emailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name of what the event is about (an objective's title, a team's name) as it was, and
    # where to read it; `detail` is a short excerpt (a comment's first words), or empty.
    subject = models.CharField(_("about"), max_length=300)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("email"), max_length=10, choices=EmailState.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell: one count over this person's unread rows.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # The page: newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            # The scheduler: what is still to be emailed.
            models.Index(
                fields=["email_state", "recipient"],
                condition=Q(email_state__in=["pending", "digest"]),
                name="notification_email_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"

    @property
    def kind(self) -> str:
        return EVENT_KIND[self.event]

    @property
    def sentence(self) -> str:
        """What happened, as one sentence in the active language (select the actor)."""
        actor = self.actor.display_name if self.actor_id and self.actor else _("Someone")
        detail = self.detail
        if label := DETAIL_LABELS.get(self.event):
            # A code (an idea's new state), read in each reader's language.
            detail = label(detail)
        return str(SENTENCES[self.event]) % {
            "actor": actor,
            "subject": self.subject,
            "detail": detail,
        }

    @property
    def excerpt(self) -> str:
        """The detail shown under the sentence, unless the sentence already says it."""
        return "" if self.event in DETAIL_IN_SENTENCE else self.detail


# How an event's stored `detail` code reads in the reader's language: registered by the app that
# owns the codes (the ideas app, for an idea's state, in its AppConfig.ready), so that
# notifications know no domain.
DETAIL_LABELS: dict[str, Callable[[str], str]] = {}


def detail_label_register(event: str, label: Callable[[str], str]) -> None:
    """Show the `detail` of `event`'s notifications through `label` (code → text)."""
    DETAIL_LABELS[event] = label


EVENT_KIND: dict[str, str] = {
    Notification.Event.MENTIONED: Notification.Kind.MENTION,
    Notification.Event.REPLIED: Notification.Kind.REPLY,
    Notification.Event.PROPOSAL_ACCEPTED: Notification.Kind.PROPOSAL,
    Notification.Event.PROPOSAL_MERGED: Notification.Kind.PROPOSAL,
    Notification.Event.PROPOSAL_DECLINED: Notification.Kind.PROPOSAL,
    Notification.Event.SUCCESS_THANKED: Notification.Kind.SUCCESS,
    Notification.Event.KEY_RESULT_DUE: Notification.Kind.KEY_RESULT,
    Notification.Event.KEY_RESULT_STALE: Notification.Kind.KEY_RESULT,
    Notification.Event.RETROSPECTIVE_OPENED: Notification.Kind.RETROSPECTIVE,
    Notification.Event.SURVEY_OPENED: Notification.Kind.SURVEY,
    Notification.Event.IDEA_MOVED: Notification.Kind.IDEA,
}


# One sentence per event, in the reader's language: %(actor)s is who caused it, %(subject)s
# the name of what it is about, %(detail)s the detail (only where DETAIL_IN_SENTENCE).
SENTENCES: dict[str, Promise] = {
    Notification.Event.MENTIONED: _("%(actor)s mentioned you in a comment on “%(subject)s”"),
    Notification.Event.REPLIED: _("%(actor)s replied to your comment on “%(subject)s”"),
    Notification.Event.PROPOSAL_ACCEPTED: _("Your proposal “%(subject)s” was accepted"),
    Notification.Event.PROPOSAL_MERGED: _(
        "Your proposal “%(subject)s” was merged into the proposal “%(detail)s”"
    ),
    Notification.Event.PROPOSAL_DECLINED: _("Your proposal “%(subject)s” was declined"),
    Notification.Event.SUCCESS_THANKED: _("Your team was thanked for the success “%(subject)s”"),
    Notification.Event.KEY_RESULT_DUE: _("The key result “%(subject)s” waits for your check-in"),
    Notification.Event.KEY_RESULT_STALE: _(
        "Key results of the team %(subject)s have not been checked in for two cadences"
    ),
    Notification.Event.RETROSPECTIVE_OPENED: _("The retrospective of the team %(subject)s is open"),
    Notification.Event.SURVEY_OPENED: _("The survey round “%(subject)s” is open for your answer"),
    Notification.Event.IDEA_MOVED: _("The idea “%(subject)s” was marked %(detail)s"),
}
DETAIL_IN_SENTENCE = frozenset({Notification.Event.PROPOSAL_MERGED, Notification.Event.IDEA_MOVED})


class NotificationPreference(models.Model):
    """How one person wants one kind of notification. Without a row, DEFAULT_CHANNEL applies."""

    class Channel(models.TextChoices):
        APP = "app", _("In Soihtu")
        EMAIL = "email", _("In Soihtu and by email")
        DIGEST = "digest", _("In Soihtu and in a daily email digest")
        OFF = "off", _("Off")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Notification.Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


# Nobody is flooded by default: everything shows in Soihtu, and only being mentioned or
# answered also arrives by email, once a day at most. Key results are the exception: their
# email is the check-in reminder, which `User.reminders_enabled` has always switched, and which
# is on by default; for a person who has turned reminders off the default is APP
# (default_channel). A row is stored only where a person's choice differs from the default.
DEFAULT_CHANNEL: dict[str, str] = dict.fromkeys(
    Notification.Kind.values, str(NotificationPreference.Channel.APP)
) | {
    Notification.Kind.MENTION: NotificationPreference.Channel.DIGEST,
    Notification.Kind.REPLY: NotificationPreference.Channel.DIGEST,
    Notification.Kind.KEY_RESULT: NotificationPreference.Channel.EMAIL,
}

# The channels a person may choose per kind. A survey round's invitation is emailed by the
# survey itself (to everyone in its audience), so its notification is in Soihtu or off.
KIND_CHANNELS: dict[str, list[str]] = {
    kind: list(NotificationPreference.Channel.values) for kind in Notification.Kind.values
} | {
    Notification.Kind.SURVEY: [
        NotificationPreference.Channel.APP,
        NotificationPreference.Channel.OFF,
    ],
}


def default_channel(kind: str, *, reminders_enabled: bool) -> str:
    """The channel of a kind for a person without a row of their own."""
    if kind == Notification.Kind.KEY_RESULT and not reminders_enabled:
        return NotificationPreference.Channel.APP
    return DEFAULT_CHANNEL[kind]


class DigestLog(models.Model):
    """One daily digest claimed for one person: the unique day is the claim, so two schedulers
    never send the same digest twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    notifications = models.PositiveIntegerField(_("notifications"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
