"""The conversation's pages: writing with and without htmx, editing (409 on a conflict, the
typed text kept), deleting, and the mention suggestions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from soihtu.checkins.models import CheckIn
from soihtu.comments.access import Target
from soihtu.comments.models import Comment
from soihtu.comments.services import comment_create, comment_edit
from soihtu.conftest import World, client_for

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _new_url(kind: str, pk: int) -> str:
    return reverse("comments:new", args=[kind, pk])


def _page(world: World) -> str:
    return reverse("okrs:objective", args=[world.objective_a.pk])


def test_objective_page_shows_the_conversation(world: World) -> None:
    comment_create(
        author=world.member, target=Target(world.objective_a), body="Hyvä @torchbearer_a"
    )
    response = client_for(world.outsider).get(_page(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Conversation" in html
    assert f'id="comment-{Comment.objects.get().pk}"' in html
    assert '<strong class="mention">@Torchbearer A</strong>' in html


def test_posting_without_javascript_redirects_to_the_comment(world: World) -> None:
    response = client_for(world.member).post(
        _new_url("objective", world.objective_a.pk), {"body": "Eteenpäin!"}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_page(world)}#comment-{comment.pk}"
    assert comment.body == "Eteenpäin!"
    assert comment.author == world.member


def test_posting_with_htmx_swaps_the_thread(world: World) -> None:
    response = client_for(world.member).post(
        _new_url("key-result", world.kr_a1.pk), {"body": "Miten mitataan?"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div class="thread" id="thread-key-result-')
    assert "Miten mitataan?" in html
    assert "autofocus" in html
    assert "HX-Request" in response["Vary"]


def test_a_reply_is_written_under_its_comment(world: World) -> None:
    top = comment_create(author=world.member, target=Target(world.objective_a), body="Kysymys")
    client_for(world.torchbearer).post(
        _new_url("objective", world.objective_a.pk), {"body": "Vastaus", "parent": top.pk}
    )
    reply = Comment.objects.get(body="Vastaus")
    assert reply.parent == top


def test_an_empty_comment_is_refused_and_nothing_is_written(world: World) -> None:
    client = client_for(world.member)
    response = client.post(_new_url("objective", world.objective_a.pk), {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    htmx = client.post(_new_url("objective", world.objective_a.pk), {"body": ""}, headers=HTMX)
    assert htmx.status_code == 200
    assert 'role="alert"' in htmx.content.decode()
    assert not Comment.objects.exists()


def test_a_too_long_comment_keeps_its_text(world: World) -> None:
    text = "a" * 4001
    response = client_for(world.member).post(
        _new_url("objective", world.objective_a.pk), {"body": text}
    )
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Comment.objects.exists()


def test_a_parent_from_another_thread_is_refused(world: World) -> None:
    other = comment_create(author=world.member, target=Target(world.objective_b), body="B")
    response = client_for(world.member).post(
        _new_url("objective", world.objective_a.pk), {"body": "x", "parent": other.pk}
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_a_get_of_the_writing_address_shows_the_form_and_writes_nothing(world: World) -> None:
    response = client_for(world.member).get(_new_url("objective", world.objective_a.pk))
    assert response.status_code == 200
    assert 'name="body"' in response.content.decode()
    assert Comment.objects.count() == 0
    outsider = client_for(world.member_b).get(_new_url("objective", world.restricted_a.pk))
    assert outsider.status_code == 404


def test_unknown_kind_is_not_found(world: World) -> None:
    response = client_for(world.member).post(_new_url("unit", world.team_a.pk), {"body": "x"})
    assert response.status_code == 404


def test_edit_saves_and_marks_edited(world: World) -> None:
    comment = comment_create(author=world.member, target=Target(world.objective_a), body="Vanha")
    client = client_for(world.member)
    url = reverse("comments:edit", args=[comment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Uusi", "seen": ""})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at is not None) == ("Uusi", True)
    page = client.get(_page(world)).content.decode()
    assert "(edited)" in page


def test_edit_after_someone_else_edited_answers_409_and_keeps_the_text(world: World) -> None:
    target = Target(world.objective_a)
    comment = comment_create(author=world.member, target=target, body="Vanha")
    client = client_for(world.member)
    url = reverse("comments:edit", args=[comment.pk])
    client.get(url)  # the form carries seen="" (never edited)
    comment_edit(
        actor=world.member,
        target=target,
        comment=comment,
        body="Toisessa ikkunassa",
        seen_edited_at=None,
    )
    response = client.post(url, {"body": "Minun tekstini", "seen": ""})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Minun tekstini" in html
    assert "Someone else changed this" in html
    comment.refresh_from_db()
    assert comment.body == "Toisessa ikkunassa"


def test_delete_leaves_comment_deleted_and_the_replies(world: World) -> None:
    target = Target(world.objective_a)
    top = comment_create(author=world.member, target=target, body="Poistuva")
    comment_create(author=world.torchbearer, target=target, body="Vastaus jää", parent=top)
    client = client_for(world.member)
    url = reverse("comments:delete", args=[top.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    page = client.get(_page(world)).content.decode()
    assert "Comment deleted" in page
    assert "Vastaus jää" in page
    assert "Poistuva" not in page
    again = client.post(url)
    assert again.status_code == 409


def test_suggestions_list_people_who_can_see_the_target(world: World) -> None:
    url = reverse("comments:mention_suggestions", args=["objective", world.objective_a.pk])
    response = client_for(world.member).get(url, {"q": "tor"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Torchbearer A" in html
    assert "@torchbearer.a" in html
    from_body = client_for(world.member).get(url, {"body": "Kiitos @outs"})
    assert "Outsider C" in from_body.content.decode()


def test_suggestions_on_a_restricted_objective_leave_out_those_who_cannot_see_it(
    world: World,
) -> None:
    url = reverse("comments:mention_suggestions", args=["objective", world.restricted_a.pk])
    client = client_for(world.member)
    assert "Outsider" not in client.get(url, {"q": "outs"}).content.decode()
    assert "Nobody who can see this matches." in client.get(url, {"q": "outs"}).content.decode()
    assert "Admin Okr" in client.get(url, {"q": "adm"}).content.decode()
    assert client_for(world.outsider).get(url, {"q": "mem"}).status_code == 404


def test_the_objective_page_gives_threads_to_check_ins_worth_one(world: World) -> None:
    """The newest check-in, and those with a note or comments, get a thread; a check-in with
    neither stays in the history only."""
    from soihtu.followup.tests.helpers import check_in

    kr = world.kr_a1
    noted = check_in(world.member, kr, value="11", note="Jono lyheni")
    commented = check_in(world.member, kr, value="10")
    silent = check_in(world.member, kr, value="9")
    newest = check_in(world.member, kr, value="8")
    comment_create(
        author=world.torchbearer,
        target=Target(world.objective_a, kr, commented),
        body="Miksi?",
    )
    content = client_for(world.member).get(_page(world)).content.decode()
    for shown in [noted, commented, newest]:
        assert f'id="thread-check-in-{shown.pk}"' in content
    assert f'id="thread-check-in-{silent.pk}"' not in content


def test_a_check_in_thread_on_the_objective_page_asks_for_its_form(world: World) -> None:
    """No form per check-in on the objective page: a link opens it, in place with htmx or on a
    page of its own; the form posts as any other."""
    from soihtu.followup.tests.helpers import check_in

    checkin = check_in(world.member, world.kr_a1, value="11", note="Jono lyheni")
    client = client_for(world.member)
    page = client.get(_page(world)).content.decode()
    start = page.index(f'id="thread-check-in-{checkin.pk}"')
    thread = page[start : page.index("</li>", start)]
    assert "<form" not in thread
    write = reverse("comments:new", args=["check-in", checkin.pk])
    assert f'href="{write}"' in thread

    fragment = client.get(
        reverse("comments:thread", args=["check-in", checkin.pk]) + "?write=1", headers=HTMX
    )
    assert fragment.status_code == 200
    assert '<details class="inline-checkin" open>' in fragment.content.decode()
    standalone = client.get(write)
    assert standalone.status_code == 200
    assert "autofocus" in standalone.content.decode()
    assert "not saved" not in standalone.content.decode()
    # Someone who cannot see the objective finds nothing there.
    assert (
        client_for(world.member_b)
        .get(reverse("comments:new", args=["check-in", _restricted_checkin(world).pk]))
        .status_code
        == 404
    )


def _restricted_checkin(world: World) -> CheckIn:
    from soihtu.followup.tests.helpers import check_in

    return check_in(world.torchbearer, world.restricted_a.key_results.get(), value="1")
