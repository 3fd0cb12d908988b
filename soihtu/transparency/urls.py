from django.urls import URLPattern, URLResolver

app_name = "transparency"
urlpatterns: list[URLPattern | URLResolver] = []
