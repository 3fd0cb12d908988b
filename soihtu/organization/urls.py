from django.urls import path

from soihtu.organization import views

app_name = "organization"
urlpatterns = [
    path("suggestions/", views.unit_suggestions, name="unit_suggestions"),
]
