from django.urls import path

from soihtu.checkins import views

app_name = "checkins"
urlpatterns = [
    path("key-results/<int:key_result_id>/check-in/", views.checkin_new, name="new"),
]
