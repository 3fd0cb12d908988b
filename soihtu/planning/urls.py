from django.urls import path

from soihtu.planning import views

app_name = "planning"
TEAM = "teams/<int:unit_id>/planning/"
CYCLE = TEAM + "<int:cycle_id>/"
PROPOSAL = "proposals/<int:proposal_id>/"
urlpatterns = [
    path(TEAM, views.record, name="record"),
    path(CYCLE, views.team_planning, name="team"),
    path(CYCLE + "open/", views.planning_open, name="open"),
    path(CYCLE + "proposals/new/", views.proposal_create, name="propose"),
    path(CYCLE + "activate/", views.cycle_activate, name="activate"),
    path(PROPOSAL + "comment/", views.proposal_comment, name="comment"),
    path(PROPOSAL + "support/", views.proposal_support, name="support"),
    path(PROPOSAL + "unsupport/", views.proposal_unsupport, name="unsupport"),
    path(PROPOSAL + "accept/", views.proposal_accept, name="accept"),
    path(PROPOSAL + "merge/", views.proposal_merge, name="merge"),
    path(PROPOSAL + "decline/", views.proposal_decline, name="decline"),
]
