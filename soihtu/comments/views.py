"""The conversation's pages: a thread (a fragment for htmx), writing, editing and deleting.

Writing answers htmx with the thread swapped in place, and a plain form with a redirect back
to the objective page at the new comment. Editing and deleting are plain forms. A refusal
changes nothing and says why (403, 404 for what the person may not see, 409 for a conflict).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from soihtu.accounts.models import User
from soihtu.comments import access, selectors, services
from soihtu.comments.access import Target
from soihtu.comments.forms import CommentForm, EditForm
from soihtu.comments.mentions import MENTION, name_handle
from soihtu.comments.models import Comment
from soihtu.core.errors import EditConflictError
from soihtu.core.http import is_htmx
from soihtu.okrs.access_log import objectives_read
from soihtu.organization.roles import Actor, actor_for

SUGGESTIONS = 8
QUERY_MAX = 100


def _refused(request: HttpRequest, reason: str, target: Target, status: int = 403) -> HttpResponse:
    context = {"reason": reason, "back_url": target.url()}
    return render(request, "comments/refused.html", context, status=status)


def _thread_response(
    request: HttpRequest, actor: Actor, target: Target, **extra: object
) -> HttpResponse:
    thread = selectors.thread_for(actor, target)
    response = render(request, "comments/_thread.html", {"thread": thread, **extra})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def thread(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    """One thread as a fragment (what htmx swaps in after a write); `?write=1` opens its form
    (a check-in's thread on the objective page asks for it)."""
    actor = actor_for(request)
    target = access.get_target_for_user(actor, kind, target_id)
    objectives_read(request, [target.objective])
    return _thread_response(request, actor, target, write=request.GET.get("write") == "1")


def _parent(target: Target, raw: int | None) -> Comment | None:
    """The comment replied to, if it is in this thread (else a ValidationError)."""
    if raw is None:
        return None
    parent = Comment.objects.select_related("author").filter(pk=raw).first()
    if parent is None or not target.holds(parent):
        raise ValidationError(_("The comment you reply to is not in this conversation."))
    return parent


@require_http_methods(["GET", "POST"])
def comment_new(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    """Write a comment or a reply on a target the person may see. A GET shows the thread with
    its form on a page of its own (a check-in's "Comment" link without JavaScript)."""
    actor = actor_for(request)
    target = access.get_target_for_user(actor, kind, target_id)
    if not access.can_comment(actor, target):
        return _refused(request, _("You may read this conversation but not write in it."), target)
    if request.method == "GET":
        objectives_read(request, [target.objective])
        context = {"target": target, "thread": selectors.thread_for(actor, target), "write": True}
        return render(request, "comments/comment_form.html", context)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            parent = _parent(target, form.cleaned_data["parent"])
            comment = services.comment_create(
                author=actor.user, target=target, body=form.cleaned_data["body"], parent=parent
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if is_htmx(request):
                return _thread_response(request, actor, target, focus=comment.pk)
            messages.success(request, _("Comment saved."))
            return redirect(target.url(comment.pk))
    if is_htmx(request):  # the thread with the form's errors and its text kept, swapped in
        return _thread_response(request, actor, target, form=form)
    context = {"form": form, "target": target, "thread": selectors.thread_for(actor, target)}
    return render(request, "comments/comment_form.html", context, status=400)


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Edit one's own comment; 409 with the typed text kept when it changed meanwhile."""
    actor = actor_for(request)
    comment, target = access.get_comment_for_user(actor, comment_id)
    refusal = access.edit_refusal(actor, comment)
    if refusal is not None:
        return _refused(request, refusal, target, status=409 if comment.is_deleted else 403)
    seen = comment.edited_at.isoformat() if comment.edited_at else ""
    form = EditForm(request.POST or None, initial={"body": comment.body, "seen": seen})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.comment_edit(
                    actor=actor.user,
                    target=target,
                    comment=comment,
                    body=form.cleaned_data["body"],
                    seen_edited_at=form.cleaned_data["seen"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            except EditConflictError as conflict:
                form.add_error(None, str(conflict.message))
                status = 409
            except services.CommentGoneError:
                return _refused(request, _("This comment has been deleted."), target, 409)
            else:
                messages.success(request, _("Comment saved."))
                return redirect(target.url(comment.pk))
    context = {"form": form, "comment": comment, "target": target}
    return render(request, "comments/comment_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Delete a comment (its author, or the OKR office to moderate), after a confirmation."""
    actor = actor_for(request)
    comment, target = access.get_comment_for_user(actor, comment_id)
    refusal = access.delete_refusal(actor, comment)
    if refusal is not None:
        return _refused(request, refusal, target, status=409 if comment.is_deleted else 403)
    if request.method == "POST":
        try:
            services.comment_delete(actor=actor.user, comment=comment)
        except services.CommentGoneError:
            return _refused(request, _("This comment has been deleted."), target, 409)
        messages.success(request, _("Comment deleted."))
        return redirect(target.url(comment.pk))
    context = {
        "comment": comment,
        "target": target,
        "moderating": comment.author_id != actor.user.pk,
    }
    return render(request, "comments/comment_delete.html", context)


def _typed(request: HttpRequest) -> str:
    """What the person is typing after "@": `q`, else the handle being written at the end of
    the comment's text (htmx sends the whole textarea)."""
    raw = request.GET.get("q")
    if raw is None:
        body = request.GET.get("body", "")[-QUERY_MAX:]
        matches = list(MENTION.finditer(body))
        raw = matches[-1].group(1) if matches and matches[-1].end() == len(body) else ""
    return raw.strip().lstrip("@")[:QUERY_MAX]


@require_GET
def mention_suggestions(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    """Up to eight people who may see the target and whose name or username begins with what
    is typed: a list to show under the text box (one query)."""
    actor = actor_for(request)
    target = access.get_target_for_user(actor, kind, target_id)
    typed = _typed(request)
    people: list[User] = []
    if typed:
        people = selectors.mention_candidates(target, typed, SUGGESTIONS)
    rows = [(p, name_handle(p) or p.username) for p in people]
    response = render(
        request, "comments/_suggestions.html", {"rows": rows, "typed": typed, "target": target}
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
