from django.apps import AppConfig


def _state_label(code: str) -> str:
    """An idea's state code, as its label in the active language (unknown codes as they are)."""
    from soihtu.ideas.models import Idea

    return str(Idea.State(code).label) if code in Idea.State.values else code


class IdeasConfig(AppConfig):
    name = "soihtu.ideas"
    label = "ideas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soihtu.notifications.models import Notification, detail_label_register

        # An idea's move notification keeps the new state as its code (docs/notifications.md).
        detail_label_register(Notification.Event.IDEA_MOVED, _state_label)
