from django.urls import path

from soihtu.successes import views

app_name = "successes"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("teams/<int:unit_id>/new/", views.new, name="new"),
    path("<int:success_id>/", views.detail, name="detail"),
    path("<int:success_id>/thanks/", views.thank, name="thank"),
]
