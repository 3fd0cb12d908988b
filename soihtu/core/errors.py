from django.utils.translation import gettext_lazy as _


class EditConflictError(Exception):
    """Someone else saved the row after this edit began; nothing was written."""

    message = _(
        "Someone else changed this while you were editing. Your changes were not saved: "
        "reload the page to see the latest version and make your change again."
    )
