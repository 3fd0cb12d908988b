from django.urls import path

from soihtu.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.library, name="library"),
]
