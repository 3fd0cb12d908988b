from django.urls import URLPattern, URLResolver, path

from soihtu.notifications import views

app_name = "notifications"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox, name="inbox"),
    path("settings/", views.preferences, name="settings"),
    path("read/", views.notifications_mark_all_read, name="read_all"),
    path("<int:notification_id>/open/", views.notification_open, name="open"),
    path("<int:notification_id>/read/", views.notification_mark_read, name="read"),
    path("teams/<int:unit_id>/", views.team, name="team"),
    path("webhooks/<int:webhook_id>/enabled/", views.webhook_enabled, name="webhook_enabled"),
    path("webhooks/<int:webhook_id>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<int:webhook_id>/delete/", views.webhook_delete, name="webhook_delete"),
]
