from django.urls import path

from soihtu.transparency import views

app_name = "transparency"
urlpatterns = [
    path("", views.public, name="public"),
    path("data.json", views.data_json, name="json"),
    path("data.csv", views.data_csv, name="csv"),
    path("settings/", views.settings_page, name="settings"),
]
