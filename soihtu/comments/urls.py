from django.urls import path

from soihtu.comments import views

app_name = "comments"
urlpatterns = [
    path("<str:kind>/<int:target_id>/", views.thread, name="thread"),
    path("<str:kind>/<int:target_id>/new/", views.comment_new, name="new"),
    path(
        "<str:kind>/<int:target_id>/mentions/",
        views.mention_suggestions,
        name="mention_suggestions",
    ),
    path("<int:comment_id>/edit/", views.comment_edit, name="edit"),
    path("<int:comment_id>/delete/", views.comment_delete, name="delete"),
]
