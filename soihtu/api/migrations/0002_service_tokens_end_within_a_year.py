"""Every service token gets a last day, so that the next migration can require one.

A token without one expires when the day a year (365 days) after its creation begins: the rule
new service tokens follow. A token already older than that would stop working the moment this
is deployed and break its integration without warning, so it gets a month from now instead:
long enough for the OKR office to see the date on the API tokens page and replace the token,
short enough not to give a years-old, possibly forgotten token another year.

Service tokens whose creator is no longer an active org admin are revoked: from now on they
answer 401 anyway (soihtu.api.access), and revoked they cannot come back should the person get
the role again. Both changes are written to the audit trail without an actor.
"""

import datetime

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

TOKEN_DAYS = 365  # soihtu.api.models.SERVICE_TOKEN_DAYS when this was written
GRACE_DAYS = 30


def _start_of_day(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(moment), datetime.time())
    )


def _audit(apps, token, before, after):
    apps.get_model("audit", "AuditEvent").objects.create(
        actor=None,
        action="update",
        target_type="apitoken",
        target_id=token.pk,
        target_repr=token.name[:255],
        before=before,
        after=after,
    )


def _give_expiry(apps, now):
    ApiToken = apps.get_model("api", "ApiToken")
    grace_end = _start_of_day(now + datetime.timedelta(days=GRACE_DAYS + 1))
    for token in ApiToken.objects.filter(kind="service", expires_at__isnull=True):
        year_end = _start_of_day(token.created_at + datetime.timedelta(days=TOKEN_DAYS))
        token.expires_at = max(year_end, grace_end)
        token.save(update_fields=["expires_at"])
        _audit(apps, token, {"expires_at": None}, {"expires_at": token.expires_at.isoformat()})


def _revoke_unanswered(apps, now):
    ApiToken = apps.get_model("api", "ApiToken")
    unanswered = ApiToken.objects.filter(kind="service", revoked_at__isnull=True).filter(
        Q(created_by__is_org_admin=False)
        | Q(created_by__is_active=False)
        | Q(created_by__anonymized_at__isnull=False)
    )
    for token in unanswered:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        _audit(apps, token, {"revoked_at": None}, {"revoked_at": now.isoformat()})


def forwards(apps, schema_editor):
    now = timezone.now()
    _give_expiry(apps, now)
    _revoke_unanswered(apps, now)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_tokens_idempotency_rate_limits"),
        ("audit", "0001_initial"),
        ("accounts", "0003_user_employee_id_anonymized"),
    ]

    # Backwards leaves the tokens as they are: a last day and a revocation are safe to keep.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
