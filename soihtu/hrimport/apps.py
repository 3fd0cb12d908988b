from django.apps import AppConfig


class HrimportConfig(AppConfig):
    name = "soihtu.hrimport"
    label = "hrimport"
    default_auto_field = "django.db.models.BigAutoField"
