from django.urls import URLPattern, path

from soihtu.dashboard import views

app_name = "dashboard"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("export.csv", views.export_csv, name="csv"),
]
