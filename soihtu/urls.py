from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from soihtu.accounts.views import set_language
from soihtu.core.views import (
    accessibility_settings,
    accessibility_statement,
    administration,
    healthz,
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("soihtu.okrs.urls")),
    path("", include("soihtu.checkins.urls")),
    path("", include("soihtu.planning.urls")),
    path("", include("soihtu.followup.urls")),
    path("", include("soihtu.retrospectives.urls")),
    path("", include("soihtu.desk.urls")),
    path("units/", include("soihtu.organization.urls")),
    path("learning/", include("soihtu.learning.urls")),
    path("successes/", include("soihtu.successes.urls")),
    path("ideas/", include("soihtu.ideas.urls")),
    path("comments/", include("soihtu.comments.urls")),
    path("surveys/", include("soihtu.surveys.urls")),
    path("dashboard/", include("soihtu.dashboard.urls")),
    path("people/import/", include("soihtu.hrimport.urls")),
    path("api/", include("soihtu.api.urls")),
    path("exchange/", include("soihtu.exchange.urls")),
    path("exchange/viva-goals/", include("soihtu.vivagoals.urls")),
    path("notifications/", include("soihtu.notifications.urls")),
    path("open/", include("soihtu.transparency.urls")),
    path("privacy/", include("soihtu.privacy.urls")),
    path("accounts/", include("soihtu.accounts.urls")),
    # Choosing the language works signed out too (the sign-in page has the switcher).
    path("i18n/setlang/", set_language, name="set_language"),
    path("administration/", administration, name="administration"),
    path("accessibility/", accessibility_statement, name="accessibility"),
    path("accessibility/settings/", accessibility_settings, name="accessibility_settings"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
# Error pages of the site, in the person's language; the 500 page without the database.
handler400 = "soihtu.core.views.bad_request"
handler403 = "soihtu.core.views.permission_denied"
handler404 = "soihtu.core.views.page_not_found"
handler500 = "soihtu.core.views.server_error"
# The demo's one-click persona sign-in is never routed under production settings, whatever
# SOIHTU_DEMO says (the deploy check reports demo mode there as an error).
if not settings.PRODUCTION:
    urlpatterns.append(path("demo/", include("soihtu.demo.urls")))
