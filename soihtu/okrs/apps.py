from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "soihtu.okrs"
    label = "okrs"
    default_auto_field = "django.db.models.BigAutoField"
