"""The upload, mapping and preview pages do the same number of queries for a file ten times
longer with ten times as many people, units and objectives, and at most 15."""

from __future__ import annotations

from django.urls import reverse

from soihtu.conftest import World, client_for, make_user
from soihtu.core.tests.queries import assert_constant_and_few, page_query_counts
from soihtu.organization.models import Unit
from soihtu.organization.services import unit_create
from soihtu.vivagoals.models import VivaUpload
from soihtu.vivagoals.plan import build_plan
from soihtu.vivagoals.tests.uploads import an_upload

HEADER = "ID,Title,Type,Parent ID,Owner,Team,Time period,Start,Target,Current,Status"


def a_file(world: World, size: int, start: int) -> str:
    """`size` teams with a person each, and per team an objective with two key results."""
    rows = [HEADER, f"{start},Ylin tavoite {start},Objective,,,Org,FY26,,,,On track"]
    for i in range(start + 1, start + size + 1):
        team = unit_create(name=f"Tiimi {i}", kind=Unit.Kind.TEAM, parent=world.unit_a)
        person = make_user(f"person_{i}")
        rows += [
            f"o{i},Tavoite {i},Objective,{start},,{team.name},Q4 2026,,,,On track",
            f"k{i},Mittari {i},Key Result,o{i},{person.email},,,0,10,4,At risk",
            f"m{i},Virstanpylväs {i},Key Result,o{i},nobody{i}@example.org,,,,,1,Completed",
        ]
    return "\n".join(rows) + "\n"


def counts(world: World, size: int, start: int) -> dict[str, int]:
    upload = an_upload(world, f"size-{size}.csv", content=a_file(world, size, start))
    VivaUpload.objects.exclude(pk=upload.pk).delete()
    plan = build_plan(upload)
    owned = [k for o in plan.objectives for k in o.key_results if k.owner is not None]
    assert (len(plan.objectives), len(owned), plan.link_count) == (size + 1, size, size)
    return page_query_counts(
        client_for(world.admin),
        {
            "upload": reverse("vivagoals:upload"),
            "mapping": reverse("vivagoals:mapping", args=[upload.pk]),
            "preview": reverse("vivagoals:preview", args=[upload.pk]),
        },
    )


def test_pages_do_a_constant_number_of_queries(world: World) -> None:
    small = counts(world, 3, 1000)
    large = counts(world, 30, 2000)
    assert_constant_and_few(small, large)
    assert large["preview"] > large["upload"]  # the preview reads units, people, objectives
