from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "soihtu.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soihtu.accounts import (
            oidc,  # noqa: F401  # registers the sign-in settings checks
            receivers,
        )

        receivers.connect()
