from django.urls import path

from soihtu.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.people, name="people"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/export/", views.export, name="export"),
    path("people/<int:person_id>/anonymize/", views.anonymize, name="anonymize"),
]
