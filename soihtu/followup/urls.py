from django.urls import path

from soihtu.followup import views

app_name = "followup"
urlpatterns = [
    path("teams/<int:unit_id>/cadence/", views.cadence, name="cadence"),
    path("teams/<int:unit_id>/follow-up/", views.meeting, name="meeting"),
    path("teams/<int:unit_id>/follow-up/check-ins/", views.checkins, name="checkins"),
    path("teams/<int:unit_id>/follow-up/present/", views.present, name="present"),
    path("teams/<int:unit_id>/follow-up/print/", views.print_view, name="print"),
    path("me/reminders/", views.my_reminders, name="my_reminders"),
]
