from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("soihtu.okrs.urls")),
    path("", include("soihtu.checkins.urls")),
    path("accounts/", include("soihtu.accounts.urls")),
    path("demo/", include("soihtu.demo.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
