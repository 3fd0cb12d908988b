from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "soihtu.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soihtu.accounts.role_removal import on_org_admin_removed
        from soihtu.api.services import service_tokens_revoke_for

        # A service token is answered for by its creator's org admin role: it goes with it.
        on_org_admin_removed(service_tokens_revoke_for)
