from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "soihtu.ideas"
    label = "ideas"
    default_auto_field = "django.db.models.BigAutoField"
