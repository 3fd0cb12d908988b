from django.contrib import admin

from soihtu.core.admin_site import ReadOnlyAdmin
from soihtu.core.models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(ReadOnlyAdmin):
    """Feedback on accessibility, as it came: the OKR office reads and answers it (by email)."""

    list_display = ["created_at", "message", "page_address", "name", "email", "emailed_at"]
    search_fields = ["message", "page_address", "name", "email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "message",
        "page_address",
        "name",
        "email",
        "language",
        "emailed_at",
    ]
    fields = tuple(readonly_fields)
