from django.urls import URLPattern, URLResolver

app_name = "hrimport"
urlpatterns: list[URLPattern | URLResolver] = []
