"""The conversation in a real browser: a comment posted and swapped in place, a reply, an edit
and a deletion on an objective page; axe finds nothing, and at 320 px nothing scrolls
sideways (with every disclosure open)."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from soihtu.comments.models import Comment
from soihtu.conftest import World
from soihtu.core.tests.browser import (  # noqa: F401
    Browsing,
    browsing_fixture,
    chromium_fixture,
    live_world_fixture,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-2")]
AXE = Axe()
OPEN_DISCLOSURES = "els => els.forEach(el => { el.open = true; })"


def _thread(page: Page, world: World) -> Locator:
    return page.locator(f"#thread-objective-{world.objective_a.pk}")


def test_post_reply_edit_and_delete_a_comment(live_world: World, browsing: Browsing) -> None:
    world = live_world
    url = f"/objectives/{world.objective_a.pk}/"
    member = browsing.open(world.member, "en")
    member.goto(url)
    thread = _thread(member, world)
    thread.get_by_label("Your comment").fill("Miten jonotusaika mitataan, @torchbearer.a?")
    thread.get_by_role("button", name="Comment", exact=True).click()
    # htmx swapped the thread in place: the page was not reloaded.
    expect(thread.locator(".comment-body")).to_contain_text("@Torchbearer A")
    comment = Comment.objects.get()
    expect(member.locator(f"#comment-{comment.pk}")).to_be_focused()

    leader = browsing.open(world.torchbearer, "en")
    leader.goto(url)
    leader_thread = _thread(leader, world)
    leader_thread.locator("summary", has_text="Reply").click()
    leader_thread.get_by_label("Your reply").fill("Kassajärjestelmästä.")
    leader_thread.get_by_role("button", name="Reply", exact=True).click()
    expect(leader_thread.locator("ol.replies")).to_contain_text("Kassajärjestelmästä.")

    member.goto(url)
    member.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile("^Edit")).click()
    member.get_by_label("Comment").fill("Miten jonotusaika mitataan?")
    member.get_by_role("button", name="Save").click()
    expect(member.locator(f"#comment-{comment.pk}")).to_contain_text("(edited)")
    assert AXE.run(member).violations_count == 0

    member.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile("^Delete")).click()
    member.get_by_role("button", name="Delete comment").click()
    expect(member.locator(f"#comment-{comment.pk}")).to_contain_text("Comment deleted")
    expect(_thread(member, world).locator("ol.replies")).to_contain_text("Kassajärjestelmästä.")


def test_objective_page_with_a_conversation_has_no_axe_violations_and_reflows(
    live_world: World, browsing: Browsing
) -> None:
    from soihtu.comments.access import Target
    from soihtu.comments.services import comment_create

    world = live_world
    top = comment_create(
        author=world.member,
        target=Target(world.objective_a),
        body="Pitkä_sana_ilman_välilyöntejä_" * 6 + " @torchbearer.a",
    )
    comment_create(
        author=world.torchbearer, target=Target(world.objective_a), body="ok", parent=top
    )
    comment_create(author=world.member, target=Target(world.objective_a, world.kr_a1), body="KR")
    for language in ["fi", "sv", "en"]:
        page = browsing.open(world.member, language)
        page.goto(f"/objectives/{world.objective_a.pk}/")
        results = AXE.run(page)
        assert results.violations_count == 0, results.generate_report()
    page.set_viewport_size({"width": 320, "height": 640})
    page.reload()
    page.locator("details").evaluate_all(OPEN_DISCLOSURES)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth")
    assert AXE.run(page).violations_count == 0


def test_a_mentioned_member_finds_it_under_the_bell_and_opening_it_marks_it_read(
    live_world: World, browsing: Browsing
) -> None:
    world = live_world
    leader = browsing.open(world.torchbearer, "en")
    leader.goto(f"/objectives/{world.objective_a.pk}/")
    thread = _thread(leader, world)
    thread.get_by_label("Your comment").fill("@member.a Ehditkö päivittää jonotusajan?")
    thread.get_by_role("button", name="Comment", exact=True).click()
    expect(thread.locator(".comment-body")).to_contain_text("Member A")
    comment = Comment.objects.get()

    member = browsing.open(world.member, "en")
    member.goto("/")
    bell = member.get_by_role("link", name=re.compile(r"^Notifications"))
    expect(bell).to_have_accessible_name(re.compile(r"1\s+unread"))
    bell.click()
    expect(member).to_have_url(re.compile(r"/notifications/$"))
    member.get_by_role("button", name=re.compile("^Unread.*Torchbearer A mentioned you")).click()

    expect(member).to_have_url(
        re.compile(rf"/objectives/{world.objective_a.pk}/#comment-{comment.pk}$")
    )
    expect(member.locator(f"#comment-{comment.pk}")).to_contain_text("Ehditkö päivittää")
    expect(member.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    member.goto("/notifications/")
    expect(member.get_by_role("button", name=re.compile("^Unread"))).to_have_count(0)


def test_a_check_in_opens_its_comment_form_in_place(live_world: World, browsing: Browsing) -> None:
    from soihtu.followup.tests.helpers import check_in

    world = live_world
    checkin = check_in(world.member, world.kr_a1, value="11", note="Jono lyheni")
    page = browsing.open(world.torchbearer, "en")
    page.goto(f"/objectives/{world.objective_a.pk}/")
    thread = page.locator(f"#thread-check-in-{checkin.pk}")
    thread.get_by_role("link", name=re.compile("^Comment on the check-in")).click()

    box = thread.get_by_label("Your comment")
    expect(box).to_be_focused()
    box.fill("Hienoa!")
    thread.get_by_role("button", name="Comment", exact=True).click()
    expect(thread.locator(".comment-body")).to_contain_text("Hienoa!")
    assert Comment.objects.get().checkin_id == checkin.pk
