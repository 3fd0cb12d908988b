from django.urls import URLPattern, URLResolver, path

from soihtu.notifications import views

app_name = "notifications"
urlpatterns: list[URLPattern | URLResolver] = [
    path("teams/<int:unit_id>/", views.team, name="team"),
    path("webhooks/<int:webhook_id>/enabled/", views.webhook_enabled, name="webhook_enabled"),
    path("webhooks/<int:webhook_id>/test/", views.webhook_test, name="webhook_test"),
    path("webhooks/<int:webhook_id>/delete/", views.webhook_delete, name="webhook_delete"),
]
