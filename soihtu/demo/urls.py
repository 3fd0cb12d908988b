from django.urls import path

from soihtu.demo import views

app_name = "demo"
urlpatterns = [path("", views.personas, name="personas")]
