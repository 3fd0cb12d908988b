from django.apps import AppConfig


class SuccessesConfig(AppConfig):
    name = "soihtu.successes"
    label = "successes"
    default_auto_field = "django.db.models.BigAutoField"
