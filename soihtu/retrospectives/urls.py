from django.urls import path

from soihtu.retrospectives import views

app_name = "retrospectives"
BASE = "teams/<int:unit_id>/retrospective/<int:cycle_id>/"
urlpatterns = [
    path(BASE, views.team_retrospective, name="team"),
    path(BASE + "start/", views.start, name="start"),
    path(BASE + "save/", views.save, name="save"),
    path(BASE + "print/", views.print_view, name="print"),
]
