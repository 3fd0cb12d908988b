"""API tokens: exported as metadata (never the hash), and a leaver's tokens are deleted when they
are anonymized, while a token they only revoked stays with its creator."""

from __future__ import annotations

import json

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from soihtu.accounts.models import User
from soihtu.conftest import World, client_for
from soihtu.privacy.tests.builders import build, leave


def token(created_by: User, name: str, **extra: object) -> models.Model:
    model = apps.get_model("api", "ApiToken")
    row: models.Model = model._default_manager.create(
        kind="personal",
        name=name,
        created_by=created_by,
        prefix=f"sk_{name[:6]}",
        secret_hash=f"{abs(hash(name)):064d}"[:64],
        **extra,
    )
    return row


def test_tokens_are_exported_without_their_hash(world: World) -> None:
    built = build(world)
    mine = token(built.person, "Oma raportointi")
    response = client_for(world.admin).get(reverse("privacy:export", args=[built.person.pk]))
    body = response.content.decode()
    rows = json.loads(body)["records"]["api.apitoken"]["rows"]
    assert [(r["name"], r["prefix"]) for r in rows] == [("Oma raportointi", "sk_Oma ra")]
    assert "secret_hash" not in rows[0]
    assert mine.secret_hash not in body  # type: ignore[attr-defined]


def test_anonymizing_deletes_the_persons_tokens_only(world: World) -> None:
    built = build(world)
    token(built.person, "Oma")
    theirs = token(world.admin, "Palvelu", revoked_by=built.person, revoked_at=timezone.now())
    leave(built.person)
    client_for(world.admin).post(
        reverse("privacy:anonymize", args=[built.person.pk]), {"confirm": "on"}
    )
    model = apps.get_model("api", "ApiToken")
    assert list(model._default_manager.values_list("pk", flat=True)) == [theirs.pk]
