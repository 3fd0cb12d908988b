from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "soihtu.demo"
    label = "demo"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soihtu.demo import checks  # noqa: F401  (registers the deploy check)
