from django.urls import URLPattern

app_name = "successes"
urlpatterns: list[URLPattern] = []
