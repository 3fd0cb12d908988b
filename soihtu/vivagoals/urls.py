from django.urls import URLPattern, URLResolver

app_name = "vivagoals"
urlpatterns: list[URLPattern | URLResolver] = []
