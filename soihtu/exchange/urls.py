from django.urls import path

from soihtu.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.json", views.export_json, name="export"),
    path("import/", views.import_json, name="import"),
    path("objectives.csv", views.objectives_csv, name="objectives_csv"),
    path("key-results.csv", views.key_results_csv, name="key_results_csv"),
]
