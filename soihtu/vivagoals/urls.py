from django.urls import path

from soihtu.vivagoals import views

app_name = "vivagoals"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:upload_id>/mapping/", views.mapping, name="mapping"),
    path("<int:upload_id>/preview/", views.preview, name="preview"),
    path("<int:upload_id>/import/", views.confirm, name="confirm"),
    path("<int:upload_id>/discard/", views.discard, name="discard"),
]
