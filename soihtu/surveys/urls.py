from django.urls import URLPattern, path

from soihtu.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern] = [
    path("", views.round_list, name="rounds"),
    path("published/", views.published_results, name="published"),
    path("new/", views.round_create, name="create"),
    path("<int:round_id>/edit/", views.round_edit, name="edit"),
    path("<int:round_id>/state/", views.round_state, name="state"),
    path("<int:round_id>/publish/", views.round_publish, name="publish"),
    path("<int:round_id>/questions/new/", views.question_edit, name="question_create"),
    path("<int:round_id>/questions/<int:question_id>/", views.question_edit, name="question"),
    path("<int:round_id>/answer/", views.answer, name="answer"),
    path("<int:round_id>/results/", views.results, name="results"),
    path("<int:round_id>/results.csv", views.results_csv, name="results_csv"),
    path("<int:round_id>/import/", views.import_answers, name="import"),
]
