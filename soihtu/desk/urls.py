from django.urls import path

from soihtu.desk import views

app_name = "desk"
urlpatterns = [path("teams/<int:unit_id>/desk/", views.team_desk, name="team")]
