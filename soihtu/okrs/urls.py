from django.urls import path

from soihtu.okrs import views

app_name = "okrs"
urlpatterns = [
    path("", views.my_okrs, name="my_okrs"),
    path("strategy/", views.strategy, name="strategy"),
    path("organization/", views.organization, name="organization"),
    path("map/", views.alignment_map, name="map"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<int:objective_id>/", views.objective_detail, name="objective"),
    path("objectives/<int:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:objective_id>/delete/", views.objective_delete, name="objective_delete"),
    path(
        "objectives/<int:objective_id>/key-results/new/",
        views.key_result_create,
        name="key_result_create",
    ),
    path("key-results/<int:key_result_id>/edit/", views.key_result_edit, name="key_result_edit"),
    path(
        "key-results/<int:key_result_id>/delete/",
        views.key_result_delete,
        name="key_result_delete",
    ),
]
