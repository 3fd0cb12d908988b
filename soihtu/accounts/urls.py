from django.contrib.auth import views as auth_views
from django.urls import path

from soihtu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/end/", views.sessions_end, name="sessions_end"),
    # The names are mozilla-django-oidc's; settings.OIDC_AUTHENTICATION_CALLBACK_URL adds the
    # namespace. The callback is the redirect URI registered at the identity provider.
    path(
        "oidc/authenticate/",
        views.ProviderSignInView.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        views.ProviderCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
]
