from django.apps import AppConfig


class VivagoalsConfig(AppConfig):
    name = "soihtu.vivagoals"
    label = "vivagoals"
    default_auto_field = "django.db.models.BigAutoField"
