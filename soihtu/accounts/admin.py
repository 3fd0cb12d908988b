from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from soihtu.accounts.models import SignInSession, SignInThrottle, User
from soihtu.accounts.role_removal import RemovedBy, org_admin_removed
from soihtu.accounts.selectors import browser_label
from soihtu.accounts.services import sessions_end_all, user_identity_forget
from soihtu.accounts.throttle import throttles_unlock
from soihtu.audit.models import AuditEvent, SecurityEvent
from soihtu.audit.services import audit_record, security_event_record, snapshot
from soihtu.core.admin_site import ReadOnlyAdmin

# What the people admin may change about a person, and so what the audit trail records (the
# password only as an event, never its hash).
AUDITED_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "employee_id",
    "is_active",
    "is_staff",
    "is_superuser",
    "is_org_admin",
]


@admin.register(User)
class SoihtuUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "email", "is_org_admin", "is_active"]
    list_filter = ["is_org_admin", "is_active"]
    fieldsets = [
        *(UserAdmin.fieldsets or []),
        ("Soihtu", {"fields": ["is_org_admin"]}),
    ]
    actions = ["end_sessions", "forget_identity"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Save the person, audited; when this removed the org admin role, what it gave goes
        too (the admin's change view runs this in a transaction)."""
        actor = request.user if isinstance(request.user, User) else None
        old = User.objects.filter(pk=obj.pk).first() if change else None
        before = snapshot(old, AUDITED_FIELDS) if old is not None else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj, AUDITED_FIELDS)
        if after != before:
            action = AuditEvent.Action.UPDATE if before is not None else AuditEvent.Action.CREATE
            audit_record(actor=actor, action=action, instance=obj, before=before, after=after)
        if change and "is_org_admin" in form.changed_data and not obj.is_org_admin:
            org_admin_removed(user=obj, actor=actor, request=request, reason=RemovedBy.ADMIN)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Django's page where the OKR office sets someone's password; a new password is a
        security event in the person's name, saying who set it."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = User.objects.filter(pk=id).first()
            security_event_record(
                kind=SecurityEvent.Kind.PASSWORD_CHANGED,
                request=request,
                user=person,
                detail={"set_by": request.user.pk},
            )
        return response

    @admin.action(
        description=_("Forget the single sign-on identity of the selected people"),
        permissions=["change"],
    )
    def forget_identity(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For a person who got a new account at the identity provider: their next sign-in
        binds them again, by employee id (or a verified email)."""
        assert isinstance(request.user, User)
        forgotten = 0
        for person in queryset.exclude(oidc_subject=""):
            user_identity_forget(actor=request.user, person=person)
            forgotten += 1
        text = ngettext(
            "%(count)d person will be bound again at their next sign-in.",
            "%(count)d people will be bound again at their next sign-in.",
            forgotten,
        )
        self.message_user(request, text % {"count": forgotten}, messages.SUCCESS)

    @admin.action(description=_("End all sessions of the selected people"), permissions=["change"])
    def end_sessions(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        assert isinstance(request.user, User)
        ended = sum(
            sessions_end_all(person=person, actor=request.user, request=request)
            for person in queryset
        )
        text = ngettext("%(count)d session ended.", "%(count)d sessions ended.", ended)
        self.message_user(request, text % {"count": ended}, messages.SUCCESS)


@admin.register(SignInSession)
class SignInSessionAdmin(ReadOnlyAdmin):
    """Who is signed in, from where: a list only. A session's key is the secret in its cookie,
    so there is no page per session (its URL would carry the key) and no selection checkbox;
    the people admin's action ends a person's sessions."""

    list_display = ["user", "browser", "address", "signed_in_at", "last_seen_at", "expire_date"]
    list_display_links = None
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    ordering = ["-last_seen_at"]
    actions = None

    @admin.display(description=_("browser"))
    def browser(self, obj: SignInSession) -> str:
        return browser_label(obj.user_agent)

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.changelist_view)
        return [path("", view, name="{}_{}_changelist".format(*info))]


@admin.register(SignInThrottle)
class SignInThrottleAdmin(ReadOnlyAdmin):
    """Failed sign-ins and password reset requests being counted, and the locks they started:
    the OKR office looks a person or an address up and unlocks it (docs/configuration.md). The
    counts change only by failures, by time and by the unlock action (which is recorded)."""

    list_display = ["key", "kind", "count", "first_at", "last_at", "locked_until", "locked_now"]
    list_filter = ["kind"]
    search_fields = ["key"]
    actions = ["unlock"]

    @admin.display(boolean=True, description=_("locked now"))
    def locked_now(self, row: SignInThrottle) -> bool:
        return row.locked_until is not None and row.locked_until > timezone.now()

    @admin.action(description=_("Unlock: forget the selected counts and end their locks"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[SignInThrottle]) -> None:
        count = throttles_unlock(throttles=queryset, request=request)
        self.message_user(
            request,
            ngettext("%(count)d count forgotten.", "%(count)d counts forgotten.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    # The counts change only by failures, by time and by the unlock action (which is recorded).
