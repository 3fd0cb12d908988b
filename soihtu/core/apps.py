from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "soihtu.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models import fields
        from django.utils.translation import gettext_lazy as _

        from soihtu.core import checks  # noqa: F401  (registers the deploy checks)

        # The empty choice of a select. Django's own "- Select an option -" has no Finnish or
        # Swedish translation, so it is one of ours; set before any form is built (admin
        # forms are built per request, ours when their module is imported, after this).
        fields.BLANK_CHOICE_LABEL = _("— Choose —")
