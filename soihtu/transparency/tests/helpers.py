"""Shared by the transparency tests: publishing the page of the `world` organization."""

from __future__ import annotations

from soihtu.conftest import World
from soihtu.organization.models import OrganizationSettings


def publish(world: World) -> None:
    """Publish the page with the world's organization objective marked public."""
    OrganizationSettings.objects.update(transparency_enabled=True)
    world.org_objective.is_public = True
    world.org_objective.save(update_fields=["is_public"])
