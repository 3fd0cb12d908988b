from django.contrib import admin
from django.http import HttpRequest

from soihtu.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: comments are written, edited and moderated on the objective pages, where
    each change is audited."""

    list_display = ["pk", "author", "created_at", "edited_at", "deleted_at"]
    list_filter = ["deleted_at"]
    raw_id_fields = ["objective", "key_result", "checkin", "parent", "author"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False
