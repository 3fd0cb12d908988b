"""One whole cycle of a team's practice in a real browser, with simulated time.

Planning opens; two members propose and a third supports; the torchbearer accepts one proposal
and declines the other with a reason; the cycle is activated; check-ins happen; a key result
goes stale and its owner gets exactly one reminder, and running the scheduler again sends
nothing more; the cycle enters review; the retrospective is completed with a learning; a
member of another team finds the learning by search; a success is shared and thanked; an idea
moves to adopted.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

from soihtu.conftest import HELSINKI, World, make_user
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)
from soihtu.cycles.models import Cycle, TeamCycle, Year
from soihtu.ideas.models import Idea
from soihtu.learning.models import Learning
from soihtu.okrs.models import KeyResult, Objective
from soihtu.organization.models import Membership
from soihtu.planning.models import Proposal
from soihtu.successes.models import Thanks

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ACCEPTED = "Asiakkaat saavat vastauksen päivässä"
DECLINED = "Uusi intranet tiimille"
REASON = "Ei mahdu tähän jaksoon."
LEARNED = "Takaisinsoittolupaus vähensi uudelleen soittamista"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


def propose(page: Page, url: str, title: str) -> None:
    page.goto(url)
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Your proposal is saved")


def test_one_whole_cycle(live_world: World, browsing: Browsing) -> None:
    world = live_world
    proposer, supporter = make_user("proposer_a"), make_user("supporter_a")
    for user in (proposer, supporter):
        Membership.objects.create(user=user, unit=world.team_a)  # team A: 5 members
    year = Year.objects.create(
        number=2027, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )
    t1 = Cycle.objects.create(
        year=year,
        name="T1",
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 4, 30),
    )
    planning_url = f"/teams/{world.team_a.pk}/planning/{t1.pk}/"

    with time_machine.travel(at(datetime.date(2026, 12, 10)), tick=True) as clock:
        # Planning of the next cycle opens; the team proposes and supports.
        leader = browsing.open(world.torchbearer, "en")
        leader.goto(planning_url)
        leader.get_by_role("button", name="Open planning").click()
        expect(leader.get_by_role("status")).to_contain_text("Planning is open")
        propose(browsing.open(world.member, "en"), planning_url, ACCEPTED)
        propose(browsing.open(proposer, "en"), planning_url, DECLINED)
        accepted = Proposal.objects.get(title=ACCEPTED)
        declined = Proposal.objects.get(title=DECLINED)
        page = browsing.open(supporter, "en")
        page.goto(planning_url)
        card = page.locator(f"#proposal-{accepted.pk}")
        card.get_by_role("button", name=re.compile(f"^Support.*{ACCEPTED}")).click()
        expect(card.locator(".support")).to_contain_text("1 support")

        # The torchbearer accepts one and declines the other with a reason.
        leader.goto(planning_url)
        card = leader.locator(f"#proposal-{accepted.pk}")
        card.locator("summary", has_text="Accept").click()
        card.get_by_role("button", name="Accept proposal").click()
        expect(leader.get_by_role("status")).to_contain_text("Proposal accepted")
        card = leader.locator(f"#proposal-{declined.pk}")
        card.locator("summary", has_text="Decline").click()
        card.get_by_label("Reason the team can read").fill(REASON)
        card.get_by_role("button", name="Decline proposal").click()
        expect(leader.locator(f"#proposal-{declined.pk}")).to_contain_text(REASON)
        expect(leader.get_by_text("3 of 5 members took part (60 %)")).to_be_visible()

        # January: the OKR office starts the cycle, the team activates its own.
        clock.move_to(at(datetime.date(2027, 1, 4)))
        Cycle.objects.filter(pk=world.cycle.pk).update(state=Cycle.State.CLOSED)
        Cycle.objects.filter(pk=t1.pk).update(state=Cycle.State.ACTIVE)
        leader = browsing.open(world.torchbearer, "en")
        leader.goto(planning_url)
        leader.get_by_role("button", name="Activate the cycle").click()
        expect(leader.get_by_role("status")).to_contain_text("The cycle is active")
        objective = Objective.objects.get(title=ACCEPTED)
        assert objective.status == Objective.Status.ACTIVE
        assert TeamCycle.objects.get(team=world.team_a, cycle=t1).state == Cycle.State.ACTIVE

        # The torchbearer adds a key result owned by the member, who checks in.
        leader.goto(f"/objectives/{objective.pk}/key-results/new/")
        leader.get_by_label("Title").fill("Vastattu päivässä, %")
        leader.get_by_label("Start value").fill("40")
        leader.get_by_label("Target value or threshold").fill("80")
        leader.get_by_label("Owner").select_option(str(world.member.pk))
        leader.get_by_role("button", name="Save").click()
        expect(leader.get_by_role("status")).to_contain_text("Key result saved.")
        key_result = KeyResult.objects.get(objective=objective)
        member = browsing.open(world.member, "en")
        member.goto(f"/units/{world.team_a.pk}/")
        row = member.locator(f"#kr-{key_result.pk}")
        row.get_by_text("Record a check-in").click()
        row.get_by_label("New value").fill("48")
        row.get_by_role("button", name="Save check-in").click()
        expect(row.locator(".progress-text")).to_have_text("20 %")

        # Five weeks without a check-in: stale, and exactly one reminder to its owner.
        clock.move_to(at(datetime.date(2027, 2, 11)))
        mail.outbox.clear()
        call_command("followup_schedule", verbosity=0)
        to_owner = [m for m in mail.outbox if world.member.email in m.to]
        assert len(to_owner) == 1
        assert key_result.title in to_owner[0].body
        sent = len(mail.outbox)
        call_command("followup_schedule", verbosity=0)
        assert len(mail.outbox) == sent
        member = browsing.open(world.member, "en")
        member.goto(f"/units/{world.team_a.pk}/")
        expect(member.locator(f"#kr-{key_result.pk} .badge")).to_have_text("Stale")

        # The end of the cycle: the retrospective, completed with a learning.
        clock.move_to(at(datetime.date(2027, 4, 24)))
        leader = browsing.open(world.torchbearer, "en")
        leader.goto(f"/teams/{world.team_a.pk}/retrospective/{t1.pk}/")
        leader.get_by_role("button", name="Start the retrospective").click()
        card = leader.locator(f"#objective-{objective.pk}")
        card.get_by_role("radio", name="partly reached").check()
        card.get_by_label("Why?").fill("Kokeilu alkoi vasta helmikuussa")
        card.get_by_label("What we learned").fill(LEARNED)
        card.get_by_role("button", name="Save").click()
        expect(leader.get_by_role("status")).to_contain_text("Changes saved.")
        leader.get_by_role("button", name="Complete the retrospective").click()
        expect(leader.get_by_role("status")).to_contain_text("The retrospective is complete.")
        assert TeamCycle.objects.get(team=world.team_a, cycle=t1).state == Cycle.State.CLOSED
        assert Learning.objects.filter(text=LEARNED, internal=False).exists()

        # A member of another team finds the learning.
        other = browsing.open(world.member_b, "en")
        other.goto("/learning/")
        other.get_by_role("textbox", name="Search learnings").fill("takaisinsoittolupaus")
        other.get_by_role("button", name="Search", exact=True).click()
        expect(other.locator(".learning-list li").filter(has_text=LEARNED)).to_have_count(1)

        # A success is shared and thanked once.
        member = browsing.open(world.member, "en")
        member.goto(f"/successes/teams/{world.team_a.pk}/new/?objective={objective.pk}")
        member.get_by_label("Title").fill("Vastaamme nopeammin")
        member.get_by_label("Story").fill("Takaisinsoitot toimivat.")
        member.get_by_role("button", name="Share", exact=True).click()
        expect(member.get_by_role("heading", level=1)).to_have_text("Vastaamme nopeammin")
        other.goto("/successes/")
        card = other.get_by_role("article").filter(has_text="Vastaamme nopeammin")
        card.get_by_role("button", name="Thank the team").click()
        expect(card.get_by_role("button", name="Thanked")).to_be_visible()
        assert Thanks.objects.count() == 1

        # An idea moves from new to adopted.
        leader.goto(f"/ideas/teams/{world.team_a.pk}/new/")
        leader.get_by_label("Title").fill("Takaisinsoitto kaikille")
        leader.get_by_role("button", name="Save", exact=True).click()
        leader.goto(f"/ideas/teams/{world.team_a.pk}/")
        leader.get_by_role("region", name="New").get_by_role("button", name="Start trying").click()
        tried = leader.get_by_role("region", name="Tried")
        tried.get_by_role("button", name="Mark adopted").click()
        adopted = leader.get_by_role("region", name="Adopted")
        expect(adopted.get_by_role("heading", name="Takaisinsoitto kaikille")).to_be_visible()
        assert Idea.objects.get().state == Idea.State.ADOPTED
