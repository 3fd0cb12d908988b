from django.urls import path

from soihtu.ideas import views

app_name = "ideas"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("browse/", views.browse, name="browse"),
    path("teams/<int:unit_id>/", views.team, name="team"),
    path("teams/<int:unit_id>/new/", views.new, name="new"),
    path("<int:idea_id>/", views.detail, name="detail"),
    path("<int:idea_id>/move/", views.move, name="move"),
]
