from django.urls import URLPattern

app_name = "retrospectives"
urlpatterns: list[URLPattern] = []
