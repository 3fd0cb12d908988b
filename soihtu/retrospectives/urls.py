from django.urls import path

from soihtu.retrospectives import views

app_name = "retrospectives"
BASE = "teams/<int:unit_id>/retrospective/<int:cycle_id>/"
urlpatterns = [
    path(BASE, views.team_retrospective, name="team"),
    path(BASE + "start/", views.start, name="start"),
    path(BASE + "objectives/<int:objective_id>/", views.review_save, name="review"),
    path(BASE + "key-results/<int:key_result_id>/score/", views.score_adjust, name="score"),
    path(BASE + "notes/", views.notes_save, name="notes"),
    path(BASE + "participants/", views.participants_save, name="participants"),
    path(BASE + "complete/", views.complete, name="complete"),
]
