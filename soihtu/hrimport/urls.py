from django.urls import path

from soihtu.hrimport import views

app_name = "hrimport"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:import_id>/", views.preview, name="preview"),
    path("<int:import_id>/confirm/", views.confirm, name="confirm"),
]
