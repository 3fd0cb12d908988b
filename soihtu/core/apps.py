from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "soihtu.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soihtu.core import checks  # noqa: F401  (registers the deploy checks)
