from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "soihtu.organization"
    label = "organization"
    default_auto_field = "django.db.models.BigAutoField"
