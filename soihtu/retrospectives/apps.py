from django.apps import AppConfig


class RetrospectivesConfig(AppConfig):
    name = "soihtu.retrospectives"
    label = "retrospectives"
    default_auto_field = "django.db.models.BigAutoField"
